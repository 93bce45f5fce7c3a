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
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::dataset;
use crate::error::DataError;
use crate::model::{Date, Kind};

/// One CSV file being written, and the line its next row starts on.
struct Sheet {
    path: PathBuf,
    w: csv::Writer<BufWriter<File>>,
    line: u64,
}

impl Sheet {
    fn create(path: PathBuf, header: &[impl AsRef<[u8]>]) -> Result<Sheet, DataError> {
        let file = File::create(&path).map_err(|e| io_error(&path, e))?;
        let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 17, file));
        w.write_record(header).map_err(|e| io_error(&path, e))?;
        Ok(Sheet { path, w, line: 2 })
    }

    /// Writes a row; returns the line it starts on.
    fn write(&mut self, row: &[&str]) -> Result<u64, DataError> {
        let at = self.line;
        self.w
            .write_record(row)
            .map_err(|e| io_error(&self.path, e))?;
        // A quoted cell may hold line ends: the next row starts lower.
        self.line += 1 + row
            .iter()
            .filter(|c| c.len() > 40 || c.contains('\n'))
            .map(|c| memchr::memchr_iter(b'\n', c.as_bytes()).count() as u64)
            .sum::<u64>();
        Ok(at)
    }

    fn close(self) -> Result<(), DataError> {
        let path = self.path;
        let file = self
            .w
            .into_inner()
            .map_err(|e| io_error(&path, e.error()))?;
        file.into_inner()
            .map_err(|e| io_error(&path, e.error()))?
            .sync_all()
            .map_err(|e| io_error(&path, e))
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
            .and_then(|()| row[1].parse::<Kind>().map(drop).map_err(|e| e.to_string()))
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
        let used = self.waiting.remove(row[0]).is_some();
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
    /// entities and the `source`-th source written (the importer holds
    /// the indexes, so no id is looked up again).
    pub(super) fn relation_at(
        &mut self,
        table: &str,
        line: u64,
        row: &[&str],
        [from, to, source]: [u32; 3],
    ) -> Result<Result<(), String>, DataError> {
        let known = |seen: &[Seen], i: u32| (i as usize) < seen.len();
        if !known(&self.entities_seen, from)
            || !known(&self.entities_seen, to)
            || !known(&self.sources_seen, source)
        {
            return Ok(Err(format!(
                "an end or the source of this relation ({}, {}, {}) was never written",
                row[0], row[1], row[6]
            )));
        }
        self.write_relation(table, line, row, [Some(from), Some(to)], source)
    }

    fn write_relation(
        &mut self,
        table: &str,
        line: u64,
        row: &[&str],
        ends: [Option<u32>; 2],
        source: u32,
    ) -> Result<Result<(), String>, DataError> {
        let problem = if row[2].is_empty() || row[2].chars().any(char::is_whitespace) {
            Err(format!("bad relation type \"{}\"", row[2]))
        } else {
            check_span(row[4], row[5])
        };
        if problem.is_err() {
            return Ok(problem);
        }
        self.sources_seen[source as usize].used = true;
        for i in ends.into_iter().flatten() {
            self.entities_seen[i as usize].used = true;
        }
        if row[0] == row[1] {
            self.warnings.push(DataError::at(
                table,
                line,
                format!("relation from \"{}\" to itself", row[0]),
            ));
        }
        self.relations.write(row)?;
        self.relations_written += 1;
        Ok(Ok(()))
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
    sheet.flush_close()
}

impl Sheet {
    fn flush_close(mut self) -> Result<(), DataError> {
        self.w.flush().map_err(|e| io_error(&self.path, e))?;
        self.close()
    }
}
