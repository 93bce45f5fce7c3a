//! GEXF 1.3, dynamic: Gephi's own format, read by networkx too.
//!
//! - `<graph mode="dynamic" defaultedgetype="directed" timeformat="date"
//!   timerepresentation="interval">`; attribute declarations (node, then
//!   edge, each in a fixed order with extra columns after, by name) come
//!   before the nodes and edges.
//! - Nodes and edges carry `start`/`end` as full ISO dates: a partial start
//!   widened to its first day, a partial end to its last (`2025-06` ends on
//!   `2025-06-30`); an unknown bound is left out, which GEXF reads as open.
//!   The dates as curated are kept in `start_text`/`end_text`.
//! - Every relation is one directed edge with the id `r{index}`, its type
//!   as `label` and `kind` (GEXF's way of keeping parallel edges apart),
//!   and a boolean `symmetric` attribute for `met_with`-like types: every
//!   reader counts the same edges.
//! - With metrics, three node attributes follow the others: `degree` and
//!   `component` of type `integer`, `pagerank` of type `double`.
//! - Values are escaped by quick-xml, newlines and tabs as character
//!   references (the `xml` module says why).

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::xml::{Extras, edge_values, tag, text};
use super::{
    Metrics, Subgraph, attr_value, first_day_iso, last_day_iso, metric_names, metric_values,
};
use crate::graph::Graph;
use crate::model::Date;

/// The GEXF 1.3 namespace.
pub const NAMESPACE: &str = "http://gexf.net/1.3";

const NODE_ATTRS: &[&str] = &[
    "kind",
    "country",
    "aliases",
    "description",
    "start_text",
    "end_text",
];
const EDGE_ATTRS: &[&str] = &[
    "type",
    "role",
    "start_text",
    "end_text",
    "source_id",
    "source_title",
    "source_published",
    "evidence",
    "symmetric",
];
/// Names networkx and Gephi use for a node's or an edge's own XML
/// attributes; extra columns must not shadow them.
const OWN: &[&str] = &["id", "label", "start", "end", "weight", "kind", "spells"];

fn span_attrs(start: Option<Date>, end: Option<Date>, out: &mut Vec<(&str, String)>) {
    if let Some(s) = start {
        out.push(("start", first_day_iso(s)));
    }
    if let Some(e) = end {
        out.push(("end", last_day_iso(e)));
    }
}

/// The GEXF type of an attribute: `boolean` for `symmetric`, numbers for
/// the metrics, `string` for the rest.
fn type_of(class: &str, name: &str, metrics: usize) -> &'static str {
    match (class, name) {
        ("edge", "symmetric") => "boolean",
        ("node", "degree" | "component") if metrics > 0 => "integer",
        ("node", "pagerank") if metrics > 0 => "double",
        _ => "string",
    }
}

/// Declares a class of attributes: `<attributes class=…>` with one
/// `<attribute id title type>` each; ids are `n0…`/`e0…` in order. The
/// last `metrics` names of the node class are the metric columns.
fn declare<W: Write>(
    x: &mut Writer<W>,
    class: &str,
    prefix: &str,
    names: &[String],
    metrics: usize,
) -> io::Result<()> {
    x.write_event(Event::Start(tag(
        "attributes",
        &[("class", class), ("mode", "static")],
    )))?;
    let first_metric = names.len() - metrics;
    for (i, name) in names.iter().enumerate() {
        let id = format!("{prefix}{i}");
        let ty = type_of(class, name, usize::from(i >= first_metric) * metrics);
        x.write_event(Event::Empty(tag(
            "attribute",
            &[("id", &id), ("title", name), ("type", ty)],
        )))?;
    }
    x.write_event(Event::End(BytesEnd::new("attributes")))
}

/// Writes `<attvalues>` for the non-empty values, by declaration order.
fn values<W: Write>(x: &mut Writer<W>, prefix: &str, values: &[&str]) -> io::Result<()> {
    if values.iter().all(|v| v.is_empty()) {
        return Ok(());
    }
    x.write_event(Event::Start(BytesStart::new("attvalues")))?;
    for (i, v) in values.iter().enumerate() {
        if v.is_empty() {
            continue;
        }
        let id = format!("{prefix}{i}");
        x.write_event(Event::Empty(tag("attvalue", &[("for", &id), ("value", v)])))?;
    }
    x.write_event(Event::End(BytesEnd::new("attvalues")))
}

/// Writes a subgraph as GEXF 1.3.
pub fn write(g: &Graph, sub: &Subgraph, w: &mut impl Write) -> io::Result<()> {
    write_with(g, sub, None, w)
}

