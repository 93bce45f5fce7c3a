//! Bringing one's own data: other people's tables and FollowTheMoney
//! entity streams turned into dataset folders that [`crate::dataset`]
//! loads.
//!
//! - `table` — CSV/TSV (streamed) and XLSX/XLS/ODS (calamine) as rows of
//!   text cells, with their lines (and sheet).
//! - `mapping` — which column means what: flags, a TOML file, or guessed
//!   from headers; always printable as TOML for the next run.
//! - [`slug`] — ids made from names, stable and collision-safe.
//! - [`dates`] — spreadsheet dates to ISO when there is one reading only.
//! - [`ftm`] — FollowTheMoney JSON lines (OpenSanctions) to our kinds and
//!   relation types.
//! - `writer` — the three files streamed to a temporary folder, every row
//!   checked as it is written by the rules the loader reads it with, then
//!   renamed into place: nothing is written unless the whole import is
//!   valid.
//!
//! Like loading, an import reports every problem as `FILE:LINE: message`
//! (a spreadsheet's sheet in brackets after the file) in one run. With
//! `force`, rows with problems are left out, listed in `rejects.csv`, and
//! the rest is written.

pub mod dates;
pub mod ftm;
pub mod link;
pub mod mapping;
pub mod slug;
pub mod table;
mod writer;

pub use mapping::Mapping;
pub use writer::{Written, check_target};

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::error::DataError;
use crate::model::Kind;
use mapping::{column, fold};
use slug::Slugs;
use writer::Staging;

/// The outcome of an import: what was written, or every problem.
#[derive(Debug)]
pub struct Imported {
    /// The mapping used, guessed parts filled in.
    pub mapping: Mapping,
    pub result: Result<Written, Vec<DataError>>,
    /// Problems that did not stop the import (an unknown type kept, …).
    pub notes: Vec<String>,
}

/// Imports tables into a new dataset folder `out`. Both edge tables (a
/// row a relation) and node tables (a row an entity) may be given, in any
/// files, sheets included.
pub fn import_table(files: &[PathBuf], mapping: Mapping, out: &Path, force: bool) -> Imported {
    let mut mapping = mapping;
    if let Err(e) = writer::check_target(out) {
        return Imported {
            mapping,
            result: Err(vec![e]),
            notes: Vec::new(),
        };
    }
    // First the headers alone, to guess the mapping and fix the columns.
    let mut heads = Headers::default();
    for f in files {
        table::read(f, &mut heads);
    }
    mapping.guess(&heads.0.iter().map(|(_, h)| h.clone()).collect::<Vec<_>>());
    let mut im = TableImport::new(mapping, &heads.0);
    let mut ent_header: Vec<String> = crate::dataset::columns::ENTITIES
        .iter()
        .map(|s| s.to_string())
        .collect();
    ent_header.extend(im.ent_extras.iter().cloned());
    let staging = Staging::new(out, &im.rel_header, &ent_header);
    let mut staging = match staging {
        Ok(s) => s,
        Err(e) => {
            return Imported {
                mapping: im.mapping,
                result: Err(vec![e]),
                notes: Vec::new(),
            };
        }
    };
    // Node tables first, so edges can name their entities by id or name.
    for pass in [Pass::Nodes, Pass::Edges] {
        im.pass = pass;
        for f in files {
            let mut reader = Reading {
                im: &mut im,
                staging: &mut staging,
                current: None,
            };
            table::read(f, &mut reader);
        }
    }
    im.finish(staging, force)
}

#[derive(Default)]
struct Headers(Vec<(String, Vec<String>)>);

