//! The review CSV: one row per proposal for a curator to mark `yes` or
//! `no`, and applying a reviewed file to a dataset folder.
//!
//! Applying is all or nothing: every row is checked (with its line), the
//! dataset with the accepted rows appended is loaded by the normal loader
//! from memory, and only then are the changed files written, each through
//! [`crate::atomic`] (all staged before any is renamed into place). Rows
//! the dataset already holds are skipped, so applying the same review
//! twice changes nothing the second time.

use std::path::Path;

use rustc_hash::FxHashSet;

use super::{Analysis, Article, IngestError};
use crate::dataset::{self, DatasetSource};
use crate::error::DataError;
use crate::graph::Graph;
use crate::model::{Date, Kind};

/// One row of the review CSV. Which columns mean something depends on
/// `proposal`: `source` (id, name = title, publisher, published, url,
/// language, file), `mention` (id, kind, name of a known entity: for
/// reading, never written), `entity` (id, kind, name, aliases) and
/// `relation` (from, type, to, role, start, end, source; `text`, the
/// sentence, becomes the evidence).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ReviewRow {
    pub accept: String,
    pub proposal: String,
    pub id: String,
    pub kind: String,
    pub name: String,
    pub aliases: String,
    pub from: String,
    #[serde(rename = "type")]
    pub rel_type: String,
    pub to: String,
    pub role: String,
    pub start: String,
    pub end: String,
    pub source: String,
    pub sentence_start: String,
    pub sentence_end: String,
    pub cue: String,
    pub confidence: String,
    pub text: String,
    pub publisher: String,
    pub published: String,
    pub url: String,
    pub language: String,
    pub file: String,
}

/// The columns every review CSV must have.
const REQUIRED: &[&str] = &["accept", "proposal"];

/// The longest sentence kept as evidence, in characters.
const EVIDENCE_CHARS: usize = 600;

fn clip(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match s.char_indices().nth(EVIDENCE_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s,
    }
}

/// The review rows of an analysis: the source, then mentions, new
/// entities and relations, each in the order the article gives them.
pub fn rows(graph: &Graph, a: &Analysis, article: &Article) -> Vec<ReviewRow> {
    let sentence = |i: usize| {
        let s = a.sentences[i];
        (
            s.start.to_string(),
            s.end.to_string(),
            clip(&a.text[s.start..s.end]),
        )
    };
    let mut out = vec![ReviewRow {
        proposal: "source".into(),
        id: article.source_id.clone(),
        name: article.title.clone(),
        publisher: article.publisher.clone(),
        published: article.published.map(|d| d.to_string()).unwrap_or_default(),
        url: article.url.clone(),
        language: article.language.clone(),
        file: article.file.clone(),
        ..ReviewRow::default()
    }];
    for m in &a.mentions {
        let e = graph.entity(m.entity);
        let (ss, se, text) = sentence(m.sentence);
        let written = &a.text[m.start..m.end];
        let mut cue = if written.is_empty() {
            m.how.as_str().to_string()
        } else {
            format!("{} \"{written}\"", m.how.as_str())
        };
        if let Some(t) = &m.title {
            cue.push_str(&format!(" after \"{t}\""));
        }
        out.push(ReviewRow {
            proposal: "mention".into(),
            id: e.id().to_string(),
            kind: e.kind.to_string(),
            name: e.name().to_string(),
            sentence_start: ss,
            sentence_end: se,
            cue,
            confidence: format!("{:.2}", m.how.confidence()),
            text,
            ..ReviewRow::default()
        });
    }
    for n in &a.entities {
        let (ss, se, text) = sentence(n.sentence);
        out.push(ReviewRow {
            proposal: "entity".into(),
            id: n.id.clone(),
            kind: n.kind.to_string(),
            name: n.name.clone(),
            aliases: n.aliases.join("|"),
            sentence_start: ss,
            sentence_end: se,
            cue: n.cue.clone(),
            confidence: "0.50".into(),
            text,
            ..ReviewRow::default()
        });
    }
    for r in &a.relations {
        let p = &r.proposed;
        let (ss, se, text) = sentence(r.sentence);
        let date = p.date.map(|d| d.to_string()).unwrap_or_default();
        out.push(ReviewRow {
            proposal: "relation".into(),
            from: a.id_of(graph, p.from).to_string(),
            rel_type: p.rel_type.clone(),
            to: a.id_of(graph, p.to).to_string(),
            role: p.role.clone(),
            start: date.clone(),
            end: date,
            source: article.source_id.clone(),
            sentence_start: ss,
            sentence_end: se,
            cue: p.cue.clone(),
            confidence: format!("{:.2}", p.confidence),
            text,
            ..ReviewRow::default()
        });
    }
    out
}

