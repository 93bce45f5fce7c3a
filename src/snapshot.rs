//! Snapshots: a built graph written to one file, so that a later load of
//! the same, unchanged CSV files reads the graph back instead of parsing
//! and checking them again.
//!
//! The file is a hand-written little-endian layout of the graph's arrays:
//!
//! ```text
//! magic "JEJSNAP\0" · format u32 · endianness marker u32 · crate version
//! · key (what the CSV files were) · files · strings · warnings · sources
//! · entities (each one's texts as one string and its three ends) ·
//! entity id table (its slots as they lie, so reading hashes no id) ·
//! relations · relation attributes · adjacency · relations by
//! source · name index (keys, postings, word fst, postings) · evidence
//! offsets · the whole graph's components (count, largest, isolated) ·
//! body length u64 · CRC-32 of everything before it u32
//! ```
//!
//! Counts and single numbers are written little-endian. The big arrays of
//! fixed-width plain data (id slots, adjacency and its offsets, relations
//! by source, name key ends, evidence offsets) are written as they lie in
//! memory, their length first, so reading one is a single `read_exact`
//! into a vector of its type (`zerocopy` makes the casts safe), not a
//! decoding item by item. They are in the writer's byte order: the marker
//! is that order's bytes of `0x0A0B0C0D`, and a file whose marker is not
//! this machine's is refused by name. The checksum covers every byte (one
//! `crc32fast` pass over each buffer read, not per item), so a truncated or flipped file is refused
//! before anything of it is used; the structural checks on reading (every
//! index in range) guard what a checksum cannot. A refused or stale
//! snapshot is never used: the caller loads the CSV files and writes a new
//! one.
//!
//! The key ([`Key`]): for every CSV file, its canonical path, length,
//! modification time (to the nanosecond) and a CRC-32 of its first and
//! last 64 KiB (the header and a sample of rows). Relations keep their
//! evidence in the relations files (the graph holds record offsets), so
//! the key must promise the bytes are the same: any write by an ordinary
//! tool changes the modification time, and an edit that keeps length and
//! time must also keep both ends of the file to go unnoticed — the one
//! case a key short of hashing every byte cannot catch, and the same
//! check [`crate::store`] makes before reading evidence back.
//!
//! Writing goes through [`crate::atomic`]: a temporary file beside the
//! snapshot, renamed over it, so two processes writing the same snapshot
//! leave one whole file, and a failed write (read-only or full folder)
//! leaves none.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rustc_hash::FxHashMap;
use zerocopy::{FromBytes, Immutable, IntoBytes};

use crate::error::DataError;
use crate::graph::{
    Adj, Adjacency, Graph, GraphParts, Indexes, NameIndex, Posting, Postings, WholeComponents,
};
use crate::ids::{IdMap, Slot};
use crate::keys::SortedKeys;
use crate::model::{
    Attrs, Date, Entity, EntityTexts, Interner, Kind, Origin, Relation, Source, Sym,
};
use crate::store::{FileBytes, TextFile, TextStoreBuilder};

/// The layout's version: bumped whenever what is written changes.
pub const FORMAT: u32 = 5;
const MAGIC: &[u8; 8] = b"JEJSNAP\0";
const ENDIAN: u32 = 0x0A0B_0C0D;
const VERSION: &str = env!("CARGO_PKG_VERSION");
const SAMPLE: u64 = 64 << 10;
const NONE: u32 = u32::MAX;

/// One CSV file as the key saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stamp {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

/// What the CSV files were when they were keyed: compared whole with the
/// key a snapshot was written under.
#[derive(Debug, Clone)]
pub struct Key {
    bytes: Vec<u8>,
    stamps: Vec<Stamp>,
    name: String,
}