impl table::Rows for Headers {
    fn header(&mut self, table: &str, header: &[String]) -> bool {
        self.0.push((table.to_string(), header.to_vec()));
        false
    }
    fn row(&mut self, _: &str, _: u64, _: &[&str]) {}
    fn error(&mut self, _: DataError) {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Nodes,
    Edges,
}

/// `by_name`'s mark for a name that more than one node names.
const AMBIGUOUS: u32 = u32::MAX;

/// A mapped column: where it is in the current table, or a value for all
/// rows.
#[derive(Debug, Clone)]
enum Cellref {
    Col(usize),
    Value(String),
    None,
}

impl Cellref {
    fn get<'a>(&'a self, cells: &[&'a str]) -> &'a str {
        match self {
            Cellref::Col(i) => cells[*i],
            Cellref::Value(v) => v,
            Cellref::None => "",
        }
    }
}

/// How the current table's columns map.
struct Layout {
    pass: Pass,
    /// Edge: from, to, type, from_kind, to_kind, source, role, start, end,
    /// date, evidence. Node: id, name, kind, aliases, country, start, end,
    /// description.
    refs: Vec<Cellref>,
    /// Extra columns: (index in the table, index in the output's extras).
    extras: Vec<(usize, usize)>,
}

struct TableImport {
    mapping: Mapping,
    pass: Pass,
    rel_header: Vec<String>,
    rel_extras: Vec<String>,
    ent_extras: Vec<String>,
    has_nodes: bool,
    /// Entity ids and names as written, by index.
    ids: Vec<Box<str>>,
    names: Vec<Box<str>>,
    by_id: FxHashMap<Box<str>, u32>,
    /// Names to entities; [`AMBIGUOUS`] for a name of several nodes.
    by_name: FxHashMap<Box<str>, u32>,
    slugs: Slugs,
    /// Relation types as the data writes them, to ours (an index in
    /// `types`, and whether it is in the vocabulary).
    type_of: FxHashMap<Box<str>, (u32, bool)>,
    /// Kind cells as the data writes them, to ours (at most 1024 kept).
    kind_of: FxHashMap<Box<str>, Result<Kind, String>>,
    types: Vec<String>,
    source_ids: Slugs,
    /// Sources by the cell naming them, or by the file citing them (for
    /// an empty cell), to an index in `source_list`.
    source_by_cell: FxHashMap<Box<str>, u32>,
    source_by_file: FxHashMap<Box<str>, u32>,
    source_list: Vec<Box<str>>,
    errors: Vec<DataError>,
    off_vocabulary: BTreeMap<String, (String, u64)>,
    notes: Vec<String>,
    dates: dates::Memo,
}

const EDGE_FIELDS: [&str; 11] = [
    "from",
    "to",
    "type",
    "from_kind",
    "to_kind",
    "source",
    "role",
    "start",
    "end",
    "date",
    "evidence",
];
const NODE_FIELDS: [&str; 8] = [
    "id",
    "name",
    "kind",
    "aliases",
    "country",
    "start",
    "end",
    "description",
];

impl TableImport {
    fn new(mapping: Mapping, heads: &[(String, Vec<String>)]) -> TableImport {
        let mut rel_extras: Vec<String> = Vec::new();
        let mut ent_extras: Vec<String> = Vec::new();
        let mut has_nodes = false;
        let known_rel = crate::dataset::columns::RELATIONS;
        let known_ent = crate::dataset::columns::ENTITIES;
        for (_, h) in heads {
            let edges = mapping.is_edges(h);
            has_nodes |= !edges;
            let mapped: Vec<&Option<String>> = if edges {
                edge_slots(&mapping).into_iter().collect()
            } else {
                node_slots(&mapping).into_iter().collect()
            };
            let (extras, known) = if edges {
                (&mut rel_extras, known_rel)
            } else {
                (&mut ent_extras, known_ent)
            };
            for col in h {
                let is_mapped = mapped
                    .iter()
                    .any(|m| m.as_deref().is_some_and(|m| fold(m) == fold(col)));
                let name = extra_name(col, known);
                if !is_mapped && !extras.contains(&name) {
                    extras.push(name);
                }
            }
        }
        let mut rel_header: Vec<String> = known_rel.iter().map(|s| s.to_string()).collect();
        rel_header.extend(rel_extras.iter().cloned());
        TableImport {
            mapping,
            pass: Pass::Nodes,
            rel_header,
            rel_extras,
            ent_extras,
            has_nodes,
            ids: Vec::new(),
            names: Vec::new(),
            by_id: FxHashMap::default(),
            by_name: FxHashMap::default(),
            slugs: Slugs::default(),
            type_of: FxHashMap::default(),
            kind_of: FxHashMap::default(),
            types: Vec::new(),
            source_ids: Slugs::default(),
            source_by_cell: FxHashMap::default(),
            source_by_file: FxHashMap::default(),
            source_list: Vec::new(),
            errors: Vec::new(),
            off_vocabulary: BTreeMap::new(),
            notes: Vec::new(),
            dates: dates::Memo::default(),
        }
    }

