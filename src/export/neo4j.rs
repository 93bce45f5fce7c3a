//! CSV files for `neo4j-admin database import full`, the way into a
//! database for graphs that outgrow one machine.
//!
//! - `nodes_<kind>.csv` per entity kind present: `id:ID` (one id space;
//!   the entity id is kept as the `id` property), `:LABEL` (`Entity` and
//!   the kind, e.g. `Entity|Person`), then typed properties.
//! - `relationships.csv`: `:START_ID,:END_ID,:TYPE` (the relation type as
//!   written in the data), then typed properties.
//! - `README.txt` with the exact import command.
//! - With metrics, node files end with `degree:int`, `pagerank:double`
//!   and `component:int`.
//!
//! Conventions: the array delimiter is `|` (aliases are `|`-separated in
//! the dataset, so no alias holds one); `start:date`/`end:date` are full
//! dates, a partial start widened to its first day and a partial end to its
//! last, with the dates as curated in `start_text`/`end_text`; an unknown
//! date is an empty cell, which the importer leaves out. Fields may hold
//! newlines, hence `--multiline-fields=true`. Cells are written as they
//! are (no formula neutralising): these files feed the importer, and an
//! apostrophe would be stored in the database.

use std::io::{self, Write};

use super::{
    Metrics, Subgraph, attr_columns, attr_value, first_day_iso, last_day_iso, metric_names,
    metric_values,
};
use crate::graph::Graph;
use crate::model::{Date, Kind};

/// The array delimiter the files use, passed to the importer.
pub const ARRAY_DELIMITER: char = '|';

/// One file of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum File {
    Nodes(Kind),
    Relationships,
    Readme,
}

impl File {
    pub fn name(&self) -> String {
        match self {
            File::Nodes(k) => format!("nodes_{}.csv", k.as_str()),
            File::Relationships => "relationships.csv".to_string(),
            File::Readme => "README.txt".to_string(),
        }
    }
}

/// The files of an export: a node file per kind present (in kind order),
/// the relationships, the README.
pub fn files(g: &Graph, sub: &Subgraph) -> Vec<File> {
    let mut out: Vec<File> = Kind::ALL
        .into_iter()
        .filter(|k| sub.nodes.iter().any(|&n| g.entity(n).kind == *k))
        .map(File::Nodes)
        .collect();
    out.push(File::Relationships);
    out.push(File::Readme);
    out
}

/// The import command for the files of an export, run from their folder.
pub fn import_command(g: &Graph, sub: &Subgraph) -> String {
    let mut cmd = format!(
        "neo4j-admin database import full --array-delimiter=\"{ARRAY_DELIMITER}\" --multiline-fields=true"
    );
    for f in files(g, sub) {
        match f {
            File::Nodes(_) => cmd.push_str(&format!(" --nodes={}", f.name())),
            File::Relationships => cmd.push_str(&format!(" --relationships={}", f.name())),
            File::Readme => {}
        }
    }
    cmd.push_str(" neo4j");
    cmd
}

const NODE_COLUMNS: &[&str] = &[
    "id:ID",
    ":LABEL",
    "name",
    "kind",
    "aliases:string[]",
    "country",
    "start:date",
    "end:date",
    "start_text",
    "end_text",
    "description",
];
const REL_COLUMNS: &[&str] = &[
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "id",
    "role",
    "start:date",
    "end:date",
    "start_text",
    "end_text",
    "source_id",
    "source_title",
    "source_published",
    "source_url",
    "evidence",
    "symmetric:boolean",
];

/// Property names the header grammar allows: no `:` (it starts the type)
/// and no leading or trailing space.
fn clean(name: &str) -> String {
    let s: String = name
        .trim()
        .chars()
        .map(|c| if c == ':' { '_' } else { c })
        .collect();
    if s.is_empty() { "attr".to_string() } else { s }
}

/// The property names (before any `:type`) of fixed columns.
fn names(columns: &'static [&'static str]) -> Vec<&'static str> {
    columns
        .iter()
        .map(|&c| c.split(':').next().unwrap_or(""))
        .filter(|n| !n.is_empty())
        .collect()
}

fn csv_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

fn opt(d: Option<Date>, f: fn(Date) -> String) -> String {
    d.map(f).unwrap_or_default()
}

fn label(kind: Kind) -> String {
    let s = kind.as_str();
    let mut c = s.chars();
    let first = c.next().map(|f| f.to_ascii_uppercase()).unwrap_or('X');
    format!("Entity{ARRAY_DELIMITER}{first}{}", c.as_str())
}

/// Writes one file of the export.
pub fn write(g: &Graph, sub: &Subgraph, file: &File, w: &mut impl Write) -> io::Result<()> {
    write_with(g, sub, None, file, w)
}

/// Writes one file of the export, the entities' metrics as typed
/// properties of the node files when given (aligned with `sub.nodes`).
pub fn write_with(
    g: &Graph,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
    file: &File,
    w: &mut impl Write,
) -> io::Result<()> {
    match *file {
        File::Nodes(kind) => write_nodes(g, sub, metrics, kind, w),
        File::Relationships => write_relationships(g, sub, w),
        File::Readme => write_readme(g, sub, w),
    }
}

