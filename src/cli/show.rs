use anyhow::Result;
use clap::Args;

use super::{Format, Session, TextFormat, json, print, refused};
use crate::query::Limits;
use crate::query::request::{DEFAULT_PER_PAGE, EntityRequest};
use crate::render::text;
use crate::view::{EntityView, resolved_args};

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// An entity: id, name or alias.
    pub entity: String,
    /// Which page of the relations (JSON; types in name order, then file
    /// order). The text lists them all.
    #[arg(long, default_value_t = 1)]
    pub page: usize,
    /// Relations per page (JSON); 0 for all on one page.
    #[arg(long, default_value_t = DEFAULT_PER_PAGE)]
    pub per_page: usize,
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

pub(super) fn run(ctx: &Session, a: ShowArgs) -> Result<u8> {
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let req = EntityRequest {
        entity: a.entity,
        page: a.page,
        per_page: a.per_page,
    };
    let q = req.validate_with(g, &Limits::CLI).map_err(refused)?;
    super::note_resolutions(g, &q.resolved);
    match Format::from(a.format) {
        Format::Json => {
            let mut v = EntityView::page(g, q.entity, &q.paging).map_err(refused)?;
            v.resolved = Some(resolved_args(g, &q.resolved));
            print(&json(&v)?)?
        }
        _ => print(&text::entity(g, q.entity))?,
    }
    Ok(0)
}
