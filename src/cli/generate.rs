use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::generate::{GenerateConfig, MIN_ENTITIES, generate};

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// How many entities (people, companies, countries …) to write.
    #[arg(long, default_value_t = 10_000, value_parser = entities)]
    pub entities: usize,
    /// How many relations to write.
    #[arg(long, default_value_t = 50_000)]
    pub relations: usize,
    /// The seed: the same seed writes byte-identical files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The folder to write sources.csv, entities.csv and relations.csv into
    /// (created if missing; files there are replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

fn entities(s: &str) -> std::result::Result<usize, String> {
    let n: usize = s.parse().map_err(|e| format!("{e}"))?;
    if n < MIN_ENTITIES {
        return Err(format!("at least {MIN_ENTITIES} (one of each kind)"));
    }
    Ok(n)
}

pub(super) fn run(a: GenerateArgs) -> Result<u8> {
    let cfg = GenerateConfig {
        entities: a.entities,
        relations: a.relations,
        seed: a.seed,
    };
    let started = std::time::Instant::now();
    let s = generate(&cfg, &a.out)
        .with_context(|| format!("failed to write a dataset into `{}`", a.out.display()))?;
    eprintln!(
        "wrote {} entities, {} relations, {} sources to {} in {:.1} s",
        s.entities,
        s.relations,
        s.sources,
        a.out.display(),
        started.elapsed().as_secs_f64()
    );
    let kinds: Vec<String> = s.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    eprintln!("  by kind: {}", kinds.join(", "));
    let types: Vec<String> = s.by_type.iter().map(|(t, n)| format!("{t} {n}")).collect();
    eprintln!("  by type: {}", types.join(", "));
    Ok(0)
}
