//! The one way a file is written: in full to a temporary file beside its
//! target, flushed to disk, then renamed over the target. A reader sees
//! the old file or the new one, never half of one, and a crash or an
//! error leaves no half-written file behind (the temporary file is
//! removed when dropped unplaced).
//!
//! Exports (`export::save`) and generated datasets (`generate`) both write
//! through here; it sits below both and knows nothing of what is written.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use tempfile::NamedTempFile;

/// A temporary file in the target's folder, written and synced, waiting
/// to be put in place with [`Staged::persist`].
pub struct Staged {
    tmp: NamedTempFile,
}

impl Staged {
    /// Creates a hidden temporary file in `dir` (named `prefix…tmp`) and
    /// writes it with `body` through a buffer, then flushes it and syncs
    /// it to disk, so that a rename that follows cannot put an empty or
    /// partial file in place after a crash.
    ///
    /// The file gets the mode any new file gets (0644 before the umask),
    /// not the private mode of temporary files: it becomes an ordinary
    /// file of the user's.
    ///
    /// Errors: creating the file (`Err` before `body` runs) or writing,
    /// flushing and syncing it are told apart by [`StageError`].
    pub fn write<T>(
        dir: &Path,
        prefix: &str,
        body: impl FnOnce(&mut BufWriter<&File>) -> io::Result<T>,
    ) -> Result<(Staged, T), StageError> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let tmp = builder.tempfile_in(dir).map_err(StageError::Create)?;
        let out = {
            let mut w = BufWriter::with_capacity(1 << 16, tmp.as_file());
            let out = body(&mut w).map_err(StageError::Write)?;
            w.flush().map_err(StageError::Write)?;
            out
        };
        tmp.as_file().sync_all().map_err(StageError::Write)?;
        Ok((Staged { tmp }, out))
    }

    /// Renames the file over `target`, which must be in the folder it was
    /// written in (a rename does not cross file systems).
    pub fn persist(self, target: &Path) -> io::Result<()> {
        self.tmp.persist(target).map(drop).map_err(|e| e.error)
    }
}

/// Why [`Staged::write`] failed: the temporary file could not be made, or
/// it could not be written.
#[derive(Debug)]
pub enum StageError {
    Create(io::Error),
    Write(io::Error),
}

impl From<StageError> for io::Error {
    fn from(e: StageError) -> io::Error {
        match e {
            StageError::Create(e) | StageError::Write(e) => e,
        }
    }
}

/// Writes `dir/name` atomically with `body` ([`Staged::write`], then
/// [`Staged::persist`]).
pub fn write_file<T>(
    dir: &Path,
    name: &str,
    prefix: &str,
    body: impl FnOnce(&mut BufWriter<&File>) -> io::Result<T>,
) -> io::Result<T> {
    let (staged, out) = Staged::write(dir, prefix, body)?;
    staged.persist(&dir.join(name))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        write_file(dir.path(), "a.txt", ".t-", |w| w.write_all(b"old")).unwrap();
        let err = write_file(dir.path(), "a.txt", ".t-", |w| {
            w.write_all(b"half")?;
            Err::<(), _>(io::Error::other("disk on fire"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk on fire");
        assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.txt"]);
    }

    #[test]
    fn a_written_file_replaces_the_target_with_an_ordinary_mode() {
        let dir = tempfile::tempdir().unwrap();
        write_file(dir.path(), "a.txt", ".t-", |w| w.write_all(b"old")).unwrap();
        let n = write_file(dir.path(), "a.txt", ".t-", |w| {
            w.write_all(b"new")?;
            Ok(3)
        })
        .unwrap();
        assert_eq!(n, 3);
        let path = dir.path().join("a.txt");
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        // Readable by group and others exactly as a file created plainly
        // is, whatever the umask.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let plain = dir.path().join("plain.txt");
            std::fs::File::create(&plain).unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o044;
            assert_eq!(mode(&path), mode(&plain));
        }
    }
}
