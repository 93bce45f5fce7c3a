//! The web parameter parsing on the embedded dataset: any query string is
//! parsed without a panic, and every error names a parameter.

#![no_main]

use std::sync::LazyLock;

use jejaring::graph::Graph;
use jejaring::web::{PARAMETERS, check_params};
use libfuzzer_sys::fuzz_target;

static GRAPH: LazyLock<Graph> = LazyLock::new(jejaring::dataset::embedded::graph);

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else { return };
    for result in check_params(&GRAPH, query) {
        if let Err(e) = result {
            assert!(
                PARAMETERS.iter().any(|p| e.message.starts_with(&format!("{p}: "))),
                "error names no parameter: {}",
                e.message
            );
        }
    }
});
