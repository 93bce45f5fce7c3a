//! Reading dataset folders into a [`Graph`], checking everything on the way.
//!
//! A dataset is a folder of `sources.csv`, `entities.csv` and
//! `relations.csv` (see the README for the columns). Several folders merge
//! into one graph. Loading is all or nothing: every problem in every file is
//! collected as a [`DataError`] with its `PATH:LINE`, and when there is any,
//! [`load`] returns them all and no graph. Problems that do not make the
//! data wrong (a relation type outside the vocabulary, an entity nothing
//! points at) are warnings, returned beside the graph.
//!
//! This module owns file IO for datasets (open, read, stream); it never
//! prints. The embedded default dataset lives in [`embedded`].

pub mod embedded;
mod records;

pub use crate::store::MAX_RECORD_BYTES;
mod reader;

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::PathBuf;

use crate::error::{DataError, LoadErrors};
use crate::graph::{Graph, GraphParts, NameIndex};
use crate::ids::IdMap;
use crate::model::{Attrs, Entity, Interner, Kind, Origin, Relation, Source, Sym, in_vocabulary};
use crate::store::{FileBytes, TextFile, TextStoreBuilder};
use crate::text::did_you_mean_hint;
use reader::{CsvFile, Header, Records, Row, cols};
use rustc_hash::FxHashMap;

/// Where a dataset's three files come from.
#[derive(Debug, Clone)]
pub enum DatasetSource {
    /// A folder on disk, as the user named it.
    Dir(PathBuf),
    /// Files in memory (compiled into the binary, or made by a test): a
    /// label shown as their folder, and the three texts.
    Memory {
        label: Cow<'static, str>,
        sources: Cow<'static, [u8]>,
        entities: Cow<'static, [u8]>,
        relations: Cow<'static, [u8]>,
    },
}

impl DatasetSource {
    /// The path of one of the dataset's files, as shown in messages.
    pub fn file_path(&self, name: &str) -> String {
        match self {
            DatasetSource::Dir(dir) => dir.join(name).display().to_string(),
            DatasetSource::Memory { label, .. } => format!("{label}/{name}"),
        }
    }

    fn open(&self, name: &str) -> Result<Input<'_>, DataError> {
        match self {
            DatasetSource::Dir(dir) => {
                let path = dir.join(name);
                let shown = path.display().to_string();
                if dir.is_file() {
                    return Err(DataError::file(
                        dir.display().to_string(),
                        "is a file, expected a dataset folder holding sources.csv, entities.csv and relations.csv",
                    ));
                }
                if !dir.exists() {
                    return Err(DataError::file(
                        dir.display().to_string(),
                        "no such dataset folder",
                    ));
                }
                if path.is_dir() {
                    return Err(DataError::file(shown, "is a folder, expected a CSV file"));
                }
                let file = std::fs::File::open(&path).map_err(|e| {
                    let msg = if e.kind() == std::io::ErrorKind::NotFound {
                        format!("missing file (a dataset folder needs {name})")
                    } else {
                        format!("failed to read: {e}")
                    };
                    DataError::file(shown.clone(), msg)
                })?;
                Ok(Input::File(file))
            }
            DatasetSource::Memory {
                sources,
                entities,
                relations,
                ..
            } => Ok(Input::Bytes(match name {
                SOURCES => sources,
                ENTITIES => entities,
                _ => relations,
            })),
        }
    }
}

impl DatasetSource {
    /// The size of one of the dataset's files in bytes, if it can be known.
    fn size(&self, name: &str) -> Option<u64> {
        match self {
            DatasetSource::Dir(dir) => std::fs::metadata(dir.join(name)).ok().map(|m| m.len()),
            DatasetSource::Memory { .. } => match self.open(name).ok()? {
                Input::Bytes(b) => Some(b.len() as u64),
                Input::File(_) => None,
            },
        }
    }

