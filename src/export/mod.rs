//! Exports of the whole graph or a part of it, each format written to
//! `impl Write` through a real CSV or XML writer, in a stable order, so two
//! exports of the same data are byte-identical.
//!
//! Each format lives in its own file and knows nothing of paths: it writes
//! to the writer it is given. [`save`] is the one place that touches the
//! file system: every file is written to a temporary file beside its target
//! and renamed over it only when complete, so an interrupted export never
//! leaves a half-written file behind.
//!
//! Conventions shared by the formats (the README's "Exports" section says
//! the same for users):
//!
//! - Partial dates are widened where a format needs a full date: a start
//!   to its first day (`2025` → `2025-01-01`), an end to its last day
//!   (`2025-06` → `2025-06-30`). The date as curated is kept beside it
//!   (`start_text`, `end_text`).
//! - An unknown start or end is an open interval: omitted in GEXF and
//!   Neo4j, `-Infinity` / `Infinity` in Gephi's `timeset`.
//! - Extra columns of the dataset are exported under their own names; a
//!   name that clashes with one the format already uses gets an `attr_`
//!   prefix.
//! - With [`Metrics`] (`export --with-metrics`), GEXF, GraphML, Gephi's
//!   `nodes.csv`, JSON and Neo4j's node files give every entity three more
//!   columns after its own, declared and typed where the format declares
//!   columns: `degree` (integer), `pagerank` (double), `component`
//!   (integer, 0 the largest).
//!   They are the figures of the exported part, computed by
//!   [`crate::query::analysis::metrics()`]; the exporters only write them.

pub mod dot;
pub mod ftm;
pub mod gephi;
pub mod gexf;
pub mod graphml;
pub mod json;
pub mod neo4j;
pub mod parquet;
mod save;
mod xml;

pub use crate::query::analysis::Metrics;
pub use crate::query::subgraph::Subgraph;
pub use save::{save, save_with};

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::graph::Graph;
use crate::model::{Attrs, Date, Sym};

/// Neutralises a cell a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, tab or carriage return first) by putting an apostrophe in front;
/// spreadsheets show the text as typed and do not evaluate it. Dates and
/// numbers never start with these, so no real value is changed but
/// negative numbers and text that starts so.
pub fn safe_cell(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Gephi spreadsheet CSVs: `nodes.csv` and `edges.csv` (a folder; a zip on the web).
    Gephi,
    /// GEXF 1.3 with dynamic spells.
    Gexf,
    /// GraphML, typed keys.
    Graphml,
    /// The JSON shapes of the design: entities, relations, sources.
    Json,
    /// Graphviz DOT.
    Dot,
    /// CSVs for `neo4j-admin database import full` (a folder; a zip on the web).
    Neo4j,
    /// FollowTheMoney entities, one JSON object a line.
    Ftm,
    /// Apache Parquet: `nodes.parquet`, `edges.parquet`, `sources.parquet`
    /// (a folder; a zip on the web).
    Parquet,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 8] = [
        ExportFormat::Gephi,
        ExportFormat::Gexf,
        ExportFormat::Graphml,
        ExportFormat::Json,
        ExportFormat::Dot,
        ExportFormat::Neo4j,
        ExportFormat::Ftm,
        ExportFormat::Parquet,
    ];

    /// Whether the format can carry [`Metrics`] as entity columns: GEXF,
    /// GraphML, Gephi CSV, JSON and Neo4j. DOT (drawing attributes) and
    /// FollowTheMoney (a fixed schema of properties) cannot.
    pub fn takes_metrics(self) -> bool {
        matches!(
            self,
            ExportFormat::Gephi
                | ExportFormat::Gexf
                | ExportFormat::Graphml
                | ExportFormat::Json
                | ExportFormat::Neo4j
        )
    }

    /// Refuses metrics for a format that cannot carry them, naming those
    /// that can.
    pub fn check_metrics(self) -> Result<(), String> {
        if self.takes_metrics() {
            return Ok(());
        }
        Err(format!(
            "a {} export has no entity columns for metrics; they are written by gexf, graphml, gephi, json and neo4j",
            self.as_str()
        ))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Gephi => "gephi",
            ExportFormat::Gexf => "gexf",
            ExportFormat::Graphml => "graphml",
            ExportFormat::Json => "json",
            ExportFormat::Dot => "dot",
            ExportFormat::Neo4j => "neo4j",
            ExportFormat::Ftm => "ftm",
            ExportFormat::Parquet => "parquet",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let all: Vec<_> = ExportFormat::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown export format \"{s}\" (allowed: {})",
                    all.join(", ")
                )
            })
    }
}

