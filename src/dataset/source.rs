//! Where a dataset's files come from (a folder, or bytes in memory) and
//! how they are opened: whole, or from an offset for a file read in
//! halves.

use std::borrow::Cow;
use std::io::Read;
use std::path::PathBuf;

use crate::error::DataError;

use super::{ENTITIES, SOURCES};

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

    pub(super) fn open(&self, name: &str) -> Result<Input<'_>, DataError> {
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
                        let what = match name {
                            SOURCES => "; it lists the documents relations cite: columns id and title (required), publisher, published, url, language, file",
                            ENTITIES => "; it lists the entities: columns id, kind and name (required), aliases, country, start, end, description",
                            _ => "; it lists the relations: columns from, to, type and source (required), role, start, end, evidence",
                        };
                        // The folder is described once, at its first
                        // missing file.
                        let first_missing = [SOURCES, ENTITIES, super::RELATIONS]
                            .into_iter()
                            .find(|f| !dir.join(f).exists());
                        let about = if first_missing == Some(name) {
                            describe_folder(dir)
                        } else {
                            String::new()
                        };
                        format!("missing file (a dataset folder needs {name}{what}){about}")
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
    pub(super) fn size(&self, name: &str) -> Option<u64> {
        match self {
            DatasetSource::Dir(dir) => std::fs::metadata(dir.join(name)).ok().map(|m| m.len()),
            DatasetSource::Memory { .. } => match self.open(name).ok()? {
                Input::Bytes(b) => Some(b.len() as u64),
                Input::File(_) => None,
            },
        }
    }

    /// One of the dataset's files, from byte `offset` on.
    pub(super) fn open_at(&self, name: &str, offset: u64) -> Option<Input<'_>> {
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

/// What a folder without dataset files holds, and the import that would
/// read it: the tables there, with their columns, or FtM lines.
fn describe_folder(dir: &std::path::Path) -> String {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return String::new();
    };
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let known = [SOURCES, ENTITIES, super::RELATIONS];
    if files
        .iter()
        .any(|f| f.file_name().is_some_and(|n| known.iter().any(|k| n == *k)))
    {
        return String::new();
    }
    let mut said = Vec::new();
    for f in files.iter().take(5) {
        let ext = f
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        let shown = f.display();
        let out = format!(
            "{}-dataset",
            dir.display().to_string().trim_end_matches('/')
        );
        match ext.as_str() {
            "csv" | "tsv" | "tab" => {
                let header = first_line(f);
                let cols: Vec<&str> = header
                    .split(if ext == "csv" { ',' } else { '\t' })
                    .map(str::trim)
                    .collect();
                let lower: Vec<String> = cols.iter().map(|c| c.to_lowercase()).collect();
                let ends = |names: &[&str]| lower.iter().any(|c| names.contains(&c.as_str()));
                let shape = if ends(&["from", "source", "subject"]) && ends(&["to", "target", "object"]) {
                    "an edge list"
                } else {
                    "a table"
                };
                said.push(format!(
                    "{shown} looks like {shape} with columns {}: `jejaring import table {shown} --out {out}` reads it",
                    cols.join(", ")
                ));
            }
            "xlsx" | "xls" | "ods" => said.push(format!(
                "{shown} is a spreadsheet: `jejaring import table {shown} --out {out}` reads its sheets"
            )),
            "json" | "jsonl" | "ftm" => said.push(format!(
                "{shown} may be FollowTheMoney entities: `jejaring import ftm {shown} --out {out}` reads them"
            )),
            _ => {}
        }
    }
    if said.is_empty() {
        String::new()
    } else {
        format!(". The folder is not a dataset yet: {}", said.join("; "))
    }
}

/// The first line of a file, at most 4 KiB of it.
fn first_line(path: &std::path::Path) -> String {
    let mut buf = vec![0; 4096];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .unwrap_or(0);
    let text = String::from_utf8_lossy(&buf[..n]);
    let line = text.lines().next().unwrap_or("");
    line.trim_start_matches('\u{feff}').to_string()
}
