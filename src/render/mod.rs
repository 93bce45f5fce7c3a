//! Renderings of query answers: text for people, CSV rows, Graphviz DOT,
//! and SVG pictures with deterministic layouts. Shared by the CLI
//! (`--format`) and the web pages. Pure: each returns a `String`.

pub mod csv;
pub(crate) mod layout;
pub mod svg;
pub mod text;
pub mod timeline;

use crate::export::{self, Subgraph};
use crate::graph::Graph;

/// Graphviz DOT of some entities and relations.
pub fn dot(g: &Graph, nodes: &[u32], edges: &[u32]) -> std::io::Result<String> {
    let sub = Subgraph {
        nodes: nodes.to_vec(),
        relations: edges.to_vec(),
    };
    let mut out = Vec::new();
    export::dot::write(g, &sub, &mut out)?;
    Ok(String::from_utf8(out).expect("DOT is written as UTF-8"))
}
