//! The article reader and sentence splitter: never a panic; sentences
//! are in order, do not overlap, lie on character boundaries and are
//! trimmed and non-empty.

#![no_main]

use jejaring::ingest::text::{read_article, sentences};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = read_article(data) else { return };
    let mut last = 0;
    for s in sentences(&text) {
        assert!(last <= s.start && s.start < s.end && s.end <= text.len());
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end));
        let piece = &text[s.start..s.end];
        assert_eq!(piece, piece.trim());
        last = s.end;
    }
});