impl Key {
    /// Keys `files` (every CSV file of the datasets, in loading order).
    pub fn of(files: &[PathBuf]) -> io::Result<Key> {
        let mut w = Enc::default();
        let mut names = crc32fast::Hasher::new();
        let mut stamps = Vec::with_capacity(files.len());
        w.u32(files.len() as u32);
        for path in files {
            let canonical = path.canonicalize()?;
            let mut file = File::open(path)?;
            let meta = file.metadata()?;
            let modified = meta.modified().ok();
            let bytes = canonical.as_os_str().as_encoded_bytes();
            names.update(bytes);
            names.update(&[0]);
            w.bytes(bytes);
            w.u64(meta.len());
            let (secs, nanos) = match modified.map(|m| m.duration_since(UNIX_EPOCH)) {
                Some(Ok(d)) => (d.as_secs(), d.subsec_nanos()),
                _ => (u64::MAX, u32::MAX),
            };
            w.u64(secs);
            w.u32(nanos);
            w.u32(sample_crc(&mut file, meta.len())?);
            stamps.push(Stamp {
                path: path.clone(),
                len: meta.len(),
                modified,
            });
        }
        Ok(Key {
            bytes: w.0,
            stamps,
            name: format!("{:08x}-{}.snap", names.finalize(), files.len()),
        })
    }

    /// The snapshot's file name: the same folders give the same name,
    /// whatever their contents.
    pub fn file_name(&self) -> &str {
        &self.name
    }

    /// Whether a relations file held open for evidence is the one keyed.
    fn matches(&self, path: &Path, bytes: &FileBytes) -> bool {
        let FileBytes::Disk { len, modified, .. } = bytes else {
            return false;
        };
        self.stamps
            .iter()
            .any(|s| s.path == path && s.len == *len && s.modified == *modified)
    }
}

/// CRC-32 of the first and last [`SAMPLE`] bytes of a file.
fn sample_crc(file: &mut File, len: u64) -> io::Result<u32> {
    let mut h = crc32fast::Hasher::new();
    let mut buf = vec![0u8; SAMPLE.min(len) as usize];
    file.read_exact(&mut buf)?;
    h.update(&buf);
    if len > SAMPLE {
        let tail = SAMPLE.min(len - SAMPLE);
        file.seek(SeekFrom::Start(len - tail))?;
        buf.resize(tail as usize, 0);
        file.read_exact(&mut buf)?;
        h.update(&buf);
    }
    Ok(h.finalize())
}

/// Why a snapshot was not used.
#[derive(Debug)]
pub enum Miss {
    /// There is none: nothing to say.
    Absent,
    /// There is one, and it was refused for this reason.
    Refused(String),
}

/// Writes `graph` and its load warnings as the snapshot of `key` in `dir`
/// (created if missing). `relations` are the relations files the graph
/// holds open, in order; when any is no longer what the key saw (changed
/// while loading), nothing is written and that is the error.
pub fn write(
    dir: &Path,
    key: &Key,
    relations: &[PathBuf],
    graph: &Graph,
    warnings: &[DataError],
) -> io::Result<()> {
    let (files, _, _) = graph.evidence.parts();
    let same = files.len() == relations.len()
        && files
            .iter()
            .zip(relations)
            .all(|(f, p)| key.matches(p, &f.bytes));
    if !same {
        return Err(io::Error::other("the CSV files changed while loading"));
    }
    std::fs::create_dir_all(dir)?;
    crate::atomic::write_file(dir, key.file_name(), ".snap-", |w| {
        let mut out = Out {
            w,
            crc: crc32fast::Hasher::new(),
            len: 0,
        };
        encode(&mut out, key, graph, warnings)?;
        let (len, crc) = (out.len, out.crc.clone().finalize());
        out.w.write_all(&len.to_le_bytes())?;
        out.w.write_all(&crc.to_le_bytes())
    })
}

/// A writer that counts and checksums what passes through it.
struct Out<'a, W: Write> {
    w: &'a mut W,
    crc: crc32fast::Hasher,
    len: u64,
}

impl<W: Write> Out<'_, W> {
    fn put(&mut self, enc: &mut Enc) -> io::Result<()> {
        self.raw(&enc.0)?;
        enc.0.clear();
        Ok(())
    }
    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.crc.update(bytes);
        self.len += bytes.len() as u64;
        self.w.write_all(bytes)
    }
    /// An array of plain data: its length, then its bytes as they lie in
    /// memory (this machine's byte order, which the header's marker
    /// names), so reading it back is one read into a vector of its type.
    fn array<T: IntoBytes + Immutable>(&mut self, enc: &mut Enc, v: &[T]) -> io::Result<()> {
        enc.u64(v.len() as u64);
        self.put(enc)?;
        self.raw(v.as_bytes())
    }
}