fn write_nodes(
    g: &Graph,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
    kind: Kind,
    w: &mut impl Write,
) -> io::Result<()> {
    // Each entity of the kind with its position in the part, where its
    // metrics are.
    let nodes: Vec<(usize, u32)> = sub
        .nodes
        .iter()
        .copied()
        .enumerate()
        .filter(|&(_, n)| g.entity(n).kind == kind)
        .collect();
    let metric_cols = metric_names(metrics);
    let mut reserved = names(NODE_COLUMNS);
    reserved.extend(metric_cols);
    let extras = attr_columns(
        g,
        nodes.iter().map(|&(_, n)| &g.entity(n).attrs),
        &reserved,
        clean,
    );
    let mut out = csv::Writer::from_writer(w);
    let header = NODE_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(extras.iter().map(|(_, n)| n.clone()))
        .chain(metric_cols.iter().map(|&m| {
            let ty = if m == "pagerank" { "double" } else { "int" };
            format!("{m}:{ty}")
        }));
    out.write_record(header).map_err(csv_err)?;
    let label = label(kind);
    let delimiter = ARRAY_DELIMITER.to_string();
    for (i, n) in nodes {
        let e = g.entity(n);
        let aliases = e.aliases().join(&delimiter);
        let start = opt(e.start, first_day_iso);
        let end = opt(e.end, last_day_iso);
        let (start_text, end_text) = (
            opt(e.start, |d| d.to_string()),
            opt(e.end, |d| d.to_string()),
        );
        let mut cells: Vec<&str> = vec![
            &e.id(),
            &label,
            &e.name(),
            kind.as_str(),
            &aliases,
            e.country.map_or("", |c| g.str(c)),
            &start,
            &end,
            &start_text,
            &end_text,
            &e.description(),
        ];
        cells.extend(extras.iter().map(|(k, _)| attr_value(&e.attrs, *k)));
        let measured = metric_values(metrics, i);
        cells.extend(measured.iter().map(String::as_str));
        out.write_record(&cells).map_err(csv_err)?;
    }
    out.flush()
}

fn write_relationships(g: &Graph, sub: &Subgraph, w: &mut impl Write) -> io::Result<()> {
    let extras = attr_columns(
        g,
        sub.relations.iter().map(|&r| g.relation_attrs(r)),
        &names(REL_COLUMNS),
        clean,
    );
    let mut out = csv::Writer::from_writer(w);
    let header = REL_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(extras.iter().map(|(_, n)| n.clone()));
    out.write_record(header).map_err(csv_err)?;
    for &r in &sub.relations {
        let rel = g.relation(r);
        let evidence = g.try_evidence(r)?;
        let src = g.source(rel.source);
        let id = format!("r{r}");
        let start = opt(rel.start, first_day_iso);
        let end = opt(rel.end, last_day_iso);
        let (start_text, end_text) = (
            opt(rel.start, |d| d.to_string()),
            opt(rel.end, |d| d.to_string()),
        );
        let published = opt(src.published, |d| d.to_string());
        let mut cells: Vec<&str> = vec![
            &g.entity(rel.from).id(),
            &g.entity(rel.to).id(),
            g.str(rel.rel_type),
            &id,
            rel.role.map_or("", |s| g.str(s)),
            &start,
            &end,
            &start_text,
            &end_text,
            &src.id,
            &src.title,
            &published,
            &src.url,
            &evidence,
            if g.is_symmetric(rel.rel_type) {
                "true"
            } else {
                "false"
            },
        ];
        cells.extend(
            extras
                .iter()
                .map(|(k, _)| attr_value(g.relation_attrs(r), *k)),
        );
        out.write_record(&cells).map_err(csv_err)?;
    }
    out.flush()
}

fn write_readme(g: &Graph, sub: &Subgraph, w: &mut impl Write) -> io::Result<()> {
    writeln!(
        w,
        "jejaring export for Neo4j: {} entities, {} relations.",
        sub.nodes.len(),
        sub.relations.len()
    )?;
    writeln!(w)?;
    writeln!(
        w,
        "Import into a new database named neo4j, from this folder (add --overwrite-destination=true to replace one):"
    )?;
    writeln!(w)?;
    writeln!(w, "{}", import_command(g, sub))?;
    writeln!(w)?;
    writeln!(
        w,
        "Nodes carry the label Entity and one of their kind (Person, Organization, ...); relationship types are the relation types of the data (holds_position, met_with, ...)."
    )?;
    writeln!(
        w,
        "start/end are dates with partial dates widened (a start to its first day, an end to its last); start_text/end_text hold the dates as curated. An unknown date is absent."
    )?;
    writeln!(
        w,
        "Arrays (aliases, labels) use | as delimiter. Symmetric relation types (met_with, cooperates_with) are one relationship with symmetric=true."
    )
}
