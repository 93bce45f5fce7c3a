//! Writing an imported dataset: all three files stream to a temporary
//! folder beside the target as rows come, each row checked as it is
//! written by the rules [`crate::dataset::load`] reads it with (ids
//! URL-safe and unique, kinds ours, names present, dates readable and in
//! order, every relation's ends and source written), and only a folder
//! whose every row passed is renamed into place. A failed import leaves
//! nothing behind; a reader of the target sees no folder or a whole one.
//!
//! The check replaces loading the written folder again (which cost as
//! much as the import's own work on a big table): what the loader would
//! refuse is refused here, at the input's FILE:LINE, before the row is
//! written. Only a relation naming an entity not written yet (FtM files
//! put relations anywhere) waits: its end is remembered, with where it
//! was read, until that entity comes or the input ends.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::dataset;
use crate::error::DataError;
use crate::model::{Date, Kind};

/// One CSV file being written, and the line its next row starts on.
///
/// Rows are encoded straight into a buffer of bytes (RFC 4180, as the
/// `csv` crate writes them: a cell is quoted only when it holds a comma, a
/// quote or a line end, quotes doubled), which is written out in blocks. A
/// big import writes millions of rows: this costs a fraction of a general
/// CSV writer's work per cell, and finds a cell's line ends (the line the
/// next row starts on) in the same scan.
struct Sheet {
    path: PathBuf,
    file: File,
    buf: Vec<u8>,
    line: u64,
}

/// Bytes buffered before they are written to the file.
const BLOCK: usize = 1 << 17;

impl Sheet {
    fn create(path: PathBuf, header: &[impl AsRef<[u8]>]) -> Result<Sheet, DataError> {
        let file = File::create(&path).map_err(|e| io_error(&path, e))?;
        let mut sheet = Sheet {
            path,
            file,
            buf: Vec::with_capacity(BLOCK + 4096),
            line: 1,
        };
        sheet.write(header)?;
        Ok(sheet)
    }

    /// Writes a row; returns the line it starts on.
    fn write(&mut self, row: &[impl AsRef<[u8]>]) -> Result<u64, DataError> {
        let at = self.line;
        // A row of one empty cell would be an empty line.
        if row.len() == 1 && row[0].as_ref().is_empty() {
            self.buf.extend_from_slice(b"\"\"");
        } else {
            self.line += encode(&mut self.buf, row);
        }
        self.end_row(at)
    }

    /// Ends a row whose cells are in the buffer already.
    fn end_row(&mut self, at: u64) -> Result<u64, DataError> {
        self.line += 1;
        self.buf.push(b'\n');
        if self.buf.len() >= BLOCK {
            self.flush()?;
        }
        Ok(at)
    }

    fn flush(&mut self) -> Result<(), DataError> {
        self.file
            .write_all(&self.buf)
            .map_err(|e| io_error(&self.path, e))?;
        self.buf.clear();
        Ok(())
    }

    fn close(mut self) -> Result<(), DataError> {
        self.flush()?;
        self.file.sync_all().map_err(|e| io_error(&self.path, e))
    }
}

/// Encodes cells as a CSV row's cells (without its line end) into `buf`:
/// RFC 4180 as the `csv` crate writes it, a cell quoted only when it holds
/// a comma, a quote or a line end, quotes doubled. Returns how many line
/// ends the cells hold (the row takes as many more lines).
pub(super) fn encode(buf: &mut Vec<u8>, row: &[impl AsRef<[u8]>]) -> u64 {
    let mut lines = 0;
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        lines += encode_cell(buf, cell.as_ref());
    }
    lines
}

/// One cell of [`encode`].
fn encode_cell(buf: &mut Vec<u8>, cell: &[u8]) -> u64 {
    // Cells are short: a scan with no early exit, which the compiler
    // vectorises, beats a search call per cell.
    let quote = cell
        .iter()
        .fold(false, |q, &b| q | matches!(b, b',' | b'"' | b'\n' | b'\r'));
    if !quote {
        buf.extend_from_slice(cell);
        return 0;
    }
    buf.push(b'"');
    let mut rest = cell;
    while let Some(q) = memchr::memchr(b'"', rest) {
        buf.extend_from_slice(&rest[..=q]);
        buf.push(b'"');
        rest = &rest[q + 1..];
    }
    buf.extend_from_slice(rest);
    buf.push(b'"');
    memchr::memchr_iter(b'\n', cell).count() as u64
}