/// Little-endian encoding into a buffer flushed section by section.
#[derive(Default)]
struct Enc(Vec<u8>);

impl Enc {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u64(b.len() as u64);
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn opt(&mut self, v: Option<u32>) {
        self.u32(v.unwrap_or(NONE));
    }
    fn date(&mut self, d: Option<Date>) {
        self.u32(d.map_or(0, |d| {
            u32::from(d.year()) << 16
                | u32::from(d.month().unwrap_or(0)) << 8
                | u32::from(d.day().unwrap_or(0))
        }));
    }
    fn origin(&mut self, o: Origin) {
        self.u16(o.file);
        self.u32(o.line);
    }
    fn attrs(&mut self, a: &Attrs) {
        self.u32(a.len() as u32);
        for (sym, value) in a.iter() {
            self.u32(sym.0);
            self.str(value);
        }
    }
    fn u32s(&mut self, v: &[u32]) {
        self.u64(v.len() as u64);
        for x in v {
            self.u32(*x);
        }
    }
    fn postings(&mut self, p: &Postings) {
        let (offsets, items) = p.raw();
        self.u32s(offsets);
        self.u64(items.len() as u64);
        for &(entity, variant, words) in items {
            self.u32(entity);
            self.u16(variant);
            self.u8(words);
        }
    }
}

/// Sections are flushed once past this size, so writing needs no second
/// copy of the graph.
const FLUSH: usize = 1 << 20;

fn encode<W: Write>(
    out: &mut Out<'_, W>,
    key: &Key,
    g: &Graph,
    warnings: &[DataError],
) -> io::Result<()> {
    let mut e = Enc::default();
    e.0.extend_from_slice(MAGIC);
    e.u32(FORMAT);
    e.0.extend_from_slice(&ENDIAN.to_ne_bytes());
    e.str(VERSION);
    e.bytes(&key.bytes);
    e.u32(g.files.len() as u32);
    for f in &g.files {
        e.str(f);
    }
    e.u32(g.strings.len() as u32);
    for i in 0..g.strings.len() {
        e.str(g.strings.resolve(Sym(i as u32)));
    }
    e.u32(warnings.len() as u32);
    for w in warnings {
        e.str(&w.path);
        e.u64(w.line.map_or(0, |l| l.saturating_add(1)));
        e.str(&w.message);
    }
    e.u32(g.sources.len() as u32);
    for s in &g.sources {
        for text in [&s.id, &s.title, &s.publisher, &s.url, &s.language, &s.file] {
            e.str(text);
        }
        e.date(s.published);
        e.attrs(&s.attrs);
        e.origin(s.origin);
        if e.0.len() > FLUSH {
            out.put(&mut e)?;
        }
    }
    e.u32(g.entities.len() as u32);
    for x in &g.entities {
        let (text, ends) = x.texts.raw();
        e.str(text);
        for end in ends {
            e.u32(end);
        }
        e.u8(Kind::ALL.iter().position(|k| *k == x.kind).unwrap_or(0) as u8);
        e.opt(x.country.map(|s| s.0));
        e.date(x.start);
        e.date(x.end);
        e.attrs(&x.attrs);
        e.origin(x.origin);
        if e.0.len() > FLUSH {
            out.put(&mut e)?;
        }
    }
    let (id_text, slots) = g.entity_ids().raw();
    e.bytes(id_text);
    out.array(&mut e, slots)?;
    e.u32(g.relations.len() as u32);
    for r in &g.relations {
        e.u32(r.from);
        e.u32(r.to);
        e.u32(r.rel_type.0);
        e.opt(r.role.map(|s| s.0));
        e.date(r.start);
        e.date(r.end);
        e.u32(r.source);
        e.origin(r.origin);
        if e.0.len() > FLUSH {
            out.put(&mut e)?;
        }
    }
    let mut attrs: Vec<_> = g.relation_attrs.iter().collect();
    attrs.sort_unstable_by_key(|(rel, _)| **rel);
    e.u32(attrs.len() as u32);
    for (rel, a) in attrs {
        e.u32(*rel);
        e.attrs(a);
    }
    out.put(&mut e)?;
    let (offsets, items) = g.adjacency.raw();
    out.array(&mut e, offsets)?;
    out.array(&mut e, items)?;
    out.array(&mut e, &g.source_offsets)?;
    out.array(&mut e, &g.source_rels)?;
    let (text, ends) = g.names.keys.parts();
    e.str(text);
    let ends: Vec<u64> = ends.iter().map(|&end| end as u64).collect();
    out.array(&mut e, &ends)?;
    e.postings(&g.names.key_postings);
    out.put(&mut e)?;
    e.bytes(g.names.words.as_fst().as_bytes());
    e.postings(&g.names.word_postings);
    let (files, firsts, offsets) = g.evidence.parts();
    e.u32(files.len() as u32);
    for f in files {
        e.str(&f.path);
        e.opt(f.column.map(|c| c as u32));
    }
    out.array(&mut e, firsts)?;
    out.array(&mut e, offsets)?;
    // What `stats` would otherwise find again at every start.
    let c = g.whole_components();
    for v in [c.count, c.largest, c.isolated] {
        e.u64(v as u64);
    }
    out.put(&mut e)
}

