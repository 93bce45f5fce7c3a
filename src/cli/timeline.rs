//! `jejaring timeline ENTITY`: an entity's dated relations in date order,
//! each with its source; the undated ones after.

use anyhow::Result;
use clap::Args;

use super::{Format, Session, WINDOW_FROM, json, only, print, refused};
use crate::query::Limits;
use crate::query::analysis::{TimelineRequest, timeline};
use crate::render;
use crate::view::{TimelineView, resolved_args};

#[derive(Debug, Args)]
pub struct TimelineArgs {
    /// The entity: id, name or alias.
    pub entity: String,
    /// Keep only relations to entities of this kind (repeat or
    /// comma-separate).
    #[arg(long = "kind", value_name = "KIND")]
    pub kinds: Vec<String>,
    /// Keep only relations of this type (repeat or comma-separate).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    #[command(flatten)]
    pub time: super::TimeArgs,
    /// Which page of the timeline (dated relations, then undated).
    #[arg(long, default_value_t = 1)]
    pub page: usize,
    /// Relations per page; 0 for all.
    #[arg(long, default_value_t = crate::query::request::DEFAULT_PER_PAGE)]
    pub per_page: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl TimelineArgs {
    pub(crate) fn request(&self) -> TimelineRequest {
        TimelineRequest {
            entity: self.entity.clone(),
            kinds: self.kinds.clone(),
            types: self.types.clone(),
            time: self.time.request(),
            page: self.page,
            per_page: self.per_page,
        }
    }
}

pub(super) fn run(ctx: &Session, a: TimelineArgs) -> Result<u8> {
    only(a.format, &[Format::Text, Format::Json, Format::Csv])?;
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let q = a
        .request()
        .validate_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    super::note_resolutions(g, &q.resolved);
    let whole = timeline(g, q.entity, &q.filter).map_err(|e| refused(e.into()))?;
    let t = whole.page(&q.paging).map_err(refused)?;
    let out = match a.format {
        Format::Json => {
            let mut v = TimelineView::page(g, &whole, &q.paging).map_err(refused)?;
            v.resolved = Some(resolved_args(g, &q.resolved));
            json(&v)?
        }
        Format::Csv => render::csv::relations(
            g,
            t.dated.iter().chain(&t.undated).map(|e| (None, e.relation)),
        )?,
        _ => render::text::timeline(g, &t),
    };
    print(&out)?;
    Ok(0)
}
