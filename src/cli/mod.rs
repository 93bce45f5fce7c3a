//! The command line: one file per subcommand, each parsing its options into
//! a query, calling one library function and printing the answer. Only this
//! module writes to the terminal.

mod chrono;
mod common;
mod export;
mod generate;
mod graph_out;
mod import;
mod ingest;
mod link;
mod neighbours;
mod path;
mod rank;
mod relations;
mod search;
mod serve;
mod show;
mod stats;
mod timeline;
mod validate;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use crate::dataset::{self, Loaded, Progress};
use crate::query::RequestError;

/// jejaring — explore who is connected to whom, through what, when, and on
/// whose word.
///
/// Without --data, the embedded default dataset (Indonesia's digital
/// cooperation with India, Russia and Japan) is used.
#[derive(Debug, Parser)]
#[command(name = "jejaring", version, max_term_width = 100)]
pub struct Args {
    /// A dataset folder (sources.csv, entities.csv, relations.csv); repeat
    /// to merge several. `embedded` names the embedded dataset.
    #[arg(long = "data", value_name = "DIR", global = true)]
    pub data: Vec<PathBuf>,
    /// Add the embedded dataset to the folders given with --data.
    #[arg(long, global = true)]
    pub with_default: bool,
    /// A folder with the sources' texts (the `file` column of sources.csv).
    #[arg(long, value_name = "DIR", global = true)]
    pub corpus: Option<PathBuf>,
    /// Keep snapshots of loaded graphs here, so the next load of the same
    /// unchanged CSV files skips parsing them (any size of data). Without
    /// it, datasets of 8 MiB of CSV or more are snapshotted in
    /// $XDG_CACHE_HOME/jejaring (or ~/.cache/jejaring).
    #[arg(long, value_name = "DIR", global = true, conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Neither read nor write snapshots: always parse the CSV files.
    #[arg(long, global = true)]
    pub no_cache: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the browser explorer (http://127.0.0.1:8080 by default).
    Serve(serve::ServeArgs),
    /// Search names and aliases, ranked and typo-tolerant.
    Search(search::SearchArgs),
    /// Show one entity: details, aliases, relations grouped by type.
    Show(show::ShowArgs),
    /// The entities within N hops of one, and the relations among them.
    #[command(alias = "neighbors")]
    Neighbours(neighbours::NeighboursArgs),
    /// Shortest connections between two entities, hop by hop with sources.
    Path(path::PathArgs),
    /// Write the graph or a neighbourhood for Gephi, networkx, Neo4j …
    Export(export::ExportArgs),
    /// Check the data; print every problem as FILE:LINE: message.
    Validate(validate::ValidateArgs),
    /// Counts of entities by kind and relations by type, connected
    /// components and the degree distribution.
    Stats(stats::StatsArgs),
    /// Entities ranked by degree, PageRank, betweenness or a column sum.
    Rank(rank::RankArgs),
    /// What several entities have in common (shared ties, interlocks).
    Common(common::CommonArgs),
    /// One entity's relations in date order, with sources.
    Timeline(timeline::TimelineArgs),
    /// Relations by type, role and time, a page at a time.
    Relations(relations::RelationsArgs),
    /// Write a synthetic dataset of a given size, for trying scale.
    Generate(generate::GenerateArgs),
    /// Propose rows from a news article for review, or apply a review.
    Ingest(ingest::IngestArgs),
    /// Turn tables (CSV, TSV, XLSX, ODS) or FollowTheMoney entities into a
    /// dataset folder.
    Import(import::ImportArgs),
    /// Propose pairs of entities that may be one across two datasets, as a
    /// review CSV of same_as rows.
    Link(link::LinkArgs),
}

/// Runs a parsed command line. Returns the exit code: 0 success, 1 the
/// query found nothing; errors (bad usage, bad data) are exit 2.
pub fn run(args: Args) -> Result<u8> {
    // The same folder twice would define every id twice: one error naming
    // the folder says what happened, not one per row.
    for (i, dir) in args.data.iter().enumerate() {
        let same = |d: &PathBuf| match (d.canonicalize(), dir.canonicalize()) {
            (Ok(a), Ok(b)) => a == b,
            _ => d == dir,
        };
        if args.data[..i].iter().any(same) {
            anyhow::bail!(
                "--data {} is given twice; give each dataset folder once",
                dir.display()
            );
        }
    }
    let mut data = args.data;
    if args.with_default && !data.is_empty() {
        data.insert(0, PathBuf::from(dataset::EMBEDDED));
    }
    let cache = match (args.no_cache, args.cache) {
        (true, _) => None,
        (false, Some(dir)) => Some(dataset::Cache { dir, always: true }),
        (false, None) => default_cache_dir().map(|dir| dataset::Cache { dir, always: false }),
    };
    let ctx = Session {
        data,
        corpus: args.corpus,
        cache,
    };
    match args.command {
        Command::Serve(a) => serve::run(&ctx, a),
        Command::Search(a) => search::run(&ctx, a),
        Command::Show(a) => show::run(&ctx, a),
        Command::Neighbours(a) => neighbours::run(&ctx, a),
        Command::Path(a) => path::run(&ctx, a),
        Command::Export(a) => export::run(&ctx, a),
        Command::Validate(a) => validate::run(&ctx, a),
        Command::Stats(a) => stats::run(&ctx, a),
        Command::Rank(a) => rank::run(&ctx, a),
        Command::Common(a) => common::run(&ctx, a),
        Command::Timeline(a) => timeline::run(&ctx, a),
        Command::Relations(a) => relations::run(&ctx, a),
        Command::Generate(a) => generate::run(a),
        Command::Ingest(a) => ingest::run(&ctx, a),
        Command::Import(a) => import::run(a),
        Command::Link(a) => link::run(&ctx, a),
    }
}

/// The default snapshot folder: `$XDG_CACHE_HOME/jejaring`, else
/// `~/.cache/jejaring`; none when neither is known.
fn default_cache_dir() -> Option<PathBuf> {
    let absolute = |v: std::ffi::OsString| Some(PathBuf::from(v)).filter(|p| p.is_absolute());
    std::env::var_os("XDG_CACHE_HOME")
        .and_then(absolute)
        .or_else(|| {
            std::env::var_os("HOME")
                .and_then(absolute)
                .map(|h| h.join(".cache"))
        })
        .map(|d| d.join("jejaring"))
}

/// What every subcommand shares: where the data is, and where snapshots go.
pub(crate) struct Session {
    pub data: Vec<PathBuf>,
    pub corpus: Option<PathBuf>,
    pub cache: Option<dataset::Cache>,
}

impl Session {
    /// Loads the datasets, with a progress bar on a terminal. Data errors
    /// are printed one per line and make the command fail (exit 2).
    pub(crate) fn load(&self) -> Result<Loaded> {
        let bar = ProgressBar::new();
        match dataset::load_cached(&self.data, self.cache.as_ref(), &bar) {
            Ok(l) => {
                bar.phase("graph built");
                bar.finish();
                for note in &l.notes {
                    eprintln!("warning: {note}");
                }
                if std::env::var_os("JEJARING_MEMORY").is_some_and(|v| v == "1") {
                    memory_report(&l.loaded.graph);
                }
                Ok(l.loaded)
            }
            Err(errors) => {
                bar.finish();
                for e in &errors.0 {
                    eprintln!("{e}");
                }
                let n = errors.0.len();
                anyhow::bail!(
                    "the data has {n} problem{}; nothing was loaded",
                    if n == 1 { "" } else { "s" }
                )
            }
        }
    }
}

impl Session {
    /// [`Session::load`] for a command that answers and exits: the graph
    /// is never freed, since the process ends right after and freeing a
    /// large graph piece by piece costs a noticeable share of a query.
    pub(crate) fn load_for_query(&self) -> Result<&'static Loaded> {
        Ok(Box::leak(Box::new(self.load()?)))
    }
}