/// The cells of a relation row that name no entity or source (type,
/// role, start, end; evidence and extra columns), encoded ahead and
/// checked by the loader's rules, off the thread that writes: the row is
/// then the ends' and the source's ids around them.
#[derive(Default)]
pub(super) struct RelationParts {
    mid: Vec<u8>,
    tail: Vec<u8>,
    /// Line ends in the cells.
    lines: u64,
    problem: Option<String>,
}

impl RelationParts {
    /// Encodes and checks `[type, role, start, end]` and the cells after
    /// the source.
    pub(super) fn set<'a>(&mut self, mid: [&str; 4], tail: impl Iterator<Item = &'a str>) {
        self.problem = check_relation(mid[0], mid[2], mid[3]).err();
        self.mid.clear();
        self.tail.clear();
        self.lines = encode(&mut self.mid, &mid);
        for (i, cell) in tail.enumerate() {
            if i > 0 {
                self.tail.push(b',');
            }
            self.lines += encode_cell(&mut self.tail, cell.as_bytes());
        }
    }
}

/// What the check remembers of a written entity or source: the line of
/// its row, and whether a relation names it (for the warnings a load
/// gives about entities with no relation and sources citing none).
struct Seen {
    line: u64,
    used: bool,
}

/// A relation end named before its entity was written.
struct Waiting {
    table: u32,
    line: u64,
    message: Box<str>,
}

/// A dataset being written: every row checked and streamed to disk as it
/// comes.
pub(super) struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    relations: Sheet,
    entities: Sheet,
    sources: Sheet,
    /// Ids written, to their index in `entities_seen` or `sources_seen`.
    entity_ids: FxHashMap<Box<str>, u32>,
    source_ids: FxHashMap<Box<str>, u32>,
    entities_seen: Vec<Seen>,
    sources_seen: Vec<Seen>,
    waiting: FxHashMap<Box<str>, Vec<Waiting>>,
    tables: Vec<String>,
    warnings: Vec<DataError>,
    pub relations_written: u64,
}

/// What a finished import wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub entities: usize,
    pub relations: usize,
    pub sources: usize,
    /// What a load of the result would warn about (relations from an
    /// entity to itself, entities with no relation …).
    pub warnings: Vec<DataError>,
    pub rejects: usize,
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> DataError {
    DataError::file(path.display().to_string(), e.to_string())
}

/// Refuses a target that already holds anything: an import never
/// overwrites a dataset.
pub fn check_target(out: &Path) -> Result<(), DataError> {
    match std::fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(io_error(
                    out,
                    "the folder is not empty: an import writes a new dataset folder; give another --out or remove this one",
                ));
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            Err(io_error(out, "is a file, not a folder"))
        }
        Err(e) => Err(io_error(out, e)),
    }
}

/// The dates of a row: each readable, the end not before the start.
fn check_span(start: &str, end: &str) -> Result<(), String> {
    let date = |s: &str, col: &str| -> Result<Option<Date>, String> {
        if s.is_empty() {
            return Ok(None);
        }
        s.parse::<Date>()
            .map(Some)
            .map_err(|e| format!("{e} in column {col}"))
    };
    if let (Some(s), Some(e)) = (date(start, "start")?, date(end, "end")?)
        && e.last_day() < s.first_day()
    {
        return Err(format!("end {e} is before start {s}"));
    }
    Ok(())
}

/// The cells of a relation row checked apart from its ends and source.
fn check_relation(rel_type: &str, start: &str, end: &str) -> Result<(), String> {
    if rel_type.is_empty() || rel_type.chars().any(char::is_whitespace) {
        return Err(format!("bad relation type \"{rel_type}\""));
    }
    check_span(start, end)
}

fn check_id(id: &str, what: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err(format!("empty {what} id"));
    }
    dataset::id_problem(id).map_or(Ok(()), Err)
}

