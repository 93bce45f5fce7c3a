//! The default dataset, compiled into the binary: Indonesia's digital
//! cooperation with India, Russia and Japan, curated from five news
//! articles (see `datasets/digital-diplomacy/`). Every command works
//! without `--data`, from any directory.

use super::DatasetSource;

/// The folder the embedded dataset was compiled from, as shown in messages.
pub const LABEL: &str = "datasets/digital-diplomacy";

pub fn source() -> DatasetSource {
    DatasetSource::Embedded {
        label: LABEL,
        sources: include_bytes!("../../datasets/digital-diplomacy/sources.csv"),
        entities: include_bytes!("../../datasets/digital-diplomacy/entities.csv"),
        relations: include_bytes!("../../datasets/digital-diplomacy/relations.csv"),
    }
}
