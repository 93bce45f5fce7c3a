use anyhow::{Context, Result};
use clap::Args;

use super::Session;
use crate::web::edit::Editing;
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
    /// Add articles in the browser (/edit): paste or upload one, review
    /// what it proposes, append the accepted rows to the one --data
    /// folder. Only on a loopback address (127.0.0.1, ::1).
    #[arg(long)]
    pub edit: bool,
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
    let editing = if a.edit {
        Some(edit_folder(ctx, &a.addr)?)
    } else {
        None
    };
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
    if let Some(dir) = editing {
        let e = Editing::new(dir, a.watch).map_err(anyhow::Error::msg)?;
        tracing::info!(
            "editing is on: http://{}/edit appends reviewed rows to {}",
            a.addr,
            e.dir.display()
        );
        state = state.with_edit(e);
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

/// The folder `serve --edit` writes to: the one --data folder, never the
/// embedded dataset; and the address must be a loopback one, as the
/// editor has no accounts.
fn edit_folder(ctx: &Session, addr: &str) -> Result<std::path::PathBuf> {
    let loopback = addr
        .parse::<std::net::SocketAddr>()
        .is_ok_and(|s| s.ip().is_loopback());
    if !loopback {
        anyhow::bail!(
            "--edit serves only on a loopback address (e.g. --addr 127.0.0.1:8080), not {addr}: anyone who can reach the server could write to the data"
        );
    }
    match ctx.data.as_slice() {
        [dir] if dir.as_os_str() != crate::dataset::EMBEDDED => Ok(dir.clone()),
        [] => anyhow::bail!(
            "--edit needs --data DIR, the folder to write to: the embedded dataset cannot be changed (usage: jejaring --data DIR serve --edit)"
        ),
        _ => anyhow::bail!(
            "--edit writes to one dataset folder: give exactly one --data DIR, not the embedded dataset"
        ),
    }
}