impl Staging {
    /// Starts a dataset for `out` whose relations and entities have these
    /// columns (the known ones first, in the loader's order).
    pub(super) fn new(
        out: &Path,
        rel_header: &[String],
        ent_header: &[String],
    ) -> Result<Staging, DataError> {
        check_target(out)?;
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(".jejaring-import-")
            .tempdir_in(&parent)
            .map_err(|e| io_error(&parent, e))?;
        let sheet = |name: &str, header: &[String]| Sheet::create(dir.path().join(name), header);
        let sources = sheet(
            dataset::SOURCES,
            &dataset::columns::SOURCES
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        )?;
        let entities = sheet(dataset::ENTITIES, ent_header)?;
        let relations = sheet(dataset::RELATIONS, rel_header)?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            relations,
            entities,
            sources,
            entity_ids: FxHashMap::default(),
            source_ids: FxHashMap::default(),
            entities_seen: Vec::new(),
            sources_seen: Vec::new(),
            waiting: FxHashMap::default(),
            tables: Vec::new(),
            warnings: Vec::new(),
            relations_written: 0,
        })
    }

    /// Checks and writes a source row (in the loader's column order).
    pub(super) fn source(&mut self, row: &[&str]) -> Result<(), DataError> {
        let place = |e: String| io_error(&self.sources.path, e);
        check_id(row[0], "source").map_err(place)?;
        if row[1].is_empty() {
            return Err(place(format!("source \"{}\" has no title", row[0])));
        }
        if self.source_ids.contains_key(row[0]) {
            return Err(place(format!("duplicate source id \"{}\"", row[0])));
        }
        let line = self.sources.write(row)?;
        self.source_ids
            .insert(row[0].into(), self.sources_seen.len() as u32);
        self.sources_seen.push(Seen { line, used: false });
        Ok(())
    }

    /// Checks and writes an entity row (in the loader's column order,
    /// extra columns after). `Err` is a problem of the row, not written.
    pub(super) fn entity(&mut self, row: &[&str]) -> Result<Result<(), String>, DataError> {
        let problem = check_id(row[0], "entity")
            .and_then(|()| {
                // Ours as written (the importers write them so), else as
                // the loader reads other spellings.
                if Kind::ALL.iter().any(|k| k.as_str() == row[1]) {
                    return Ok(());
                }
                row[1].parse::<Kind>().map(drop).map_err(|e| e.to_string())
            })
            .and_then(|()| {
                if row[2].is_empty() {
                    Err("empty name".to_string())
                } else if !(row[4].is_empty()
                    || row[4].len() == 2 && row[4].bytes().all(|b| b.is_ascii_uppercase()))
                {
                    Err(format!("bad country \"{}\"", row[4]))
                } else if self.entity_ids.contains_key(row[0]) {
                    Err(format!("duplicate entity id \"{}\"", row[0]))
                } else {
                    check_span(row[5], row[6])
                }
            });
        if problem.is_err() {
            return Ok(problem);
        }
        let line = self.entities.write(row)?;
        let used = !self.waiting.is_empty() && self.waiting.remove(row[0]).is_some();
        self.entity_ids
            .insert(row[0].into(), self.entities_seen.len() as u32);
        self.entities_seen.push(Seen { line, used });
        Ok(Ok(()))
    }

    /// Checks and writes a relation row read at `table`:`line` (in the
    /// loader's column order, extra columns after). Its source must be
    /// written already; an end not written yet waits for its entity, and
    /// `dangling(end)` (0 from, 1 to) says what is wrong if it never
    /// comes. `Err` is a problem of the row, not written.
    pub(super) fn relation(
        &mut self,
        table: &str,
        line: u64,
        row: &[&str],
        dangling: impl Fn(usize) -> String,
    ) -> Result<Result<(), String>, DataError> {
        let source = match self.source_ids.get(row[6]) {
            Some(&s) => s,
            None => return Ok(Err(format!("unknown source id \"{}\"", row[6]))),
        };
        if let Err(problem) = check_id(row[0], "from").and_then(|()| check_id(row[1], "to")) {
            return Ok(Err(problem));
        }
        let ends = [
            self.entity_ids.get(row[0]).copied(),
            self.entity_ids.get(row[1]).copied(),
        ];
        let written = self.write_relation(table, line, row, ends, source)?;
        if written.is_ok() {
            for (end, id) in [row[0], row[1]].into_iter().enumerate() {
                if ends[end].is_some() {
                    continue;
                }
                let table = match self.tables.iter().position(|t| t == table) {
                    Some(i) => i as u32,
                    None => {
                        self.tables.push(table.to_string());
                        self.tables.len() as u32 - 1
                    }
                };
                self.waiting.entry(id.into()).or_default().push(Waiting {
                    table,
                    line,
                    message: dangling(end).into(),
                });
            }
        }
        Ok(written)
    }

    /// A relation row whose ends and source are the `from`-th and `to`-th
    /// entities and the `source`-th source written, with these ids (the
    /// importer holds the indexes, so no id is looked up again), its
    /// other cells in `parts`.
    pub(super) fn relation_parts(
        &mut self,
        table: &str,
        line: u64,
        ids: [&str; 3],
        [from, to, source]: [u32; 3],
        parts: &RelationParts,
    ) -> Result<Result<(), String>, DataError> {
        let known = |seen: &[Seen], i: u32| (i as usize) < seen.len();
        if !known(&self.entities_seen, from)
            || !known(&self.entities_seen, to)
            || !known(&self.sources_seen, source)
        {
            return Ok(Err(format!(
                "an end or the source of this relation ({}, {}, {}) was never written",
                ids[0], ids[1], ids[2]
            )));
        }
        if let Some(problem) = &parts.problem {
            return Ok(Err(problem.clone()));
        }
        self.used(table, line, ids[0], ids[1], [Some(from), Some(to)], source);
        let sheet = &mut self.relations;
        let at = sheet.line;
        for (i, id) in ids.into_iter().enumerate() {
            if i == 2 {
                sheet.buf.push(b',');
                sheet.buf.extend_from_slice(&parts.mid);
            }
            if i > 0 {
                sheet.buf.push(b',');
            }
            sheet.line += encode_cell(&mut sheet.buf, id.as_bytes());
        }
        sheet.buf.push(b',');
        sheet.buf.extend_from_slice(&parts.tail);
        sheet.line += parts.lines;
        sheet.end_row(at)?;
        self.relations_written += 1;
        Ok(Ok(()))
    }

    fn write_relation(
        &mut self,
        table: &str,
        line: u64,
        row: &[&str],
        ends: [Option<u32>; 2],
        source: u32,
    ) -> Result<Result<(), String>, DataError> {
        let problem = check_relation(row[2], row[4], row[5]);
        if problem.is_err() {
            return Ok(problem);
        }
        self.used(table, line, row[0], row[1], ends, source);
        self.relations.write(row)?;
        self.relations_written += 1;
        Ok(Ok(()))
    }

    /// Touches what the check remembers of the `i`-th entity written, so
    /// that a batch's fetches overlap (see `IdMap::warm`).
    pub(super) fn warm_entity(&self, i: u32) {
        if let Some(seen) = self.entities_seen.get(i as usize) {
            std::hint::black_box(seen.used);
        }
    }

    /// Marks the ends and source of a relation about to be written as
    /// used; warns of a relation from an entity to itself.
    fn used(
        &mut self,
        table: &str,
        line: u64,
        from: &str,
        to: &str,
        ends: [Option<u32>; 2],
        source: u32,
    ) {
        self.sources_seen[source as usize].used = true;
        for i in ends.into_iter().flatten() {
            self.entities_seen[i as usize].used = true;
        }
        if from == to {
            self.warnings.push(DataError::at(
                table,
                line,
                format!("relation from \"{from}\" to itself"),
            ));
        }
    }

    /// Relations whose ends never came, as errors at the lines they were
    /// read from, in line order.
    fn dangling(&mut self) -> Vec<DataError> {
        let mut out: Vec<DataError> = self
            .waiting
            .drain()
            .flat_map(|(_, w)| w)
            .map(|w| DataError::at(&self.tables[w.table as usize], w.line, w.message))
            .collect();
        out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        out.dedup_by(|a, b| a.path == b.path && a.line == b.line);
        out
    }

    /// Ends the import: with `problems` (the importer's, plus any
    /// relation whose end never came), nothing is kept unless `force`,
    /// when the relations naming missing entities are taken out again and
    /// every problem is listed in `rejects.csv`. The folder is then put
    /// in place.
    pub(super) fn finish(
        mut self,
        mut problems: Vec<DataError>,
        force: bool,
    ) -> Result<Written, Vec<DataError>> {
        let one = |e: DataError| vec![e];
        let dangling = self.dangling();
        let filter = !dangling.is_empty();
        problems.extend(dangling);
        if !problems.is_empty() && (!force || self.entity_ids.is_empty()) {
            return Err(problems);
        }
        let mut warnings = std::mem::take(&mut self.warnings);
        let out = self.out.display().to_string();
        for (ids, seen, sheet, what) in [
            (
                &self.entity_ids,
                &self.entities_seen,
                &self.entities,
                "entity \"{}\" has no relation",
            ),
            (
                &self.source_ids,
                &self.sources_seen,
                &self.sources,
                "source \"{}\" supports no relation",
            ),
        ] {
            let path = Path::new(&out)
                .join(sheet.path.file_name().unwrap_or_default())
                .display()
                .to_string();
            let mut unused: Vec<(u64, &str)> = ids
                .iter()
                .map(|(id, &i)| (&seen[i as usize], &**id))
                .filter(|(s, _)| !s.used)
                .map(|(s, id)| (s.line, id))
                .collect();
            unused.sort_unstable();
            warnings.extend(
                unused
                    .into_iter()
                    .map(|(line, id)| DataError::at(&path, line, what.replace("{}", id))),
            );
        }
        let mut written = Written {
            entities: self.entity_ids.len(),
            relations: self.relations_written as usize,
            sources: self.source_ids.len(),
            warnings,
            rejects: problems.len(),
        };
        let dir = self.dir.path().to_path_buf();
        self.sources.close().map_err(one)?;
        self.entities.close().map_err(one)?;
        self.relations.close().map_err(one)?;
        if filter {
            written.relations =
                keep_known_ends(&dir.join(dataset::RELATIONS), &self.entity_ids).map_err(one)?;
        }
        if !problems.is_empty() {
            write_rejects(&dir.join("rejects.csv"), &problems).map_err(one)?;
        }
        check_target(&self.out).map_err(one)?;
        // An empty target folder is replaced; rename cannot replace a
        // folder on every platform.
        if self.out.is_dir() {
            std::fs::remove_dir(&self.out)
                .map_err(|e| io_error(&self.out, e))
                .map_err(one)?;
        }
        let dir = self.dir.keep();
        std::fs::rename(&dir, &self.out)
            .map_err(|e| {
                let _ = std::fs::remove_dir_all(&dir);
                io_error(&self.out, e)
            })
            .map_err(one)?;
        Ok(written)
    }
}

