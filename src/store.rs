//! Long texts that are many and mostly unread — the evidence of millions
//! of relations — left where they are: in the relations files.
//!
//! Loading checks every evidence cell (it must be valid UTF-8 like every
//! other cell) but keeps only where its record starts: 8 bytes a relation,
//! instead of the text. Showing one reads the record again and parses it.
//! Each file is held open from the moment loading starts, so a file
//! replaced by a new one (how editors and `export` save) is still read as
//! it was loaded; a file changed in place is noticed (its size or time
//! changed) and its texts are reported unavailable, never wrong. Files
//! given as bytes in memory (the embedded dataset) are read from memory.
//!
//! The last stretch of file read is kept per thread, so reading texts in
//! file order (an export) reads each part of the file once.

use std::borrow::Cow;
use std::cell::RefCell;
use std::fs::File;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// Bytes read at a time when reading texts in file order, and for one
/// text looked up on its own; a longer record is read whole.
/// The longest record the loader accepts, in bytes. Real rows are far
/// shorter; a longer one is a file that is not CSV, or a quote left open.
/// It lives here, below the loader, because reading a text back must know
/// it too: no accepted record is longer, so a longer one means the file
/// changed.
pub const MAX_RECORD_BYTES: u64 = 16 << 20;

const CHUNK_BYTES: usize = 64 << 10;
const LOOKUP_BYTES: usize = 4 << 10;

/// Why a text could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    #[error("{path} changed since it was loaded; load it again to see this evidence")]
    Changed { path: String },
    #[error("cannot read {path}: {why}")]
    Unreadable { path: String, why: String },
}

/// A relations file, as the loader saw it.
#[derive(Debug, Clone)]
pub struct TextFile {
    /// The file as the user named it, for messages.
    pub path: String,
    /// Where the text is in each record (none: no such column).
    pub column: Option<usize>,
    pub bytes: FileBytes,
}

