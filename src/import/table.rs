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

/// Work on a data row that needs nothing but the row (trimmed text,
/// dates read, output cells encoded …): done ahead of [`Rows::row`], on
/// the thread that parses a delimited file, so both cores work.
pub trait Prepare: Send {
    /// What a row is made into; reused row after row.
    type Row: Default + Send;
    fn prepare(&mut self, line: u64, cells: &[&str], row: &mut Self::Row);
}

/// No work ahead.
pub struct Unprepared;

impl Prepare for Unprepared {
    type Row = ();
    fn prepare(&mut self, _: u64, _: &[&str], _: &mut ()) {}
}

/// What a table reader hands on.
pub trait Rows {
    type Prep: Prepare;
    /// The header row of a table: `None` skips the table, else what
    /// prepares its rows.
    fn header(&mut self, table: &str, header: &[String]) -> Option<Self::Prep>;
    /// A data row, its cells (trimmed) as many as the header's, and what
    /// [`Prepare::prepare`] made of them.
    fn row(
        &mut self,
        table: &str,
        line: u64,
        cells: &[&str],
        prepared: &<Self::Prep as Prepare>::Row,
    );
    fn error(&mut self, e: DataError);
    /// The prepared rows of a batch, before they are handed on one by one:
    /// to start fetching what they will look up, so that the fetches
    /// overlap.
    fn ahead<'a>(&mut self, _rows: impl Iterator<Item = &'a <Self::Prep as Prepare>::Row> + Clone)
    where
        <Self::Prep as Prepare>::Row: 'a,
    {
    }
    /// The preparer back at the end of a table (what it remembers is kept
    /// for the next).
    fn done(&mut self, prep: Self::Prep);
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
pub fn read<R: Rows>(path: &Path, out: &mut R) {
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

/// A record as the parser hands it on, with its line and what it is:
/// checked as UTF-8, trimmed and prepared on the parser's core. Records
/// are reused batch after batch: no record is allocated or freed per row.
struct Item<T> {
    /// `Err` keeps the bytes of a record that is not UTF-8; `None` only
    /// while it is being read into.
    record: Option<Result<csv::StringRecord, csv::ByteRecord>>,
    line: u64,
    /// The trimmed cells, as byte ranges of the record's text.
    cells: Vec<(u32, u32)>,
    what: What,
    prepared: T,
}

enum What {
    /// A data row, prepared.
    Row,
    /// An empty row, or one not UTF-8 past the third.
    Skip,
    Error(DataError),
    /// The header row, or why it is refused.
    Header(Result<Vec<String>, Vec<DataError>>),
}

/// Records parsed at a time: a batch crosses between threads at once.
const BATCH: usize = 512;

/// A batch: its first `len` items are read. Batches go back and forth,
/// their items filled in place (an item is a few hundred bytes: moving
/// them from batch to batch cost more than the CSV parsing).
struct Batch<T> {
    items: Vec<Item<T>>,
    len: usize,
}

impl<T> Default for Batch<T> {
    fn default() -> Self {
        Batch {
            items: Vec::new(),
            len: 0,
        }
    }
}

/// A vector of cells to be filled again row after row: empty between rows,
/// it holds no borrow (and is collected back in place, not reallocated).
#[derive(Default)]
struct CellBuf(Vec<&'static str>);

impl CellBuf {
    fn with<'a, R>(&mut self, f: impl FnOnce(&mut Vec<&'a str>) -> R) -> R {
        let mut cells: Vec<&'a str> = std::mem::take(&mut self.0)
            .into_iter()
            .map(|_| "")
            .collect();
        let r = f(&mut cells);
        cells.clear();
        self.0 = cells.into_iter().map(|_| "").collect();
        r
    }
}

/// The cells of a record, trimmed (and the first line's byte order mark
/// taken off), into `cells`.
fn trimmed<'a>(record: &'a csv::StringRecord, line: u64, cells: &mut Vec<&'a str>) {
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
    if line == 1
        && let Some(first) = cells.first_mut()
    {
        *first = first.strip_prefix('\u{FEFF}').unwrap_or(first).trim();
    }
}

/// How the parser ended.
struct Ended<P> {
    /// The error that stopped it, if any.
    failed: Option<DataError>,
    /// The header was refused, by its checks or by the reader: the rest
    /// of the file is not read.
    stopped: bool,
    header: bool,
    bad_encoding: u64,
    prep: Option<P>,
}