/// Rewrites a relations file without the rows naming an entity that was
/// never written (a forced import whose relations came before entities
/// that never did); returns how many rows are kept.
fn keep_known_ends(path: &Path, ids: &FxHashMap<Box<str>, u32>) -> Result<usize, DataError> {
    let kept_path = path.with_extension("kept");
    let mut reader = csv::Reader::from_path(path).map_err(|e| io_error(path, e))?;
    let header = reader
        .byte_headers()
        .map_err(|e| io_error(path, e))?
        .clone();
    let mut kept = Sheet::create(kept_path.clone(), &header.iter().collect::<Vec<_>>())?;
    let mut record = csv::StringRecord::new();
    let mut n = 0;
    while reader
        .read_record(&mut record)
        .map_err(|e| io_error(path, e))?
    {
        if ids.contains_key(&record[0]) && ids.contains_key(&record[1]) {
            kept.write(&record.iter().collect::<Vec<_>>())?;
            n += 1;
        }
    }
    kept.close()?;
    std::fs::rename(&kept_path, path).map_err(|e| io_error(path, e))?;
    Ok(n)
}

fn write_rejects(path: &Path, rejects: &[DataError]) -> Result<(), DataError> {
    let mut sheet = Sheet::create(path.to_path_buf(), &["file", "line", "message"])?;
    for e in rejects {
        let line = e.line.map(|l| l.to_string()).unwrap_or_default();
        sheet.write(&[&e.path, &line, &e.message])?;
    }
    sheet.close()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows as the `csv` crate reads them back, and the line each
    /// starts on.
    fn read_back(path: &Path) -> Vec<(u64, Vec<String>)> {
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .unwrap();
        r.records()
            .map(|rec| {
                let rec = rec.unwrap();
                let line = rec.position().unwrap().line();
                (line, rec.iter().map(str::to_string).collect())
            })
            .collect()
    }

    #[test]
    fn sheets_quote_what_needs_it_and_count_lines_as_a_reader_does() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let rows: Vec<Vec<&str>> = vec![
            vec!["plain", "with, comma", "say \"hi\"", ""],
            vec!["two\nlines", "cr\r\nlf", "\"", "ümlaut"],
            vec![""],
            vec!["after", "the", "quoted", "ones"],
        ];
        let mut sheet = Sheet::create(path.clone(), &["a", "b", "c", "d"]).unwrap();
        let lines: Vec<u64> = rows.iter().map(|r| sheet.write(r).unwrap()).collect();
        sheet.close().unwrap();
        let back = read_back(&path);
        assert_eq!(
            back[0],
            (
                1,
                vec!["a", "b", "c", "d"]
                    .into_iter()
                    .map(String::from)
                    .collect()
            )
        );
        for ((row, line), (read_line, cells)) in rows.iter().zip(&lines).zip(&back[1..]) {
            assert_eq!(line, read_line, "{row:?}");
            assert_eq!(row, cells, "line {line}");
        }
        assert_eq!(lines, [2, 3, 6, 7]);
        // Written as the csv crate writes them, byte for byte.
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        w.write_record(["a", "b", "c", "d"]).unwrap();
        for r in &rows {
            w.write_record(r).unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), w.into_inner().unwrap());
    }
}
