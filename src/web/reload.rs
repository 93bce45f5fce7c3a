//! `serve --watch`: polls the dataset folders' three files and, once a
//! change has settled, loads the new data on this background thread and
//! swaps it in. Requests in flight keep the graph they started with (they
//! hold an `Arc` of it). Invalid new data never replaces good data: the old
//! graph stays, every error is logged as `PATH:LINE: message`, and the
//! banner on every page lists them until a later load succeeds.
//!
//! A reload of a big dataset takes a core for seconds (two while it reads
//! relations in halves), on a machine whose cores are serving requests:
//! the watcher thread runs at a lower priority ([`RELOAD_NICE`]; the
//! loader's threads inherit it), so requests go first and the reload
//! takes the time they leave. The graph it replaces is freed on this
//! thread too, once the last request holding it is done, never by a
//! request that happened to hold it last.
//!
//! This module only reads the files; it never writes, moves or locks them.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::AppState;
use crate::dataset::{self, ENTITIES, RELATIONS, SOURCES};

/// How often the files are looked at.
pub const POLL: Duration = Duration::from_millis(500);
/// The most errors the banner lists; the rest are counted.
pub const BANNER_LINES: usize = 50;
/// The niceness of the watcher thread (and the loader threads it
/// starts), Linux only: 10 gives it about a tenth of a core that requests
/// want, and all of one they leave idle.
pub const RELOAD_NICE: i32 = 10;
/// How long a replaced graph may stay held by requests in flight before
/// the watcher stops waiting to free it itself (the requests are bounded
/// by the pool's deadlines, well below this).
const RELEASE_WAIT: Duration = Duration::from_secs(60);

/// What the three files of every folder look like now: modification time
/// and size, or `None` when a file is missing or unreadable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp(Vec<Option<(SystemTime, u64)>>);

impl Stamp {
    pub fn of(dirs: &[PathBuf]) -> Stamp {
        Stamp(
            dirs.iter()
                .flat_map(|d| [SOURCES, ENTITIES, RELATIONS].map(|f| d.join(f)))
                .map(|p| {
                    std::fs::metadata(&p)
                        .ok()
                        .map(|m| (m.modified().unwrap_or(SystemTime::UNIX_EPOCH), m.len()))
                })
                .collect(),
        )
    }
}

/// Starts the watcher thread. `loaded` is the stamp of the files the
/// current graph was read from (taken before that load, so a change made
/// during it is not missed).
/// Snapshots are read and written in `cache` as for the first load.
pub fn watch(
    state: AppState,
    dirs: Vec<PathBuf>,
    cache: Option<dataset::Cache>,
    loaded: Stamp,
    poll: Duration,
) {
    std::thread::Builder::new()
        .name("jejaring-watch".into())
        .spawn(move || {
            lower_priority();
            watch_loop(&state, &dirs, cache.as_ref(), loaded, poll)
        })
        .expect("the watcher thread starts");
}

fn watch_loop(
    state: &AppState,
    dirs: &[PathBuf],
    cache: Option<&dataset::Cache>,
    mut loaded: Stamp,
    poll: Duration,
) {
    let mut seen = loaded.clone();
    loop {
        std::thread::sleep(poll);
        let now = Stamp::of(dirs);
        if now != seen {
            // Still being written (or just saved): wait until the files
            // are unchanged for one whole poll, so a half-saved file is
            // never loaded.
            seen = now;
            continue;
        }
        if now == loaded {
            continue;
        }
        reload(state, dirs, cache);
        loaded = now;
    }
}

/// Loads the folders and swaps the new graph in, or keeps the old one and
/// shows the errors. Returns whether the new data was taken. The old graph
/// is served until the new one is built (from CSV, or from a snapshot in
/// `cache` when one matches the files), then swapped in at once; the
/// replaced graph is freed here once no request holds it (see [`release`]),
/// so this runs on the watcher thread, never on a request's.
fn reload(state: &AppState, dirs: &[PathBuf], cache: Option<&dataset::Cache>) -> bool {
    let started = std::time::Instant::now();
    let result = std::panic::catch_unwind(|| dataset::load_cached(dirs, cache, &dataset::Quiet));
    let errors: Vec<String> = match result {
        Ok(Ok(cached)) => {
            for note in &cached.notes {
                tracing::warn!("{note}");
            }
            let l = cached.loaded;
            for w in &l.warnings {
                tracing::warn!("{w}");
            }
            let (n, m) = (l.graph.entities.len(), l.graph.relations.len());
            let g = Arc::new(l.graph);
            let old = state.graph.swap(g.clone());
            // Derived here, off the request path, so the first page after a
            // reload is as quick as any other.
            state.derived(&g);
            state.banner.store(None);
            tracing::info!(
                "reloaded {n} entities and {m} relations in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            release(old);
            return true;
        }
        Ok(Err(e)) => e.0.iter().map(|e| e.to_string()).collect(),
        Err(_) => vec!["the loader failed unexpectedly; this is a bug in jejaring".into()],
    };
    for e in &errors {
        tracing::error!("{e}");
    }
    tracing::warn!(
        "the changed data has {} problem{}; still serving the last good data",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    );
    state.banner.store(Some(Arc::new(banner(&errors))));
    false
}

/// Lowers the calling thread's priority to [`RELOAD_NICE`] (threads it
/// starts inherit it). Elsewhere than Linux, nothing: there the priority
/// is the process's, not the thread's.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        // On Linux, PRIO_PROCESS with a thread id sets that thread's
        // niceness only.
        let tid = rustix::thread::gettid();
        let done = rustix::process::setpriority_process(Some(tid), RELOAD_NICE);
        if let Err(e) = done {
            tracing::debug!("the reload thread keeps its priority: {e}");
        }
    }
}

/// Frees a replaced graph on this thread: waits (polling) until the
/// requests that started with it are done, then drops it. Freeing a
/// million entities' strings takes a fraction of a second that a request
/// holding the last reference would otherwise spend before answering.
fn release(old: Arc<crate::graph::Graph>) {
    let waited = std::time::Instant::now();
    while Arc::strong_count(&old) > 1 && waited.elapsed() < RELEASE_WAIT {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(old);
}

/// The banner text: a summary line, then the errors, one per line.
pub fn banner(errors: &[String]) -> String {
    let n = errors.len();
    let mut s = format!(
        "The dataset files were changed but have {n} problem{}; still showing the last good data until they are fixed:",
        if n == 1 { "" } else { "s" }
    );
    for e in errors.iter().take(BANNER_LINES) {
        s.push('\n');
        s.push_str(e);
    }
    if n > BANNER_LINES {
        s.push_str(&format!("\n… and {} more", n - BANNER_LINES));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banner_lists_at_most_fifty_errors_and_counts_the_rest() {
        let errors: Vec<String> = (1..=60)
            .map(|i| format!("x/relations.csv:{i}: bad"))
            .collect();
        let b = banner(&errors);
        assert!(b.contains("60 problems"));
        assert!(b.contains("x/relations.csv:50: bad"));
        assert!(!b.contains("x/relations.csv:51: bad"));
        assert!(b.ends_with("… and 10 more"));
        assert!(banner(&errors[..1]).contains("1 problem;"));
    }
}
