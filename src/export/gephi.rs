//! Gephi's spreadsheet importer: `nodes.csv` and `edges.csv`.
//!
//! The columns Gephi gives meaning to come first (`Id,Label` for nodes;
//! `Source,Target,Type,Kind,Id,Label,Weight` for edges), then ours. Names
//! Gephi would mistake for its own (`source` as the edge's source node)
//! are avoided: the cited document is `source_id`.
//!
//! - `Type` is on every edge row: `Undirected` for symmetric relation
//!   types (`met_with`, `cooperates_with`), `Directed` for the rest.
//! - `Kind` is the relation type, so parallel edges of different types
//!   stay apart; `Weight` is always `1`.
//! - `timeset` is Gephi's interval syntax with ISO dates, `<[start, end]>`:
//!   partial dates widened (start to its first day, end to its last), an
//!   unknown bound written `-Infinity` / `Infinity`, the cell left empty
//!   when neither bound is known (no time: always there). Dates are never
//!   bare numbers, which Gephi would read as epoch milliseconds.
//! - With metrics, `nodes.csv` ends with `degree`, `pagerank` and
//!   `component` (numbers, which Gephi's importer reads as such).
//! - Every text cell goes through [`super::safe_cell`]: a cell a
//!   spreadsheet would run as a formula gets an apostrophe in front. Ids,
//!   sources and targets are changed alike, so edges still meet their nodes.

use std::io::{self, Write};

use super::{
    Metrics, Subgraph, attr_columns, attr_value, first_day_iso, last_day_iso, metric_names,
    metric_values, safe_cell,
};
use crate::graph::Graph;
use crate::model::Date;

/// The two files, in the order they are written.
pub const FILES: [&str; 2] = ["nodes.csv", "edges.csv"];

const NODE_COLUMNS: &[&str] = &[
    "Id",
    "Label",
    "kind",
    "country",
    "aliases",
    "description",
    "timeset",
    "start_text",
    "end_text",
];

const EDGE_COLUMNS: &[&str] = &[
    "Source",
    "Target",
    "Type",
    "Kind",
    "Id",
    "Label",
    "Weight",
    "timeset",
    "role",
    "start_text",
    "end_text",
    "source_id",
    "source_title",
    "source_published",
    "evidence",
];

/// Writes one of [`FILES`].
pub fn write_file(g: &Graph, sub: &Subgraph, name: &str, w: &mut impl Write) -> io::Result<()> {
    write_file_with(g, sub, None, name, w)
}

/// Writes one of [`FILES`], the entities' metrics as the last columns of
/// `nodes.csv` when given.
pub fn write_file_with(
    g: &Graph,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
    name: &str,
    w: &mut impl Write,
) -> io::Result<()> {
    match name {
        "nodes.csv" => write_nodes_with(g, sub, metrics, w),
        "edges.csv" => write_edges(g, sub, w),
        other => Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("no file \"{other}\" in a gephi export (nodes.csv, edges.csv)"),
        )),
    }
}

/// Gephi's interval for a span, empty when nothing is known.
pub fn timeset(start: Option<Date>, end: Option<Date>) -> String {
    if start.is_none() && end.is_none() {
        return String::new();
    }
    let lo = start.map_or_else(|| "-Infinity".to_string(), first_day_iso);
    let hi = end.map_or_else(|| "Infinity".to_string(), last_day_iso);
    format!("<[{lo}, {hi}]>")
}

fn opt_date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn csv_err(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Writes one row, every cell neutralised for spreadsheets.
fn row<W: Write>(out: &mut csv::Writer<W>, cells: &[&str]) -> io::Result<()> {
    out.write_record(cells.iter().map(|c| safe_cell(c).into_owned()))
        .map_err(csv_err)
}

/// Writes `nodes.csv`: one row per entity of the subgraph, in index order.
pub fn write_nodes(g: &Graph, sub: &Subgraph, w: &mut impl Write) -> io::Result<()> {
    write_nodes_with(g, sub, None, w)
}

/// Writes `nodes.csv`, the entities' metrics as its last columns when
/// given (aligned with `sub.nodes`).
pub fn write_nodes_with(
    g: &Graph,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
    w: &mut impl Write,
) -> io::Result<()> {
    let metric_cols = metric_names(metrics);
    let reserved: Vec<&str> = NODE_COLUMNS.iter().chain(metric_cols).copied().collect();
    let extras = attr_columns(
        g,
        sub.nodes.iter().map(|&n| &g.entity(n).attrs),
        &reserved,
        str::to_string,
    );
    let mut out = csv::Writer::from_writer(w);
    let mut header: Vec<&str> = NODE_COLUMNS.to_vec();
    header.extend(extras.iter().map(|(_, n)| n.as_str()));
    header.extend(metric_cols);
    row(&mut out, &header)?;
    for (i, &n) in sub.nodes.iter().enumerate() {
        let e = g.entity(n);
        let aliases = e.aliases().join("|");
        let ts = timeset(e.start, e.end);
        let (start, end) = (opt_date(e.start), opt_date(e.end));
        let mut cells: Vec<&str> = vec![
            &e.id(),
            &e.name(),
            e.kind.as_str(),
            e.country.map_or("", |c| g.str(c)),
            &aliases,
            &e.description(),
            &ts,
            &start,
            &end,
        ];
        cells.extend(extras.iter().map(|(k, _)| attr_value(&e.attrs, *k)));
        let measured = metric_values(metrics, i);
        cells.extend(measured.iter().map(String::as_str));
        row(&mut out, &cells)?;
    }
    out.flush()
}

/// Writes `edges.csv`: one row per relation of the subgraph, in index
/// order, with the id `r{index}` the other formats use too.
pub fn write_edges(g: &Graph, sub: &Subgraph, w: &mut impl Write) -> io::Result<()> {
    let extras = attr_columns(
        g,
        sub.relations.iter().map(|&r| g.relation_attrs(r)),
        EDGE_COLUMNS,
        str::to_string,
    );
    let mut out = csv::Writer::from_writer(w);
    let mut header: Vec<&str> = EDGE_COLUMNS.to_vec();
    header.extend(extras.iter().map(|(_, n)| n.as_str()));
    row(&mut out, &header)?;
    for &r in &sub.relations {
        let rel = g.relation(r);
        let evidence = g.try_evidence(r)?;
        let src = g.source(rel.source);
        let id = format!("r{r}");
        let ts = timeset(rel.start, rel.end);
        let (start, end) = (opt_date(rel.start), opt_date(rel.end));
        let published = opt_date(src.published);
        let ty = g.str(rel.rel_type);
        let mut cells: Vec<&str> = vec![
            &g.entity(rel.from).id(),
            &g.entity(rel.to).id(),
            if g.is_symmetric(rel.rel_type) {
                "Undirected"
            } else {
                "Directed"
            },
            ty,
            &id,
            ty,
            "1",
            &ts,
            rel.role.map_or("", |s| g.str(s)),
            &start,
            &end,
            &src.id,
            &src.title,
            &published,
            &evidence,
        ];
        cells.extend(
            extras
                .iter()
                .map(|(k, _)| attr_value(g.relation_attrs(r), *k)),
        );
        row(&mut out, &cells)?;
    }
    out.flush()
}
