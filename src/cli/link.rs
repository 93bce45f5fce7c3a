//! `jejaring link --data A --data B`: entities that may be one across two
//! datasets, as a review CSV of `same_as` rows, each with its reason.

use anyhow::Result;
use clap::Args;

use super::Session;
use crate::import::link;

#[derive(Debug, Args)]
pub struct LinkArgs {}

pub(super) fn run(ctx: &Session, _a: LinkArgs) -> Result<u8> {
    let [a, b] = ctx.data.as_slice() else {
        anyhow::bail!("link compares two datasets: give --data A --data B");
    };
    let load = |dir: &std::path::PathBuf| {
        let one = Session {
            data: vec![dir.clone()],
            corpus: None,
            cache: ctx.cache.clone(),
        };
        one.load()
    };
    let (ga, gb) = (load(a)?, load(b)?);
    let found = link::propose(&ga.graph, &gb.graph);
    eprintln!(
        "{} candidate pair{}: keep the right rows, add a source \"{}\" to sources.csv, and load them as relations",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        link::REVIEW_SOURCE
    );
    super::print(&link::review_csv(&found))?;
    Ok(if found.is_empty() { 1 } else { 0 })
}
