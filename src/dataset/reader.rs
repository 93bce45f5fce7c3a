//! One CSV file of a dataset, read record by record into checked cells.
//!
//! The structure of the file is checked here (header, field counts, UTF-8,
//! quoting); the meaning of each row is checked by the caller through
//! [`Row`]'s typed getters, which record a `PATH:LINE` error and go on.

use std::io::{BufRead, BufReader, Read};

use crate::error::DataError;
use crate::model::{Attrs, Date, Interner};

use super::records::{RecordBounds, RecordTooLong};
use super::{Input, Progress};

/// The columns a file knows, and which of them must be present.
pub(crate) struct Columns {
    pub known: &'static [&'static str],
    pub required: &'static [&'static str],
    /// Where `start` and `end` are in `known`, for files that have them.
    pub span: Option<(Col, Col)>,
}

/// A known column of a file: its place in [`Columns::known`]. Rows are read
/// by place, not by name, because a name costs a string search per cell.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Col(pub usize);

/// The known columns of the three files.
pub(crate) mod cols {
    use super::Col;
    // sources.csv
    pub(crate) const SOURCE_ID: Col = Col(0);
    pub(crate) const TITLE: Col = Col(1);
    pub(crate) const PUBLISHER: Col = Col(2);
    pub(crate) const PUBLISHED: Col = Col(3);
    pub(crate) const URL: Col = Col(4);
    pub(crate) const LANGUAGE: Col = Col(5);
    pub(crate) const FILE: Col = Col(6);
    // entities.csv
    pub(crate) const ENTITY_ID: Col = Col(0);
    pub(crate) const KIND: Col = Col(1);
    pub(crate) const NAME: Col = Col(2);
    pub(crate) const ALIASES: Col = Col(3);
    pub(crate) const COUNTRY: Col = Col(4);
    pub(crate) const DESCRIPTION: Col = Col(7);
    // relations.csv
    pub(crate) const FROM: Col = Col(0);
    pub(crate) const TO: Col = Col(1);
    pub(crate) const TYPE: Col = Col(2);
    pub(crate) const ROLE: Col = Col(3);
    pub(crate) const SOURCE: Col = Col(6);
    pub(crate) const EVIDENCE: Col = Col(7);
}

pub(crate) const SOURCES_COLUMNS: Columns = Columns {
    known: &[
        "id",
        "title",
        "publisher",
        "published",
        "url",
        "language",
        "file",
    ],
    required: &["id", "title"],
    span: None,
};
pub(crate) const ENTITIES_COLUMNS: Columns = Columns {
    known: &[
        "id",
        "kind",
        "name",
        "aliases",
        "country",
        "start",
        "end",
        "description",
    ],
    required: &["id", "kind", "name"],
    span: Some((Col(5), Col(6))),
};
pub(crate) const RELATIONS_COLUMNS: Columns = Columns {
    known: &[
        "from", "to", "type", "role", "start", "end", "source", "evidence",
    ],
    required: &["from", "to", "type", "source"],
    span: Some((Col(4), Col(5))),
};

/// What reading a file tells the rest of the loader.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// The file could not be read as a whole (missing, empty, bad header).
    pub failed: bool,
    /// Ids of rows rejected for their structure.
    pub rejected_ids: Vec<String>,
}

/// Rows read in one go: `warm` sees them all before `on_row` sees one,
/// and the parsing thread of a pipelined read hands them over together.
const BATCH_ROWS: usize = 256;

/// A file's header, checked: where each known column is, the extra
/// columns, and how many cells every row must have.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub known: Vec<Option<usize>>,
    extra: Vec<(String, usize)>,
    width: usize,
}

/// The records of a file, or of a stretch of one that starts at a record
/// boundary, parsed by the csv crate behind a [`RecordBounds`].
pub(crate) struct Records<R> {
    rdr: csv::Reader<BufReader<RecordBounds<R>>>,
    /// Lines of the file before the stretch.
    line_base: u64,
    /// Bytes of the file before what the csv reader reads.
    byte_base: u64,
}

