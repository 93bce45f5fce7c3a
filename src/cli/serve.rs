use anyhow::Result;
use clap::Args;

use super::Context_;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; 127.0.0.1 keeps it to this machine.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
}

pub(super) fn run(_ctx: &Context_, _a: ServeArgs) -> Result<u8> {
    anyhow::bail!("serve is being built")
}