    /// Maps a table's header, or says what is missing.
    fn layout(&mut self, table: &str, header: &[String]) -> Option<Layout> {
        let edges = self.mapping.is_edges(header);
        let pass = if edges { Pass::Edges } else { Pass::Nodes };
        if pass != self.pass {
            return None;
        }
        let (slots, fields, extras_out): (Vec<Option<String>>, &[&str], &Vec<String>) = if edges {
            (
                edge_slots(&self.mapping).into_iter().cloned().collect(),
                &EDGE_FIELDS,
                &self.rel_extras,
            )
        } else {
            (
                node_slots(&self.mapping).into_iter().cloned().collect(),
                &NODE_FIELDS,
                &self.ent_extras,
            )
        };
        let present =
            |slot: &Option<String>| slot.as_deref().is_some_and(|c| column(header, c).is_some());
        if !edges && !present(&slots[0]) && !present(&slots[1]) {
            self.errors.push(DataError::at(
                table,
                1,
                format!(
                    "neither an edge list nor a node table: its columns are {}. An edge list \
                     needs two columns naming the ends of each relation (give them with \
                     --from COL --to COL); a node table needs a name column (--name COL)",
                    header.join(", ")
                ),
            ));
            return None;
        }
        let mut refs = Vec::with_capacity(fields.len());
        let mut ok = true;
        for (slot, field) in slots.iter().zip(fields) {
            let r = match slot {
                None => Cellref::None,
                Some(c) => match column(header, c) {
                    Some(i) => Cellref::Col(i),
                    // Kinds may be a value for every row.
                    None if matches!(*field, "from_kind" | "to_kind" | "kind") => {
                        Cellref::Value(c.clone())
                    }
                    None => {
                        let hint =
                            crate::text::did_you_mean_hint(c, header.iter().map(String::as_str));
                        self.errors.push(DataError::at(
                            table,
                            1,
                            format!(
                                "no column \"{c}\" (mapped as {}.{field}){hint}; the columns are {}",
                                if edges { "edges" } else { "nodes" },
                                header.join(", ")
                            ),
                        ));
                        ok = false;
                        Cellref::None
                    }
                },
            };
            refs.push(r);
        }
        if edges {
            // A type or source given as one value for all rows.
            if matches!(refs[2], Cellref::None) {
                refs[2] = Cellref::Value(
                    self.mapping
                        .edges
                        .type_value
                        .clone()
                        .unwrap_or_else(|| mapping::DEFAULT_TYPE.to_string()),
                );
            }
            if let (Cellref::None, Some(v)) = (&refs[5], &self.mapping.edges.source_value) {
                refs[5] = Cellref::Value(v.clone());
            }
        }
        let used: Vec<usize> = refs
            .iter()
            .filter_map(|r| match r {
                Cellref::Col(i) => Some(*i),
                _ => None,
            })
            .collect();
        let known = if edges {
            crate::dataset::columns::RELATIONS
        } else {
            crate::dataset::columns::ENTITIES
        };
        let extras = header
            .iter()
            .enumerate()
            .filter(|(i, _)| !used.contains(i))
            .filter_map(|(i, h)| {
                let name = extra_name(h, known);
                extras_out.iter().position(|e| *e == name).map(|j| (i, j))
            })
            .collect();
        ok.then_some(Layout { pass, refs, extras })
    }

    /// Our kind for a kind cell; each distinct cell is read once (a
    /// kind column repeats a handful of values).
    fn kind(&mut self, raw: &str) -> Result<Kind, String> {
        if let Some(known) = self.kind_of.get(raw) {
            return known.clone();
        }
        let kind = self.read_kind(raw);
        if self.kind_of.len() < 1024 {
            self.kind_of.insert(raw.into(), kind.clone());
        }
        kind
    }

    fn read_kind(&self, raw: &str) -> Result<Kind, String> {
        let mapped = self
            .mapping
            .kind_map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(raw.trim()))
            .map(|(_, v)| v.as_str())
            .unwrap_or(raw);
        if mapped.is_empty() {
            return Err("empty kind".to_string());
        }
        if let Ok(k) = mapped.parse::<Kind>() {
            return Ok(k);
        }
        if let Some(k) = kind_synonym(&fold(mapped)) {
            return Ok(k);
        }
        let e = mapped.parse::<Kind>().unwrap_err();
        Err(format!(
            "{e}; map it with --kind-map '{raw}={}' (or a [kind_map] in the mapping file)",
            mapping::DEFAULT_KIND
        ))
    }