impl<R: Read> Records<R> {
    /// Records from `input`, whose first byte is byte `byte` of its file,
    /// on line `line`.
    pub(super) fn new(input: R, line: u64, byte: u64) -> Self {
        let bounds = RecordBounds::from_line(input, line);
        // Records end at LF only: with CRLF as a terminator the csv crate
        // starts each record at the LF of the previous line and reports it
        // one line early. A trailing CR is trimmed with the rest of a
        // cell's white space.
        let rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_reader(BufReader::with_capacity(1 << 16, bounds));
        Records {
            rdr,
            line_base: line - 1,
            byte_base: byte,
        }
    }

    fn bounds(&mut self) -> &RecordBounds<R> {
        self.rdr.get_mut().get_ref()
    }

    /// The line after the last record read, if what was read ends with a
    /// whole record.
    pub(super) fn ended_at_boundary(&mut self) -> Option<u64> {
        let (line, at_start) = self.bounds().position();
        at_start.then_some(line)
    }
}

pub(crate) struct CsvFile {
    path: String,
    file: u16,
    spec: &'static Columns,
}

/// One data row: its cells by column name, and the errors found in it.
pub(crate) struct Row<'a> {
    pub path: &'a str,
    pub file: u16,
    pub line: u64,
    /// Where the record starts in its file, in bytes.
    pub offset: u64,
    record: &'a csv::StringRecord,
    /// For each known column, its position in the record (if present).
    known: &'a [Option<usize>],
    spec: &'a Columns,
    /// Extra columns: header name and position.
    extra: &'a [(String, usize)],
    pub errors: Vec<DataError>,
}

impl<'a> Row<'a> {
    pub(super) fn error(&mut self, message: impl Into<String>) {
        self.errors
            .push(DataError::at(self.path, self.line, message));
    }

    pub(super) fn cell(&self, column: Col) -> Option<&'a str> {
        self.known[column.0].map(|pos| trim(self.record.get(pos).unwrap_or("")))
    }

    fn name(&self, column: Col) -> &'static str {
        self.spec.known[column.0]
    }

    /// A required cell; records an error when it is empty.
    pub(super) fn required(&mut self, column: Col) -> Option<&'a str> {
        match self.cell(column) {
            Some(v) if !v.is_empty() => Some(v),
            _ => {
                self.error(format!(
                    "empty {} (this column is required)",
                    self.name(column)
                ));
                None
            }
        }
    }

    /// An optional cell, empty when absent.
    pub(super) fn optional(&self, column: Col) -> &'a str {
        self.cell(column).unwrap_or("")
    }

    /// An optional date; `None` (with an error recorded) when it is bad.
    pub(super) fn date(&mut self, column: Col) -> Option<Option<Date>> {
        let v = self.optional(column);
        if v.is_empty() {
            return Some(None);
        }
        match v.parse::<Date>() {
            Ok(d) => Some(Some(d)),
            Err(e) => {
                let msg = format!("{e} in column {}", self.name(column));
                self.error(msg);
                None
            }
        }
    }

    /// The `start` and `end` columns, checked to be in order.
    pub(super) fn span(&mut self) -> (Option<Date>, Option<Date>) {
        let Some((start, end)) = self.spec.span else {
            return (None, None);
        };
        let start = self.date(start).flatten();
        let end = self.date(end).flatten();
        if let (Some(s), Some(e)) = (start, end)
            && e.last_day() < s.first_day()
        {
            self.error(format!("end {e} is before start {s}"));
        }
        (start, end)
    }

    /// The non-empty cells of the extra columns, kept as attributes.
    pub(super) fn attrs(&self, strings: &mut Interner) -> Attrs {
        self.extra
            .iter()
            .filter_map(|(name, pos)| {
                let v = trim(self.record.get(*pos).unwrap_or(""));
                (!v.is_empty()).then(|| (strings.intern(name), v.into()))
            })
            .collect()
    }
}

