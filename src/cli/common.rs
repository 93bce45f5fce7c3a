//! `jejaring common A B [C…]`: the entities several given ones have in
//! common (interlocks), one or two hops from each.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::{Format, Session, WINDOW_FROM, json, only, print, refused};
use crate::query::Limits;
use crate::query::analysis::graphs::common_subgraph;
use crate::query::analysis::request::DEFAULT_COMMON_LIMIT;
use crate::query::analysis::{CommonAnswer, CommonRequest, common};
use crate::render;
use crate::view::CommonView;

#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Two or more entities: ids, names or aliases.
    #[arg(value_name = "ENTITY", required = true)]
    pub entities: Vec<String>,
    /// 1: joined directly to each; 2: within two hops of each.
    #[arg(long, default_value_t = 1)]
    pub depth: u32,
    /// List only entities of this kind (repeat or comma-separate).
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Walk only relations of this type (repeat or comma-separate).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    #[command(flatten)]
    pub time: super::TimeArgs,
    /// The most entities listed; 0 for all.
    #[arg(long, default_value_t = DEFAULT_COMMON_LIMIT)]
    pub limit: usize,
    /// With --format gexf, graphml or gephi: where to write (a folder for
    /// gephi); stdout when absent.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl CommonArgs {
    pub(crate) fn request(&self) -> CommonRequest {
        CommonRequest {
            entities: self.entities.clone(),
            depth: self.depth,
            kinds: self.kinds.clone(),
            types: self.types.clone(),
            time: self.time.request(),
            limit: self.limit,
        }
    }
}

pub(super) fn run(ctx: &Session, a: CommonArgs) -> Result<u8> {
    only(
        a.format,
        &[
            Format::Text,
            Format::Json,
            Format::Csv,
            Format::Dot,
            Format::Gexf,
            Format::Graphml,
            Format::Gephi,
        ],
    )?;
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let q = a
        .request()
        .validate_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    super::note_resolutions(g, &q.resolved);
    let answer = common(g, &q.query).map_err(|e| refused(e.into()))?;
    let out = match a.format {
        Format::Json => json(&CommonView::new(g, q.query.depth, &answer).resolved(g, &q.resolved))?,
        Format::Csv => render::csv::relations(g, common_relations(&answer).map(|r| (None, r)))?,
        Format::Dot => {
            let sub = common_subgraph(g, &q.query.filter, &answer);
            render::dot(g, &sub.nodes, &sub.relations)?
        }
        Format::Gexf | Format::Graphml | Format::Gephi => {
            super::graph_out::write(
                g,
                a.format,
                &common_subgraph(g, &q.query.filter, &answer),
                a.out.as_deref(),
            )?;
            return Ok(if answer.hits.is_empty() { 1 } else { 0 });
        }
        Format::Text | Format::Svg => render::text::common(g, &answer),
    };
    print(&out)?;
    Ok(if answer.hits.is_empty() { 1 } else { 0 })
}

/// The relations of an answer's direct links, in answer order.
fn common_relations(a: &CommonAnswer) -> impl Iterator<Item = u32> + '_ {
    a.hits
        .iter()
        .flat_map(|h| h.links.iter().flat_map(|l| l.relations.iter().copied()))
}
