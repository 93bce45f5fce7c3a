//! The whole graph (or a part) as one JSON document in the design's
//! shapes: `{"entities": [...], "relations": [REL...], "sources": [...]}`.
//!
//! Entities carry every column (`aliases` as a list, `attributes` for the
//! extra columns); relations are the `REL` shape of the query answers plus
//! `id` (`r{index}`, as in the other formats) and `attributes`; sources
//! are every source for the whole graph, the cited ones for a part. With
//! metrics, each entity also has `degree`, `pagerank` and `component`. Each
//! list is in file order, object keys in a fixed order, so two exports of
//! the same data are byte-identical, and the three CSV files can be
//! rebuilt from it (the round trip is tested).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{Metrics, Subgraph, sources_of};
use crate::graph::Graph;
use crate::model::{Attrs, Date, Kind};
use crate::view::Rel;

#[derive(Serialize)]
struct Export<'a> {
    entities: Vec<Entity<'a>>,
    relations: Vec<Relation<'a>>,
    sources: Vec<Source<'a>>,
}

#[derive(Serialize)]
struct Entity<'a> {
    id: &'a str,
    name: &'a str,
    kind: Kind,
    aliases: Vec<&'a str>,
    country: Option<&'a str>,
    start: Option<Date>,
    end: Option<Date>,
    description: &'a str,
    attributes: BTreeMap<&'a str, &'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    degree: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagerank: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    component: Option<u32>,
}

#[derive(Serialize)]
struct Relation<'a> {
    id: String,
    #[serde(flatten)]
    rel: Rel<'a>,
    attributes: BTreeMap<&'a str, &'a str>,
}

#[derive(Serialize)]
struct Source<'a> {
    id: &'a str,
    title: &'a str,
    publisher: &'a str,
    published: Option<Date>,
    url: &'a str,
    language: &'a str,
    file: &'a str,
    attributes: BTreeMap<&'a str, &'a str>,
}

fn attributes<'a>(g: &'a Graph, attrs: &'a Attrs) -> BTreeMap<&'a str, &'a str> {
    attrs.iter().map(|(k, v)| (g.str(*k), &**v)).collect()
}

/// Writes a subgraph as one pretty-printed JSON document and a newline.
pub fn write(g: &Graph, sub: &Subgraph, w: &mut impl Write) -> io::Result<()> {
    write_with(g, sub, None, w)
}

/// Writes a subgraph as JSON, each entity with its metrics when given
/// (aligned with `sub.nodes`).
pub fn write_with(
    g: &Graph,
    sub: &Subgraph,
    metrics: Option<&Metrics>,
    w: &mut impl Write,
) -> io::Result<()> {
    let export = Export {
        entities: sub
            .nodes
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let e = g.entity(n);
                Entity {
                    id: e.id(),
                    name: e.name(),
                    kind: e.kind,
                    aliases: e.aliases().to_vec(),
                    country: e.country.map(|c| g.str(c)),
                    start: e.start,
                    end: e.end,
                    description: e.description(),
                    attributes: attributes(g, &e.attrs),
                    degree: metrics.map(|m| m.degree[i]),
                    pagerank: metrics.map(|m| m.pagerank[i]),
                    component: metrics.map(|m| m.component[i]),
                }
            })
            .collect(),
        relations: sub
            .relations
            .iter()
            .map(|&r| {
                Ok(Relation {
                    id: format!("r{r}"),
                    // Fail rather than export a note in place of evidence.
                    rel: Rel::with_evidence(g, r, g.try_evidence(r)?),
                    attributes: attributes(g, g.relation_attrs(r)),
                })
            })
            .collect::<io::Result<_>>()?,
        sources: sources_of(g, sub)
            .into_iter()
            .map(|s| {
                let s = g.source(s);
                Source {
                    id: &s.id,
                    title: &s.title,
                    publisher: &s.publisher,
                    published: s.published,
                    url: &s.url,
                    language: &s.language,
                    file: &s.file,
                    attributes: attributes(g, &s.attrs),
                }
            })
            .collect(),
    };
    let mut w = io::BufWriter::new(w);
    serde_json::to_writer_pretty(&mut w, &export).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}
