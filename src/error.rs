//! Typed errors of the library.
//!
//! Data errors carry the file and line they come from, so that every message
//! a user sees reads `datasets/x/relations.csv:13: unknown entity id "komdigi2"`.
//! Query errors say what was asked and what is allowed. Nothing here knows
//! about HTTP or the terminal: the front ends map these to exit codes and
//! status codes.

use std::fmt;

/// One problem found in a dataset, at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DataError {
    /// The file as the user named it (or the embedded dataset's path).
    pub path: String,
    /// 1-based line where the offending record starts; `None` when the
    /// problem is the file itself (missing, unreadable).
    pub line: Option<u64>,
    pub message: String,
}

impl DataError {
    pub fn at(path: impl Into<String>, line: u64, message: impl Into<String>) -> Self {
        DataError {
            path: path.into(),
            line: Some(line),
            message: message.into(),
        }
    }

    pub fn file(path: impl Into<String>, message: impl Into<String>) -> Self {
        DataError {
            path: path.into(),
            line: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// Every error found while loading, in file and line order. Loading fails
/// as a whole: nothing is loaded when this is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<DataError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

/// A query that cannot run as asked: bad arguments, unknown names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("no entity matches \"{query}\"{}", suggest(.suggestions))]
    NotFound {
        query: String,
        suggestions: Vec<String>,
    },
    #[error("{}", ambiguous(.query, .candidates))]
    Ambiguous {
        query: String,
        candidates: Vec<Candidate>,
    },
    #[error("{param}: {message}")]
    BadParameter { param: String, message: String },
}

impl QueryError {
    pub fn bad(param: impl Into<String>, message: impl Into<String>) -> Self {
        QueryError::BadParameter {
            param: param.into(),
            message: message.into(),
        }
    }
}

/// One entity an ambiguous argument could mean, told with enough to pick
/// it by: two entities of the same name differ in kind, country, dates,
/// description or how connected they are.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Candidate {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub country: Option<String>,
    /// `2019-10 – 2024-10`, `2024-10 –` (still holds), or empty when the
    /// data gives no dates.
    pub dates: String,
    /// The description, cut to a line.
    pub description: String,
    /// How many relations the entity has.
    pub relations: usize,
}

impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}, {}", self.name, self.id, self.kind)?;
        if let Some(c) = &self.country {
            write!(f, ", {c}")?;
        }
        if !self.dates.is_empty() {
            write!(f, ", {}", self.dates)?;
        }
        let n = self.relations;
        write!(f, ", {n} relation{})", if n == 1 { "" } else { "s" })?;
        if !self.description.is_empty() {
            write!(f, " — {}", self.description)?;
        }
        Ok(())
    }
}

/// The message of an ambiguous argument: one candidate a line, so a long
/// list stays readable and each line names the id to give instead.
fn ambiguous(query: &str, candidates: &[Candidate]) -> String {
    let mut s = format!(
        "\"{query}\" is ambiguous: {} entities match about equally well; give one by id:",
        candidates.len()
    );
    for c in candidates {
        s.push_str("\n  ");
        s.push_str(&c.to_string());
    }
    s
}

fn suggest(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        String::new()
    } else {
        format!(" — did you mean {}?", suggestions.join(", "))
    }
}
