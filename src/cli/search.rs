use anyhow::Result;
use clap::Args;

use super::{Format, Session, json, only, print, refused};
use crate::query::request::{DEFAULT_LIMIT, SearchRequest};
use crate::query::{Limits, search::search};
use crate::render::text;
use crate::view::SearchView;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for: a name, an alias, part of one, with typos.
    pub query: String,
    /// The most hits to show (1 to 1000).
    #[arg(long, default_value_t = DEFAULT_LIMIT)]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl SearchArgs {
    fn request(&self) -> SearchRequest {
        SearchRequest {
            q: self.query.clone(),
            limit: self.limit,
        }
    }
}

pub(super) fn run(ctx: &Session, a: SearchArgs) -> Result<u8> {
    only(a.format, &[Format::Text, Format::Json])?;
    let req = a.request();
    let limit = req.validate_with(&Limits::CLI).map_err(refused)?;
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let hits = search(g, &req.q, limit);
    match a.format {
        Format::Json => print(&json(&SearchView::new(g, &req.q, &hits))?)?,
        _ if hits.is_empty() => eprintln!("no entity matches \"{}\"", req.q),
        _ => print(&text::search(g, &hits))?,
    }
    Ok(if hits.is_empty() { 1 } else { 0 })
}
