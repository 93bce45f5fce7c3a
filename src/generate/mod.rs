//! Synthetic datasets shaped like the real thing, for trying jejaring at
//! scale, for benchmarks and for property tests.
//!
//! [`generate`] writes the three files of a dataset (`sources.csv`,
//! `entities.csv`, `relations.csv`) for a given number of entities and
//! relations. The output is a function of [`GenerateConfig`] alone: the
//! same configuration gives byte-identical files on every machine, because
//! the random numbers come from our own SplitMix64 (no crate whose stream
//! may change between versions) and nothing iterates a hash map.
//!
//! The shape follows what registries and leak databases look like:
//!
//! - **Heavy-tailed degrees.** Within each kind, entities are ranked and
//!   relation ends are drawn with a power-law bias toward the top ranks, so
//!   a few countries, ministries and big firms are hubs and most people are
//!   leaves. Every entity first gets one "anchor" relation to an entity
//!   made before it (a person works for a company, a company is located in
//!   a country …), so the graph is connected whenever there are at least as
//!   many relations as entities.
//! - **All eight kinds and every vocabulary type**, with the endpoint kinds
//!   of [`crate::model::VOCABULARY`]'s documentation (signed:
//!   person→agreement, party_to: country/organization→agreement …).
//! - **Names with aliases in several scripts**: a name is a sequence of
//!   syllables written in Latin, Cyrillic, Katakana and Devanagari from
//!   parallel tables, so the aliases are transliterations of each other.
//! - **Dates** partial and full, end never before start; **evidence** of
//!   80–200 characters; a few sources per thousand relations.
//!
//! This module writes files (each through [`crate::atomic`]: a temporary
//! file in the target folder, synced, renamed into place) and never
//! prints. `rng` is the random numbers, `names` the words in four scripts,
//! `rules` the vocabulary and the rule table, `writer` the generator that
//! writes the rows.

use std::collections::BTreeMap;
use std::io::{self, BufWriter};
use std::path::Path;

use crate::model::Kind;
use rules::RULES;
use writer::Generator;

mod names;
mod rng;
mod rules;
mod writer;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenerateConfig {
    /// Entities to write; at least 8 (one of each kind).
    pub entities: usize,
    /// Relations to write.
    pub relations: usize,
    /// The seed: same seed, same files.
    pub seed: u64,
}

impl Default for GenerateConfig {
    fn default() -> Self {
        GenerateConfig {
            entities: 10_000,
            relations: 50_000,
            seed: 1,
        }
    }
}

/// What [`generate`] wrote: totals and counts by kind and by type (only
/// kinds and types that occur), in the shape of `stats`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GenerateSummary {
    pub entities: usize,
    pub relations: usize,
    pub sources: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    pub by_type: BTreeMap<&'static str, usize>,
}

/// The fewest entities [`generate`] accepts: one of each kind.
pub const MIN_ENTITIES: usize = Kind::ALL.len();

/// Writes a synthetic dataset into `out_dir` (created if missing).
///
/// Arguments: the sizes and seed; the folder to write.
/// Returns: what was written, or the IO error (an `InvalidInput` error when
/// `entities` is below [`MIN_ENTITIES`] or above `u32::MAX`).
/// Complexity: O(entities + relations) time; memory holds the entities'
/// names (about 100 bytes each), relations are streamed.
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let cfg = jejaring::generate::GenerateConfig { entities: 200, relations: 800, seed: 7 };
/// let summary = jejaring::generate::generate(&cfg, dir.path()).unwrap();
/// assert_eq!(summary.relations, 800);
/// let src = jejaring::dataset::DatasetSource::Dir(dir.path().to_path_buf());
/// let g = jejaring::dataset::load(&[src], &jejaring::dataset::Quiet).unwrap().graph;
/// assert_eq!(g.entities.len(), 200);
/// ```
pub fn generate(cfg: &GenerateConfig, out_dir: &Path) -> io::Result<GenerateSummary> {
    if cfg.entities < MIN_ENTITIES || cfg.entities > u32::MAX as usize - 1 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "entities must be between {MIN_ENTITIES} (one of each kind) and {}",
                u32::MAX - 1
            ),
        ));
    }
    std::fs::create_dir_all(out_dir)?;
    let mut g = Generator::new(cfg);
    let mut summary = GenerateSummary {
        entities: cfg.entities,
        relations: 0,
        sources: g.n_sources,
        ..Default::default()
    };
    for k in Kind::ALL {
        summary
            .by_kind
            .insert(k.as_str(), g.kinds[k as usize].count);
    }
    write_csv(out_dir, crate::dataset::SOURCES, |w| g.write_sources(w))?;
    write_csv(out_dir, crate::dataset::ENTITIES, |w| g.write_entities(w))?;
    let by_type = write_csv(out_dir, crate::dataset::RELATIONS, |w| g.write_relations(w))?;
    for (t, n) in RULES.iter().zip(by_type) {
        if n > 0 {
            summary.by_type.insert(t.name, n);
            summary.relations += n;
        }
    }
    Ok(summary)
}

/// Writes `name` in `dir` as CSV through [`crate::atomic`], so a reader
/// never sees half a file.
fn write_csv<T>(
    dir: &Path,
    name: &str,
    body: impl FnOnce(&mut csv::Writer<&mut BufWriter<&std::fs::File>>) -> io::Result<T>,
) -> io::Result<T> {
    crate::atomic::write_file(dir, name, ".jejaring-", |w| {
        let mut w = csv::WriterBuilder::new().from_writer(w);
        let out = body(&mut w)?;
        w.flush()?;
        Ok(out)
    })
}
