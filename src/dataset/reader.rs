//! One CSV file of a dataset, read record by record into checked cells.
//!
//! The structure of the file is checked here (header, field counts, UTF-8,
//! quoting); the meaning of each row is checked by the caller through
//! [`Row`]'s typed getters, which record a `PATH:LINE` error and go on.

use std::io::{BufRead, BufReader};

use crate::error::DataError;
use crate::model::{Attrs, Date, Interner};

use super::guard::{Guard, RecordTooLong};
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
    pub const SOURCE_ID: Col = Col(0);
    pub const TITLE: Col = Col(1);
    pub const PUBLISHER: Col = Col(2);
    pub const PUBLISHED: Col = Col(3);
    pub const URL: Col = Col(4);
    pub const LANGUAGE: Col = Col(5);
    pub const FILE: Col = Col(6);
    // entities.csv
    pub const ENTITY_ID: Col = Col(0);
    pub const KIND: Col = Col(1);
    pub const NAME: Col = Col(2);
    pub const ALIASES: Col = Col(3);
    pub const COUNTRY: Col = Col(4);
    pub const DESCRIPTION: Col = Col(7);
    // relations.csv
    pub const FROM: Col = Col(0);
    pub const TO: Col = Col(1);
    pub const TYPE: Col = Col(2);
    pub const ROLE: Col = Col(3);
    pub const SOURCE: Col = Col(6);
    pub const EVIDENCE: Col = Col(7);
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

pub(crate) struct CsvFile<'a> {
    path: &'a str,
    file: u16,
    spec: &'a Columns,
}

/// One data row: its cells by column name, and the errors found in it.
pub(crate) struct Row<'a> {
    pub path: &'a str,
    pub file: u16,
    pub line: u64,
    record: &'a csv::StringRecord,
    /// For each known column, its position in the record (if present).
    known: &'a [Option<usize>],
    spec: &'a Columns,
    /// Extra columns: header name and position.
    extra: &'a [(String, usize)],
    pub errors: Vec<DataError>,
}

impl<'a> Row<'a> {
    pub fn error(&mut self, message: impl Into<String>) {
        self.errors
            .push(DataError::at(self.path, self.line, message));
    }

