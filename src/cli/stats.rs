use anyhow::Result;
use clap::Args;

use super::{Format, Session, json, only, print};
use crate::render::text;
use crate::view::StatsView;

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

pub(super) fn run(ctx: &Session, a: StatsArgs) -> Result<u8> {
    only(a.format, &[Format::Text, Format::Json])?;
    let loaded = ctx.load_for_query()?;
    let stats = StatsView::new(&loaded.graph);
    match a.format {
        Format::Json => print(&json(&stats)?)?,
        _ => print(&text::stats(&stats))?,
    }
    Ok(0)
}
