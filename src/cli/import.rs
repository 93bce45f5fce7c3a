//! `jejaring import table|ftm`: other people's data into a dataset folder.
//! Parses the mapping flags, calls [`crate::import`], prints the mapping
//! used (to stdout, ready to save) and every problem as FILE:LINE.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::{Args, Subcommand};

use crate::error::DataError;
use crate::import::{self, Mapping, Written};

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub what: ImportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// CSV, TSV, XLSX, XLS or ODS tables: an edge list (a row a relation)
    /// and/or node tables (a row an entity). Columns not given are guessed;
    /// the mapping used is printed, ready to save and pass to --mapping.
    Table(Box<TableArgs>),
    /// A FollowTheMoney entity stream (JSON lines, as OpenSanctions
    /// publishes them).
    Ftm(FtmArgs),
}

#[derive(Debug, Args)]
pub struct TableArgs {
    /// The files to read; every sheet of a spreadsheet is a table.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The new dataset folder (must not exist, or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// A mapping file (TOML, as this command prints it); flags override it.
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// The column naming a relation's first entity.
    #[arg(long, value_name = "COL")]
    pub from: Option<String>,
    /// The column naming a relation's second entity.
    #[arg(long, value_name = "COL")]
    pub to: Option<String>,
    /// The column of relation types.
    #[arg(long = "type", value_name = "COL")]
    pub rel_type: Option<String>,
    /// One relation type for every row.
    #[arg(long, value_name = "TYPE", conflicts_with = "rel_type")]
    pub type_value: Option<String>,
    /// The kind of the first entities: a column, or a kind for all.
    #[arg(long, value_name = "COL|KIND")]
    pub from_kind: Option<String>,
    /// The kind of the second entities: a column, or a kind for all.
    #[arg(long, value_name = "COL|KIND")]
    pub to_kind: Option<String>,
    /// The column of source URLs or texts (a source per distinct value).
    #[arg(long, value_name = "COL")]
    pub source: Option<String>,
    /// One source text or URL for every row.
    #[arg(long, value_name = "TEXT", conflicts_with = "source")]
    pub source_value: Option<String>,
    #[arg(long, value_name = "COL")]
    pub role: Option<String>,
    #[arg(long, value_name = "COL")]
    pub start: Option<String>,
    #[arg(long, value_name = "COL")]
    pub end: Option<String>,
    /// A column of single dates (start and end both).
    #[arg(long, value_name = "COL")]
    pub date: Option<String>,
    #[arg(long, value_name = "COL")]
    pub evidence: Option<String>,
    /// Node tables: the id column other tables refer to.
    #[arg(long, value_name = "COL")]
    pub id: Option<String>,
    /// Node tables: the name column.
    #[arg(long, value_name = "COL")]
    pub name: Option<String>,
    /// Node tables: the kind column, or a kind for all.
    #[arg(long, value_name = "COL|KIND")]
    pub kind: Option<String>,
    /// Kinds as the data writes them to ours: `Org=organization`; repeat or
    /// separate with commas.
    #[arg(long, value_name = "FROM=TO", value_delimiter = ',')]
    pub kind_map: Vec<String>,
    /// Relation types as the data writes them to ours: `CEO=head_of`.
    #[arg(long, value_name = "FROM=TO", value_delimiter = ',')]
    pub type_map: Vec<String>,
    /// Write the valid rows anyway; the others go to rejects.csv.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct FtmArgs {
    /// The JSON-lines file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The new dataset folder (must not exist, or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write the valid entities and relations anyway; the others go to
    /// rejects.csv.
    #[arg(long)]
    pub force: bool,
}

pub(super) fn run(a: ImportArgs) -> Result<u8> {
    match a.what {
        ImportCommand::Table(t) => table(*t),
        ImportCommand::Ftm(f) => ftm(f),
    }
}

fn pairs(flag: &str, given: &[String]) -> Result<Vec<(String, String)>> {
    given
        .iter()
        .map(|p| {
            p.split_once('=')
                .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
                .with_context(|| format!("{flag} {p}: expected FROM=TO"))
        })
        .collect()
}

fn table(a: TableArgs) -> Result<u8> {
    let mut m = match &a.mapping {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the mapping file {}", p.display()))?;
            Mapping::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?
        }
        None => Mapping::default(),
    };
    let set = |slot: &mut Option<String>, v: Option<String>| {
        if v.is_some() {
            *slot = v;
        }
    };
    let e = &mut m.edges;
    set(&mut e.from, a.from);
    set(&mut e.to, a.to);
    if a.type_value.is_some() {
        e.rel_type = None;
    }
    set(&mut e.rel_type, a.rel_type);
    set(&mut e.type_value, a.type_value);
    set(&mut e.from_kind, a.from_kind);
    set(&mut e.to_kind, a.to_kind);
    if a.source_value.is_some() {
        e.source = None;
    }
    set(&mut e.source, a.source);
    set(&mut e.source_value, a.source_value);
    set(&mut e.role, a.role);
    set(&mut e.start, a.start);
    set(&mut e.end, a.end);
    set(&mut e.date, a.date);
    set(&mut e.evidence, a.evidence);
    let n = &mut m.nodes;
    set(&mut n.id, a.id);
    set(&mut n.name, a.name);
    set(&mut n.kind, a.kind);
    m.kind_map.extend(pairs("--kind-map", &a.kind_map)?);
    m.type_map.extend(pairs("--type-map", &a.type_map)?);
    let started = std::time::Instant::now();
    let done = import::import_table(&a.files, m, &a.out, a.force);
    println!("# The mapping used: save it, edit it, and pass it back with --mapping FILE.");
    print!("{}", done.mapping.to_toml());
    for n in &done.notes {
        eprintln!("{n} (warning)");
    }
    report(done.result, &a.out, started)
}

fn ftm(a: FtmArgs) -> Result<u8> {
    let started = std::time::Instant::now();
    let (read, result) = import::ftm::import_ftm(&a.file, &a.out, a.force);
    let schemata: Vec<String> = read
        .schemata
        .iter()
        .map(|(s, n)| format!("{s} {n}"))
        .collect();
    eprintln!("read {} entities: {}", read.lines, schemata.join(", "));
    if !read.unknown.is_empty() {
        let unknown: Vec<String> = read
            .unknown
            .iter()
            .map(|(s, n)| format!("{s} {n}"))
            .collect();
        eprintln!(
            "not imported, no mapping for these schemata: {} (warning)",
            unknown.join(", ")
        );
    }
    report(result, &a.out, started)
}

fn report(
    result: Result<Written, Vec<DataError>>,
    out: &std::path::Path,
    started: std::time::Instant,
) -> Result<u8> {
    match result {
        Ok(w) => {
            for warning in &w.warnings {
                eprintln!("{warning} (warning)");
            }
            if w.rejects > 0 {
                eprintln!(
                    "{} row{} with problems left out: see {}",
                    w.rejects,
                    if w.rejects == 1 { "" } else { "s" },
                    out.join("rejects.csv").display()
                );
            }
            eprintln!(
                "wrote {} entities, {} relations, {} sources to {} in {:.1} s; try `jejaring --data {} serve`",
                w.entities,
                w.relations,
                w.sources,
                out.display(),
                started.elapsed().as_secs_f64(),
                out.display()
            );
            Ok(0)
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            let n = errors.len();
            eprintln!(
                "{n} problem{}; nothing was written (--force writes the valid rows and lists the others in rejects.csv)",
                if n == 1 { "" } else { "s" }
            );
            Ok(2)
        }
    }
}
