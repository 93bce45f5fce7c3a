use anyhow::{Context, Result};
use clap::Args;

use super::Session;
use crate::web::reload::{self, Stamp};
use crate::web::{AppState, load_corpus, serve};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on; 127.0.0.1 keeps it to this machine.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Reload the --data folders when their files change; invalid data
    /// keeps the last good graph and shows the errors on every page.
    #[arg(long)]
    pub watch: bool,
}

pub(super) fn run(ctx: &Session, a: ServeArgs) -> Result<u8> {
    if a.watch && ctx.data.is_empty() {
        anyhow::bail!(
            "--watch needs --data DIR: the embedded dataset never changes (usage: jejaring --data DIR serve --watch)"
        );
    }
    // Stamped before loading, so an edit made during the load is seen.
    let stamp = Stamp::of(&ctx.data);
    let loaded = ctx.load()?;
    let mut state = AppState::new(loaded.graph);
    if let Some(dir) = &ctx.corpus {
        let g = state.graph();
        let (texts, warnings) = load_corpus(&g, dir);
        for w in &warnings {
            eprintln!("warning: {w}");
        }
        eprintln!(
            "corpus: {} source texts from {}",
            texts.len(),
            dir.display()
        );
        state = state.with_corpus(texts);
    }
    let local = a
        .addr
        .parse::<std::net::SocketAddr>()
        .map(|s| s.ip().is_loopback())
        .unwrap_or(a.addr.starts_with("localhost:"));
    if !local {
        eprintln!(
            "warning: listening on {} makes the explorer reachable from other machines; it has no authentication",
            a.addr
        );
    }
    if a.watch {
        reload::watch(state.clone(), ctx.data.clone(), stamp, reload::POLL);
        eprintln!(
            "jejaring: watching {} for changes",
            ctx.data
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    eprintln!("jejaring: serving on http://{}", a.addr);
    actix_web::rt::System::new()
        .block_on(serve(state, &a.addr))
        .with_context(|| format!("failed to serve on {}", a.addr))?;
    Ok(0)
}