    /// One of the dataset's files, from byte `offset` on.
    fn open_at(&self, name: &str, offset: u64) -> Option<Input<'_>> {
        match self.open(name).ok()? {
            Input::File(mut f) => {
                use std::io::{Seek, SeekFrom};
                f.seek(SeekFrom::Start(offset)).ok()?;
                Some(Input::File(f))
            }
            Input::Bytes(b) => Some(Input::Bytes(b.get(usize::try_from(offset).ok()?..)?)),
        }
    }

    /// A dataset from three in-memory texts, labelled as a folder.
    pub fn memory(label: &str, sources: &str, entities: &str, relations: &str) -> DatasetSource {
        DatasetSource::Memory {
            label: Cow::Owned(label.to_string()),
            sources: Cow::Owned(sources.as_bytes().to_vec()),
            entities: Cow::Owned(entities.as_bytes().to_vec()),
            relations: Cow::Owned(relations.as_bytes().to_vec()),
        }
    }
}

/// The columns each file of a dataset knows, in the order writers use.
pub mod columns {
    pub const SOURCES: &[&str] = super::reader::SOURCES_COLUMNS.known;
    pub const ENTITIES: &[&str] = super::reader::ENTITIES_COLUMNS.known;
    pub const RELATIONS: &[&str] = super::reader::RELATIONS_COLUMNS.known;
}

pub const SOURCES: &str = "sources.csv";
pub const ENTITIES: &str = "entities.csv";
pub const RELATIONS: &str = "relations.csv";

/// An open input: a file to stream, or bytes in memory.
pub(crate) enum Input<'a> {
    File(std::fs::File),
    Bytes(&'a [u8]),
}

impl Input<'_> {
    pub(crate) fn reader(&mut self) -> Box<dyn Read + Send + '_> {
        match self {
            Input::File(f) => Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            Input::Bytes(b) => Box::new(*b),
        }
    }
}

/// A graph and the warnings found while loading it.
#[derive(Debug)]
pub struct Loaded {
    pub graph: Graph,
    pub warnings: Vec<DataError>,
}

/// Reports progress while loading, in rows read. The CLI shows a bar; the
/// library only counts.
pub trait Progress: Sync {
    fn file(&self, _path: &str) {}
    fn rows(&self, _n: u64) {}
    /// A step of loading is done (for timings).
    fn phase(&self, _name: &str) {}
}

/// No progress to show.
pub struct Quiet;
impl Progress for Quiet {}

/// Loads and merges datasets, checking everything.
///
/// Returns the graph and warnings, or every error found (in dataset, file
/// and line order) and no graph.
///
/// Complexity: linear in the size of the files, plus a hash insert per id.
pub fn load(datasets: &[DatasetSource], progress: &dyn Progress) -> Result<Loaded, LoadErrors> {
    // On one core, a second thread would only take turns with the first.
    let parallel = std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    let split_bytes = if parallel { SPLIT_BYTES } else { u64::MAX };
    load_with(datasets, progress, split_bytes)
}

/// Relations files at least this big are read in two halves at once, one
/// per core, when there are two cores. Smaller ones are not worth a thread.
const SPLIT_BYTES: u64 = 8 << 20;

/// [`load`], reading relations files of `split_bytes` or more in two
/// halves at once. The caller decides from the cores there are; the result
/// is the same either way, which tests check by splitting every file
/// whatever the machine.
fn load_with(
    datasets: &[DatasetSource],
    progress: &dyn Progress,
    split_bytes: u64,
) -> Result<Loaded, LoadErrors> {
    let mut st = CheckedRows {
        split_bytes,
        ..CheckedRows::default()
    };
    // Sources and entities of every dataset first: relations may refer to
    // ids defined in any of the merged folders.
    for ds in datasets {
        st.read_file(
            ds,
            SOURCES,
            progress,
            |_, _| {},
            |st, row| st.source_row(row),
        );
        let size = ds.size(ENTITIES);
        st.read_file(
            ds,
            ENTITIES,
            progress,
            |st, rows| {
                if let (true, Some(size), [first, .., last]) =
                    (st.entity_ids.is_empty(), size, rows)
                {
                    let rows = expected_rows(size, last.offset - first.offset, rows.len() - 1);
                    st.entity_ids.reserve(rows);
                }
                st.entity_ids
                    .warm(rows.iter().filter_map(|r| r.cell(cols::ENTITY_ID)))
            },
            |st, row| st.entity_row(row),
        );
    }
    progress.phase("entities read");
    // The name index needs only the entities: it is built on a second
    // thread while this one reads the relations.
    let entities = std::mem::take(&mut st.entities);
    let (names, indexes) = std::thread::scope(|scope| {
        let names = st
            .errors
            .is_empty()
            .then(|| scope.spawn(|| NameIndex::build(&entities)));
        for ds in datasets {
            st.read_relations(ds, progress);
        }
        progress.phase("relations read");
        // What traversals need is built while the names are indexed, and
        // while the relations read in pieces are joined.
        let indexes = st.errors.is_empty().then(|| {
            let pieces: Vec<&[Relation]> = st.relations.iter().map(Vec::as_slice).collect();
            let build = || crate::graph::Indexes::build(entities.len(), st.sources.len(), &pieces);
            if pieces.len() < 2 {
                return build();
            }
            let (indexes, joined) = crate::graph::both(true, build, || pieces.concat());
            drop(pieces);
            st.relations = vec![joined];
            indexes
        });
        progress.phase("traversal indexes built");
        let names = names.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (names, indexes)
    });
    progress.phase("names indexed");
    st.entities = entities;
    st.finish(names, indexes)
}

