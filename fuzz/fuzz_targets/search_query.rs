//! Query normalisation, search and resolve on the embedded dataset:
//! never a panic; normalising is idempotent; hits are ranked.

#![no_main]

use std::sync::LazyLock;

use jejaring::graph::Graph;
use jejaring::query::{resolve, search::search};
use jejaring::text::normalize;
use libfuzzer_sys::fuzz_target;

static GRAPH: LazyLock<Graph> = LazyLock::new(jejaring::dataset::embedded::graph);

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else { return };
    let n = normalize(q);
    assert_eq!(normalize(&n), n);
    let hits = search(&GRAPH, q, 10);
    assert!(hits.len() <= 10);
    for w in hits.windows(2) {
        assert!(w[0].score >= w[1].score);
    }
    let _ = resolve(&GRAPH, q);
});
