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
use crate::ids::IdMap;
use crate::model::Kind;
use mapping::{column, fold};
use slug::Slugs;
use writer::{RelationParts, Staging};

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
    type Prep = table::Unprepared;
    fn header(&mut self, table: &str, header: &[String]) -> Option<table::Unprepared> {
        self.0.push((table.to_string(), header.to_vec()));
        None
    }
    fn row(&mut self, _: &str, _: u64, _: &[&str], _: &()) {}
    fn error(&mut self, _: DataError) {}
    fn done(&mut self, _: table::Unprepared) {}
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    Nodes,
    Edges,
}

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
    /// Names to entities (the first of that name): the table every edge
    /// end is looked up in, a cache miss per lookup for most names.
    by_name: IdMap,
    /// Entities whose name other nodes have too (by the index `by_name`
    /// gives): an edge names them by id, not by name.
    ambiguous: rustc_hash::FxHashSet<u32>,
    slugs: Slugs,
    /// Relation types as the data writes them, to ours; lent to each edge
    /// table's [`EdgePrep`].
    types: Types,
    /// Kind cells as the data writes them, to ours (at most 1024 kept).
    kind_of: FxHashMap<Box<str>, Result<Kind, String>>,
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
            by_name: IdMap::default(),
            ambiguous: Default::default(),
            slugs: Slugs::default(),
            types: Types::default(),
            kind_of: FxHashMap::default(),
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
        if let Some(first) = self.by_name.insert(name, index).map_err(too_many)? {
            self.ambiguous.insert(first);
        }
        self.ids.push(id.into());
        self.names.push(name.into());
        Ok(())
    }

    /// The entity an edge's end names: by id, then by name; new (from
    /// the name, and written) when the edge list says its kind.
    fn end(
        &mut self,
        value: &str,
        hash: u64,
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
        if let Some(i) = self.by_name.get_hashed(value, hash) {
            if !self.ambiguous.is_empty() && self.ambiguous.contains(&i) {
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
        // A name is looked up in `by_name` first: its slug needs no key.
        let id = self.slugs.fresh(value);
        let mut row: Vec<&str> = vec![&id, kind.as_str(), value, "", "", "", "", ""];
        row.resize(row.len() + self.ent_extras.len(), "");
        staging.entity(&row).map_err(|e| e.to_string())??;
        let index = self.ids.len() as u32;
        self.by_name.insert(value, index).map_err(too_many)?;
        self.ids.push(id.into());
        // Names are kept for hints only, which only node tables give.
        if self.has_nodes {
            self.names.push(value.into());
        }
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
        prepared: &Prepared,
        staging: &mut Staging,
    ) -> Result<(), String> {
        let r = |i: usize| lay.refs[i].get(cells);
        let [from_hash, to_hash] = prepared.hashes;
        let from = self.end(r(0), from_hash, &lay.refs[3], cells, "from", staging);
        let to = self.end(r(1), to_hash, &lay.refs[4], cells, "to", staging);
        let (from, to) = match (from, to) {
            (Ok(f), Ok(t)) => (f, t),
            (Err(a), Err(b)) => return Err(format!("{a}; {b}")),
            (Err(e), _) | (_, Err(e)) => return Err(e),
        };
        if let Some(problem) = &prepared.type_problem {
            return Err(problem.clone());
        }
        if !prepared.known {
            match self.off_vocabulary.get_mut(&prepared.rel_type) {
                Some(seen) => seen.1 += 1,
                None => {
                    let first = format!("{table}:{line}");
                    self.off_vocabulary
                        .insert(prepared.rel_type.clone(), (first, 1));
                }
            }
        }
        if let Some(problem) = &prepared.span_problem {
            return Err(problem.clone());
        }
        let source = self.source(r(5), table, staging)?;
        // Both ends and the source are written already, in this order.
        staging
            .relation_parts(
                table,
                line,
                [
                    &self.ids[from as usize],
                    &self.ids[to as usize],
                    &self.source_list[source as usize],
                ],
                [from, to, source],
                &prepared.parts,
            )
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
    type Prep = Prep;

    fn header(&mut self, table: &str, header: &[String]) -> Option<Prep> {
        self.current = self.im.layout(table, header);
        let lay = self.current.as_ref()?;
        Some(match lay.pass {
            Pass::Nodes => Prep::Nodes,
            Pass::Edges => Prep::Edges(Box::new(EdgePrep {
                refs: lay.refs.clone(),
                extras: {
                    let mut extras = vec![None; self.im.rel_extras.len()];
                    for &(i, j) in &lay.extras {
                        extras[j] = Some(i);
                    }
                    extras
                },
                type_map: self.im.mapping.type_map.clone(),
                types: std::mem::take(&mut self.im.types),
                dates: std::mem::take(&mut self.im.dates),
            })),
        })
    }

    fn row(&mut self, table: &str, line: u64, cells: &[&str], prepared: &Prepared) {
        let Some(lay) = self.current.take() else {
            return;
        };
        let done = match lay.pass {
            Pass::Nodes => self.im.node_row(table, line, &lay, cells, self.staging),
            Pass::Edges => self
                .im
                .edge_row(table, line, &lay, cells, prepared, self.staging),
        };
        if let Err(message) = done {
            self.im.errors.push(DataError::at(table, line, message));
        }
        self.current = Some(lay);
    }

    fn error(&mut self, e: DataError) {
        self.im.errors.push(e);
    }

    fn ahead<'a>(&mut self, rows: impl Iterator<Item = &'a Prepared> + Clone) {
        if self.current.as_ref().is_some_and(|l| l.pass == Pass::Edges)
            && !self.im.by_name.is_empty()
        {
            let hashes = rows.flat_map(|p| p.hashes);
            self.im.by_name.warm_hashed(hashes.clone());
            // Then what the answers lead to: each end's id, and what the
            // check remembers of it.
            let mut seen = 0u8;
            for h in hashes {
                if let Some(i) = self.im.by_name.guess_hashed(h)
                    && let Some(id) = self.im.ids.get(i as usize)
                {
                    seen ^= id.as_bytes().first().copied().unwrap_or(0);
                    self.staging.warm_entity(i);
                }
            }
            std::hint::black_box(seen);
        }
    }

    fn done(&mut self, prep: Prep) {
        if let Prep::Edges(prep) = prep {
            self.im.types = prep.types;
            self.im.dates = prep.dates;
        }
    }
}

/// What an edge row is made into before its ends are looked up: its
/// type and dates read, and the relation row's cells that name no entity
/// or source encoded, on the thread that parses the table.
#[derive(Default)]
struct Prepared {
    /// The hashes of the ends' cells, as `by_name` looks them up.
    hashes: [u64; 2],
    /// The type as ours, and whether the vocabulary has it.
    rel_type: String,
    known: bool,
    /// Why the type cell gives no type, if so.
    type_problem: Option<String>,
    /// Why the dates cannot be read, if so.
    span_problem: Option<String>,
    parts: RelationParts,
}

/// How a table's rows are prepared: node tables are small and go as
/// they are; an edge table's rows are read ahead (see [`Prepared`]).
enum Prep {
    Nodes,
    Edges(Box<EdgePrep>),
}

impl table::Prepare for Prep {
    type Row = Prepared;

    fn prepare(&mut self, _: u64, cells: &[&str], row: &mut Prepared) {
        if let Prep::Edges(prep) = self {
            prep.prepare(cells, row);
        }
    }
}

/// The preparing of an edge table's rows. The memos it holds are the
/// import's, lent for the table.
struct EdgePrep {
    refs: Vec<Cellref>,
    /// The output's extra columns: the table's column each comes from.
    extras: Vec<Option<usize>>,
    type_map: BTreeMap<String, String>,
    types: Types,
    dates: dates::Memo,
}

impl EdgePrep {
    fn prepare(&mut self, cells: &[&str], row: &mut Prepared) {
        let r = |i: usize| self.refs[i].get(cells);
        row.hashes = [IdMap::hash_of(r(0)), IdMap::hash_of(r(1))];
        match self.types.ours(r(2), &self.type_map) {
            Ok((ours, known)) => {
                row.rel_type.clear();
                row.rel_type.push_str(ours);
                row.known = *known;
                row.type_problem = None;
            }
            Err(problem) => row.type_problem = Some(problem.clone()),
        }
        let span = if r(9).is_empty() {
            span(&mut self.dates, r(7), r(8))
        } else {
            self.dates.normalised(r(9)).map(|(d, _)| (d.clone(), d))
        };
        let (start, end) = match span {
            Ok(span) => span,
            Err(problem) => {
                row.span_problem = Some(problem);
                return;
            }
        };
        row.span_problem = None;
        if row.type_problem.is_some() {
            return;
        }
        let extras = self.extras.iter().map(|e| e.map_or("", |i| cells[i]));
        row.parts.set(
            [&row.rel_type, r(6), &start, &end],
            std::iter::once(r(10)).chain(extras),
        );
    }
}

/// Relation types as the data writes them, to ours (mapped and folded)
/// and whether the vocabulary has them: each distinct cell is read once.
#[derive(Default)]
struct Types(FxHashMap<Box<str>, Ours>);

/// A type cell's type as ours and whether the vocabulary has it, or why
/// there is none.
type Ours = Result<(Box<str>, bool), String>;

impl Types {
    fn ours(
        &mut self,
        raw: &str,
        type_map: &BTreeMap<String, String>,
    ) -> Result<&(Box<str>, bool), &String> {
        if !self.0.contains_key(raw) {
            let mapped = type_map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(raw.trim()))
                .map(|(_, v)| v.as_str())
                .unwrap_or(raw);
            let folded = fold(mapped);
            let ours = if folded.is_empty() {
                Err("empty relation type".to_string())
            } else {
                let known = crate::model::in_vocabulary(&folded);
                Ok((folded.into_boxed_str(), known))
            };
            self.0.insert(raw.into(), ours);
        }
        self.0[raw].as_ref()
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

/// The one way the name table fills up: more than 4 GiB of names.
fn too_many(_: crate::ids::IdMapFull) -> String {
    "more names than the name table holds (4 GiB of names or 4 billion entities)".to_string()
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