/// Loads dataset folders given on the command line, or the embedded
/// dataset when there are none.
pub fn load_dirs(dirs: &[PathBuf], progress: &dyn Progress) -> Result<Loaded, LoadErrors> {
    if dirs.is_empty() {
        load(&[embedded::source()], progress)
    } else {
        let sources: Vec<_> = dirs.iter().map(|d| DatasetSource::Dir(d.clone())).collect();
        load(&sources, progress)
    }
}

/// One dataset folder's rows, for merging checks: where each id was defined.
#[derive(Default)]
struct CheckedRows {
    files: Vec<String>,
    errors: Vec<DataError>,
    warnings: Vec<DataError>,
    strings: Interner,
    entities: Vec<Entity>,
    /// Relations in file order, in the pieces they were read in (a file
    /// read in two halves gives two): joined once, at the end, while the
    /// traversal indexes are built from the pieces.
    relations: Vec<Vec<Relation>>,
    sources: Vec<Source>,
    entity_ids: IdMap,
    source_ids: FxHashMap<Box<str>, u32>,
    /// Where the relations' evidence is (in relation order), and their
    /// extra columns.
    evidence: TextStoreBuilder,
    relation_attrs: FxHashMap<u32, Attrs>,
    /// Types outside the vocabulary: where first seen, and how often.
    off_vocabulary: BTreeMap<Sym, (Origin, u64)>,
    /// Ids of entities and sources whose rows were rejected, and whether a
    /// whole file of them failed: references to these are not reported
    /// again as dangling, since their own rows already carry the error.
    rejected_entities: HashSet<Box<str>>,
    rejected_sources: HashSet<Box<str>>,
    entities_failed: bool,
    sources_failed: bool,
    /// How many "did you mean" searches were run: each scans every id, so
    /// a file of a million dangling ids must not run a million of them.
    suggestions_made: usize,
    /// Files this big or bigger are read with both cores.
    split_bytes: u64,
}

const MAX_SUGGESTION_SCANS: usize = 200;

