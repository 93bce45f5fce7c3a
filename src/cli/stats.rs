use anyhow::Result;
use clap::Args;

use super::{Format, Session, TextFormat, json, print};
use crate::render::text;
use crate::view::StatsView;

#[derive(Debug, Args)]
pub struct StatsArgs {
    #[arg(long, value_enum, default_value_t = TextFormat::Text)]
    pub format: TextFormat,
}

pub(super) fn run(ctx: &Session, a: StatsArgs) -> Result<u8> {
    let loaded = ctx.load_for_query()?;
    let stats = StatsView::new(&loaded.graph);
    match Format::from(a.format) {
        Format::Json => print(&json(&stats)?)?,
        _ => print(&text::stats(&stats))?,
    }
    Ok(0)
}
