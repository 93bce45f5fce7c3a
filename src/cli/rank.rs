//! `jejaring rank`: entities ranked by degree, PageRank, betweenness or
//! the sum of a numeric column of their relations.

use anyhow::Result;
use clap::Args;

use super::{Session, TextFormat, WINDOW_FROM, json, print, refused};
use crate::query::Limits;
use crate::query::analysis::request::DEFAULT_RANK_LIMIT;
use crate::query::analysis::{RankRequest, rank};
use crate::render::text;
use crate::view::RankView;

#[derive(Debug, Args)]
pub struct RankArgs {
    /// degree, pagerank, betweenness, or sum:COLUMN (a numeric extra
    /// column of relations.csv, summed over each entity's relations).
    #[arg(long, default_value = "degree", value_name = "MEASURE")]
    pub by: String,
    /// List only entities of this kind (repeat or comma-separate); the
    /// measure is taken on the whole network.
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Measure only relations of this type (repeat or comma-separate).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    #[command(flatten)]
    pub time: super::TimeArgs,
    /// The most entities listed; 0 for all.
    #[arg(long, default_value_t = DEFAULT_RANK_LIMIT)]
    pub limit: usize,
    /// Betweenness: estimate from this many sampled source entities (the
    /// output gives each score's standard error).
    #[arg(long)]
    pub samples: Option<usize>,
    /// Betweenness: the seed of the sample, for the same estimate again.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

impl RankArgs {
    pub(crate) fn request(&self) -> RankRequest {
        RankRequest {
            by: self.by.clone(),
            kinds: self.kinds.clone(),
            types: self.types.clone(),
            time: self.time.request(),
            limit: self.limit,
            samples: self.samples,
            seed: self.seed,
        }
    }
}

pub(super) fn run(ctx: &Session, a: RankArgs) -> Result<u8> {
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let q = a
        .request()
        .validate_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    let answer = rank(g, &q).map_err(|e| refused(e.into()))?;
    let out = match a.format {
        TextFormat::Json => json(&RankView::new(g, &q.by, &answer))?,
        TextFormat::Text => text::rank(g, &q.by, &answer),
    };
    print(&out)?;
    Ok(0)
}