impl CheckedRows {
    /// Opens one file of a dataset and gives it a number, or records why
    /// it cannot be read.
    fn open_file<'d>(
        &mut self,
        ds: &'d DatasetSource,
        name: &'static str,
        progress: &dyn Progress,
    ) -> Option<(Input<'d>, CsvFile)> {
        let path = ds.file_path(name);
        progress.file(&path);
        let input = match ds.open(name) {
            Ok(i) => i,
            Err(e) => {
                self.mark_failed(name);
                // A folder that is missing altogether is said once, not per file.
                if !self.errors.contains(&e) {
                    self.errors.push(e);
                }
                return None;
            }
        };
        if self.files.len() >= u16::MAX as usize {
            self.errors.push(DataError::file(
                path,
                "too many dataset files (at most 65535)",
            ));
            return None;
        }
        let file_index = self.files.len() as u16;
        self.files.push(path.clone());
        let spec = match name {
            SOURCES => &reader::SOURCES_COLUMNS,
            ENTITIES => &reader::ENTITIES_COLUMNS,
            _ => &reader::RELATIONS_COLUMNS,
        };
        Some((input, CsvFile::new(path, file_index, spec)))
    }

    fn read_file(
        &mut self,
        ds: &DatasetSource,
        name: &'static str,
        progress: &dyn Progress,
        mut warm: impl FnMut(&mut CheckedRows, &[Row<'_>]),
        mut on_row: impl FnMut(&mut CheckedRows, &mut Row<'_>),
    ) {
        let Some((mut input, csv)) = self.open_file(ds, name, progress) else {
            return;
        };
        let mut errors = Vec::new();
        let pipelined = ds.size(name).is_some_and(|size| size >= self.split_bytes);
        let cell = std::cell::RefCell::new(self);
        let outcome = csv.read(
            &mut input,
            &mut errors,
            progress,
            pipelined,
            |rows| warm(&mut cell.borrow_mut(), rows),
            |row| on_row(&mut cell.borrow_mut(), row),
        );
        let this = cell.into_inner();
        if outcome.failed {
            this.mark_failed(name);
        }
        let rejected = match name {
            SOURCES => &mut this.rejected_sources,
            _ => &mut this.rejected_entities,
        };
        rejected.extend(outcome.rejected_ids.into_iter().map(String::into_boxed_str));
        // Row callbacks pushed their own errors into self.errors; the file's
        // structural errors go in line order with them.
        this.errors.extend(errors);
    }

    /// Reads a relations file: in two halves at once when it is at least
    /// `split_bytes` long, else in one piece. Either way the rows are
    /// checked in parts against what was read before them, and the parts
    /// are merged in file order, so the graph and the messages are the
    /// same as from one piece.
    fn read_relations(&mut self, ds: &DatasetSource, progress: &dyn Progress) {
        let Some((input, csv)) = self.open_file(ds, RELATIONS, progress) else {
            return;
        };
        // The evidence stays in the file: hold it open as it is now.
        let held = match (&input, ds) {
            (Input::File(f), _) => FileBytes::held(f),
            (Input::Bytes(_), DatasetSource::Memory { relations, .. }) => {
                Ok(FileBytes::Memory(relations.clone()))
            }
            (Input::Bytes(b), DatasetSource::Dir(_)) => Ok(FileBytes::Memory(b.to_vec().into())),
        };
        let held = match held {
            Ok(h) => h,
            Err(e) => {
                self.errors.push(DataError::file(
                    csv.path().to_string(),
                    format!("cannot keep the file open to read evidence from: {e}"),
                ));
                return;
            }
        };
        let known = Known::of(self);
        let big = ds.size(RELATIONS).filter(|&size| size >= self.split_bytes);
        let parts = big
            .and_then(|size| read_halves(ds, &csv, &known, progress, size))
            .unwrap_or_else(|| {
                let mut input = input;
                let mut part = RelationPart::new(&known);
                let mut records = Records::new(input.reader(), 1, 0);
                if let Some(header) = csv.header(&mut records, &mut part.errors) {
                    part.read(&csv, &mut records, &header, &known, progress, big.is_some());
                }
                vec![part]
            });
        self.evidence.file(TextFile {
            path: csv.path().to_string(),
            column: parts.first().and_then(|p| p.column),
            bytes: held,
        });
        for part in parts {
            self.merge(part);
        }
    }

    fn mark_failed(&mut self, name: &str) {
        match name {
            SOURCES => self.sources_failed = true,
            ENTITIES => self.entities_failed = true,
            _ => {}
        }
    }

    fn source_row(&mut self, row: &mut Row<'_>) {
        let id = row.required(cols::SOURCE_ID);
        let title = row.required(cols::TITLE);
        let published = row.date(cols::PUBLISHED);
        let (Some(id), Some(title)) = (id, title) else {
            if let Some(id) = id {
                self.rejected_sources.insert(id.into());
            }
            self.errors.append(&mut row.errors);
            return;
        };
        let id: Box<str> = id.into();
        self.check_id(row, &id);
        if let Some(&prev) = self.source_ids.get(&id) {
            let at = self.sources[prev as usize].origin;
            let msg = format!(
                "duplicate source id \"{id}\" (already defined at {}:{})",
                self.files[at.file as usize], at.line
            );
            row.error(msg);
        }
        let source = Source {
            title: title.into(),
            publisher: row.optional(cols::PUBLISHER).into(),
            published: published.flatten(),
            url: row.optional(cols::URL).into(),
            language: row.optional(cols::LANGUAGE).into(),
            file: row.optional(cols::FILE).into(),
            attrs: row.attrs(&mut self.strings),
            origin: origin(row),
            id: id.clone(),
        };
        if row.errors.is_empty() {
            self.source_ids.insert(id, self.sources.len() as u32);
            self.sources.push(source);
        } else {
            self.rejected_sources.insert(id);
        }
        self.errors.append(&mut row.errors);
    }

    fn entity_row(&mut self, row: &mut Row<'_>) {
        let id = row.required(cols::ENTITY_ID);
        let kind = row.required(cols::KIND);
        let name = row.required(cols::NAME);
        let kind = kind.and_then(|k| match k.parse::<Kind>() {
            Ok(k) => Some(k),
            Err(e) => {
                row.error(e.to_string());
                None
            }
        });
        let country = row.optional(cols::COUNTRY);
        let country = if country.is_empty() {
            None
        } else if country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic()) {
            Some(self.strings.intern(&country.to_ascii_uppercase()))
        } else {
            row.error(format!(
                "bad country \"{country}\": expected an ISO 3166-1 alpha-2 code such as ID, IN, RU or JP"
            ));
            None
        };
        let (start, end) = row.span();
        let (Some(id), Some(kind), Some(name)) = (id, kind, name) else {
            if let Some(id) = id {
                self.rejected_entities.insert(id.into());
            }
            self.errors.append(&mut row.errors);
            return;
        };
        let id: Box<str> = id.into();
        self.check_id(row, &id);
        if let Some(prev) = self.entity_ids.get(&id) {
            let at = self.entities[prev as usize].origin;
            let msg = format!(
                "duplicate entity id \"{id}\" (already defined at {}:{})",
                self.files[at.file as usize], at.line
            );
            row.error(msg);
        }
        let mut aliases: Vec<Box<str>> = Vec::new();
        for a in row.optional(cols::ALIASES).split('|') {
            let a = reader::trim(a);
            if !a.is_empty() && a != name && !aliases.iter().any(|x| &**x == a) {
                aliases.push(a.into());
            }
        }
        let entity = Entity {
            kind,
            name: name.into(),
            aliases: aliases.into(),
            country,
            start,
            end,
            description: row.optional(cols::DESCRIPTION).into(),
            attrs: row.attrs(&mut self.strings),
            origin: origin(row),
            id,
        };
        if row.errors.is_empty() {
            if self.entities.len() >= u32::MAX as usize - 1 {
                row.error("too many entities (at most 4294967294)");
            } else if self
                .entity_ids
                .insert(&entity.id, self.entities.len() as u32)
                .is_err()
            {
                row.error("too many entity ids (at most 4 GiB of them together)");
            } else {
                self.entities.push(entity);
            }
        } else {
            self.rejected_entities.insert(entity.id);
        }
        self.errors.append(&mut row.errors);
    }

    fn relation_count(&self) -> usize {
        self.relations.iter().map(Vec::len).sum()
    }

    /// Adds a part's relations after those already read, moving its
    /// strings into the graph's interner.
    fn merge(&mut self, part: RelationPart) {
        let RelationPart {
            strings,
            mut relations,
            offsets,
            attrs,
            off_vocabulary,
            warnings,
            errors,
            suggestions_made,
            ..
        } = part;
        let syms: Vec<Sym> = (0..strings.len())
            .map(|i| self.strings.intern(strings.resolve(Sym(i as u32))))
            .collect();
        let base = self.relation_count();
        let room = crate::graph::MAX_RELATIONS.saturating_sub(base);
        if relations.len() > room {
            let first = relations[room].origin;
            self.errors.push(DataError::at(
                self.files[first.file as usize].clone(),
                u64::from(first.line),
                format!(
                    "too many relations (at most {}): this one and the {} after it do not fit",
                    crate::graph::MAX_RELATIONS,
                    relations.len() - room - 1
                ),
            ));
            relations.truncate(room);
        }
        let relations_kept = relations.len();
        for r in &mut relations {
            r.rel_type = syms[r.rel_type.0 as usize];
            r.role = r.role.map(|s| syms[s.0 as usize]);
        }
        if !relations.is_empty() {
            self.relations.push(relations);
        }
        for (i, a) in attrs {
            let a = a
                .into_vec()
                .into_iter()
                .map(|(name, value)| (syms[name.0 as usize], value))
                .collect();
            self.relation_attrs.insert(base as u32 + i, a);
        }
        self.evidence
            .extend(offsets.into_iter().take(relations_kept));
        for (sym, (first, count)) in off_vocabulary {
            self.off_vocabulary
                .entry(syms[sym.0 as usize])
                .or_insert((first, 0))
                .1 += count;
        }
        self.warnings.extend(warnings);
        self.errors.extend(errors);
        self.suggestions_made = self.suggestions_made.max(suggestions_made);
    }

    fn check_id(&self, row: &mut Row<'_>, id: &str) {
        // Most ids are plain ASCII slugs: those are checked byte by byte.
        let plain = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':');
        if id.bytes().all(|b| plain(&b)) {
            return;
        }
        if let Some(c) = id
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "/\\?#%<>\"'`".contains(*c))
        {
            row.error(format!(
                "bad id \"{id}\": ids are URL-safe slugs, {c:?} is not allowed (use letters, digits, - _ . :)"
            ));
        }
    }

    fn finish(
        mut self,
        names: Option<NameIndex>,
        indexes: Option<crate::graph::Indexes>,
    ) -> Result<Loaded, LoadErrors> {
        if !self.errors.is_empty() {
            // Stable order: by file (in reading order), then line.
            let order: HashMap<&str, usize> = self
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.as_str(), i))
                .collect();
            self.errors.sort_by_key(|e| {
                (
                    order.get(e.path.as_str()).copied().unwrap_or(usize::MAX),
                    e.line.unwrap_or(0),
                )
            });
            return Err(LoadErrors(self.errors));
        }
        let graph = Graph::build(GraphParts {
            entities: self.entities,
            relations: join(self.relations),
            sources: self.sources,
            strings: self.strings,
            files: self.files,
            entity_ids: self.entity_ids,
            source_ids: self.source_ids,
            names,
            indexes,
            evidence: self.evidence.finish(),
            relation_attrs: self.relation_attrs,
        });
        let mut warnings = self.warnings;
        for (sym, (first, count)) in self.off_vocabulary {
            let t = graph.str(sym);
            let hint = did_you_mean_hint(t, crate::model::VOCABULARY.iter().map(|(t, _)| *t));
            let rows = if count == 1 {
                String::new()
            } else {
                format!(" ({count} rows; this is the first)")
            };
            warnings.push(DataError::at(
                graph.files[first.file as usize].clone(),
                u64::from(first.line),
                format!("relation type \"{t}\" is not in the vocabulary{hint}{rows}"),
            ));
        }
        warnings.extend(graph.unused_warnings());
        Ok(Loaded { graph, warnings })
    }
}