/// Reads the snapshot of `key` from `dir`, if there is one and it is
/// whole, of this version and this key. The relations files (in order)
/// are opened again, held for evidence, and must still be what the key saw.
pub fn read(dir: &Path, key: &Key, relations: &[PathBuf]) -> Result<(Graph, Vec<DataError>), Miss> {
    let path = dir.join(key.file_name());
    let mut file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(Miss::Absent),
        Err(e) => return Err(Miss::Refused(format!("cannot read it: {e}"))),
    };
    let refuse = |why: &str| Miss::Refused(why.to_string());
    let len = file
        .metadata()
        .map_err(|e| Miss::Refused(format!("cannot read it: {e}")))?
        .len();
    // The trailer first: a file cut short has no trailer that agrees.
    let mut trailer = [0u8; 12];
    let whole = len >= 12
        && file.seek(SeekFrom::Start(len - 12)).is_ok()
        && file.read_exact(&mut trailer).is_ok()
        && file.seek(SeekFrom::Start(0)).is_ok();
    let body = u64::from_le_bytes(trailer[..8].try_into().unwrap_or_default());
    if !whole || body != len - 12 {
        return Err(refuse("it is truncated"));
    }
    let mut d = Dec {
        file,
        buf: Vec::new(),
        pos: 0,
        left: body,
        crc: crc32fast::Hasher::new(),
    };
    let bad = |_| refuse("it is corrupt");
    let mut magic = [0u8; 8];
    magic.copy_from_slice(d.take(8).map_err(bad)?);
    if &magic != MAGIC {
        return Err(refuse("it is not a jejaring snapshot"));
    }
    let format = d.u32().map_err(bad)?;
    if format != FORMAT {
        return Err(Miss::Refused(format!(
            "it is of format {format}, this jejaring reads format {FORMAT}"
        )));
    }
    let marker = d.take(4).map_err(bad)?;
    // The plain-data arrays are in the writer's byte order: only a
    // machine of the same order may read them.
    if marker != ENDIAN.to_ne_bytes() {
        return Err(refuse(
            "it was written on a machine of another byte order (endianness)",
        ));
    }
    let version = d.string().map_err(bad)?;
    if version != VERSION {
        return Err(Miss::Refused(format!(
            "it was written by jejaring {version}, this is {VERSION}"
        )));
    }
    if d.bytes().map_err(bad)? != key.bytes {
        return Err(refuse("the CSV files changed since it was written"));
    }
    let (parts, warnings) = decode(&mut d, relations).map_err(|e| match e {
        Bad::Corrupt => refuse("it is corrupt"),
        Bad::Stale => refuse("the CSV files changed since it was written"),
        Bad::Io(e) => Miss::Refused(format!("cannot read it: {e}")),
    })?;
    // The checksum covers every byte read: nothing is used unless it holds.
    let crc = d.crc.clone().finalize();
    if d.left != 0 || crc != u32::from_le_bytes(trailer[8..].try_into().unwrap_or_default()) {
        return Err(refuse("it is corrupt (checksum)"));
    }
    if !relations
        .iter()
        .zip(parts.evidence.parts().0)
        .all(|(p, f)| key.matches(p, &f.bytes))
    {
        return Err(refuse("the CSV files changed since it was written"));
    }
    let components = parts.components;
    let graph = Graph::build(parts.into());
    graph.set_whole_components(components);
    Ok((graph, warnings))
}

