use anyhow::Result;
use clap::Args;

use super::Context_;

#[derive(Debug, Args)]
pub struct ExportArgs {}

pub(super) fn run(_ctx: &Context_, _a: ExportArgs) -> Result<u8> {
    anyhow::bail!("export is being built")
}