/// How many rows a file of `size` bytes holds, judged by `rows` rows
/// taking `bytes` at its start, with an eighth to spare; at most one per 64
/// bytes, so that a file whose first rows are tiny does not make room for
/// more ids than it has bytes.
fn expected_rows(size: u64, bytes: u64, rows: usize) -> usize {
    if rows == 0 || bytes == 0 {
        return 0;
    }
    let per_row = (bytes / rows as u64).max(1);
    let rows = size / per_row;
    (rows + rows / 8).min(size / 64) as usize
}

/// The relations read in pieces, as one vector: the only piece is moved,
/// not copied.
fn join(mut pieces: Vec<Vec<Relation>>) -> Vec<Relation> {
    if pieces.len() < 2 {
        return pieces.pop().unwrap_or_default();
    }
    pieces.concat()
}

fn origin(row: &Row<'_>) -> Origin {
    Origin {
        file: row.file,
        line: row.line.min(u64::from(u32::MAX)) as u32,
    }
}

/// What relation rows are checked against: the sources and entities read
/// before them. Read-only, so the threads reading relations share it.
struct Known<'a> {
    entity_ids: &'a IdMap,
    source_ids: &'a FxHashMap<Box<str>, u32>,
    sources: &'a [Source],
    rejected_entities: &'a HashSet<Box<str>>,
    rejected_sources: &'a HashSet<Box<str>>,
    entities_failed: bool,
    sources_failed: bool,
    suggestions_made: usize,
}