/// Writes review rows as CSV, with a header.
pub fn write(rows: &[ReviewRow], out: impl std::io::Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    for r in rows {
        w.serialize(r).map_err(std::io::Error::other)?;
    }
    w.flush()
}

/// Reads a review CSV; `label` names it in errors. Returns each row with
/// its line.
pub fn read(label: &str, bytes: &[u8]) -> Result<Vec<(u64, ReviewRow)>, IngestError> {
    let err = |line: u64, m: String| IngestError::Review(vec![DataError::at(label, line, m)]);
    if bytes.is_empty() {
        return Err(IngestError::Review(vec![DataError::file(
            label,
            "the review file is empty",
        )]));
    }
    if std::str::from_utf8(bytes).is_err() {
        return Err(IngestError::Review(vec![DataError::file(
            label,
            "the review file is not UTF-8 text",
        )]));
    }
    let mut r = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = r.headers().map_err(|e| err(1, e.to_string()))?.clone();
    for col in REQUIRED {
        if !headers.iter().any(|h| h == *col) {
            return Err(err(
                1,
                format!("no \"{col}\" column: is this a review file?"),
            ));
        }
    }
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for rec in r.records() {
        match rec {
            Ok(rec) => {
                let line = rec.position().map_or(0, |p| p.line());
                match rec.deserialize::<ReviewRow>(Some(&headers)) {
                    Ok(row) => out.push((line, row)),
                    Err(e) => errors.push(DataError::at(label, line, e.to_string())),
                }
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                errors.push(DataError::at(label, line, csv_message(&e)));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(IngestError::Review(errors))
    }
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("{len} cells where the header has {expected_len}"),
        _ => e.to_string(),
    }
}

/// What applying a review did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    pub sources: usize,
    pub entities: usize,
    pub relations: usize,
    /// Accepted rows the dataset already holds.
    pub already: usize,
    /// Rows not yet marked yes or no (left out).
    pub undecided: usize,
}

impl Applied {
    pub fn changed(&self) -> bool {
        self.sources + self.entities + self.relations > 0
    }
}

enum Verdict {
    Yes,
    No,
    Undecided,
}

fn verdict(accept: &str) -> Option<Verdict> {
    match accept.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" => Some(Verdict::Yes),
        "no" | "n" => Some(Verdict::No),
        "" => Some(Verdict::Undecided),
        _ => None,
    }
}

fn date(cell: &str, column: &str, line: u64, label: &str, errors: &mut Vec<DataError>) {
    if !cell.trim().is_empty()
        && let Err(e) = cell.trim().parse::<Date>()
    {
        errors.push(DataError::at(label, line, format!("{column}: {e}")));
    }
}

