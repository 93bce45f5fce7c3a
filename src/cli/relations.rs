//! `jejaring relations`: relations listed by type, role and time, a page
//! at a time ("every signing in 2025").

use anyhow::Result;
use clap::Args;

use super::{Format, Session, WINDOW_FROM, json, only, print, refused};
use crate::query::Limits;
use crate::query::analysis::request::DEFAULT_RELATIONS_LIMIT;
use crate::query::analysis::{RelationsRequest, relations};
use crate::render;
use crate::view::RelationsView;

#[derive(Debug, Args)]
pub struct RelationsArgs {
    /// Keep only relations of this type (repeat or comma-separate).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,
    /// Keep only relations whose role contains this, ignoring case.
    #[arg(long, default_value = "")]
    pub role: String,
    #[command(flatten)]
    pub time: super::TimeArgs,
    /// The most relations listed (up to 10000); 0 for 10000.
    #[arg(long, default_value_t = DEFAULT_RELATIONS_LIMIT)]
    pub limit: usize,
    /// How many matching relations to skip first.
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

impl RelationsArgs {
    pub(crate) fn request(&self) -> RelationsRequest {
        RelationsRequest {
            types: self.types.clone(),
            role: self.role.clone(),
            time: self.time.request(),
            limit: self.limit,
            offset: self.offset,
        }
    }
}

pub(super) fn run(ctx: &Session, a: RelationsArgs) -> Result<u8> {
    only(a.format, &[Format::Text, Format::Json, Format::Csv])?;
    let loaded = ctx.load_for_query()?;
    let g = &loaded.graph;
    let q = a
        .request()
        .validate_with(g, &Limits::CLI, WINDOW_FROM)
        .map_err(refused)?;
    let list = relations(g, &q).map_err(|e| refused(e.into()))?;
    let out = match a.format {
        Format::Json => json(&RelationsView::new(g, &list, q.limit))?,
        Format::Csv => render::csv::relations(g, list.relations.iter().map(|&r| (None, r)))?,
        _ => render::text::relations(g, &list),
    };
    print(&out)?;
    Ok(if list.total == 0 { 1 } else { 0 })
}