impl<'a> Known<'a> {
    fn of(st: &'a CheckedRows) -> Self {
        Known {
            entity_ids: &st.entity_ids,
            source_ids: &st.source_ids,
            sources: &st.sources,
            rejected_entities: &st.rejected_entities,
            rejected_sources: &st.rejected_sources,
            entities_failed: st.entities_failed,
            sources_failed: st.sources_failed,
            suggestions_made: st.suggestions_made,
        }
    }

    /// Warms the lookups of both ends of a batch of relation rows.
    fn warm(&self, rows: &[Row<'_>]) {
        self.entity_ids.warm(
            rows.iter()
                .flat_map(|r| [r.cell(cols::FROM), r.cell(cols::TO)])
                .flatten(),
        );
    }
}

/// Relations read from one stretch of a relations file, with what was
/// found on the way. Its strings are its own: [`CheckedRows::merge`] moves them.
#[derive(Default)]
struct RelationPart {
    strings: Interner,
    relations: Vec<Relation>,
    /// Where each relation's record starts: its evidence is read from
    /// there when shown.
    offsets: Vec<u64>,
    /// Where the evidence is in a record, from the header.
    column: Option<usize>,
    /// Extra columns, by relation index within the part.
    attrs: FxHashMap<u32, Attrs>,
    /// Per relation type: whether it is in the vocabulary (asked once).
    type_known: FxHashMap<Sym, bool>,
    off_vocabulary: BTreeMap<Sym, (Origin, u64)>,
    warnings: Vec<DataError>,
    errors: Vec<DataError>,
    /// How many "did you mean" searches were run: each scans every id, so
    /// a file of a million dangling ids must not run a million of them.
    suggestions_made: usize,
}

impl RelationPart {
    fn new(known: &Known<'_>) -> Self {
        RelationPart {
            suggestions_made: known.suggestions_made,
            ..RelationPart::default()
        }
    }