/// Parses a delimited file on its own thread into batches of records:
/// the CSV parsing, the UTF-8 check, the trimming and the rows' preparing
/// on one core, what the reader makes of them on the other. After the
/// header it waits for the preparer of the rows (`None` stops it).
fn parse<P: Prepare>(
    file: std::fs::File,
    delim: u8,
    name: &str,
    full: std::sync::mpsc::SyncSender<Batch<P::Row>>,
    empty: std::sync::mpsc::Receiver<Batch<P::Row>>,
    preps: std::sync::mpsc::Receiver<Option<P>>,
) -> Ended<P> {
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
    let mut ended: Ended<P> = Ended {
        failed: None,
        stopped: false,
        header: false,
        bad_encoding: 0,
        prep: None,
    };
    let mut columns = 0;
    let mut cells = CellBuf::default();
    loop {
        // A batch handed back is read into again.
        let mut batch = empty.try_recv().unwrap_or_default();
        batch.len = 0;
        let mut at_header = false;
        let mut refused = false;
        let mut eof = false;
        while batch.len < BATCH {
            if batch.len == batch.items.len() {
                batch.items.push(Item {
                    record: None,
                    line: 0,
                    cells: Vec::new(),
                    what: What::Skip,
                    prepared: P::Row::default(),
                });
            }
            let item = &mut batch.items[batch.len];
            let mut record = match item.record.take() {
                Some(Ok(text)) => text.into_byte_record(),
                Some(Err(bytes)) => bytes,
                None => csv::ByteRecord::new(),
            };
            let line = reader.position().line();
            record_start.set(reader.position().byte());
            match reader.read_byte_record(&mut record) {
                Ok(false) => {
                    eof = true;
                    break;
                }
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(line, |p| p.line());
                    ended.failed = Some(DataError::at(name, line, csv_error(&e)));
                    eof = true;
                    break;
                }
            }
            item.line = record.position().map_or(line, |p| p.line());
            let record = item.record.insert(
                csv::StringRecord::from_byte_record(record).map_err(|e| e.into_byte_record()),
            );
            item.what = match record {
                Err(bytes) => {
                    let mut what = What::Skip;
                    if ended.bad_encoding < 3
                        && let Some((i, cell, e)) = bytes
                            .iter()
                            .enumerate()
                            .find_map(|(i, c)| std::str::from_utf8(c).err().map(|e| (i, c, e)))
                    {
                        what = What::Error(DataError::at(name, item.line, not_utf8(cell, e, i)));
                    }
                    ended.bad_encoding += 1;
                    what
                }
                Ok(text) => cells.with(|cells| {
                    trimmed(text, item.line, cells);
                    let base = text.as_slice().as_ptr() as usize;
                    item.cells.clear();
                    item.cells.extend(cells.iter().map(|c| {
                        let at = c.as_ptr() as usize - base;
                        (at as u32, (at + c.len()) as u32)
                    }));
                    if cells.iter().all(|c| c.is_empty()) {
                        What::Skip
                    } else if !ended.header {
                        let header: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
                        let mut problems = Vec::new();
                        check_header(name, item.line, &header, &mut problems);
                        at_header = true;
                        refused = !problems.is_empty();
                        What::Header(if problems.is_empty() {
                            columns = header.len();
                            Ok(header)
                        } else {
                            Err(problems)
                        })
                    } else if cells.len() != columns {
                        What::Error(DataError::at(
                            name,
                            item.line,
                            format!(
                                "{} cells where the header has {} columns",
                                cells.len(),
                                columns
                            ),
                        ))
                    } else {
                        match &mut ended.prep {
                            Some(prep) => {
                                prep.prepare(item.line, cells, &mut item.prepared);
                                What::Row
                            }
                            None => What::Skip,
                        }
                    }
                }),
            };
            batch.len += 1;
            if at_header {
                break;
            }
        }
        if full.send(batch).is_err() || eof {
            return ended;
        }
        if refused {
            ended.stopped = true;
            return ended;
        }
        if at_header {
            ended.header = true;
            // The reader says whether to go on, and how rows are prepared.
            match preps.recv() {
                Ok(Some(prep)) => ended.prep = Some(prep),
                _ => {
                    ended.stopped = true;
                    return ended;
                }
            }
        }
    }
}

