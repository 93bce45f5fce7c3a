use anyhow::Result;
use clap::Args;

#[derive(Debug, Args)]
pub struct GenerateArgs {}

pub(super) fn run(_a: GenerateArgs) -> Result<u8> {
    anyhow::bail!("generate is being built")
}