/// An export as one download: the bytes, their media type, a file name.
#[derive(Debug, Clone)]
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

impl ExportFormat {
    /// Whether the format is a folder of files (`--out` names a folder; the
    /// web serves a zip).
    pub fn is_folder(self) -> bool {
        matches!(
            self,
            ExportFormat::Gephi | ExportFormat::Neo4j | ExportFormat::Parquet
        )
    }

    /// The usual file name extension of a single-file format.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Gephi | ExportFormat::Neo4j | ExportFormat::Parquet => "zip",
            ExportFormat::Gexf => "gexf",
            ExportFormat::Graphml => "graphml",
            ExportFormat::Json => "json",
            ExportFormat::Dot => "dot",
            ExportFormat::Ftm => "ftm.json",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Gephi | ExportFormat::Neo4j | ExportFormat::Parquet => "application/zip",
            ExportFormat::Gexf => "application/gexf+xml; charset=utf-8",
            ExportFormat::Graphml => "application/graphml+xml; charset=utf-8",
            ExportFormat::Json => "application/json",
            ExportFormat::Dot => "text/vnd.graphviz; charset=utf-8",
            ExportFormat::Ftm => "application/x-ndjson",
        }
    }
}

/// The files of an export, by name, in the order they are written. A
/// single-file format has one file named after the format.
pub fn file_names(g: &Graph, format: ExportFormat, sub: &Subgraph) -> Vec<String> {
    match format {
        ExportFormat::Gephi => gephi::FILES.iter().map(|f| f.to_string()).collect(),
        ExportFormat::Parquet => parquet::FILES.iter().map(|f| f.to_string()).collect(),
        ExportFormat::Neo4j => neo4j::files(g, sub)
            .iter()
            .map(|f| f.name().to_string())
            .collect(),
        other => vec![format!("jejaring.{}", other.extension())],
    }
}

/// Writes one file of an export (a name from [`file_names`]) to `w`.
pub fn write_file(
    g: &Graph,
    format: ExportFormat,
    sub: &Subgraph,
    name: &str,
    w: &mut (impl std::io::Write + Send),
) -> std::io::Result<()> {
    write_file_with(g, format, sub, None, name, w)
}

/// [`write_file`] with the entities' [`Metrics`] as columns, for the
/// formats that [take them](ExportFormat::takes_metrics); the others are
/// written as without.
pub fn write_file_with(
    g: &Graph,
    format: ExportFormat,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
    name: &str,
    w: &mut (impl std::io::Write + Send),
) -> std::io::Result<()> {
    match format {
        ExportFormat::Gephi => gephi::write_file_with(g, sub, metrics, name, w),
        ExportFormat::Parquet => parquet::write_file(g, sub, name, w),
        ExportFormat::Neo4j => {
            let file = neo4j::files(g, sub)
                .into_iter()
                .find(|f| f.name() == name)
                .ok_or_else(|| {
                    std::io::Error::new(
                        std::io::ErrorKind::NotFound,
                        format!("no file \"{name}\" in a neo4j export"),
                    )
                })?;
            neo4j::write_with(g, sub, metrics, &file, w)
        }
        ExportFormat::Gexf => gexf::write_with(g, sub, metrics, w),
        ExportFormat::Graphml => graphml::write_with(g, sub, metrics, w),
        ExportFormat::Json => json::write_with(g, sub, metrics, w),
        ExportFormat::Dot => dot::write(g, sub, w),
        ExportFormat::Ftm => ftm::write(g, sub, w),
    }
}

/// Renders an export in memory, for the web (folder formats as a zip of
/// their files, stored uncompressed, with a fixed timestamp so two downloads
/// of the same data are byte-identical).
pub fn download(g: &Graph, format: ExportFormat, sub: &Subgraph) -> std::io::Result<Download> {
    download_with(g, format, sub, None)
}