/// Where a file's bytes are.
#[derive(Debug, Clone)]
pub enum FileBytes {
    Memory(Cow<'static, [u8]>),
    /// A file held open, with its size and time when it was opened.
    Disk {
        file: Arc<File>,
        len: u64,
        modified: Option<SystemTime>,
    },
}

impl FileBytes {
    /// Holds an open file (a handle of its own) and remembers how it looked.
    pub fn held(file: &File) -> std::io::Result<FileBytes> {
        let file = file.try_clone()?;
        let meta = file.metadata()?;
        Ok(FileBytes::Disk {
            file: Arc::new(file),
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// For each text, where its record starts in which file. Immutable once
/// built.
#[derive(Debug, Default)]
pub struct TextStore {
    /// A number of its own, so the per-thread cache knows whose bytes it holds.
    id: u64,
    files: Vec<TextFile>,
    /// The first text of each file; texts of one file are consecutive.
    firsts: Vec<u32>,
    /// Byte offset of each text's record in its file.
    offsets: Vec<u64>,
}

/// Collects where texts are, file by file.
#[derive(Debug, Default)]
pub struct TextStoreBuilder {
    files: Vec<TextFile>,
    firsts: Vec<u32>,
    offsets: Vec<u64>,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// A stretch of a file read last on this thread.
struct Chunk {
    store: u64,
    file: usize,
    start: u64,
    /// Whether the stretch runs to the end of the file.
    at_end: bool,
    bytes: Vec<u8>,
}

thread_local! {
    static LAST_CHUNK: RefCell<Option<Chunk>> = const { RefCell::new(None) };
}

impl TextStoreBuilder {
    /// Starts the texts of a new file.
    pub fn file(&mut self, file: TextFile) {
        self.files.push(file);
        self.firsts.push(self.offsets.len() as u32);
    }

    /// Adds records of the current file, by their byte offsets.
    pub fn extend(&mut self, offsets: impl IntoIterator<Item = u64>) {
        self.offsets.extend(offsets);
    }

    /// [`TextStoreBuilder::extend`] with a vector the caller is done with:
    /// the first one is kept as it is, not copied (eight bytes a relation
    /// held twice at the peak of a load).
    pub fn append(&mut self, mut offsets: Vec<u64>) {
        if self.offsets.is_empty() {
            self.offsets = offsets;
        } else {
            self.offsets.append(&mut offsets);
        }
    }

    pub fn finish(mut self) -> TextStore {
        self.offsets.shrink_to_fit();
        TextStore {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            files: self.files,
            firsts: self.firsts,
            offsets: self.offsets,
        }
    }
}

impl TextStore {
    /// The files, the number of the first text of each, and where every
    /// text's record starts: what a snapshot stores.
    pub fn parts(&self) -> (&[TextFile], &[u32], &[u64]) {
        (&self.files, &self.firsts, &self.offsets)
    }

    /// Text `i`: the cell of its record, trimmed. Panics if there is no
    /// such text: numbers come from the builder, so a bad one is a bug.
    pub fn get(&self, i: u32) -> Result<String, TextError> {
        let f = self.firsts.partition_point(|&first| first <= i) - 1;
        let file = &self.files[f];
        let Some(column) = file.column else {
            return Ok(String::new());
        };
        let offset = self.offsets[i as usize];
        LAST_CHUNK.with(|cache| {
            let mut cache = cache.borrow_mut();
            // From the stretch read last, if the record starts in it.
            if let Some(c) = cache.as_ref().filter(|c| {
                c.store == self.id
                    && c.file == f
                    && c.start <= offset
                    && offset - c.start < c.bytes.len() as u64
            }) && let Some(text) =
                record_cell(&c.bytes[(offset - c.start) as usize..], column, c.at_end)
            {
                return Ok(text);
            }
            // Else from a new stretch, as long as the record needs: a long
            // one when reading on from the last (an export in file order),
            // a short one for a text looked up on its own.
            let reading_on = cache.as_ref().is_some_and(|c| {
                c.store == self.id
                    && c.file == f
                    && c.start <= offset
                    && offset <= c.start + (c.bytes.len() + LOOKUP_BYTES) as u64
            });
            let mut want = if reading_on {
                CHUNK_BYTES
            } else {
                LOOKUP_BYTES
            };
            loop {
                let bytes = read_at(file, offset, want)?;
                let at_end = bytes.len() < want;
                let text = record_cell(&bytes, column, at_end);
                *cache = Some(Chunk {
                    store: self.id,
                    file: f,
                    start: offset,
                    at_end,
                    bytes,
                });
                match text {
                    Some(text) => return Ok(text),
                    // No record the loader accepted is this long: the
                    // file is not what was loaded.
                    None if want > 4 * MAX_RECORD_BYTES as usize => {
                        return Err(TextError::Changed {
                            path: file.path.clone(),
                        });
                    }
                    None => want *= 4,
                }
            }
        })
    }
}

/// Up to `want` bytes of `file` from `offset`; fewer only at its end.
fn read_at(file: &TextFile, offset: u64, want: usize) -> Result<Vec<u8>, TextError> {
    match &file.bytes {
        FileBytes::Memory(bytes) => {
            let start = usize::try_from(offset)
                .unwrap_or(usize::MAX)
                .min(bytes.len());
            let end = start.saturating_add(want).min(bytes.len());
            Ok(bytes[start..end].to_vec())
        }
        FileBytes::Disk {
            file: f,
            len,
            modified,
        } => {
            let unreadable = |e: std::io::Error| TextError::Unreadable {
                path: file.path.clone(),
                why: e.to_string(),
            };
            let meta = f.metadata().map_err(unreadable)?;
            if meta.len() != *len || meta.modified().ok() != *modified {
                return Err(TextError::Changed {
                    path: file.path.clone(),
                });
            }
            let n = usize::try_from(len.saturating_sub(offset))
                .unwrap_or(usize::MAX)
                .min(want);
            let mut buf = vec![0u8; n];
            read_exact_at(f, &mut buf, offset).map_err(unreadable)?;
            Ok(buf)
        }
    }
}

#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, offset)
}

#[cfg(not(unix))]
fn read_exact_at(f: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = f.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}

/// The trimmed cell `column` of the record at the start of `bytes`, or
/// `None` when the record may run past `bytes`: it does not end before
/// them and they are not the end of the file.
///
/// Each thread keeps one built parser and resets it per record: building
/// one (its transition table, its buffers) cost several times the reading
/// of a record, and an export reads one record per relation.
fn record_cell(bytes: &[u8], column: usize, at_end: bool) -> Option<String> {
    use csv_core::ReadFieldResult;
    thread_local! {
        static READER: std::cell::RefCell<csv_core::Reader> = std::cell::RefCell::new(
            csv_core::ReaderBuilder::new()
                .terminator(csv_core::Terminator::Any(b'\n'))
                .build(),
        );
    }
    READER.with_borrow_mut(|rdr| {
        rdr.reset();
        let mut input = bytes;
        let mut field = 0;
        let mut cell = Vec::new();
        let mut out = [0u8; 1024];
        loop {
            let (res, read, written) = rdr.read_field(input, &mut out);
            input = &input[read..];
            if field == column {
                cell.extend_from_slice(&out[..written]);
            }
            match res {
                ReadFieldResult::OutputFull => {}
                // All of `bytes` read inside the record: it may go on past
                // them, unless the file ends there (an empty input next
                // tells the parser so, and it ends the record).
                ReadFieldResult::InputEmpty if !at_end => return None,
                ReadFieldResult::InputEmpty => {}
                ReadFieldResult::Field { record_end: false } => field += 1,
                ReadFieldResult::Field { record_end: true } => break,
                ReadFieldResult::End => return None,
            }
        }
        // After a record the parser stands at the start of the next one.
        if !at_end && input.is_empty() {
            return None;
        }
        Some(String::from_utf8_lossy(&cell).trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(files: &[(&str, Vec<u64>)]) -> TextStore {
        let mut b = TextStoreBuilder::default();
        for (text, offsets) in files {
            b.file(TextFile {
                path: "mem".into(),
                column: Some(1),
                bytes: FileBytes::Memory(Cow::Owned(text.as_bytes().to_vec())),
            });
            b.extend(offsets.iter().copied());
        }
        b.finish()
    }

    #[test]
    fn texts_come_back_from_their_records() {
        let records = [
            "a, plain \n",
            "b,\"quoted, with \"\"quotes\"\"\nand a line\"\n",
            "c,Путин 総務省\r\n",
            "d,\n",
            "e,last, with no line end",
        ];
        let mut offsets = Vec::new();
        let mut text = String::new();
        for r in records {
            offsets.push(text.len() as u64);
            text.push_str(r);
        }
        let s = store(&[(&text, offsets), ("x,second file", vec![0])]);
        let want = [
            "plain",
            "quoted, with \"quotes\"\nand a line",
            "Путин 総務省",
            "",
            "last",
            "second file",
        ];
        for (i, w) in want.iter().enumerate().rev() {
            assert_eq!(s.get(i as u32).unwrap(), *w, "text {i}");
        }
        for (i, w) in want.iter().enumerate() {
            assert_eq!(s.get(i as u32).unwrap(), *w, "text {i}");
        }
    }

    #[test]
    fn a_record_longer_than_a_chunk_is_read_whole() {
        let long = "word ".repeat(3 * CHUNK_BYTES / 5);
        let text = format!("a,short\nb,\"{long}\"\nc,after\n");
        let offsets = vec![0, 8, 8 + long.len() as u64 + 5];
        let s = store(&[(&text, offsets)]);
        assert_eq!(s.get(0).unwrap(), "short");
        assert_eq!(s.get(1).unwrap(), long.trim());
        assert_eq!(s.get(2).unwrap(), "after");
        assert_eq!(s.get(1).unwrap(), long.trim());
    }

    #[test]
    fn a_file_changed_in_place_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, "a,one\nb,two\n").unwrap();
        let mut b = TextStoreBuilder::default();
        b.file(TextFile {
            path: "r.csv".into(),
            column: Some(1),
            bytes: FileBytes::held(&File::open(&path).unwrap()).unwrap(),
        });
        b.extend([0, 6]);
        let s = b.finish();
        assert_eq!(s.get(1).unwrap(), "two");
        // Replaced by a new file (a rename): the open file is still the old.
        std::fs::write(dir.path().join("new.csv"), "z,other\n").unwrap();
        std::fs::rename(dir.path().join("new.csv"), &path).unwrap();
        assert_eq!(s.get(0).unwrap(), "one");
        // Changed in place: said, not misread.
        let s2 = {
            let mut b = TextStoreBuilder::default();
            b.file(TextFile {
                path: "r.csv".into(),
                column: Some(1),
                bytes: FileBytes::held(&File::open(&path).unwrap()).unwrap(),
            });
            b.extend([0]);
            b.finish()
        };
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, b"more,rows\n"))
            .unwrap();
        assert_eq!(
            s2.get(0),
            Err(TextError::Changed {
                path: "r.csv".into()
            })
        );
    }
}
