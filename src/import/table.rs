//! Tables read from files as rows of trimmed text cells: CSV and TSV
//! streamed record by record, XLSX, XLS and ODS (through calamine) sheet by
//! sheet. Each table is named as its errors name it: the file, and for a
//! spreadsheet the sheet (`people.xlsx[Staff]`). Every problem is a
//! [`DataError`] at its line; reading goes on after a bad row, so one run
//! reports them all.

use std::cell::Cell;
use std::io::{self, Read};
use std::path::Path;
use std::rc::Rc;

use calamine::{Data, Reader as _};

use crate::error::DataError;
use crate::store::MAX_RECORD_BYTES;

/// What a table reader hands on.
pub trait Rows {
    /// The header row of a table; `false` skips the table.
    fn header(&mut self, table: &str, header: &[String]) -> bool;
    /// A data row, its cells (trimmed) as many as the header's.
    fn row(&mut self, table: &str, line: u64, cells: &[&str]);
    fn error(&mut self, e: DataError);
}

/// The kinds of file read, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Delimited(u8),
    Spreadsheet,
}

fn shape(path: &Path) -> Shape {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "tsv" | "tab" => Shape::Delimited(b'\t'),
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => Shape::Spreadsheet,
        _ => Shape::Delimited(b','),
    }
}

/// Reads every table of `path`, calling `out` for each header and row.
pub fn read(path: &Path, out: &mut dyn Rows) {
    match shape(path) {
        Shape::Delimited(delim) => read_delimited(path, delim, out),
        Shape::Spreadsheet => read_spreadsheet(path, out),
    }
}

/// A reader that fails once more than [`MAX_RECORD_BYTES`] have been read
/// since the record that is being read began: a 2 GB cell is refused
/// after 16 MiB, not held in memory.
struct Bounded<R> {
    inner: R,
    read: u64,
    record_start: Rc<Cell<u64>>,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.read - self.record_start.get() > MAX_RECORD_BYTES {
            return Err(io::Error::other(format!(
                "a record is longer than {} MiB: is a quote left open?",
                MAX_RECORD_BYTES >> 20
            )));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

/// A record as the parser hands it on, with its line: checked as UTF-8
/// on the parser's core (`Err` keeps the bytes of a record that is not, for
/// the message). Records are reused batch after batch: no record is
/// allocated or freed per row.
type Parsed = (Result<csv::StringRecord, csv::ByteRecord>, u64);

/// A used record's buffers, to be read into again.
fn bytes_of(parsed: Parsed) -> csv::ByteRecord {
    match parsed.0 {
        Ok(text) => text.into_byte_record(),
        Err(bytes) => bytes,
    }
}

/// Records parsed at a time: a batch crosses between threads at once.
const BATCH: usize = 512;

/// Parses a delimited file into batches of records, on its own thread:
/// the CSV parsing and the UTF-8 check on one core, everything the
/// records are turned into on the other. Ends with the error that stopped
/// it, if any.
fn parse(
    file: std::fs::File,
    delim: u8,
    name: &str,
    full: std::sync::mpsc::SyncSender<Vec<Parsed>>,
    empty: std::sync::mpsc::Receiver<Vec<Parsed>>,
) -> Option<DataError> {
    let record_start = Rc::new(Cell::new(0));
    let bounded = Bounded {
        inner: io::BufReader::with_capacity(1 << 16, file),
        read: 0,
        record_start: record_start.clone(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(bounded);
    // The header goes alone, so a reader that wants only headers stops
    // before the rest is parsed.
    let mut size = 1;
    let mut spare: Vec<Parsed> = Vec::new();
    loop {
        let mut batch = empty.try_recv().unwrap_or_default();
        // Records of a batch handed back are read into again.
        spare.append(&mut batch);
        let mut failed = None;
        while batch.len() < size {
            let mut record = spare.pop().map(bytes_of).unwrap_or_default();
            let line = reader.position().line();
            record_start.set(reader.position().byte());
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(line, |p| p.line());
                    failed = Some(DataError::at(name, line, csv_error(&e)));
                    break;
                }
            }
            let line = record.position().map_or(line, |p| p.line());
            let text =
                csv::StringRecord::from_byte_record(record).map_err(|e| e.into_byte_record());
            batch.push((text, line));
        }
        let done = failed.is_some() || batch.len() < size;
        if full.send(batch).is_err() || done {
            return failed;
        }
        size = BATCH;
    }
}

fn read_delimited(path: &Path, delim: u8, out: &mut dyn Rows) {
    let name = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return out.error(DataError::file(&name, format!("cannot open: {e}"))),
    };
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<Parsed>>(4);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<Parsed>>();
    std::thread::scope(|scope| {
        let parser = scope.spawn(|| parse(file, delim, &name, full_tx, empty_rx));
        let mut rows = Delimited {
            name: &name,
            out: &mut *out,
            header: None,
            bad_encoding: 0,
            cells: Vec::new(),
        };
        let mut go_on = true;
        for batch in full_rx.iter() {
            if go_on {
                go_on = batch.iter().all(|p| rows.record(p));
            }
            // Dropping the channel's end (leaving the loop) stops the parser.
            if !go_on {
                break;
            }
            let _ = empty_tx.send(batch);
        }
        drop(full_rx);
        let failed = parser
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        if let Some(e) = failed
            && go_on
        {
            rows.out.error(e);
            return;
        }
        if !go_on {
            return;
        }
        if rows.bad_encoding > 3 {
            rows.out.error(DataError::file(
                &name,
                format!("{} more lines are not UTF-8", rows.bad_encoding - 3),
            ));
        }
        if rows.header.is_none() && rows.bad_encoding == 0 {
            rows.out.error(DataError::file(
                &name,
                "the file is empty: expected a header row naming the columns, then one row a relation or entity",
            ));
        }
    });
}

/// The reading of one delimited file, record by record.
struct Delimited<'a> {
    name: &'a str,
    out: &'a mut dyn Rows,
    header: Option<Vec<String>>,
    bad_encoding: u64,
    /// The buffer of a row's cells, empty between rows.
    cells: Vec<&'static str>,
}