/// Applies the accepted rows of a review (`bytes`, named `label` in
/// errors) to the dataset folder `dir`. Writes nothing unless every row
/// is valid and the dataset with them loads.
pub fn apply(label: &str, bytes: &[u8], dir: &Path) -> Result<Applied, IngestError> {
    let rows = read(label, bytes)?;
    let loaded = dataset::load(&[DatasetSource::Dir(dir.to_path_buf())], &dataset::Quiet)
        .map_err(|e| IngestError::Data(e.0))?;
    let graph = &loaded.graph;
    let mut errors = Vec::new();
    let mut applied = Applied::default();
    let mut new_sources: Vec<&ReviewRow> = Vec::new();
    let mut new_entities: Vec<&ReviewRow> = Vec::new();
    let mut new_relations: Vec<&ReviewRow> = Vec::new();
    let mut entity_ids: FxHashSet<&str> = FxHashSet::default();
    let mut source_ids: FxHashSet<&str> = FxHashSet::default();
    // Accepted entities and sources first: relations may use them.
    for (line, row) in &rows {
        let line = *line;
        let Some(v) = verdict(&row.accept) else {
            errors.push(DataError::at(
                label,
                line,
                format!("accept is \"{}\"; write yes or no", row.accept),
            ));
            continue;
        };
        match row.proposal.as_str() {
            "source" | "entity" | "relation" | "mention" => {}
            other => {
                errors.push(DataError::at(
                    label,
                    line,
                    format!("unknown proposal \"{other}\" (source, mention, entity or relation)"),
                ));
                continue;
            }
        }
        match v {
            Verdict::No => continue,
            Verdict::Undecided => {
                if row.proposal != "mention" {
                    applied.undecided += 1;
                }
                continue;
            }
            Verdict::Yes => {}
        }
        match row.proposal.as_str() {
            "source" => {
                if row.id.trim().is_empty() {
                    errors.push(DataError::at(label, line, "a source needs an id"));
                    continue;
                }
                date(&row.published, "published", line, label, &mut errors);
                match graph.source_index(&row.id) {
                    Some(i) if *graph.source(i).title == *row.name || row.name.is_empty() => {
                        applied.already += 1
                    }
                    Some(i) => errors.push(DataError::at(
                        label,
                        line,
                        format!(
                            "source id \"{}\" is taken by \"{}\"",
                            row.id,
                            graph.source(i).title
                        ),
                    )),
                    None => {
                        source_ids.insert(&row.id);
                        new_sources.push(row);
                    }
                }
            }
            "entity" => {
                if row.id.trim().is_empty() || row.name.trim().is_empty() {
                    errors.push(DataError::at(
                        label,
                        line,
                        "an entity needs an id and a name",
                    ));
                    continue;
                }
                let kind = match row.kind.parse::<Kind>() {
                    Ok(k) => k,
                    Err(e) => {
                        errors.push(DataError::at(label, line, e.to_string()));
                        continue;
                    }
                };
                date(&row.start, "start", line, label, &mut errors);
                date(&row.end, "end", line, label, &mut errors);
                match graph.entity_index(&row.id) {
                    Some(i) => {
                        let e = graph.entity(i);
                        if e.kind == kind && *e.name() == *row.name {
                            applied.already += 1;
                        } else {
                            errors.push(DataError::at(
                                label,
                                line,
                                format!(
                                    "entity id \"{}\" is taken by {} \"{}\"; give the new entity another id",
                                    row.id, e.kind, e.name()
                                ),
                            ));
                        }
                    }
                    None => {
                        if !entity_ids.insert(&row.id) {
                            errors.push(DataError::at(
                                label,
                                line,
                                format!("entity id \"{}\" is accepted twice", row.id),
                            ));
                            continue;
                        }
                        new_entities.push(row);
                    }
                }
            }
            _ => {}
        }
    }
    let mut seen: FxHashSet<[&str; 7]> = FxHashSet::default();
    for (line, row) in &rows {
        let line = *line;
        if row.proposal != "relation" || !matches!(verdict(&row.accept), Some(Verdict::Yes)) {
            continue;
        }
        let mut ok = true;
        for (col, id) in [("from", &row.from), ("to", &row.to)] {
            if graph.entity_index(id).is_none() && !entity_ids.contains(id.as_str()) {
                errors.push(DataError::at(
                    label,
                    line,
                    format!(
                        "{col}: unknown entity id \"{id}\" (accept its entity row or correct the id){}",
                        crate::text::did_you_mean_hint(
                            id,
                            graph
                                .entities
                                .iter()
                                .map(|e| e.id())
                                .chain(entity_ids.iter().copied())
                        )
                    ),
                ));
                ok = false;
            }
        }
        if row.rel_type.trim().is_empty() {
            errors.push(DataError::at(label, line, "a relation needs a type"));
            ok = false;
        }
        if graph.source_index(&row.source).is_none() && !source_ids.contains(row.source.as_str()) {
            errors.push(DataError::at(
                label,
                line,
                format!(
                    "unknown source id \"{}\" (accept the source row or correct the id)",
                    row.source
                ),
            ));
            ok = false;
        }
        let before = errors.len();
        date(&row.start, "start", line, label, &mut errors);
        date(&row.end, "end", line, label, &mut errors);
        if !ok || errors.len() > before {
            continue;
        }
        let key = [
            row.from.as_str(),
            row.to.as_str(),
            row.rel_type.as_str(),
            row.role.as_str(),
            row.start.trim(),
            row.end.trim(),
            row.source.as_str(),
        ];
        if exists(graph, &key) || !seen.insert(key) {
            applied.already += 1;
        } else {
            new_relations.push(row);
        }
    }
    if !errors.is_empty() {
        return Err(IngestError::Review(errors));
    }
    applied.sources = new_sources.len();
    applied.entities = new_entities.len();
    applied.relations = new_relations.len();
    if !applied.changed() {
        return Ok(applied);
    }
    let io = |name: &str, e: std::io::Error| {
        IngestError::Io(format!("{}: {e}", dir.join(name).display()))
    };
    let read_file = |name: &str| std::fs::read(dir.join(name)).map_err(|e| io(name, e));
    let mut files = Vec::new();
    for (name, new) in [
        (
            dataset::SOURCES,
            new_sources
                .iter()
                .map(|r| source_cells(r))
                .collect::<Vec<_>>(),
        ),
        (
            dataset::ENTITIES,
            new_entities.iter().map(|r| entity_cells(r)).collect(),
        ),
        (
            dataset::RELATIONS,
            new_relations.iter().map(|r| relation_cells(r)).collect(),
        ),
    ] {
        let old = read_file(name)?;
        let body = if new.is_empty() {
            None
        } else {
            Some(append(&old, &new).map_err(|e| io(name, e))?)
        };
        files.push((name, old, body));
    }
    // The dataset as it will be, loaded by the normal loader first.
    let whole = |i: usize| {
        let (_, old, body) = &files[i];
        std::borrow::Cow::Owned(body.clone().unwrap_or_else(|| old.clone()))
    };
    let candidate = DatasetSource::Memory {
        label: dir.display().to_string().into(),
        sources: whole(0),
        entities: whole(1),
        relations: whole(2),
    };
    dataset::load(&[candidate], &dataset::Quiet).map_err(|e| IngestError::Data(e.0))?;
    let mut staged = Vec::new();
    for (name, _, body) in &files {
        if let Some(body) = body {
            let (s, ()) = crate::atomic::Staged::write(dir, ".ingest-", |w| {
                std::io::Write::write_all(w, body)
            })
            .map_err(|e| io(name, e.into()))?;
            staged.push((name, s));
        }
    }
    for (name, s) in staged {
        s.persist(&dir.join(name)).map_err(|e| io(name, e))?;
    }
    Ok(applied)
}

