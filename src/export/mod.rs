//! Exports of the whole graph or a part of it, each format written to
//! `impl Write` through a real CSV or XML writer, in a stable order, so two
//! exports of the same data are byte-identical.

pub mod dot;

use std::borrow::Cow;

use crate::graph::Graph;

/// A part of the graph to export: entities and relations by index, in
/// ascending order. Relations only join entities of the part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subgraph {
    pub nodes: Vec<u32>,
    pub relations: Vec<u32>,
}

impl Subgraph {
    /// Every entity and every relation.
    pub fn whole(g: &Graph) -> Subgraph {
        Subgraph {
            nodes: (0..g.entities.len() as u32).collect(),
            relations: (0..g.relations.len() as u32).collect(),
        }
    }
}

/// Neutralises a cell a spreadsheet would run as a formula (`=`, `+`, `-`,
/// `@`, tab or carriage return first) by putting an apostrophe in front;
/// spreadsheets show the text as typed and do not evaluate it. Dates and
/// numbers never start with these, so no real value is changed but
/// negative numbers and text that starts so.
pub fn safe_cell(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}