fn read_delimited<R: Rows>(path: &Path, delim: u8, out: &mut R) {
    let name = path.display().to_string();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return out.error(DataError::file(&name, format!("cannot open: {e}"))),
    };
    type Of<R> = Batch<<<R as Rows>::Prep as Prepare>::Row>;
    let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Of<R>>(4);
    let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Of<R>>();
    let (prep_tx, prep_rx) = std::sync::mpsc::channel::<Option<R::Prep>>();
    std::thread::scope(|scope| {
        let parser = scope.spawn(|| parse(file, delim, &name, full_tx, empty_rx, prep_rx));
        let mut cells = CellBuf::default();
        // The parser stops when the header is refused; every batch it
        // sent before is read.
        for mut batch in full_rx.iter() {
            let items = &mut batch.items[..batch.len];
            out.ahead(
                items
                    .iter()
                    .filter(|item| matches!(item.what, What::Row))
                    .map(|item| &item.prepared),
            );
            for item in items {
                match std::mem::replace(&mut item.what, What::Skip) {
                    What::Skip => {}
                    What::Error(e) => out.error(e),
                    What::Header(Err(problems)) => {
                        problems.into_iter().for_each(|e| out.error(e));
                    }
                    What::Header(Ok(header)) => {
                        let _ = prep_tx.send(out.header(&name, &header));
                    }
                    What::Row => {
                        if let Some(Ok(text)) = &item.record {
                            let text = text.as_slice();
                            cells.with(|cells| {
                                cells.extend(
                                    item.cells
                                        .iter()
                                        .map(|&(a, b)| &text[a as usize..b as usize]),
                                );
                                out.row(&name, item.line, cells, &item.prepared);
                            });
                        }
                    }
                }
            }
            let _ = empty_tx.send(batch);
        }
        let ended = parser
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        if let Some(prep) = ended.prep {
            out.done(prep);
        }
        if ended.stopped {
            return;
        }
        if let Some(e) = ended.failed {
            out.error(e);
            return;
        }
        if ended.bad_encoding > 3 {
            out.error(DataError::file(
                &name,
                format!("{} more lines are not UTF-8", ended.bad_encoding - 3),
            ));
        }
        if !ended.header && ended.bad_encoding == 0 {
            out.error(DataError::file(
                &name,
                "the file is empty: expected a header row naming the columns, then one row a relation or entity",
            ));
        }
    });
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

/// Refuses duplicate and empty header names (a column no one can map):
/// `false` with the problems pushed on `out`.
fn check_header(name: &str, line: u64, header: &[String], out: &mut Vec<DataError>) -> bool {
    let mut ok = true;
    for (i, h) in header.iter().enumerate() {
        if h.is_empty() {
            out.push(DataError::at(
                name,
                line,
                format!("column {} has no name in the header row", i + 1),
            ));
            ok = false;
        } else if let Some(j) = header[..i].iter().position(|o| o.eq_ignore_ascii_case(h)) {
            out.push(DataError::at(
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

fn read_spreadsheet<R: Rows>(path: &Path, out: &mut R) {
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
        let mut header: Option<(Vec<String>, R::Prep)> = None;
        let mut prepared = Default::default();
        for (i, row) in range.rows().enumerate() {
            let line = u64::from(first_row) + i as u64 + 1;
            let mut cells: Vec<String> = row.iter().map(cell_text).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            match &mut header {
                None => {
                    // Spreadsheets pad rows to the widest one: trailing
                    // unnamed columns are empty space, not data.
                    while cells.last().is_some_and(String::is_empty) {
                        cells.pop();
                    }
                    let mut problems = Vec::new();
                    let checked = check_header(&table, line, &cells, &mut problems);
                    problems.into_iter().for_each(|e| out.error(e));
                    if !checked {
                        break;
                    }
                    tables += 1;
                    let Some(prep) = out.header(&table, &cells) else {
                        break;
                    };
                    header = Some((cells, prep));
                }
                Some((h, prep)) => {
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
                    prep.prepare(line, &cells, &mut prepared);
                    out.row(&table, line, &cells, &prepared);
                }
            }
        }
        if let Some((_, prep)) = header {
            out.done(prep);
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
