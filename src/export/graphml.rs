//! GraphML with typed keys, for networkx, igraph, yEd, Cytoscape.
//!
//! All `<key>`s come before the graph, node keys then edge keys, each in a
//! fixed order with extra columns after, by name; every key has an
//! `attr.type` (`string`, or `boolean` for `symmetric`, `double` for
//! `weight`; with metrics, `degree` and `component` as `int` and
//! `pagerank` as `double`, after the other node keys). `<graph edgedefault="directed">`: every relation is one edge
//! with the id `r{index}`; symmetric types are marked by `symmetric`, so
//! every reader counts the same edges. Dates are the strings as curated
//! (partial allowed): GraphML has no date type. No key is named `id`,
//! which igraph keeps for the element ids.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, Event};

use super::xml::{Extras, edge_values, tag, text};
use super::{Metrics, Subgraph, attr_value, metric_names, metric_values};
use crate::graph::Graph;

/// The GraphML namespace.
pub const NAMESPACE: &str = "http://graphml.graphdrawing.org/xmlns";

const NODE_KEYS: &[(&str, &str)] = &[
    ("label", "string"),
    ("kind", "string"),
    ("country", "string"),
    ("aliases", "string"),
    ("start", "string"),
    ("end", "string"),
    ("description", "string"),
];
const EDGE_KEYS: &[(&str, &str)] = &[
    ("type", "string"),
    ("role", "string"),
    ("start", "string"),
    ("end", "string"),
    ("source_id", "string"),
    ("source_title", "string"),
    ("source_published", "string"),
    ("evidence", "string"),
    ("symmetric", "boolean"),
    ("weight", "double"),
];

/// Writes `<data key=…>` for the non-empty values, by key order.
fn data<W: Write>(x: &mut Writer<W>, prefix: &str, values: &[&str]) -> io::Result<()> {
    for (i, v) in values.iter().enumerate() {
        if v.is_empty() {
            continue;
        }
        let key = format!("{prefix}{i}");
        x.write_event(Event::Start(tag("data", &[("key", &key)])))?;
        x.write_event(Event::Text(text(v)))?;
        x.write_event(Event::End(BytesEnd::new("data")))?;
    }
    Ok(())
}

/// Writes a subgraph as GraphML.
pub fn write(g: &Graph, sub: &Subgraph, w: &mut impl Write) -> io::Result<()> {
    write_with(g, sub, None, w)
}

/// Writes a subgraph as GraphML, with its entities' metrics as typed node
/// keys when given (aligned with `sub.nodes`).
pub fn write_with(
    g: &Graph,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
    w: &mut impl Write,
) -> io::Result<()> {
    let metric_cols = metric_names(metrics);
    let mut node_reserved: Vec<&str> = NODE_KEYS.iter().map(|(k, _)| *k).collect();
    node_reserved.push("id");
    node_reserved.extend(metric_cols);
    let mut edge_reserved: Vec<&str> = EDGE_KEYS.iter().map(|(k, _)| *k).collect();
    edge_reserved.extend(["id", "source", "target"]);
    let Extras {
        nodes: node_extras,
        edges: edge_extras,
    } = Extras::of(g, sub, &node_reserved, &edge_reserved);

    let mut x = Writer::new_with_indent(w, b' ', 2);
    x.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    x.write_event(Event::Start(tag(
        "graphml",
        &[
            ("xmlns", NAMESPACE),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
            (
                "xsi:schemaLocation",
                "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
            ),
        ],
    )))?;
    let node_keys = NODE_KEYS
        .iter()
        .map(|(n, t)| (*n, *t))
        .chain(node_extras.iter().map(|(_, n)| (n.as_str(), "string")))
        .chain(metric_cols.iter().map(|&n| {
            let ty = if n == "pagerank" { "double" } else { "int" };
            (n, ty)
        }));
    for (i, (name, ty)) in node_keys.enumerate() {
        let id = format!("n{i}");
        x.write_event(Event::Empty(tag(
            "key",
            &[
                ("id", &id),
                ("for", "node"),
                ("attr.name", name),
                ("attr.type", ty),
            ],
        )))?;
    }
    let edge_keys = EDGE_KEYS
        .iter()
        .map(|(n, t)| (*n, *t))
        .chain(edge_extras.iter().map(|(_, n)| (n.as_str(), "string")));
    for (i, (name, ty)) in edge_keys.enumerate() {
        let id = format!("e{i}");
        x.write_event(Event::Empty(tag(
            "key",
            &[
                ("id", &id),
                ("for", "edge"),
                ("attr.name", name),
                ("attr.type", ty),
            ],
        )))?;
    }
    x.write_event(Event::Start(tag(
        "graph",
        &[("id", "jejaring"), ("edgedefault", "directed")],
    )))?;
    for (i, &n) in sub.nodes.iter().enumerate() {
        let e = g.entity(n);
        x.write_event(Event::Start(tag("node", &[("id", e.id())])))?;
        let aliases = e.aliases().join("|");
        let start = e.start.map(|d| d.to_string()).unwrap_or_default();
        let end = e.end.map(|d| d.to_string()).unwrap_or_default();
        let mut vals: Vec<&str> = vec![
            &e.name(),
            e.kind.as_str(),
            e.country.map_or("", |c| g.str(c)),
            &aliases,
            &start,
            &end,
            &e.description(),
        ];
        vals.extend(node_extras.iter().map(|(k, _)| attr_value(&e.attrs, *k)));
        let measured = metric_values(metrics, i);
        vals.extend(measured.iter().map(String::as_str));
        data(&mut x, "n", &vals)?;
        x.write_event(Event::End(BytesEnd::new("node")))?;
    }
    for &r in &sub.relations {
        let rel = g.relation(r);
        let id = format!("r{r}");
        x.write_event(Event::Start(tag(
            "edge",
            &[
                ("id", &id),
                ("source", g.entity(rel.from).id()),
                ("target", g.entity(rel.to).id()),
            ],
        )))?;
        let mut vals = edge_values(g, r, &edge_extras)?;
        // GraphML declares a numeric weight after `symmetric`.
        vals.insert(9, "1.0".to_string());
        let vals: Vec<&str> = vals.iter().map(String::as_str).collect();
        data(&mut x, "e", &vals)?;
        x.write_event(Event::End(BytesEnd::new("edge")))?;
    }
    x.write_event(Event::End(BytesEnd::new("graph")))?;
    x.write_event(Event::End(BytesEnd::new("graphml")))?;
    x.into_inner().write_all(b"\n")
}