    fn cell(&self, column: Col) -> Option<&'a str> {
        self.known[column.0].map(|pos| self.record.get(pos).unwrap_or("").trim())
    }

    fn name(&self, column: Col) -> &'static str {
        self.spec.known[column.0]
    }

    /// A required cell; records an error when it is empty.
    pub fn required(&mut self, column: Col) -> Option<&'a str> {
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
    pub fn optional(&self, column: Col) -> &'a str {
        self.cell(column).unwrap_or("")
    }

    /// An optional date; `None` (with an error recorded) when it is bad.
    pub fn date(&mut self, column: Col) -> Option<Option<Date>> {
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
    pub fn span(&mut self) -> (Option<Date>, Option<Date>) {
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
    pub fn attrs(&self, strings: &mut Interner) -> Attrs {
        self.extra
            .iter()
            .filter_map(|(name, pos)| {
                let v = self.record.get(*pos).unwrap_or("").trim();
                (!v.is_empty()).then(|| (strings.intern(name), v.into()))
            })
            .collect()
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

impl<'a> CsvFile<'a> {
    pub fn new(path: &'a str, file: u16, spec: &'a Columns) -> Self {
        CsvFile { path, file, spec }
    }

    fn err(&self, line: u64, message: impl Into<String>) -> DataError {
        DataError::at(self.path, line, message)
    }

    /// Reads every record, calling `on_row` for each structurally sound one
    /// and pushing structural errors into `errors`. Returns what the caller
    /// needs to avoid reporting one problem twice: whether the file as a
    /// whole could not be read, and the ids of rows rejected here.
    pub fn read(
        &mut self,
        input: &mut Input<'_>,
        errors: &mut Vec<DataError>,
        progress: &dyn Progress,
        mut on_row: impl FnMut(&mut Row<'_>),
    ) -> Outcome {
        let mut outcome = Outcome::default();
        let mut last_line = 0;
        let mut buf = BufReader::with_capacity(1 << 16, Guard::new(input.reader()));
        if buf.fill_buf().map(|b| b.starts_with(BOM)).unwrap_or(false) {
            buf.consume(BOM.len());
        }
        {
            // Records end at LF only: with CRLF as a terminator the csv
            // crate starts each record at the LF of the previous line and
            // reports it one line early. A trailing CR is trimmed with the
            // rest of a cell's white space.
            let mut rdr = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .terminator(csv::Terminator::Any(b'\n'))
                .from_reader(&mut buf);
            let mut record = csv::ByteRecord::new();
            // The header.
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
                    outcome.failed = true;
                    return outcome;
                }
                Err(e) => {
                    let (line, msg) = read_error(&e, 1);
                    errors.push(self.err(line, msg));
                    outcome.failed = true;
                    return outcome;
                }
            }
            let header_line = record.position().map_or(1, |p| p.line());
            let Some((known, extra, width)) = self.header(&record, header_line, errors) else {
                outcome.failed = true;
                return outcome;
            };
            // Rows rejected for their structure still name an id; keep it
            // so references to it are not reported as dangling as well.
            let id_pos = known[0].filter(|_| self.spec.known[0] == "id");
            let reject = |record: &csv::StringRecord, outcome: &mut Outcome| {
                if let Some(id) = id_pos.and_then(|p| record.get(p)) {
                    outcome.rejected_ids.push(id.trim().to_string());
                }
            };
            let mut rows = 0u64;
            // Data rows are read as strings: the csv crate checks UTF-8 once
            // per record, and the record's buffers are reused row to row.
            let mut record = csv::StringRecord::new();
            loop {
                match rdr.read_record(&mut record) {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) if matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) => {
                        let csv::ErrorKind::Utf8 { pos, err } = e.kind() else {
                            unreachable!()
                        };
                        let line = pos.as_ref().map_or(last_line + 1, |p| p.line());
                        last_line = line;
                        let column = column_name(self.spec, &known, &extra, err.field());
                        errors.push(self.err(
                            line,
                            format!(
                                "invalid UTF-8 in column {column} (byte {} of the cell); save the file as UTF-8",
                                err.valid_up_to() + 1
                            ),
                        ));
                        continue;
                    }
                    Err(e) => {
                        let (line, msg) = read_error(&e, last_line + 1);
                        errors.push(self.err(line, msg));
                        outcome.failed = true;
                        break;
                    }
                }
                let line = record.position().map_or(0, |p| p.line());
                last_line = line;
                rows += 1;
                if rows.is_multiple_of(65536) {
                    progress.rows(65536);
                }
                if record.len() != width {
                    let span = rdr.position().line().saturating_sub(line);
                    let hint = if span > 1 {
                        format!("; this record runs over {span} lines: is a quote left open?")
                    } else if record.len() > width {
                        "; quote cells that contain commas".to_string()
                    } else {
                        String::new()
                    };
                    errors.push(self.err(
                        line,
                        format!(
                            "expected {width} fields as in the header, found {}{hint}",
                            record.len()
                        ),
                    ));
                    reject(&record, &mut outcome);
                    continue;
                }
                if let Some(nul) = memchr::memchr(0, record.as_slice().as_bytes()) {
                    let field = (0..record.len())
                        .find(|&i| record.range(i).is_some_and(|r| r.contains(&nul)))
                        .unwrap_or(0);
                    let column = column_name(self.spec, &known, &extra, field);
                    errors.push(self.err(line, format!("NUL byte in column {column}")));
                    reject(&record, &mut outcome);
                    continue;
                }
                let mut row = Row {
                    path: self.path,
                    file: self.file,
                    line,
                    record: &record,
                    known: &known,
                    spec: self.spec,
                    extra: &extra,
                    errors: Vec::new(),
                };
                on_row(&mut row);
                if !row.errors.is_empty() {
                    errors.append(&mut row.errors);
                }
            }
            progress.rows(rows % 65536);
        }
        // A quote that is never closed swallows the rest of the file into
        // the last record; the guard saw where it opened.
        if let Some(open) = buf.get_ref().open_quote_line() {
            errors.push(self.err(
                open,
                "unclosed quote: the quoted cell that starts here runs to the end of the file",
            ));
            outcome.failed = true;
        }
        outcome
    }

    /// Checks the header and maps the known columns to positions.
    #[allow(clippy::type_complexity)]
    fn header(
        &self,
        record: &csv::ByteRecord,
        line: u64,
        errors: &mut Vec<DataError>,
    ) -> Option<(Vec<Option<usize>>, Vec<(String, usize)>, usize)> {
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
            errors.push(self.err(
                line,
                format!(
                    "missing {what} {} (the header has: {}){hint}",
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
        ok.then_some((known, extra, names.len()))
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
