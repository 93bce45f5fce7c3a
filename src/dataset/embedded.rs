//! The default dataset, compiled into the binary: Indonesia's digital
//! cooperation with India, Russia and Japan, curated from five news
//! articles (see `datasets/digital-diplomacy/`). Every command works
//! without `--data`, from any directory.

use std::borrow::Cow;

use super::DatasetSource;
use crate::graph::Graph;

/// The folder the embedded dataset was compiled from, as shown in messages.
pub const LABEL: &str = "datasets/digital-diplomacy";

pub fn source() -> DatasetSource {
    DatasetSource::Memory {
        label: Cow::Borrowed(LABEL),
        sources: Cow::Borrowed(include_bytes!(
            "../../datasets/digital-diplomacy/sources.csv"
        )),
        entities: Cow::Borrowed(include_bytes!(
            "../../datasets/digital-diplomacy/entities.csv"
        )),
        relations: Cow::Borrowed(include_bytes!(
            "../../datasets/digital-diplomacy/relations.csv"
        )),
    }
}

/// The embedded dataset, loaded: for tests, benches and fuzzing. It loads
/// with no error and no warning (`tests/data.rs` checks), so a failure
/// here is a broken build, not bad input.
pub fn graph() -> Graph {
    super::load(&[source()], &super::Quiet)
        .expect("the embedded dataset loads")
        .graph
}