/// `str::trim`, answered from the two end bytes when both are ASCII and
/// not white space, as they are in almost every cell: then no character at
/// either end is white space. This runs for every cell read, tens of
/// millions of times in a big load.
pub(super) fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&b)) if plain(a) && plain(b) => s,
        _ => s.trim(),
    }
}

fn plain(b: u8) -> bool {
    b.is_ascii() && !b.is_ascii_whitespace() && b != 0x0b
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl CsvFile {
    pub(super) fn new(path: String, file: u16, spec: &'static Columns) -> Self {
        CsvFile { path, file, spec }
    }

    pub(super) fn path(&self) -> &str {
        &self.path
    }

    fn err(&self, line: u64, message: impl Into<String>) -> DataError {
        DataError::at(&self.path, line, message)
    }

    /// Reads the whole file: the header, then every record, calling `on_row`
    /// for each structurally sound one and pushing structural errors into
    /// `errors`. Returns what the caller needs to avoid reporting one
    /// problem twice: whether the file as a whole could not be read, and
    /// the ids of rows rejected here.
    ///
    /// `warm` sees each batch of rows before `on_row` sees any of them: it
    /// touches what the rows will look up, so that the batch's cache
    /// misses overlap instead of coming one after another.
    pub(super) fn read(
        &self,
        input: &mut Input<'_>,
        errors: &mut Vec<DataError>,
        progress: &dyn Progress,
        pipelined: bool,
        warm: impl FnMut(&[Row<'_>]),
        on_row: impl FnMut(&mut Row<'_>),
    ) -> Outcome {
        let mut records = Records::new(input.reader(), 1, 0);
        match self.header(&mut records, errors) {
            Some(header) => self.rows(
                &mut records,
                &header,
                errors,
                progress,
                pipelined,
                warm,
                on_row,
            ),
            None => Outcome {
                failed: true,
                ..Outcome::default()
            },
        }
    }

    /// Reads the header from the start of the file.
    pub(super) fn header<R: Read>(
        &self,
        records: &mut Records<R>,
        errors: &mut Vec<DataError>,
    ) -> Option<Header> {
        let rdr = &mut records.rdr;
        if rdr
            .get_mut()
            .fill_buf()
            .map(|b| b.starts_with(BOM))
            .unwrap_or(false)
        {
            rdr.get_mut().consume(BOM.len());
            records.byte_base += BOM.len() as u64;
        }
        let mut record = csv::ByteRecord::new();
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                errors.push(self.err(
                    1,
                    format!(
                        "file is empty: expected a header row such as {}",
                        self.spec.known.join(",")
                    ),
                ));
                return None;
            }
            Err(e) => {
                let (line, msg) = read_error(&e, 1);
                errors.push(self.err(line, msg));
                return None;
            }
        }
        let line = record.position().map_or(1, |p| p.line());
        self.check_header(&record, line, errors)
    }

    /// Reads data rows to the end of `records`: the rest of the file after
    /// its header, or a stretch of it that starts at a record boundary.
    /// With `pipelined`, the CSV is parsed on a second thread while this
    /// one checks the rows (for a file read while the other core is idle).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn rows<R: Read + Send>(
        &self,
        records: &mut Records<R>,
        header: &Header,
        errors: &mut Vec<DataError>,
        progress: &dyn Progress,
        pipelined: bool,
        mut warm: impl FnMut(&[Row<'_>]),
        mut on_row: impl FnMut(&mut Row<'_>),
    ) -> Outcome {
        let byte_base = records.byte_base;
        let mut batcher = Batcher::new(self, header, records, progress);
        let mut process = |batch: &[(csv::StringRecord, u64)]| {
            let mut rows: Vec<Row<'_>> = batch
                .iter()
                .map(|(record, line)| self.row(record, *line, byte_base, header))
                .collect();
            warm(&rows);
            for row in &mut rows {
                on_row(row);
                if !row.errors.is_empty() {
                    errors.append(&mut row.errors);
                }
            }
        };
        let (structural, outcome) = if pipelined {
            std::thread::scope(|scope| {
                let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<(Batch, usize)>(2);
                let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Batch>();
                for _ in 0..3 {
                    // The receiver is alive: it is in this scope.
                    let _ = empty_tx.send(new_batch());
                }
                let parser = scope.spawn(move || {
                    while let Ok(mut batch) = empty_rx.recv() {
                        let (n, done) = batcher.fill(&mut batch);
                        if full_tx.send((batch, n)).is_err() || done {
                            break;
                        }
                    }
                    batcher.finish()
                });
                for (batch, n) in full_rx {
                    process(&batch[..n]);
                    // Once the parser has sent the last batch it takes no
                    // more back; batches still in the channel are read on.
                    let _ = empty_tx.send(batch);
                }
                parser
                    .join()
                    .unwrap_or_else(|p| std::panic::resume_unwind(p))
            })
        } else {
            let mut batch = new_batch();
            loop {
                let (n, done) = batcher.fill(&mut batch);
                process(&batch[..n]);
                if done {
                    break batcher.finish();
                }
            }
        };
        errors.extend(structural);
        outcome
    }

    fn row<'r>(
        &'r self,
        record: &'r csv::StringRecord,
        line: u64,
        byte_base: u64,
        header: &'r Header,
    ) -> Row<'r> {
        let offset = byte_base + record.position().map_or(0, |p| p.byte());
        Row {
            path: &self.path,
            file: self.file,
            line,
            offset,
            record,
            known: &header.known,
            spec: self.spec,
            extra: &header.extra,
            errors: Vec::new(),
        }
    }

    /// Checks the header and maps the known columns to positions.
    fn check_header(
        &self,
        record: &csv::ByteRecord,
        line: u64,
        errors: &mut Vec<DataError>,
    ) -> Option<Header> {
        let mut names = Vec::with_capacity(record.len());
        for field in record.iter() {
            match std::str::from_utf8(field) {
                Ok(s) => names.push(s.trim().to_lowercase()),
                Err(_) => {
                    errors.push(
                        self.err(line, "invalid UTF-8 in the header; save the file as UTF-8"),
                    );
                    return None;
                }
            }
        }
        let mut ok = true;
        for (i, n) in names.iter().enumerate() {
            if n.is_empty() {
                errors.push(self.err(line, format!("column {} of the header has no name", i + 1)));
                ok = false;
            } else if names[..i].contains(n) {
                errors.push(self.err(line, format!("column \"{n}\" appears twice in the header")));
                ok = false;
            }
        }
        let known: Vec<Option<usize>> = self
            .spec
            .known
            .iter()
            .map(|k| names.iter().position(|n| n == k))
            .collect();
        let missing: Vec<&str> = self
            .spec
            .required
            .iter()
            .filter(|r| !names.iter().any(|n| n == *r))
            .copied()
            .collect();
        if !missing.is_empty() {
            let what = if missing.len() == 1 {
                "column"
            } else {
                "columns"
            };
            // A header read as one cell holding the separators of another
            // spreadsheet export is the usual cause: say so.
            let hint = match names.as_slice() {
                [one] if one.contains(';') => {
                    "; the file looks separated by semicolons: save it as comma-separated CSV"
                }
                [one] if one.contains('\t') => {
                    "; the file looks separated by tabs: save it as comma-separated CSV"
                }
                _ => "",
            };
            let renames: String = missing
                .iter()
                .filter_map(|m| {
                    let extra = names
                        .iter()
                        .filter(|n| !self.spec.known.contains(&n.as_str()));
                    let by_meaning = extra.clone().find(|n| misnamed(m).contains(&n.as_str()));
                    let by_spelling =
                        || crate::text::did_you_mean(m, extra.clone().map(String::as_str));
                    by_meaning
                        .map(String::as_str)
                        .or_else(by_spelling)
                        .map(|n| format!("; did you mean column \"{n}\" for {m}? rename it {m}"))
                })
                .collect();
            errors.push(self.err(
                line,
                format!(
                    "missing {what} {} (the header has: {}){hint}{renames}",
                    missing.join(", "),
                    names.join(",")
                ),
            ));
            ok = false;
        }
        let extra = names
            .iter()
            .enumerate()
            .filter(|(_, n)| !self.spec.known.contains(&n.as_str()))
            .map(|(i, n)| (n.clone(), i))
            .collect();
        ok.then_some(Header {
            known,
            extra,
            width: names.len(),
        })
    }
}

/// A batch of records and their lines; only the first rows of it a
/// [`Batcher::fill`] reports are this batch's.
type Batch = Vec<(csv::StringRecord, u64)>;

fn new_batch() -> Batch {
    (0..BATCH_ROWS)
        .map(|_| (csv::StringRecord::new(), 0))
        .collect()
}

/// Parses records into batches and checks their structure (field count,
/// UTF-8, NUL bytes): the part of reading a file that needs nothing but
/// the file, so it can run on a thread of its own.
struct Batcher<'a, R> {
    file: &'a CsvFile,
    header: &'a Header,
    records: &'a mut Records<R>,
    progress: &'a dyn Progress,
    errors: Vec<DataError>,
    outcome: Outcome,
    last_line: u64,
    rows: u64,
}

impl<'a, R: Read> Batcher<'a, R> {
    fn new(
        file: &'a CsvFile,
        header: &'a Header,
        records: &'a mut Records<R>,
        progress: &'a dyn Progress,
    ) -> Self {
        let last_line = records.line_base;
        Batcher {
            file,
            header,
            records,
            progress,
            errors: Vec::new(),
            outcome: Outcome::default(),
            last_line,
            rows: 0,
        }
    }

    /// Fills `batch` with sound records; returns how many, and whether
    /// the file ended.
    fn fill(&mut self, batch: &mut Batch) -> (usize, bool) {
        let Header {
            known,
            extra,
            width,
        } = self.header;
        let width = *width;
        let spec = self.file.spec;
        let base = self.records.line_base;
        let rdr = &mut self.records.rdr;
        // Rows rejected for their structure still name an id; keep it so
        // references to it are not reported as dangling as well.
        let id_pos = known[0].filter(|_| spec.known[0] == "id");
        let reject = |record: &csv::StringRecord, outcome: &mut Outcome| {
            if let Some(id) = id_pos.and_then(|p| record.get(p)) {
                outcome.rejected_ids.push(id.trim().to_string());
            }
        };
        let mut n = 0;
        while n < batch.len() {
            let (record, record_line) = &mut batch[n];
            match rdr.read_record(record) {
                Ok(true) => {}
                Ok(false) => return (n, true),
                Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                    let csv::ErrorKind::Utf8 { pos, err } = e.kind() else {
                        unreachable!()
                    };
                    let line = pos.as_ref().map_or(self.last_line + 1, |p| base + p.line());
                    self.last_line = line;
                    let column = column_name(spec, known, extra, err.field());
                    self.errors.push(self.file.err(
                        line,
                        format!(
                            "invalid UTF-8 in column {column} (byte {} of the cell); save the file as UTF-8",
                            err.valid_up_to() + 1
                        ),
                    ));
                    continue;
                }
                Err(e) => {
                    let (line, msg) = read_error(&e, self.last_line + 1);
                    self.errors.push(self.file.err(line, msg));
                    self.outcome.failed = true;
                    return (n, true);
                }
            }
            let line = base + record.position().map_or(0, |p| p.line());
            self.last_line = line;
            self.rows += 1;
            if self.rows.is_multiple_of(65536) {
                self.progress.rows(65536);
            }
            if record.len() != width {
                let span = (base + rdr.position().line()).saturating_sub(line);
                let hint = if span > 1 {
                    format!("; this record runs over {span} lines: is a quote left open?")
                } else if record.len() > width {
                    "; quote cells that contain commas".to_string()
                } else {
                    String::new()
                };
                self.errors.push(self.file.err(
                    line,
                    format!(
                        "expected {width} fields as in the header, found {}{hint}",
                        record.len()
                    ),
                ));
                reject(record, &mut self.outcome);
                continue;
            }
            if let Some(nul) = memchr::memchr(0, record.as_slice().as_bytes()) {
                let field = (0..record.len())
                    .find(|&i| record.range(i).is_some_and(|r| r.contains(&nul)))
                    .unwrap_or(0);
                let column = column_name(spec, known, extra, field);
                self.errors
                    .push(self.file.err(line, format!("NUL byte in column {column}")));
                reject(record, &mut self.outcome);
                continue;
            }
            *record_line = line;
            n += 1;
        }
        (n, false)
    }

    /// The structural errors and the outcome, once the file has ended.
    fn finish(mut self) -> (Vec<DataError>, Outcome) {
        self.progress.rows(self.rows % 65536);
        // A quote that is never closed swallows the rest of the file into
        // the last record; the record bounds saw where it opened.
        if let Some(open) = self.records.bounds().open_quote_line() {
            self.errors.push(self.file.err(
                open,
                "unclosed quote: the quoted cell that starts here runs to the end of the file",
            ));
            self.outcome.failed = true;
        }
        (self.errors, self.outcome)
    }
}

