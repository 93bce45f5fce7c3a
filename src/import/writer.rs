//! Writing an imported dataset: all three files go to a temporary folder
//! beside the target, the folder is loaded with [`crate::dataset::load`]
//! as any dataset is, and only then renamed into place. A failed import,
//! or one whose output would not load, leaves nothing behind; a reader of
//! the target sees no folder or a whole one.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::dataset::{self, DatasetSource};
use crate::error::DataError;

/// A dataset being written: relations stream to disk as rows come, the
/// entities and sources (which the importer holds anyway, to give ids)
/// are written at the end.
pub(super) struct Staging {
    dir: tempfile::TempDir,
    out: PathBuf,
    relations: csv::Writer<BufWriter<File>>,
    pub relations_written: u64,
}

/// What a finished import wrote.
#[derive(Debug, Clone, Default)]
pub struct Written {
    pub entities: usize,
    pub relations: usize,
    pub sources: usize,
    /// Warnings of loading the result (types outside the vocabulary …).
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

impl Staging {
    /// Starts a dataset for `out` whose relations have `rel_header` as
    /// columns.
    pub(super) fn new(out: &Path, rel_header: &[String]) -> Result<Staging, DataError> {
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
        let path = dir.path().join(dataset::RELATIONS);
        let file = File::create(&path).map_err(|e| io_error(&path, e))?;
        let mut relations = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file));
        relations
            .write_record(rel_header)
            .map_err(|e| io_error(&path, e))?;
        Ok(Staging {
            dir,
            out: out.to_path_buf(),
            relations,
            relations_written: 0,
        })
    }

    pub(super) fn relation<I, T>(&mut self, cells: I) -> Result<(), DataError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        self.relations_written += 1;
        self.relations
            .write_record(cells)
            .map_err(|e| io_error(&self.out, e))
    }

    /// Writes sources, entities and rejects, checks the folder loads, and
    /// puts it in place.
    pub(super) fn finish(
        mut self,
        sources: &[Vec<String>],
        entity_header: &[String],
        entities: impl Iterator<Item = Vec<String>>,
        rejects: &[DataError],
    ) -> Result<Written, Vec<DataError>> {
        let one = |e: DataError| vec![e];
        self.relations
            .flush()
            .map_err(|e| io_error(&self.out, e))
            .map_err(one)?;
        write_csv(
            &self.dir.path().join(dataset::SOURCES),
            dataset::columns::SOURCES
                .iter()
                .map(|s| s.to_string())
                .collect(),
            sources.iter().cloned(),
        )
        .map_err(one)?;
        write_csv(
            &self.dir.path().join(dataset::ENTITIES),
            entity_header.to_vec(),
            entities,
        )
        .map_err(one)?;
        if !rejects.is_empty() {
            write_csv(
                &self.dir.path().join("rejects.csv"),
                vec!["file".into(), "line".into(), "message".into()],
                rejects.iter().map(|e| {
                    vec![
                        e.path.clone(),
                        e.line.map(|l| l.to_string()).unwrap_or_default(),
                        e.message.clone(),
                    ]
                }),
            )
            .map_err(one)?;
        }
        let staged = self.dir.path().to_path_buf();
        let loaded = dataset::load(&[DatasetSource::Dir(staged.clone())], &dataset::Quiet);
        // Messages name the target folder, not the temporary one.
        let rename = |mut e: DataError| {
            let from = staged.display().to_string();
            let to = self.out.display().to_string();
            e.path = e.path.replace(&from, &to);
            e
        };
        let loaded =
            loaded.map_err(|errors| errors.0.into_iter().map(rename).collect::<Vec<_>>())?;
        let written = Written {
            entities: loaded.graph.entities.len(),
            relations: loaded.graph.relations.len(),
            sources: loaded.graph.sources.len(),
            warnings: loaded.warnings.into_iter().map(rename).collect(),
            rejects: rejects.len(),
        };
        // The graph holds the relations file open: let it go before the
        // folder moves.
        drop(loaded.graph);
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

fn write_csv(
    path: &Path,
    header: Vec<String>,
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<(), DataError> {
    let file = File::create(path).map_err(|e| io_error(path, e))?;
    let mut w = csv::Writer::from_writer(BufWriter::with_capacity(1 << 16, file));
    w.write_record(&header).map_err(|e| io_error(path, e))?;
    for row in rows {
        w.write_record(&row).map_err(|e| io_error(path, e))?;
    }
    w.flush().map_err(|e| io_error(path, e))?;
    let file = w.into_inner().map_err(|e| io_error(path, e.error()))?;
    file.into_inner()
        .map_err(|e| io_error(path, e.error()))?
        .sync_all()
        .map_err(|e| io_error(path, e))
}
