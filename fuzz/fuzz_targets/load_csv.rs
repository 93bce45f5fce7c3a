//! The CSV loader on arbitrary bytes: never a panic, and every reported
//! line is a line of the file it names.

#![no_main]

use std::borrow::Cow;

use jejaring::dataset::{self, DatasetSource, Quiet};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The input is the three files, separated by 0xFF 0x00 (a pair that
    // never appears in UTF-8 text, so seeds stay readable).
    let mut parts = data.splitn(3, |&b| b == 0xFF).map(|p| p.strip_prefix(b"\0").unwrap_or(p));
    let s = parts.next().unwrap_or_default();
    let e = parts.next().unwrap_or_default();
    let r = parts.next().unwrap_or_default();
    let source = DatasetSource::Memory {
        label: Cow::Borrowed("fuzz"),
        sources: Cow::Owned(s.to_vec()),
        entities: Cow::Owned(e.to_vec()),
        relations: Cow::Owned(r.to_vec()),
    };
    let lines = |path: &str| {
        let bytes = if path.ends_with("sources.csv") {
            s
        } else if path.ends_with("entities.csv") {
            e
        } else {
            r
        };
        bytes.iter().filter(|&&b| b == b'\n').count() as u64 + 1
    };
    match dataset::load(&[source], &Quiet) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                assert!(w.line.is_none_or(|l| l >= 1 && l <= lines(&w.path)), "{w}");
            }
        }
        Err(errors) => {
            assert!(!errors.0.is_empty());
            for err in &errors.0 {
                assert!(err.line.is_none_or(|l| l >= 1 && l <= lines(&err.path)), "{err}");
            }
        }
    }
});