/// Writes a subgraph as GEXF 1.3, with its entities' metrics as typed
/// node attributes when given (aligned with `sub.nodes`).
pub fn write_with(
    g: &Graph,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
    w: &mut impl Write,
) -> io::Result<()> {
    let metric_cols = metric_names(metrics);
    let reserved_nodes: Vec<&str> = NODE_ATTRS
        .iter()
        .chain(OWN)
        .chain(metric_cols)
        .copied()
        .collect();
    let reserved_edges: Vec<&str> = EDGE_ATTRS.iter().chain(OWN).copied().collect();
    let Extras {
        nodes: node_extras,
        edges: edge_extras,
    } = Extras::of(g, sub, &reserved_nodes, &reserved_edges);
    let node_names: Vec<String> = NODE_ATTRS
        .iter()
        .map(|s| s.to_string())
        .chain(node_extras.iter().map(|(_, n)| n.clone()))
        .chain(metric_cols.iter().map(|s| s.to_string()))
        .collect();
    let edge_names: Vec<String> = EDGE_ATTRS
        .iter()
        .map(|s| s.to_string())
        .chain(edge_extras.iter().map(|(_, n)| n.clone()))
        .collect();

    let mut x = Writer::new_with_indent(w, b' ', 2);
    x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    x.write_event(Event::Start(tag(
        "gexf",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
            ),
            ("version", "1.3"),
        ],
    )))?;
    x.write_event(Event::Start(BytesStart::new("meta")))?;
    x.write_event(Event::Start(BytesStart::new("creator")))?;
    x.write_event(Event::Text(text("jejaring")))?;
    x.write_event(Event::End(BytesEnd::new("creator")))?;
    x.write_event(Event::Start(BytesStart::new("description")))?;
    x.write_event(Event::Text(text(
        "Diplomatic and corporate relationships; every relation dated and sourced",
    )))?;
    x.write_event(Event::End(BytesEnd::new("description")))?;
    x.write_event(Event::End(BytesEnd::new("meta")))?;
    x.write_event(Event::Start(tag(
        "graph",
        &[
            ("mode", "dynamic"),
            ("defaultedgetype", "directed"),
            ("timeformat", "date"),
            ("timerepresentation", "interval"),
        ],
    )))?;
    declare(&mut x, "node", "n", &node_names, metric_cols.len())?;
    declare(&mut x, "edge", "e", &edge_names, 0)?;

    x.write_event(Event::Start(BytesStart::new("nodes")))?;
    for (i, &n) in sub.nodes.iter().enumerate() {
        let e = g.entity(n);
        let mut own: Vec<(&str, String)> =
            vec![("id", e.id().to_string()), ("label", e.name().to_string())];
        span_attrs(e.start, e.end, &mut own);
        let own: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
        x.write_event(Event::Start(tag("node", &own)))?;
        let aliases = e.aliases().join("|");
        let start = e.start.map(|d| d.to_string()).unwrap_or_default();
        let end = e.end.map(|d| d.to_string()).unwrap_or_default();
        let mut vals: Vec<&str> = vec![
            e.kind.as_str(),
            e.country.map_or("", |c| g.str(c)),
            &aliases,
            &e.description(),
            &start,
            &end,
        ];
        vals.extend(node_extras.iter().map(|(k, _)| attr_value(&e.attrs, *k)));
        let measured = metric_values(metrics, i);
        vals.extend(measured.iter().map(String::as_str));
        values(&mut x, "n", &vals)?;
        x.write_event(Event::End(BytesEnd::new("node")))?;
    }
    x.write_event(Event::End(BytesEnd::new("nodes")))?;

    x.write_event(Event::Start(BytesStart::new("edges")))?;
    for &r in &sub.relations {
        let rel = g.relation(r);
        let ty = g.str(rel.rel_type);
        let mut own: Vec<(&str, String)> = vec![
            ("id", format!("r{r}")),
            ("source", g.entity(rel.from).id().to_string()),
            ("target", g.entity(rel.to).id().to_string()),
            ("label", ty.to_string()),
            ("kind", ty.to_string()),
            ("weight", "1".to_string()),
        ];
        span_attrs(rel.start, rel.end, &mut own);
        let own: Vec<(&str, &str)> = own.iter().map(|(k, v)| (*k, v.as_str())).collect();
        x.write_event(Event::Start(tag("edge", &own)))?;
        let vals = edge_values(g, r, &edge_extras)?;
        let vals: Vec<&str> = vals.iter().map(String::as_str).collect();
        values(&mut x, "e", &vals)?;
        x.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    x.write_event(Event::End(BytesEnd::new("edges")))?;
    x.write_event(Event::End(BytesEnd::new("graph")))?;
    x.write_event(Event::End(BytesEnd::new("gexf")))?;
    x.into_inner().write_all(b"\n")
}
