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
//! - `source` — where the files come from ([`DatasetSource`]) and
//!   opening them, whole or from an offset.
//! - `records` — the record bounds on the byte stream (record length,
//!   unclosed quotes) and the guess of a record start in mid-file.
//! - `reader` — CSV files as rows with their lines, headers and columns.
//! - `checks` — the rows checked so far (`CheckedRows`): sources and
//!   entities row by row, then the hand-off to the graph.
//! - `halves` — relations read in one piece or in two halves at once,
//!   checked against the same known ids and merged in file order.
//! - `merge` — entities sharing an external id, or joined by `same_as`,
//!   made one.
//!
//! This module owns file IO for datasets (open, read, stream); it never
//! prints. The embedded default dataset lives in [`embedded`].

mod checks;
pub mod embedded;
mod halves;
mod merge;
mod reader;
mod records;
mod source;
pub mod spans;

pub use crate::store::MAX_RECORD_BYTES;
pub(crate) use checks::id_problem;
pub use source::DatasetSource;
pub(crate) use source::Input;

use std::path::PathBuf;

use crate::error::{DataError, LoadErrors};
use crate::graph::{Graph, NameIndex};
use crate::model::{Origin, Relation};
use checks::CheckedRows;
use reader::{Row, cols};

/// The columns each file of a dataset knows, in the order writers use.
pub mod columns {
    pub const SOURCES: &[&str] = super::reader::SOURCES_COLUMNS.known;
    pub const ENTITIES: &[&str] = super::reader::ENTITIES_COLUMNS.known;
    pub const RELATIONS: &[&str] = super::reader::RELATIONS_COLUMNS.known;
}

pub const SOURCES: &str = "sources.csv";
pub const ENTITIES: &str = "entities.csv";
pub const RELATIONS: &str = "relations.csv";

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
    for ds in datasets {
        st.warnings.extend(column_hints(ds));
    }
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
        // What traversals need is built while the names are indexed, from
        // the relations as read; the pieces are joined after, in place.
        let indexes = st.errors.is_empty().then(|| {
            let pieces: Vec<&[Relation]> = st.relations.iter().map(Vec::as_slice).collect();
            crate::graph::Indexes::build(entities.len(), st.sources.len(), &pieces)
        });
        st.relations = vec![join(std::mem::take(&mut st.relations))];
        progress.phase("traversal indexes built");
        let names = names.map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        (names, indexes)
    });
    progress.phase("names indexed");
    st.entities = entities;
    st.finish(names, indexes)
}

/// Loads dataset folders given on the command line, or the embedded
/// dataset when there are none. The name [`EMBEDDED`] stands for the
/// embedded dataset among folders (`--data embedded --data mine`), unless
/// a folder of that name exists, which is read as given.
pub fn load_dirs(dirs: &[PathBuf], progress: &dyn Progress) -> Result<Loaded, LoadErrors> {
    if dirs.is_empty() {
        load(&[embedded::source()], progress)
    } else {
        let sources: Vec<_> = dirs
            .iter()
            .map(|d| {
                if d.as_os_str() == EMBEDDED && !d.exists() {
                    embedded::source()
                } else {
                    DatasetSource::Dir(d.clone())
                }
            })
            .collect();
        load(&sources, progress)
    }
}

/// The `--data` name of the embedded dataset.
pub const EMBEDDED: &str = "embedded";

/// Where snapshots of loaded graphs are kept ([`crate::snapshot`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cache {
    /// The folder (created when first written).
    pub dir: PathBuf,
    /// Whether datasets of any size are snapshotted; else only those of
    /// [`CACHE_MIN_BYTES`] of CSV or more, so that small folders (tests,
    /// the curated datasets) never touch the cache folder.
    pub always: bool,
}

/// The CSV size from which the default cache folder is used: below it,
/// parsing takes about as long as reading a snapshot would.
pub const CACHE_MIN_BYTES: u64 = 8 << 20;

/// A load through the cache: the data, whether it came from a snapshot,
/// and what to tell the user about the cache (each said once).
#[derive(Debug)]
pub struct CachedLoad {
    pub loaded: Loaded,
    pub from_snapshot: bool,
    pub notes: Vec<String>,
}

