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

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Gephi spreadsheet CSVs: `nodes.csv` and `edges.csv` (a folder; a zip on the web).
    Gephi,
    /// GEXF 1.3 with dynamic spells.
    Gexf,
    /// GraphML, typed keys.
    Graphml,
    /// The JSON shapes of the design: entities, relations, sources.
    Json,
    /// Graphviz DOT.
    Dot,
    /// CSVs for `neo4j-admin database import full` (a folder; a zip on the web).
    Neo4j,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Gephi,
        ExportFormat::Gexf,
        ExportFormat::Graphml,
        ExportFormat::Json,
        ExportFormat::Dot,
        ExportFormat::Neo4j,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Gephi => "gephi",
            ExportFormat::Gexf => "gexf",
            ExportFormat::Graphml => "graphml",
            ExportFormat::Json => "json",
            ExportFormat::Dot => "dot",
            ExportFormat::Neo4j => "neo4j",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let all: Vec<_> = ExportFormat::ALL.iter().map(|f| f.as_str()).collect();
                format!(
                    "unknown export format \"{s}\" (allowed: {})",
                    all.join(", ")
                )
            })
    }
}

/// An export as one download: the bytes, their media type, a file name.
#[derive(Debug, Clone)]
pub struct Download {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub file_name: String,
}

/// Renders an export in memory, for the web (folder formats as a zip).
pub fn download(g: &Graph, format: ExportFormat, sub: &Subgraph) -> std::io::Result<Download> {
    let mut bytes = Vec::new();
    match format {
        ExportFormat::Dot => {
            dot::write(g, sub, &mut bytes)?;
            Ok(Download {
                bytes,
                content_type: "text/vnd.graphviz; charset=utf-8",
                file_name: "jejaring.dot".to_string(),
            })
        }
        other => Err(std::io::Error::other(format!(
            "{} export is being built",
            other.as_str()
        ))),
    }
}

impl Subgraph {
    /// The entities and relations that held at a time (the whole graph for
    /// [`TimeFilter::Always`]).
    pub fn at(g: &Graph, time: crate::model::TimeFilter) -> Subgraph {
        let filter = crate::query::Filter {
            time,
            ..Default::default()
        };
        let nodes: Vec<u32> = (0..g.entities.len() as u32)
            .filter(|&e| filter.entity_ok(g, e))
            .collect();
        let keep: std::collections::HashSet<u32> = nodes.iter().copied().collect();
        let relations = (0..g.relations.len() as u32)
            .filter(|&r| {
                let rel = g.relation(r);
                filter.relation_ok(g, r) && keep.contains(&rel.from) && keep.contains(&rel.to)
            })
            .collect();
        Subgraph { nodes, relations }
    }

    /// A neighbourhood as a subgraph.
    pub fn of(n: &crate::query::Neighbourhood) -> Subgraph {
        let mut nodes: Vec<u32> = n.nodes.iter().map(|&(e, _)| e).collect();
        nodes.sort_unstable();
        Subgraph {
            nodes,
            relations: n.edges.clone(),
        }
    }
}