enum Bad {
    Corrupt,
    Stale,
    Io(io::Error),
}

impl From<io::Error> for Bad {
    fn from(e: io::Error) -> Bad {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            Bad::Corrupt
        } else {
            Bad::Io(e)
        }
    }
}

/// Reads the body a buffer at a time, checksumming what it reads, and
/// never past the body's end: when every byte has been handed out, the
/// checksum is that of the whole body.
struct Dec {
    file: File,
    buf: Vec<u8>,
    pos: usize,
    left: u64,
    crc: crc32fast::Hasher,
}

const CHUNK: usize = 1 << 20;

impl Dec {
    fn take(&mut self, n: usize) -> Result<&[u8], Bad> {
        if (n as u64) > self.left {
            return Err(Bad::Corrupt);
        }
        if self.buf.len() - self.pos < n {
            self.buf.drain(..self.pos);
            self.pos = 0;
            // `left` counts the bytes not yet handed out, `have` of them
            // already buffered; `left >= n > have`.
            let have = self.buf.len();
            let unread = self.left as usize - have;
            let more = (n - have).max(CHUNK.min(unread)).min(unread);
            self.buf.resize(have + more, 0);
            self.file.read_exact(&mut self.buf[have..])?;
            // Checksummed as read, a buffer at a time: per item, millions
            // of calls on a few bytes each cost more than the decoding.
            self.crc.update(&self.buf[have..]);
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        self.left -= n as u64;
        Ok(out)
    }
    fn u8(&mut self) -> Result<u8, Bad> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, Bad> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, Bad> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, Bad> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    /// A length, refused if more than the bytes left could hold.
    fn len(&mut self, width: u64) -> Result<usize, Bad> {
        let n = self.u64()?;
        if n.saturating_mul(width) > self.left {
            return Err(Bad::Corrupt);
        }
        Ok(n as usize)
    }
    fn count(&mut self) -> Result<usize, Bad> {
        let n = self.u32()? as usize;
        if n as u64 > self.left {
            return Err(Bad::Corrupt);
        }
        Ok(n)
    }
    fn bytes(&mut self) -> Result<Vec<u8>, Bad> {
        let n = self.len(1)?;
        self.take_vec(n)
    }
    /// `n` bytes as a vector of their own. A long run (the name keys'
    /// text, the word fst, hundreds of MB at 10M entities) is read from
    /// the file straight into it, not through the buffer, which would
    /// grow to its size and stay so: the run held twice until the end.
    fn take_vec(&mut self, n: usize) -> Result<Vec<u8>, Bad> {
        let have = self.buf.len() - self.pos;
        if n <= CHUNK.max(have) {
            return Ok(self.take(n)?.to_vec());
        }
        if (n as u64) > self.left {
            return Err(Bad::Corrupt);
        }
        let mut out = Vec::with_capacity(n);
        out.extend_from_slice(&self.buf[self.pos..]);
        self.buf.clear();
        self.buf.shrink_to(CHUNK);
        self.pos = 0;
        out.resize(n, 0);
        self.file.read_exact(&mut out[have..])?;
        self.crc.update(&out[have..]);
        self.left -= n as u64;
        Ok(out)
    }
    fn str(&mut self) -> Result<&str, Bad> {
        let n = self.len(1)?;
        std::str::from_utf8(self.take(n)?).map_err(|_| Bad::Corrupt)
    }
    fn string(&mut self) -> Result<String, Bad> {
        String::from_utf8(self.bytes()?).map_err(|_| Bad::Corrupt)
    }
    fn boxed(&mut self) -> Result<Box<str>, Bad> {
        Ok(self.str()?.into())
    }
    fn opt(&mut self) -> Result<Option<u32>, Bad> {
        let v = self.u32()?;
        Ok((v != NONE).then_some(v))
    }
    fn date(&mut self) -> Result<Option<Date>, Bad> {
        date_of(self.u32()?).ok_or(Bad::Corrupt)
    }
    fn origin(&mut self, files: usize) -> Result<Origin, Bad> {
        let o = Origin {
            file: self.u16()?,
            line: self.u32()?,
        };
        check(usize::from(o.file) < files)?;
        Ok(o)
    }
    fn sym(&mut self, strings: usize) -> Result<Sym, Bad> {
        let s = self.u32()?;
        check((s as usize) < strings)?;
        Ok(Sym(s))
    }
    fn attrs(&mut self, strings: usize) -> Result<Attrs, Bad> {
        let n = self.count()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push((self.sym(strings)?, self.boxed()?));
        }
        Ok(v.into_boxed_slice())
    }
    /// An array of fixed-width items, decoded a buffer at a time.
    fn array<T>(&mut self, width: usize, f: impl Fn(&[u8]) -> T) -> Result<Vec<T>, Bad> {
        let n = self.len(width as u64)?;
        let mut v = Vec::with_capacity(n);
        let per = (CHUNK / width).max(1);
        let mut left = n;
        while left > 0 {
            let k = left.min(per);
            v.extend(self.take(k * width)?.chunks_exact(width).map(&f));
            left -= k;
        }
        Ok(v)
    }
    /// `n` records of `width` bytes each (the count already read),
    /// decoded a buffer at a time; one that `f` refuses makes it corrupt.
    fn array_of<T>(
        &mut self,
        n: usize,
        width: usize,
        f: impl Fn(&[u8]) -> Option<T>,
    ) -> Result<Vec<T>, Bad> {
        if (n as u64).saturating_mul(width as u64) > self.left {
            return Err(Bad::Corrupt);
        }
        let mut v = Vec::with_capacity(n);
        let per = (CHUNK / width).max(1);
        let mut left = n;
        while left > 0 {
            let k = left.min(per);
            for item in self.take(k * width)?.chunks_exact(width) {
                v.push(f(item).ok_or(Bad::Corrupt)?);
            }
            left -= k;
        }
        Ok(v)
    }
    fn u32s(&mut self) -> Result<Vec<u32>, Bad> {
        self.pod()
    }
    /// An array of plain data as [`Out::array`] wrote it: its length, then
    /// its bytes read straight into a vector of its type, what is already
    /// buffered copied first, the rest in one read, checksummed as a whole.
    fn pod<T: FromBytes + IntoBytes>(&mut self) -> Result<Vec<T>, Bad> {
        let width = std::mem::size_of::<T>();
        let n = self.len(width as u64)?;
        let bytes = n * width;
        let mut v = T::new_vec_zeroed(n).map_err(|_| Bad::Corrupt)?;
        let out = v.as_mut_bytes();
        let have = (self.buf.len() - self.pos).min(bytes);
        out[..have].copy_from_slice(&self.buf[self.pos..self.pos + have]);
        self.pos += have;
        self.file.read_exact(&mut out[have..])?;
        self.crc.update(&out[have..]);
        self.left -= bytes as u64;
        Ok(v)
    }
    fn postings(&mut self, entities: usize) -> Result<Postings, Bad> {
        let offsets = self.u32s()?;
        let items: Vec<Posting> = self.array(7, |b| {
            (
                u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
                u16::from_le_bytes([b[4], b[5]]),
                b[6],
            )
        })?;
        check(items.iter().all(|p| (p.0 as usize) < entities))?;
        Postings::from_raw(offsets, items).ok_or(Bad::Corrupt)
    }
}