    /// Our type for a type cell: an index in `types`. Each distinct cell
    /// is mapped and folded once.
    fn rel_type(&mut self, raw: &str, table: &str, line: u64) -> Result<u32, String> {
        let (t, known) = match self.type_of.get(raw) {
            Some(&t) => t,
            None => {
                let mapped = self
                    .mapping
                    .type_map
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(raw.trim()))
                    .map(|(_, v)| v.as_str())
                    .unwrap_or(raw);
                let folded = fold(mapped);
                if folded.is_empty() {
                    return Err("empty relation type".to_string());
                }
                let known = crate::model::in_vocabulary(&folded);
                let t = match self.types.iter().position(|t| *t == folded) {
                    Some(i) => i as u32,
                    None => {
                        self.types.push(folded);
                        self.types.len() as u32 - 1
                    }
                };
                self.type_of.insert(raw.into(), (t, known));
                (t, known)
            }
        };
        if !known {
            self.off_vocabulary
                .entry(self.types[t as usize].clone())
                .or_insert_with(|| (format!("{table}:{line}"), 0))
                .1 += 1;
        }
        Ok(t)
    }

    fn node_row(
        &mut self,
        table: &str,
        line: u64,
        lay: &Layout,
        cells: &[&str],
        staging: &mut Staging,
    ) -> Result<(), String> {
        let r = |i: usize| lay.refs[i].get(cells);
        let (id_cell, name) = (r(0), r(1));
        let name = if name.is_empty() { id_cell } else { name };
        if name.is_empty() {
            return Err("no name and no id".to_string());
        }
        let kind = self.kind(r(2))?;
        let country = match r(4) {
            "" => String::new(),
            c if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
                c.to_ascii_uppercase()
            }
            c => {
                return Err(format!(
                    "country \"{c}\": expected an ISO 3166-1 alpha-2 code such as ID, IN, RU or JP"
                ));
            }
        };
        let (start, end) = span(&mut self.dates, r(5), r(6))?;
        if !id_cell.is_empty() && self.by_id.contains_key(id_cell) {
            return Err(format!("duplicate id \"{id_cell}\""));
        }
        let id = if !id_cell.is_empty() && is_slug(id_cell) {
            self.slugs.reserve(&format!("id:{id_cell}"), id_cell)
        } else {
            self.slugs.get(&format!("{table}:{line}"), name).to_string()
        };
        let mut aliases: Vec<&str> = Vec::new();
        for a in r(3).split(['|', ';']).map(str::trim) {
            if !a.is_empty() && a != name {
                aliases.push(a);
            }
        }
        let aliases = aliases.join("|");
        let mut row: Vec<&str> = vec![
            &id,
            kind.as_str(),
            name,
            &aliases,
            &country,
            &start,
            &end,
            r(7),
        ];
        let base = row.len();
        row.resize(base + self.ent_extras.len(), "");
        for &(i, j) in &lay.extras {
            row[base + j] = cells[i];
        }
        staging.entity(&row).map_err(|e| e.to_string())??;
        let index = self.ids.len() as u32;
        if !id_cell.is_empty() {
            self.by_id.insert(id_cell.into(), index);
        }
        self.by_name
            .entry(name.into())
            .and_modify(|i| *i = AMBIGUOUS)
            .or_insert(index);
        self.ids.push(id.into());
        self.names.push(name.into());
        Ok(())
    }

    /// The entity an edge's end names: by id, then by name; new (from
    /// the name, and written) when the edge list says its kind.
    fn end(
        &mut self,
        value: &str,
        kind: &Cellref,
        cells: &[&str],
        col: &str,
        staging: &mut Staging,
    ) -> Result<u32, String> {
        if value.is_empty() {
            return Err(format!("empty {col}"));
        }
        if !self.by_id.is_empty()
            && let Some(&i) = self.by_id.get(value)
        {
            return Ok(i);
        }
        if let Some(&i) = self.by_name.get(value) {
            if i == AMBIGUOUS {
                return Err(format!(
                    "\"{value}\" in column {col} names more than one entity of the node tables: use their ids"
                ));
            }
            return Ok(i);
        }
        if matches!(kind, Cellref::None) {
            let hint = if self.has_nodes {
                crate::text::did_you_mean_hint(value, self.names.iter().take(100_000).map(|n| &**n))
            } else {
                String::new()
            };
            return Err(format!(
                "\"{value}\" in column {col} is no entity of the node tables{hint} (or give its kind with --{col}-kind to make it one)"
            ));
        }
        let kind = self.kind(kind.get(cells))?;
        let id = self.slugs.get(&format!("name:{value}"), value).to_string();
        let mut row: Vec<&str> = vec![&id, kind.as_str(), value, "", "", "", "", ""];
        row.resize(row.len() + self.ent_extras.len(), "");
        staging.entity(&row).map_err(|e| e.to_string())??;
        let index = self.ids.len() as u32;
        self.by_name.insert(value.into(), index);
        self.ids.push(id.into());
        self.names.push(value.into());
        Ok(index)
    }

    /// The source a source cell names (the file, for an empty one):
    /// written when first named.
    fn source(&mut self, value: &str, table: &str, staging: &mut Staging) -> Result<u32, String> {
        // Looked up by the cell itself: no key is made for a source met
        // before, as most rows' are.
        let file = table.split('[').next().unwrap_or(table);
        let known = if value.is_empty() {
            self.source_by_file.get(file)
        } else {
            self.source_by_cell.get(value)
        };
        if let Some(&i) = known {
            return Ok(i);
        }
        let key = if value.is_empty() {
            format!("file:{file}")
        } else {
            format!("src:{value}")
        };
        let (title, url) = if value.is_empty() {
            let file = table.split('[').next().unwrap_or(table);
            let stem = Path::new(file)
                .file_name()
                .map(|f| f.to_string_lossy().to_string())
                .unwrap_or_else(|| file.to_string());
            (format!("{stem} (imported table)"), "")
        } else {
            let lower = value.get(..8).unwrap_or(value).to_ascii_lowercase();
            let url = if lower.starts_with("http://") || lower.starts_with("https://") {
                value
            } else {
                ""
            };
            (value.to_string(), url)
        };
        let base = if url.is_empty() {
            title.as_str()
        } else {
            value.split_once("://").map_or(value, |(_, rest)| rest)
        };
        let id = self.source_ids.get(&key, base).to_string();
        let mut row = [""; 7];
        row[0] = &id;
        row[1] = &title;
        row[4] = url;
        staging.source(&row).map_err(|e| e.to_string())?;
        let i = self.source_list.len() as u32;
        if value.is_empty() {
            self.source_by_file.insert(file.into(), i);
        } else {
            self.source_by_cell.insert(value.into(), i);
        }
        self.source_list.push(id.into());
        Ok(i)
    }

    fn edge_row(
        &mut self,
        table: &str,
        line: u64,
        lay: &Layout,
        cells: &[&str],
        staging: &mut Staging,
    ) -> Result<(), String> {
        let r = |i: usize| lay.refs[i].get(cells);
        let from = self.end(r(0), &lay.refs[3], cells, "from", staging);
        let to = self.end(r(1), &lay.refs[4], cells, "to", staging);
        let (from, to) = match (from, to) {
            (Ok(f), Ok(t)) => (f, t),
            (Err(a), Err(b)) => return Err(format!("{a}; {b}")),
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        let rel_type = self.rel_type(r(2), table, line)?;
        let (start, end) = if r(9).is_empty() {
            span(&mut self.dates, r(7), r(8))?
        } else {
            let (d, _) = self.dates.normalised(r(9))?;
            (d.clone(), d)
        };
        let source = self.source(r(5), table, staging)?;
        let mut row: Vec<&str> = Vec::with_capacity(8 + self.rel_extras.len());
        row.extend([
            &*self.ids[from as usize],
            &*self.ids[to as usize],
            &self.types[rel_type as usize],
            r(6),
            &start,
            &end,
            &*self.source_list[source as usize],
            r(10),
        ]);
        let base = row.len();
        row.resize(base + self.rel_extras.len(), "");
        for &(i, j) in &lay.extras {
            row[base + j] = cells[i];
        }
        // Both ends and the source are written already, in this order.
        staging
            .relation_at(table, line, &row, [from, to, source])
            .map_err(|e| e.to_string())?
    }

    fn finish(mut self, staging: Staging, force: bool) -> Imported {
        dedup(&mut self.errors);
        for (t, (first, n)) in &self.off_vocabulary {
            self.notes.push(format!(
                "{first}: relation type \"{t}\" is not in the vocabulary ({n} row{}): kept; map it with --type-map if it means one of ours",
                if *n == 1 { "" } else { "s" }
            ));
        }
        if self.ids.is_empty() && self.errors.is_empty() {
            self.errors.push(DataError::file(
                "import",
                "no entity was read: the files have a header and no rows",
            ));
        }
        if staging.relations_written == 0 && (self.errors.is_empty() || force) {
            self.notes
                .push("no relation was imported: the dataset has entities only".to_string());
        }
        let result = staging.finish(self.errors, force);
        Imported {
            mapping: self.mapping,
            result,
            notes: self.notes,
        }
    }
}

