//! Graphviz DOT: labelled nodes with a shape per kind, labelled edges.

use std::io::Write;

use super::Subgraph;
use crate::graph::Graph;
use crate::model::Kind;

/// The Graphviz shape for a kind, echoing the web's legend.
pub fn shape(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "ellipse",
        Kind::Organization => "box",
        Kind::Company => "diamond",
        Kind::Country => "hexagon",
        Kind::Agreement => "note",
        Kind::Event => "star",
        Kind::Topic => "oval",
        Kind::Place => "triangle",
    }
}

/// A DOT string literal: quotes and backslashes escaped, newlines as `\n`.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes a subgraph as a DOT digraph; symmetric relations have no arrow.
pub fn write(g: &Graph, sub: &Subgraph, w: &mut impl Write) -> std::io::Result<()> {
    writeln!(w, "digraph jejaring {{")?;
    writeln!(w, "  graph [rankdir=LR, overlap=false];")?;
    writeln!(w, "  node [fontname=\"sans-serif\", fontsize=10];")?;
    writeln!(w, "  edge [fontname=\"sans-serif\", fontsize=8];")?;
    for &n in &sub.nodes {
        let e = g.entity(n);
        writeln!(
            w,
            "  {} [label={}, shape={}, kind={}];",
            lit(e.id()),
            lit(e.name()),
            shape(e.kind),
            lit(e.kind.as_str())
        )?;
    }
    for &r in &sub.relations {
        let rel = g.relation(r);
        let ty = g.str(rel.rel_type);
        let label = match rel.role {
            Some(role) => format!("{ty} ({})", g.str(role)),
            None => ty.to_string(),
        };
        let mut attrs = format!(
            "label={}, type={}, source={}",
            lit(&label),
            lit(ty),
            lit(&g.source(rel.source).id)
        );
        if let Some(s) = rel.start {
            attrs.push_str(&format!(", start={}", lit(&s.to_string())));
        }
        if let Some(e) = rel.end {
            attrs.push_str(&format!(", end={}", lit(&e.to_string())));
        }
        if g.is_symmetric(rel.rel_type) {
            attrs.push_str(", dir=none");
        }
        // A relation with no date of its own is drawn dashed, as in the
        // web's pictures.
        if rel.start.is_none() && rel.end.is_none() {
            attrs.push_str(", style=dashed");
        }
        writeln!(
            w,
            "  {} -> {} [{attrs}];",
            lit(g.entity(rel.from).id()),
            lit(g.entity(rel.to).id())
        )?;
    }
    writeln!(w, "}}")
}