/// A date as [`Enc::date`] wrote it: `Some(None)` for none, `None` if it
/// is no date.
fn date_of(v: u32) -> Option<Option<Date>> {
    if v == 0 {
        return Some(None);
    }
    Date::new((v >> 16) as u16, (v >> 8) as u8, v as u8).map(Some)
}

/// The bytes of a relation: from, to, type, role, start, end, source (u32
/// each), then its origin (file u16, line u32), as [`encode`] writes them.
const RELATION_BYTES: usize = 34;

fn check(ok: bool) -> Result<(), Bad> {
    if ok { Ok(()) } else { Err(Bad::Corrupt) }
}

/// What a snapshot holds, ready for [`Graph::build`].
struct Parts {
    entities: Vec<Entity>,
    relations: Vec<Relation>,
    sources: Vec<Source>,
    strings: Interner,
    files: Vec<String>,
    entity_ids: IdMap,
    source_ids: FxHashMap<Box<str>, u32>,
    names: NameIndex,
    indexes: Indexes,
    evidence: crate::store::TextStore,
    relation_attrs: FxHashMap<u32, Attrs>,
    components: WholeComponents,
}

impl From<Parts> for GraphParts {
    fn from(p: Parts) -> GraphParts {
        GraphParts {
            entities: p.entities,
            relations: p.relations,
            sources: p.sources,
            strings: p.strings,
            files: p.files,
            entity_ids: p.entity_ids,
            source_ids: p.source_ids,
            names: Some(p.names),
            indexes: Some(p.indexes),
            evidence: p.evidence,
            relation_attrs: p.relation_attrs,
        }
    }
}