/// Streams one table's rows into the import.
struct Reading<'a> {
    im: &'a mut TableImport,
    staging: &'a mut Staging,
    current: Option<Layout>,
}

impl table::Rows for Reading<'_> {
    fn header(&mut self, table: &str, header: &[String]) -> bool {
        self.current = self.im.layout(table, header);
        self.current.is_some()
    }

    fn row(&mut self, table: &str, line: u64, cells: &[&str]) {
        let Some(lay) = self.current.take() else {
            return;
        };
        let done = match lay.pass {
            Pass::Nodes => self.im.node_row(table, line, &lay, cells, self.staging),
            Pass::Edges => self.im.edge_row(table, line, &lay, cells, self.staging),
        };
        if let Err(message) = done {
            self.im.errors.push(DataError::at(table, line, message));
        }
        self.current = Some(lay);
    }

    fn error(&mut self, e: DataError) {
        self.im.errors.push(e);
    }
}

fn edge_slots(m: &Mapping) -> [&Option<String>; 11] {
    let e = &m.edges;
    [
        &e.from,
        &e.to,
        &e.rel_type,
        &e.from_kind,
        &e.to_kind,
        &e.source,
        &e.role,
        &e.start,
        &e.end,
        &e.date,
        &e.evidence,
    ]
}