/// [`download`] with the entities' [`Metrics`] as columns.
pub fn download_with(
    g: &Graph,
    format: ExportFormat,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
) -> std::io::Result<Download> {
    let names = file_names(g, format, sub);
    let bytes = if format.is_folder() {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644);
        let mut buf = Vec::new();
        for name in &names {
            buf.clear();
            write_file_with(g, format, sub, metrics, name, &mut buf)?;
            zip.start_file(name.as_str(), options)
                .map_err(std::io::Error::other)?;
            std::io::Write::write_all(&mut zip, &buf)?;
        }
        zip.finish().map_err(std::io::Error::other)?.into_inner()
    } else {
        let mut bytes = Vec::new();
        write_file_with(g, format, sub, metrics, &names[0], &mut bytes)?;
        bytes
    };
    Ok(Download {
        bytes,
        content_type: format.content_type(),
        file_name: format!("jejaring-{}.{}", format.as_str(), format.extension()),
    })
}

/// The names of the metric columns, in the order they are written.
pub(crate) const METRIC_COLUMNS: [&str; 3] = ["degree", "pagerank", "component"];

/// The metric values of the `i`-th entity of a part, as text in the order
/// of [`METRIC_COLUMNS`]; nothing without metrics.
pub(crate) fn metric_values(metrics: Option<&Metrics>, i: usize) -> Vec<String> {
    match metrics {
        Some(m) => vec![
            m.degree[i].to_string(),
            m.pagerank[i].to_string(),
            m.component[i].to_string(),
        ],
        None => Vec::new(),
    }
}

/// The metric column names a format reserves: none without metrics.
pub(crate) fn metric_names(metrics: Option<&Metrics>) -> &'static [&'static str] {
    if metrics.is_some() {
        &METRIC_COLUMNS
    } else {
        &[]
    }
}

/// A partial date widened to the first day it may mean, as an ISO date
/// (`2025` → `2025-01-01`, `2025-06` → `2025-06-01`).
pub fn first_day_iso(d: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        d.year(),
        d.month().unwrap_or(1),
        d.day().unwrap_or(1)
    )
}

/// A partial date widened to the last day it may mean, as an ISO date
/// (`2025` → `2025-12-31`, `2024-02` → `2024-02-29`).
pub fn last_day_iso(d: Date) -> String {
    let (year, month, day) = last_day_of(d);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The last day a partial date may mean, as year, month and day.
pub(crate) fn last_day_of(d: Date) -> (u16, u8, u8) {
    let month = d.month().unwrap_or(12);
    let day = d.day().unwrap_or_else(|| {
        (28..=31)
            .rev()
            .find(|&day| Date::new(d.year(), month, day).is_some())
            .unwrap_or(28)
    });
    (d.year(), month, day)
}

/// The extra columns (attributes) present on some rows, in name order, each
/// with the name it is exported under: its own, or with `attr_` in front
/// while it clashes with a name the format uses (compared ignoring ASCII
/// case, as Gephi and spreadsheets do) or with another column.
pub(crate) fn attr_columns<'a>(
    g: &Graph,
    rows: impl IntoIterator<Item = &'a Attrs>,
    reserved: &[&str],
    clean: impl Fn(&str) -> String,
) -> Vec<(Sym, String)> {
    let mut names: BTreeMap<&str, Sym> = BTreeMap::new();
    for attrs in rows {
        for (k, _) in attrs.iter() {
            names.entry(g.str(*k)).or_insert(*k);
        }
    }
    let mut taken: Vec<String> = reserved.iter().map(|r| r.to_ascii_lowercase()).collect();
    names
        .into_iter()
        .map(|(name, sym)| {
            let mut out = clean(name);
            while taken.contains(&out.to_ascii_lowercase()) {
                out = format!("attr_{out}");
            }
            taken.push(out.to_ascii_lowercase());
            (sym, out)
        })
        .collect()
}

/// The value of one attribute of a row, empty when the row lacks it.
pub(crate) fn attr_value(attrs: &Attrs, key: Sym) -> &str {
    attrs
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, v)| &**v)
}

/// The sources the relations of a subgraph cite, by index in ascending
/// order; every source for the whole graph.
pub(crate) fn sources_of(g: &Graph, sub: &Subgraph) -> Vec<u32> {
    if sub.relations.len() == g.relations.len() && sub.nodes.len() == g.entities.len() {
        return (0..g.sources.len() as u32).collect();
    }
    let mut s: Vec<u32> = sub
        .relations
        .iter()
        .map(|&r| g.relation(r).source)
        .collect();
    s.sort_unstable();
    s.dedup();
    s
}