    /// Moves every line this part names `lines` further down the file:
    /// the second half of a file is read before its first line is known.
    fn move_down(&mut self, lines: u64) {
        let shift = |line: u32| (u64::from(line) + lines).min(u64::from(u32::MAX)) as u32;
        for r in &mut self.relations {
            r.origin.line = shift(r.origin.line);
        }
        for (origin, _) in self.off_vocabulary.values_mut() {
            origin.line = shift(origin.line);
        }
        for e in self.errors.iter_mut().chain(&mut self.warnings) {
            e.line = e.line.map(|l| l + lines);
        }
    }

    /// Reads the rows of `records` into this part.
    fn read<R: Read + Send>(
        &mut self,
        csv: &CsvFile,
        records: &mut Records<R>,
        header: &Header,
        known: &Known<'_>,
        progress: &dyn Progress,
        pipelined: bool,
    ) {
        self.column = header.known[cols::EVIDENCE.0];
        let mut errors = Vec::new();
        csv.rows(
            records,
            header,
            &mut errors,
            progress,
            pipelined,
            |rows| known.warm(rows),
            |row| self.row(known, row),
        );
        self.errors.extend(errors);
    }

    fn row(&mut self, known: &Known<'_>, row: &mut Row<'_>) {
        let from = row.required(cols::FROM);
        let to = row.required(cols::TO);
        let rel_type = row.required(cols::TYPE);
        let source = row.required(cols::SOURCE);
        let (start, end) = row.span();
        let from = from.and_then(|id| self.lookup_entity(known, row, "from", id));
        let to = to.and_then(|id| self.lookup_entity(known, row, "to", id));
        let source = source.and_then(|id| match known.source_ids.get(id) {
            Some(&s) => Some(s),
            None if known.sources_failed || known.rejected_sources.contains(id) => None,
            None => {
                let hint = self.suggest(id, known.sources.iter().map(|s| &*s.id));
                row.error(format!("unknown source id \"{id}\"{hint}"));
                None
            }
        });
        let rel_type = rel_type.and_then(|t| {
            if t.chars().any(char::is_whitespace) {
                row.error(format!(
                    "bad relation type \"{t}\": types are snake_case words such as signed or holds_position"
                ));
                None
            } else {
                Some(t)
            }
        });
        let (Some(from), Some(to), Some(rel_type), Some(source)) = (from, to, rel_type, source)
        else {
            self.errors.append(&mut row.errors);
            return;
        };
        let type_sym = self.strings.intern(rel_type);
        let known_type = *self
            .type_known
            .entry(type_sym)
            .or_insert_with(|| in_vocabulary(rel_type));
        if !known_type {
            self.off_vocabulary
                .entry(type_sym)
                .or_insert((origin(row), 0))
                .1 += 1;
        }
        if from == to {
            self.warnings.push(DataError::at(
                row.path,
                row.line,
                format!("relation from \"{}\" to itself", row.optional(cols::FROM)),
            ));
        }
        let role = row.optional(cols::ROLE);
        let relation = Relation {
            from,
            to,
            rel_type: type_sym,
            role: (!role.is_empty()).then(|| self.strings.intern(role)),
            start,
            end,
            source,
            origin: origin(row),
        };
        if row.errors.is_empty() {
            let attrs = row.attrs(&mut self.strings);
            if !attrs.is_empty() {
                self.attrs.insert(self.relations.len() as u32, attrs);
            }
            self.offsets.push(row.offset);
            self.relations.push(relation);
        }
        self.errors.append(&mut row.errors);
    }