fn node_slots(m: &Mapping) -> [&Option<String>; 8] {
    let n = &m.nodes;
    [
        &n.id,
        &n.name,
        &n.kind,
        &n.aliases,
        &n.country,
        &n.start,
        &n.end,
        &n.description,
    ]
}

/// An extra column's name in the output: folded to snake case, and kept
/// clear of the columns the loader reads (an unmapped `role` stays an
/// attribute, as `role_2`, rather than becoming the role).
fn extra_name(header: &str, known: &[&str]) -> String {
    let f = fold(header);
    let f = if f.is_empty() {
        "column".to_string()
    } else {
        f
    };
    if known.contains(&f.as_str()) {
        format!("{f}_2")
    } else {
        f
    }
}

/// Whether an id from the data can be kept as it is.
pub(crate) fn is_slug(id: &str) -> bool {
    id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// Start and end, each normalised, the end not before the start.
fn span<'a>(
    memo: &mut dates::Memo,
    start: &'a str,
    end: &'a str,
) -> Result<(Cow<'a, str>, Cow<'a, str>), String> {
    let (start, s) = memo.normalised(start)?;
    let (end, e) = memo.normalised(end)?;
    if let (Some(s), Some(e)) = (s, e)
        && e.last_day() < s.first_day()
    {
        return Err(format!("end {end} is before start {start}"));
    }
    Ok((start, end))
}

/// Kinds as other datasets name them.
fn kind_synonym(folded: &str) -> Option<Kind> {
    Some(match folded {
        "org" | "organisation" | "institution" | "ministry" | "agency" | "ngo" | "government"
        | "body" | "public_body" | "publicbody" | "legal_entity" | "legalentity" | "party" => {
            Kind::Organization
        }
        "individual" | "people" | "human" | "natural_person" => Kind::Person,
        "firm" | "business" | "corporation" | "corp" | "enterprise" | "companies" => Kind::Company,
        "state" | "nation" | "jurisdiction" => Kind::Country,
        "location" | "city" | "address" | "region" => Kind::Place,
        "treaty" | "mou" | "contract" | "deal" => Kind::Agreement,
        "meeting" | "conference" | "summit" => Kind::Event,
        "subject" | "theme" | "issue" => Kind::Topic,
        _ => return None,
    })
}

/// Drops repeated errors (a bad header is met on each pass), keeping the
/// first of each in order.
fn dedup(errors: &mut Vec<DataError>) {
    let mut seen = HashSet::new();
    errors.retain(|e| seen.insert((e.path.clone(), e.line, e.message.clone())));
}