fn decode(d: &mut Dec, relations_files: &[PathBuf]) -> Result<(Parts, Vec<DataError>), Bad> {
    let n = d.count()?;
    let mut files = Vec::with_capacity(n);
    for _ in 0..n {
        files.push(d.string()?);
    }
    let n = d.count()?;
    let mut strings = Interner::default();
    for i in 0..n {
        let s = d.str()?;
        check(strings.intern(s).0 as usize == i)?;
    }
    let ns = strings.len();
    let n = d.count()?;
    let mut warnings = Vec::with_capacity(n);
    for _ in 0..n {
        let path = d.string()?;
        let line = d.u64()?.checked_sub(1);
        let message = d.string()?;
        warnings.push(DataError {
            path,
            line,
            message,
        });
    }
    let n = d.count()?;
    let mut sources = Vec::with_capacity(n);
    let mut source_ids = FxHashMap::default();
    for i in 0..n {
        let s = Source {
            id: d.boxed()?,
            title: d.boxed()?,
            publisher: d.boxed()?,
            url: d.boxed()?,
            language: d.boxed()?,
            file: d.boxed()?,
            published: d.date()?,
            attrs: d.attrs(ns)?,
            origin: d.origin(files.len())?,
        };
        check(source_ids.insert(s.id.clone(), i as u32).is_none())?;
        sources.push(s);
    }
    let n = d.count()?;
    let mut entities = Vec::with_capacity(n);
    for _ in 0..n {
        // Id, name, description and aliases: one string, its three ends.
        let text = d.boxed()?;
        let ends = [d.u32()?, d.u32()?, d.u32()?];
        let texts = EntityTexts::from_raw(text, ends).ok_or(Bad::Corrupt)?;
        let kind = *Kind::ALL.get(d.u8()? as usize).ok_or(Bad::Corrupt)?;
        let country = match d.opt()? {
            Some(s) => {
                check((s as usize) < ns)?;
                Some(Sym(s))
            }
            None => None,
        };
        let e = Entity {
            texts,
            kind,
            country,
            start: d.date()?,
            end: d.date()?,
            attrs: d.attrs(ns)?,
            origin: d.origin(files.len())?,
        };
        entities.push(e);
    }
    let id_text = d.bytes()?;
    let slots = d.pod::<Slot>()?;
    let entity_ids = IdMap::from_raw(id_text, slots, n).ok_or(Bad::Corrupt)?;
    let (ne, nsrc) = (entities.len(), sources.len());
    // Relations are fixed-width records, decoded a buffer at a time.
    let n = d.count()?;
    let nf = files.len();
    let relations = d.array_of(n, RELATION_BYTES, |b| {
        let word = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let role = match word(12) {
            NONE => None,
            s if (s as usize) < ns => Some(Sym(s)),
            _ => return None,
        };
        let r = Relation {
            from: word(0),
            to: word(4),
            rel_type: Sym(word(8)),
            role,
            start: date_of(word(16))?,
            end: date_of(word(20))?,
            source: word(24),
            origin: Origin {
                file: u16::from_le_bytes([b[28], b[29]]),
                line: word(30),
            },
        };
        let ok = (r.from as usize) < ne
            && (r.to as usize) < ne
            && (r.source as usize) < nsrc
            && (r.rel_type.0 as usize) < ns
            && usize::from(r.origin.file) < nf;
        ok.then_some(r)
    })?;
    let nr = relations.len();
    let n = d.count()?;
    let mut relation_attrs = FxHashMap::default();
    relation_attrs.reserve(n);
    for _ in 0..n {
        let rel = d.u32()?;
        check((rel as usize) < nr)?;
        relation_attrs.insert(rel, d.attrs(ns)?);
    }
    let offsets = d.u32s()?;
    let items = d.pod::<Adj>()?;
    check(offsets.len() == ne + 1)?;
    check(
        items
            .iter()
            .all(|a| ((a.raw().1 & !(1 << 31)) as usize) < nr),
    )?;
    let adjacency = Adjacency::from_raw(offsets, items).ok_or(Bad::Corrupt)?;
    let source_offsets = d.u32s()?;
    let source_rels = d.u32s()?;
    check(
        source_offsets.len() == nsrc + 1
            && source_offsets.first() == Some(&0)
            && source_offsets.windows(2).all(|w| w[0] <= w[1])
            && source_offsets
                .last()
                .is_some_and(|&l| l as usize == source_rels.len())
            && source_rels.iter().all(|&r| (r as usize) < nr),
    )?;
    let text = d.string()?;
    let ends: Vec<usize> = d
        .pod::<u64>()?
        .into_iter()
        .map(|end| usize::try_from(end).map_err(|_| Bad::Corrupt))
        .collect::<Result<_, _>>()?;
    let keys = SortedKeys::from_parts(text, ends).ok_or(Bad::Corrupt)?;
    let key_postings = d.postings(ne)?;
    let words = fst::Map::new(d.bytes()?).map_err(|_| Bad::Corrupt)?;
    let word_postings = d.postings(ne)?;
    let n = d.count()?;
    check(n == relations_files.len())?;
    let mut evidence = TextStoreBuilder::default();
    let mut texts = Vec::with_capacity(n);
    for path in relations_files {
        let shown = d.string()?;
        let column = d.opt()?.map(|c| c as usize);
        let file = File::open(path).map_err(|_| Bad::Stale)?;
        let bytes = FileBytes::held(&file).map_err(|_| Bad::Stale)?;
        texts.push(TextFile {
            path: shown,
            column,
            bytes,
        });
    }
    let firsts = d.u32s()?;
    let offsets = d.pod::<u64>()?;
    check(
        firsts.len() == texts.len()
            && offsets.len() == nr
            && firsts.windows(2).all(|w| w[0] <= w[1])
            && firsts.first().is_none_or(|&f| f == 0)
            && firsts.last().is_none_or(|&f| f as usize <= nr),
    )?;
    if texts.len() == 1 {
        // One relations file (the usual case): its offsets are moved, not
        // copied.
        evidence.file(texts.into_iter().next().ok_or(Bad::Corrupt)?);
        evidence.append(offsets);
    } else {
        for (i, t) in texts.into_iter().enumerate() {
            let start = firsts[i] as usize;
            let end = firsts.get(i + 1).map_or(nr, |&f| f as usize);
            evidence.file(t);
            evidence.extend(offsets[start..end].iter().copied());
        }
    }
    let mut whole = [0usize; 3];
    for v in &mut whole {
        *v = usize::try_from(d.u64()?).map_err(|_| Bad::Corrupt)?;
        check(*v <= ne)?;
    }
    let components = WholeComponents {
        count: whole[0],
        largest: whole[1],
        isolated: whole[2],
    };
    let parts = Parts {
        entities,
        relations,
        sources,
        strings,
        files,
        entity_ids,
        source_ids,
        names: NameIndex {
            keys,
            key_postings,
            words,
            word_postings,
        },
        indexes: Indexes {
            adjacency,
            source_offsets,
            source_rels,
        },
        evidence: evidence.finish(),
        relation_attrs,
        components,
    };
    Ok((parts, warnings))
}