    fn lookup_entity(
        &mut self,
        known: &Known<'_>,
        row: &mut Row<'_>,
        column: &str,
        id: &str,
    ) -> Option<u32> {
        match known.entity_ids.get(id) {
            Some(e) => Some(e),
            None if known.entities_failed || known.rejected_entities.contains(id) => None,
            None => {
                let hint = self.suggest(id, known.entity_ids.ids());
                row.error(format!(
                    "unknown entity id \"{id}\" in column {column}{hint}"
                ));
                None
            }
        }
    }

    fn suggest<'i>(&mut self, id: &str, ids: impl Iterator<Item = &'i str>) -> String {
        if self.suggestions_made >= MAX_SUGGESTION_SCANS {
            return String::new();
        }
        self.suggestions_made += 1;
        did_you_mean_hint(id, ids)
    }
}

/// Reads a relations file of `size` bytes in two halves at once: this
/// thread reads from the start to a record start guessed near the middle,
/// another thread from there to the end, counting its lines from 1 until
/// the first half says where they really start. The guess holds only if
/// the first half ends exactly at a record boundary; `None` when it does
/// not (a line end inside a long quoted cell, a file that changed under
/// us) or no guess could be made: the caller then reads the file in one
/// piece, which also reports whatever was wrong.
fn read_halves(
    ds: &DatasetSource,
    csv: &CsvFile,
    known: &Known<'_>,
    progress: &dyn Progress,
    size: u64,
) -> Option<Vec<RelationPart>> {
    let middle = size / 2;
    let split = middle + records::guess_record_start(ds.open_at(RELATIONS, middle)?.reader())?;
    let mut first_input = ds.open(RELATIONS).ok()?;
    let mut first = Records::new(first_input.reader().take(split), 1, 0);
    let mut a = RelationPart::new(known);
    let header = csv.header(&mut first, &mut a.errors)?;
    let (first_end, b) = std::thread::scope(|scope| {
        let second = scope.spawn(|| {
            let mut input = ds.open_at(RELATIONS, split)?;
            let mut records = Records::new(input.reader(), 1, split);
            let mut b = RelationPart::new(known);
            b.read(csv, &mut records, &header, known, progress, false);
            Some(b)
        });
        a.read(csv, &mut first, &header, known, progress, false);
        (first.ended_at_boundary(), second.join().ok().flatten())
    });
    let (Some(next_line), Some(mut b)) = (first_end, b) else {
        return None;
    };
    b.move_down(next_line - 1);
    progress.phase("relations read in two halves");
    Some(vec![a, b])
}

#[cfg(test)]
mod tests;