/// With `JEJARING_MEMORY=1`: the bytes of each structure of the graph on
/// stderr, largest first, for finding where the memory goes.
fn memory_report(g: &crate::graph::Graph) {
    let parts = g.memory();
    let total: usize = parts.iter().map(|p| p.1).sum();
    for (name, bytes) in &parts {
        eprintln!(
            "memory: {name:<20} {:>8.1} MiB",
            *bytes as f64 / (1 << 20) as f64
        );
    }
    eprintln!(
        "memory: {:<20} {:>8.1} MiB",
        "total",
        total as f64 / (1 << 20) as f64
    );
}

/// A load progress bar on stderr when it is a terminal; nothing otherwise.
/// With `JEJARING_TIMINGS=1` in the environment, the time of each loading
/// step is printed to stderr (for measuring).
struct ProgressBar(Option<indicatif::ProgressBar>, Option<std::time::Instant>);

impl ProgressBar {
    fn new() -> Self {
        let timings = std::env::var_os("JEJARING_TIMINGS")
            .is_some_and(|v| v == "1")
            .then(std::time::Instant::now);
        ProgressBar(Self::bar(), timings)
    }

    fn bar() -> Option<indicatif::ProgressBar> {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} {msg} {human_pos} rows ({per_sec})",
                )
                .expect("valid template"),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            Some(bar)
        } else {
            None
        }
    }
    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

impl Progress for ProgressBar {
    fn file(&self, path: &str) {
        if let Some(b) = &self.0 {
            b.set_message(format!("reading {path}"));
        }
    }
    fn rows(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }
    fn phase(&self, name: &str) {
        if let Some(t) = self.1 {
            eprintln!(
                "timing: {name} at {:.3} s{}",
                t.elapsed().as_secs_f64(),
                resident()
            );
        }
    }
}