impl Delimited<'_> {
    /// Hands one record on; `false` when the file is to be read no further.
    fn record(&mut self, parsed: &Parsed) -> bool {
        let line = parsed.1;
        let record = match &parsed.0 {
            Ok(text) => text,
            Err(bytes) => {
                if self.bad_encoding < 3
                    && let Some((i, cell, e)) = bytes
                        .iter()
                        .enumerate()
                        .find_map(|(i, c)| std::str::from_utf8(c).err().map(|e| (i, c, e)))
                {
                    self.out
                        .error(DataError::at(self.name, line, not_utf8(cell, e, i)));
                }
                self.bad_encoding += 1;
                return true;
            }
        };
        // The cells' vector is the same row after row (emptied, it holds
        // no borrow and is collected back in place).
        let mut cells: Vec<&str> = std::mem::take(&mut self.cells)
            .into_iter()
            .map(|_| "")
            .collect();
        cells.extend(
            record
                .iter()
                .map(|c| match (c.as_bytes().first(), c.as_bytes().last()) {
                    (Some(a), Some(b))
                        if !a.is_ascii_whitespace()
                            && !b.is_ascii_whitespace()
                            && a.is_ascii()
                            && b.is_ascii() =>
                    {
                        c
                    }
                    _ => c.trim(),
                }),
        );
        let go_on = self.cells(line, &mut cells);
        cells.clear();
        self.cells = cells.into_iter().map(|_| "").collect();
        go_on
    }

    fn cells(&mut self, line: u64, cells: &mut [&str]) -> bool {
        if line == 1
            && let Some(first) = cells.first_mut()
        {
            *first = first.strip_prefix('\u{FEFF}').unwrap_or(first).trim();
        }
        if cells.iter().all(|c| c.is_empty()) {
            return true;
        }
        match &self.header {
            None => {
                let header: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
                if !check_header(self.name, line, &header, self.out) {
                    return false;
                }
                if !self.out.header(self.name, &header) {
                    return false;
                }
                self.header = Some(header);
            }
            Some(h) => {
                if cells.len() != h.len() {
                    self.out.error(DataError::at(
                        self.name,
                        line,
                        format!(
                            "{} cells where the header has {} columns",
                            cells.len(),
                            h.len()
                        ),
                    ));
                    return true;
                }
                self.out.row(self.name, line, cells);
            }
        }
        true
    }
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    }
}