fn exists(graph: &Graph, key: &[&str; 7]) -> bool {
    let (Some(from), Some(to), Some(source)) = (
        graph.entity_index(key[0]),
        graph.entity_index(key[1]),
        graph.source_index(key[6]),
    ) else {
        return false;
    };
    let d = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    graph.relations_of_source(source).iter().any(|&r| {
        let rel = graph.relation(r);
        rel.from == from
            && rel.to == to
            && graph.rel_type(r) == key[2]
            && rel.role.map_or("", |s| graph.str(s)) == key[3]
            && d(rel.start) == key[4]
            && d(rel.end) == key[5]
    })
}

type Cells = Vec<(&'static str, String)>;

fn source_cells(r: &ReviewRow) -> Cells {
    vec![
        ("id", r.id.trim().into()),
        ("title", r.name.clone()),
        ("publisher", r.publisher.clone()),
        ("published", r.published.trim().into()),
        ("url", r.url.clone()),
        ("language", r.language.clone()),
        ("file", r.file.clone()),
    ]
}

fn entity_cells(r: &ReviewRow) -> Cells {
    vec![
        ("id", r.id.trim().into()),
        ("kind", r.kind.trim().into()),
        ("name", r.name.clone()),
        ("aliases", r.aliases.clone()),
        ("start", r.start.trim().into()),
        ("end", r.end.trim().into()),
    ]
}

fn relation_cells(r: &ReviewRow) -> Cells {
    vec![
        ("from", r.from.clone()),
        ("to", r.to.clone()),
        ("type", r.rel_type.clone()),
        ("role", r.role.clone()),
        ("start", r.start.trim().into()),
        ("end", r.end.trim().into()),
        ("source", r.source.clone()),
        ("evidence", r.text.clone()),
    ]
}

/// `old` (a CSV file with a header) with `rows` appended, each row's cells
/// placed under the header's columns of the same names.
fn append(old: &[u8], rows: &[Cells]) -> std::io::Result<Vec<u8>> {
    let header = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(old)
        .records()
        .next()
        .transpose()
        .map_err(std::io::Error::other)?
        .unwrap_or_default();
    let columns: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    let mut out = old.to_vec();
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut w = csv::Writer::from_writer(&mut out);
    for cells in rows {
        let record: Vec<&str> = columns
            .iter()
            .map(|c| {
                cells
                    .iter()
                    .find(|(name, _)| name == c)
                    .map_or("", |(_, v)| v.as_str())
            })
            .collect();
        w.write_record(&record).map_err(std::io::Error::other)?;
    }
    w.flush()?;
    drop(w);
    Ok(out)
}
