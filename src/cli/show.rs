use anyhow::Result;
use clap::Args;

use super::{Context_, Format, json, only, print};
use crate::query::resolve;
use crate::render::text;
use crate::view::EntityView;

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An entity: id, name or alias.
    pub entity: String,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub(super) fn run(ctx: &Context_, a: ShowArgs) -> Result<u8> {
    only(a.format, &[Format::Text, Format::Json])?;
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let e = resolve(g, &a.entity)?;
    match a.format {
        Format::Json => print(&json(&EntityView::new(g, e))?)?,
        _ => print(&text::entity(g, e))?,
    }
    Ok(0)
}
