use anyhow::Result;
use clap::Args;

use super::{Context_, Format, json, only, print};
use crate::query::search::search;
use crate::render::text;
use crate::view::SearchView;

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// What to look for: a name, an alias, part of one, with typos.
    pub query: String,
    /// The most hits to show.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub(super) fn run(ctx: &Context_, a: SearchArgs) -> Result<u8> {
    only(a.format, &[Format::Text, Format::Json])?;
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let hits = search(g, &a.query, a.limit as usize);
    match a.format {
        Format::Json => print(&json(&SearchView::new(g, &a.query, &hits))?)?,
        _ if hits.is_empty() => eprintln!("no entity matches \"{}\"", a.query),
        _ => print(&text::search(g, &hits))?,
    }
    Ok(if hits.is_empty() { 1 } else { 0 })
}