/// Says a cell is not UTF-8 and, for the usual case, how to convert it.
fn not_utf8(cell: &[u8], e: std::str::Utf8Error, column: usize) -> String {
    let byte = cell[e.valid_up_to()];
    let latin1 = (0xA0..=0xFF).contains(&byte) || (0x80..0xA0).contains(&byte);
    let guess: String = cell.iter().map(|&b| b as char).take(40).collect();
    let mut msg = format!("column {}: not UTF-8 (byte 0x{byte:02X})", column + 1);
    if latin1 {
        msg.push_str(&format!(
            "; it reads as Latin-1 (Windows-1252) text \"{guess}\": convert the file with \
             `iconv -f WINDOWS-1252 -t UTF-8 FILE > FILE.utf8.csv`, or save it from the \
             spreadsheet as \"CSV UTF-8\""
        ));
    }
    msg
}

/// Refuses duplicate and empty header names (a column no one can map).
fn check_header(name: &str, line: u64, header: &[String], out: &mut dyn Rows) -> bool {
    let mut ok = true;
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            out.error(DataError::at(
                name,
                line,
                format!("column {} has no name in the header row", i + 1),
            ));
            ok = false;
        } else if let Some(j) = header[..i].iter().position(|o| o.eq_ignore_ascii_case(h)) {
            out.error(DataError::at(
                name,
                line,
                format!(
                    "duplicate column \"{h}\" (columns {} and {}): rename one",
                    j + 1,
                    i + 1
                ),
            ));
            ok = false;
        }
    }
    ok
}

fn read_spreadsheet(path: &Path, out: &mut dyn Rows) {
    let name = path.display().to_string();
    let mut book = match calamine::open_workbook_auto(path) {
        Ok(b) => b,
        Err(e) => {
            return out.error(DataError::file(
                &name,
                format!("cannot read as a spreadsheet: {e}"),
            ));
        }
    };
    let mut tables = 0;
    for sheet in book.sheet_names() {
        let table = format!("{name}[{sheet}]");
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                out.error(DataError::file(
                    &table,
                    format!("cannot read the sheet: {e}"),
                ));
                continue;
            }
        };
        let Some((first_row, _)) = range.start() else {
            continue;
        };
        let mut header: Option<Vec<String>> = None;
        for (i, row) in range.rows().enumerate() {
            let line = u64::from(first_row) + i as u64 + 1;
            let mut cells: Vec<String> = row.iter().map(cell_text).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            match &header {
                None => {
                    // Spreadsheets pad rows to the widest one: trailing
                    // unnamed columns are empty space, not data.
                    while cells.last().is_some_and(String::is_empty) {
                        cells.pop();
                    }
                    if !check_header(&table, line, &cells, out) {
                        break;
                    }
                    tables += 1;
                    if !out.header(&table, &cells) {
                        break;
                    }
                    header = Some(cells);
                }
                Some(h) => {
                    if cells[h.len()..].iter().any(|c| !c.is_empty()) {
                        out.error(DataError::at(
                            &table,
                            line,
                            format!("a cell beyond the header's {} columns", h.len()),
                        ));
                        continue;
                    }
                    cells.truncate(h.len());
                    let cells: Vec<&str> = cells.iter().map(String::as_str).collect();
                    out.row(&table, line, &cells);
                }
            }
        }
    }
    if tables == 0 {
        out.error(DataError::file(
            &name,
            "no sheet has any data: expected a header row naming the columns",
        ));
    }
}

/// A spreadsheet cell as text: whole numbers without `.0`, dates as ISO.
fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => {
            let (y, m, d, ..) = dt.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{d:02}")
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}
