use anyhow::Result;
use clap::Args;

use super::{Context_, Format, json, only, print};
use crate::error::QueryError;
use crate::query::parse_kinds;
use crate::query::resolve::describe;
use crate::query::search::{SearchQuery, find};
use crate::render::text;
use crate::view::SearchView;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for: a name, an alias, part of one, with typos.
    pub query: String,
    /// Keep only entities of this kind (repeat or comma-separate).
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// The most hits to show.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub(super) fn run(ctx: &Context_, a: SearchArgs) -> Result<u8> {
    only(a.format, &[Format::Text, Format::Json])?;
    let kinds = parse_kinds("--kind", &a.kinds)?;
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let answer = find(
        g,
        &SearchQuery {
            text: a.query.clone(),
            kinds,
            limit: a.limit as usize,
        },
    );
    match a.format {
        Format::Json => print(&json(&SearchView::new(g, &a.query, &answer))?)?,
        // No hit: the message and nearest names a failed entity argument
        // gets, so both read alike.
        _ if answer.hits.is_empty() => eprintln!(
            "{}",
            QueryError::NotFound {
                query: a.query.trim().to_string(),
                suggestions: answer
                    .nearest
                    .iter()
                    .map(|h| describe(g, h.entity))
                    .collect(),
            }
        ),
        _ => print(&text::search(g, &answer))?,
    }
    Ok(if answer.hits.is_empty() { 1 } else { 0 })
}

/// Resolves an entity argument, saying on stderr when it was matched by
/// search rather than exactly: a guess is never silent, and stdout stays
/// the answer alone for pipes.
pub(super) fn resolve_noting(
    g: &crate::graph::Graph,
    arg: &str,
) -> Result<crate::query::Resolved, QueryError> {
    let r = crate::query::resolve_arg(g, arg)?;
    if let Some(notice) = text::resolution_notice(g, &r) {
        eprintln!("{notice}");
    }
    Ok(r)
}