/// Loads the folders like [`load_dirs`], through a snapshot in `cache`
/// when there is one for these unchanged files, and writes one when there
/// is not. A refused snapshot (stale, truncated, corrupt, of another
/// version or byte order) is said in a note and the CSV files are loaded;
/// a cache folder that cannot be written is said in a note and nothing
/// else changes. Answers are the same either way. The embedded dataset is
/// never snapshotted.
pub fn load_cached(
    dirs: &[PathBuf],
    cache: Option<&Cache>,
    progress: &dyn Progress,
) -> Result<CachedLoad, LoadErrors> {
    let plain = |notes| {
        load_dirs(dirs, progress).map(|loaded| CachedLoad {
            loaded,
            from_snapshot: false,
            notes,
        })
    };
    let Some(cache) = cache else {
        return plain(Vec::new());
    };
    let embedded = dirs
        .iter()
        .any(|d| d.as_os_str() == EMBEDDED && !d.exists());
    let files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| [SOURCES, ENTITIES, RELATIONS].map(|f| d.join(f)))
        .collect();
    if dirs.is_empty() || embedded || !files.iter().all(|f| f.is_file()) {
        return plain(Vec::new());
    }
    let size: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    if !cache.always && size < CACHE_MIN_BYTES {
        return plain(Vec::new());
    }
    let key = match crate::snapshot::Key::of(&files) {
        Ok(k) => k,
        Err(e) => {
            return plain(vec![format!(
                "no snapshot: cannot read the CSV files' stamps: {e}"
            )]);
        }
    };
    let relations: Vec<PathBuf> = dirs.iter().map(|d| d.join(RELATIONS)).collect();
    let shown = cache.dir.join(key.file_name()).display().to_string();
    let mut notes = Vec::new();
    match crate::snapshot::read(&cache.dir, &key, &relations) {
        Ok((graph, warnings)) => {
            progress.phase("snapshot read");
            return Ok(CachedLoad {
                loaded: Loaded { graph, warnings },
                from_snapshot: true,
                notes,
            });
        }
        Err(crate::snapshot::Miss::Absent) => {}
        Err(crate::snapshot::Miss::Refused(why)) => notes.push(format!(
            "snapshot {shown} not used: {why}; loading the CSV files and writing it again"
        )),
    }
    let loaded = load_dirs(dirs, progress)?;
    match crate::snapshot::write(
        &cache.dir,
        &key,
        &relations,
        &loaded.graph,
        &loaded.warnings,
    ) {
        Ok(()) => progress.phase("snapshot written"),
        Err(e) => notes.push(format!(
            "cannot write snapshot {shown}: {e}; the data was loaded from CSV and will be next time"
        )),
    }
    Ok(CachedLoad {
        loaded,
        from_snapshot: false,
        notes,
    })
}

/// Warnings for columns that look like misnamed optional ones, from each
/// file's header (read again: a few bytes, and loading stays as it is).
fn column_hints(ds: &DatasetSource) -> Vec<DataError> {
    let specs = [
        (SOURCES, &reader::SOURCES_COLUMNS),
        (ENTITIES, &reader::ENTITIES_COLUMNS),
        (RELATIONS, &reader::RELATIONS_COLUMNS),
    ];
    let mut out = Vec::new();
    for (name, spec) in specs {
        let Ok(mut input) = ds.open(name) else {
            continue;
        };
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(input.reader());
        let mut record = csv::StringRecord::new();
        if !matches!(rdr.read_record(&mut record), Ok(true)) {
            continue;
        }
        let header: Vec<String> = record
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_string())
            .collect();
        for message in reader::column_hints(spec, &header) {
            out.push(DataError::at(ds.file_path(name), 1, message));
        }
    }
    out
}

/// How many rows a file of `size` bytes holds, judged by `rows` rows
/// taking `bytes` at its start; at most one per 64 bytes, so that a file
/// whose first rows are tiny does not make room for more ids than it has
/// bytes. No spare is added: the id table keeps its own (it is at most 5/8
/// full), and an eighth more on top of it doubled the table at 1M
/// entities (64 MiB) whenever the first rows ran a little short.
fn expected_rows(size: u64, bytes: u64, rows: usize) -> usize {
    if rows == 0 || bytes == 0 {
        return 0;
    }
    let per_row = (bytes / rows as u64).max(1);
    (size / per_row).min(size / 64) as usize
}

/// The relations read in pieces, as one vector: the first piece is kept
/// and the others appended to it, each freed once copied. glibc grows a
/// large block by remapping its pages, not copying them, so only the later
/// pieces are held twice, not every relation as a `concat` into a new
/// vector would (at 5M relations, 110 MB at the peak of a load, not 220).
fn join(pieces: Vec<Vec<Relation>>) -> Vec<Relation> {
    let total = pieces.iter().map(Vec::len).sum::<usize>();
    let mut pieces = pieces.into_iter();
    let mut joined = pieces.next().unwrap_or_default();
    joined.reserve_exact(total - joined.len());
    for mut piece in pieces {
        joined.append(&mut piece);
    }
    // A single piece keeps the room it grew into; shrinking remaps too.
    joined.shrink_to_fit();
    joined
}

fn origin(row: &Row<'_>) -> Origin {
    Origin {
        file: row.file,
        line: row.line.min(u64::from(u32::MAX)) as u32,
    }
}

#[cfg(test)]
mod tests;
