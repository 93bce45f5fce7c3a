use anyhow::Result;
use clap::Args;

use super::{Context_, Format, json, only, print};
use crate::render::text;
use crate::view::{EntityView, resolved_args};

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
    let r = super::search::resolve_noting(g, &a.entity)?;
    let e = r.entity;
    match a.format {
        Format::Json => {
            let mut v = EntityView::new(g, e);
            v.resolved = Some(resolved_args(g, &[("entity", &r)]));
            print(&json(&v)?)?
        }
        _ => print(&text::entity(g, e))?,
    }
    Ok(0)
}
