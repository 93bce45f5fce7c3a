use anyhow::Result;
use clap::Args;

use super::{Format, Session, TextFormat, json, print, refused};
use crate::error::QueryError;
use crate::query::Limits;
use crate::query::request::{DEFAULT_LIMIT, SearchRequest};
use crate::query::resolve::describe;
use crate::query::search::find;
use crate::render::text;
use crate::view::SearchView;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for: a name, an alias, part of one, with typos.
    pub query: String,
    /// Keep only entities of this kind (repeat or comma-separate).
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// The most hits to show (1 to 1000).
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

impl SearchArgs {
    fn request(&self) -> SearchRequest {
        SearchRequest {
            q: self.query.clone(),
            kinds: self.kinds.clone(),
            limit: self.limit,
        }
    }
}

pub(super) fn run(ctx: &Session, a: SearchArgs) -> Result<u8> {
    let req = a.request();
    let q = req.validate_with(&Limits::CLI).map_err(refused)?;
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let answer = find(g, &q);
    match Format::from(a.format) {
        Format::Json => print(&json(&SearchView::new(g, &req.q, &answer))?)?,
        // No hit: the message and nearest names a failed entity argument
        // gets, so both read alike.
        _ if answer.hits.is_empty() => eprintln!(
            "{}",
            QueryError::NotFound {
                query: req.q.trim().to_string(),
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