/// The resident set now and at its peak so far, as `, resident N MiB,
/// peak N MiB`, from `/proc/self/status` (Linux); empty elsewhere. Beside
/// each loading step's time, it shows which step holds the most memory.
fn resident() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let kib = |field: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(field))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<u64>().ok())
    };
    match (kib("VmRSS:"), kib("VmHWM:")) {
        (Some(now), Some(peak)) => {
            format!(", resident {} MiB, peak {} MiB", now >> 10, peak >> 10)
        }
        _ => String::new(),
    }
}

/// Output formats of query commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned, readable text, evidence under each hop.
    Text,
    /// The JSON shapes of the README.
    Json,
    /// One row per relation.
    Csv,
    /// A picture.
    Svg,
    /// Graphviz.
    Dot,
    /// The answer as a graph for Gephi (GEXF), to stdout or --out.
    Gexf,
    /// The answer as GraphML (networkx, igraph, yEd), to stdout or --out.
    Graphml,
    /// The answer as Gephi's nodes.csv and edges.csv, in the --out folder.
    Gephi,
}

/// Output formats of commands that write text or JSON only, so their
/// `--help` lists only what they write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    /// Aligned, readable text.
    Text,
    /// The JSON shapes of the README.
    Json,
}

impl From<TextFormat> for Format {
    fn from(f: TextFormat) -> Format {
        match f {
            TextFormat::Text => Format::Text,
            TextFormat::Json => Format::Json,
        }
    }
}

/// Says on stderr how each entity argument matched when it was a search
/// guess: never silent, and stdout stays the answer alone for pipes.
pub(crate) fn note_resolutions(
    g: &crate::graph::Graph,
    resolved: &crate::query::request::Resolutions,
) {
    for (_, r) in resolved {
        if let Some(notice) = crate::render::text::resolution_notice(g, r) {
            eprintln!("{notice}");
        }
    }
}

/// A request the core refused, named as the command line spells its
/// options: `--max-nodes` for `max_nodes`, `FROM` for a path's start.
/// The window's start is passed to the core as `--from` already.
pub(crate) fn refused(e: RequestError) -> anyhow::Error {
    let option = match e.param.as_str() {
        p if p.starts_with("--") => p.to_string(),
        "entity" => "ENTITY".to_string(),
        "entities" => "ENTITY".to_string(),
        "from" => "FROM".to_string(),
        "to" => "TO".to_string(),
        p => format!("--{}", p.replace('_', "-")),
    };
    anyhow::anyhow!("{option}: {}", e.message())
}

/// Refuses a format a command does not offer (for commands that write
/// some of the formats; those that write text or JSON alone take
/// [`TextFormat`], so their `--help` lists just those).
pub(crate) fn only(format: Format, allowed: &[Format]) -> Result<()> {
    if allowed.contains(&format) {
        return Ok(());
    }
    let name = |f: &Format| {
        f.to_possible_value()
            .expect("no skipped variants")
            .get_name()
            .to_string()
    };
    let names: Vec<String> = allowed.iter().map(name).collect();
    anyhow::bail!(
        "this command does not write --format {} (allowed: {})",
        name(&format),
        names.join(", ")
    )
}

/// The time options of every query that filters by time: a date, or a
/// window, and what to do with relations that have no date.
#[derive(Debug, Clone, clap::Args)]
pub struct TimeArgs {
    /// Only what held on this date (YYYY, YYYY-MM or YYYY-MM-DD); point
    /// events (signed, met_with …) on that date.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,
    /// Only what held during a window starting here.
    #[arg(long = "from", id = "window_from", value_name = "DATE")]
    pub from: Option<String>,
    /// … and ending here.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// `exclude` drops relations with no date of their own from a
    /// time-filtered answer (`include`, the default, keeps them).
    #[arg(long, value_name = "include|exclude")]
    pub undated: Option<String>,
}

impl TimeArgs {
    /// The core's time request.
    pub(crate) fn request(&self) -> crate::query::request::TimeRequest {
        crate::query::request::TimeRequest {
            at: self.at.clone(),
            from: self.from.clone(),
            until: self.until.clone(),
            undated: self.undated.clone(),
        }
    }
}

/// The name the core gives the start of a time window in messages.
pub(crate) const WINDOW_FROM: &str = "--from";

/// Writes to stdout, flushing once.
pub(crate) fn print(s: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(s.as_bytes())
        .context("failed to write to stdout")?;
    out.flush().context("failed to write to stdout")?;
    Ok(())
}

pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    crate::view::to_json(value).context("failed to write JSON")
}

/// Whether an error is a closed stdout (`jejaring … | head`): not a failure.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
