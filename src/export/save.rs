//! Writing an export to disk: each file to a temporary file beside its
//! target, renamed over it only once complete (through [`crate::atomic`]).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{ExportFormat, Metrics, Subgraph, file_names, write_file_with};
use crate::atomic::{StageError, Staged};
use crate::graph::Graph;

/// An IO error that names the path it happened at.
fn at(path: &Path, what: &str, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("failed to {what} `{}`: {e}", path.display()),
    )
}

/// Writes an export to `out`: a file for single-file formats, a folder
/// (created when missing) for [`ExportFormat::is_folder`] ones.
///
/// Every file is first written in full to a hidden temporary file in the
/// target folder, then renamed over its target; for a folder the renames
/// come only after every file was written. An error or an interruption
/// thus leaves any previous export in place and no half-written file; the
/// temporary files of a failed export are removed.
///
/// Returns the paths written, in order.
pub fn save(
    g: &Graph,
    format: ExportFormat,
    sub: &Subgraph,
    out: &Path,
) -> io::Result<Vec<PathBuf>> {
    save_with(g, format, sub, None, out)
}

/// [`save`] with the entities' [`Metrics`] as columns (see
/// [`super::write_file_with`]).
pub fn save_with(
    g: &Graph,
    format: ExportFormat,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
    out: &Path,
) -> io::Result<Vec<PathBuf>> {
    let names = file_names(g, format, sub);
    let (dir, targets): (PathBuf, Vec<PathBuf>) = if format.is_folder() {
        if out.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "`{}` is a file; a {} export is a folder of files, give a folder name",
                    out.display(),
                    format.as_str()
                ),
            ));
        }
        fs::create_dir_all(out).map_err(|e| at(out, "create folder", e))?;
        (
            out.to_path_buf(),
            names.iter().map(|n| out.join(n)).collect(),
        )
    } else {
        if out.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "`{}` is a folder; give a file name such as {}",
                    out.display(),
                    out.join(format!("jejaring.{}", format.extension()))
                        .display()
                ),
            ));
        }
        let dir = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotFound,
                format!("no folder `{}` to write into", dir.display()),
            ));
        }
        (dir, vec![out.to_path_buf()])
    };
    let mut done = Vec::with_capacity(names.len());
    for (name, target) in names.iter().zip(&targets) {
        let (staged, ()) = Staged::write(&dir, ".jejaring-export-", |w| {
            write_file_with(g, format, sub, metrics, name, w)
        })
        .map_err(|e| match e {
            StageError::Create(e) => at(&dir, "create a temporary file in", e),
            StageError::Write(e) => at(target, "write", e),
        })?;
        done.push((staged, target));
    }
    let mut written = Vec::with_capacity(done.len());
    for (tmp, target) in done {
        tmp.persist(target)
            .map_err(|e| at(target, "rename the finished export to", e))?;
        written.push(target.clone());
    }
    Ok(written)
}