fn column_name(
    spec: &Columns,
    known: &[Option<usize>],
    extra: &[(String, usize)],
    i: usize,
) -> String {
    if let Some(k) = known.iter().position(|p| *p == Some(i)) {
        spec.known[k].to_string()
    } else if let Some((n, _)) = extra.iter().find(|(_, p)| *p == i) {
        n.clone()
    } else {
        format!("{}", i + 1)
    }
}

/// The line and message of an error the reader stopped with.
fn read_error(e: &csv::Error, line: u64) -> (u64, String) {
    match e.kind() {
        csv::ErrorKind::Io(io) => {
            match io.get_ref().and_then(|i| i.downcast_ref::<RecordTooLong>()) {
                Some(long) => (long.line, long.why.clone()),
                None => (line, format!("cannot read: {io}")),
            }
        }
        _ => (line, format!("cannot read: {e}")),
    }
}

/// Warnings for a header whose extra columns look like optional known
/// columns it lacks (`quote` where `evidence` is absent): such a column is
/// kept as an attribute, which is rarely what was meant.
pub(crate) fn column_hints(spec: &Columns, header: &[String]) -> Vec<String> {
    let names: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut out = Vec::new();
    for k in spec.known {
        if spec.required.contains(k) || names.iter().any(|n| n == k) {
            continue;
        }
        if let Some(n) = names
            .iter()
            .filter(|n| !spec.known.contains(&n.as_str()))
            .find(|n| misnamed(k).contains(&n.as_str()))
        {
            out.push(format!(
                "column \"{n}\" is kept as an attribute; did you mean {k}? rename it {k}"
            ));
        }
    }
    out
}

/// What other datasets call our columns, for a did-you-mean when one of
/// ours is missing and such a column is there.
fn misnamed(column: &str) -> &'static [&'static str] {
    match column {
        "evidence" => &["quote", "excerpt", "snippet", "extract"],
        "source" => &["url", "source_url", "citation", "reference", "document"],
        "type" => &["relation", "relationship", "rel", "predicate", "label"],
        "from" => &["source", "subject", "src"],
        "to" => &["target", "object", "dst"],
        "name" => &["label", "full_name", "title"],
        "kind" => &["type", "category", "schema"],
        "aliases" => &["alias", "aka", "other_names"],
        "title" => &["name", "headline"],
        "id" => &["key", "identifier", "slug"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn trim_is_str_trim() {
        let ends: Vec<String> = (0u8..128)
            .map(|b| (b as char).to_string())
            .chain(["\u{85}", "\u{a0}", "\u{3000}", "é", "Ж", "総", "\u{2028}"].map(String::from))
            .collect();
        for a in &ends {
            for b in &ends {
                for middle in ["", "x", " y "] {
                    let s = format!("{a}{middle}{b}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                }
            }
        }
        assert_eq!(trim(""), "");
    }
}
