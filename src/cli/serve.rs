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
    /// How much the server logs to stderr: error, warn, info or debug.
    #[arg(long, value_enum, default_value_t = LogLevel::Info)]
    pub log_level: LogLevel,
}

/// The levels `serve --log-level` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
}

impl LogLevel {
    fn filter(self) -> tracing::level_filters::LevelFilter {
        use tracing::level_filters::LevelFilter;
        match self {
            LogLevel::Error => LevelFilter::ERROR,
            LogLevel::Warn => LevelFilter::WARN,
            LogLevel::Info => LevelFilter::INFO,
            LogLevel::Debug => LevelFilter::DEBUG,
        }
    }
}

/// Sends the server's log to stderr at a level. A second call (tests that
/// serve twice in one process) keeps the first subscriber.
fn init_logging(level: LogLevel) {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level.filter())
        .with_target(false)
        .try_init();
}

pub(super) fn run(ctx: &Session, a: ServeArgs) -> Result<u8> {
    init_logging(a.log_level);
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
            tracing::warn!("{w}");
        }
        tracing::info!(
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
        tracing::warn!(
            "listening on {} makes the explorer reachable from other machines; it has no authentication",
            a.addr
        );
    }
    if a.watch {
        reload::watch(
            state.clone(),
            ctx.data.clone(),
            ctx.cache.clone(),
            stamp,
            reload::POLL,
        );
        tracing::info!(
            "watching {} for changes",
            ctx.data
                .iter()
                .map(|d| d.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    actix_web::rt::System::new()
        .block_on(serve(state, &a.addr))
        .with_context(|| format!("failed to serve on {}", a.addr))?;
    Ok(0)
}
