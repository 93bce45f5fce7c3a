//! The serialisable shapes of answers, shared by the CLI's JSON output and
//! the web API (DESIGN.md: `ENT`, `REL`, search, path, neighbours, stats).
//! Fields may be added; those listed in the design stay.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::Graph;
use crate::model::{Date, Kind};
use crate::query::resolve::{Resolved, ResolvedBy};
use crate::query::search::{Hit, SearchAnswer};
use crate::query::{Neighbourhood, PathAnswer};

#[derive(Debug, Serialize, PartialEq)]
pub struct Ent<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: Kind,
}

impl<'a> Ent<'a> {
    pub fn new(g: &'a Graph, e: u32) -> Self {
        let ent = g.entity(e);
        Ent {
            id: &ent.id,
            name: &ent.name,
            kind: ent.kind,
        }
    }
}

#[derive(Debug, Serialize, PartialEq)]
pub struct Rel<'a> {
    pub from: &'a str,
    pub to: &'a str,
    #[serde(rename = "type")]
    pub rel_type: &'a str,
    pub role: Option<&'a str>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub source: &'a str,
    pub evidence: String,
    pub source_title: &'a str,
    pub source_published: Option<Date>,
    pub symmetric: bool,
}

impl<'a> Rel<'a> {
    pub fn new(g: &'a Graph, rel: u32) -> Self {
        Rel::with_evidence(g, rel, g.evidence(rel))
    }

    /// The relation with its evidence as read by the caller.
    pub fn with_evidence(g: &'a Graph, rel: u32, evidence: String) -> Self {
        let r = g.relation(rel);
        let s = g.source(r.source);
        Rel {
            from: &g.entity(r.from).id,
            to: &g.entity(r.to).id,
            rel_type: g.str(r.rel_type),
            role: r.role.map(|s| g.str(s)),
            start: r.start,
            end: r.end,
            source: &s.id,
            evidence,
            source_title: &s.title,
            source_published: s.published,
            symmetric: g.is_symmetric(r.rel_type),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SearchHit<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub kind: Kind,
    pub aliases: Vec<&'a str>,
    pub score: f64,
    /// The alias the query matched, when it was not the name.
    pub matched: Option<&'a str>,
    pub description: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SearchView<'a> {
    pub query: &'a str,
    pub hits: Vec<SearchHit<'a>>,
    /// How many entities matched in all; `hits` holds the first of them.
    pub total: usize,
    /// When nothing matched: the nearest names.
    pub nearest: Vec<SearchHit<'a>>,
}

impl<'a> SearchView<'a> {
    pub fn new(g: &'a Graph, query: &'a str, answer: &SearchAnswer) -> Self {
        SearchView {
            query,
            hits: SearchHit::all(g, &answer.hits),
            total: answer.total,
            nearest: SearchHit::all(g, &answer.nearest),
        }
    }
}

impl<'a> SearchHit<'a> {
    fn all(g: &'a Graph, hits: &[Hit]) -> Vec<Self> {
        hits.iter()
            .map(|h| {
                let e = g.entity(h.entity);
                SearchHit {
                    id: &e.id,
                    name: &e.name,
                    kind: e.kind,
                    aliases: e.aliases.iter().map(|a| &**a).collect(),
                    score: h.score,
                    matched: h
                        .matched_alias
                        .and_then(|i| e.aliases.get(usize::from(i)))
                        .map(|a| &**a),
                    description: &e.description,
                }
            })
            .collect()
    }
}

/// How an entity argument was resolved (`resolved` in JSON answers, one
/// per argument): `by` is `id`, `name`, `alias` or `search`; `score` is 1
/// for the exact ones; `alternatives` are the next search hits.
#[derive(Debug, Serialize)]
pub struct ResolvedView<'a> {
    pub query: &'a str,
    pub entity: Ent<'a>,
    pub by: ResolvedBy,
    pub score: f64,
    pub alternatives: Vec<Ent<'a>>,
}

impl<'a> ResolvedView<'a> {
    pub fn new(g: &'a Graph, r: &'a Resolved) -> Self {
        ResolvedView {
            query: &r.query,
            entity: Ent::new(g, r.entity),
            by: r.by,
            score: r.score,
            alternatives: r.alternatives.iter().map(|&e| Ent::new(g, e)).collect(),
        }
    }
}

/// The `resolved` object of an answer: argument name (`entity`, `from`,
/// `to`) → how it was resolved.
pub type ResolvedArgs<'a> = BTreeMap<&'static str, ResolvedView<'a>>;

/// `resolved` for the given arguments.
pub fn resolved_args<'a>(g: &'a Graph, args: &[(&'static str, &'a Resolved)]) -> ResolvedArgs<'a> {
    args.iter()
        .map(|&(name, r)| (name, ResolvedView::new(g, r)))
        .collect()
}

#[derive(Debug, Serialize)]
pub struct PathView<'a> {
    pub length: usize,
    pub nodes: Vec<Ent<'a>>,
    /// One relation per hop.
    pub edges: Vec<Rel<'a>>,
    /// Every relation joining each hop's two entities.
    pub hops: Vec<Vec<Rel<'a>>>,
}

#[derive(Debug, Serialize)]
pub struct PathsView<'a> {
    pub from: Ent<'a>,
    pub to: Ent<'a>,
    pub paths: Vec<PathView<'a>>,
    pub budget_exhausted: bool,
    pub truncated: bool,
    /// When no path was found under constraints: the length without them.
    pub unconstrained_length: Option<usize>,
    /// How `from` and `to` were resolved, when the answer came from names
    /// a user typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ResolvedArgs<'a>>,
}

impl<'a> PathsView<'a> {
    pub fn new(g: &'a Graph, a: &PathAnswer) -> Self {
        PathsView {
            from: Ent::new(g, a.from),
            to: Ent::new(g, a.to),
            paths: a
                .paths
                .iter()
                .map(|p| PathView {
                    length: p.len(),
                    nodes: p.nodes.iter().map(|&n| Ent::new(g, n)).collect(),
                    edges: p.edges().map(|r| Rel::new(g, r)).collect(),
                    hops: p
                        .hops
                        .iter()
                        .map(|h| h.iter().map(|&r| Rel::new(g, r)).collect())
                        .collect(),
                })
                .collect(),
            budget_exhausted: a.budget_exhausted,
            truncated: a.truncated,
            unconstrained_length: a.unconstrained_length,
            resolved: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct NodeView<'a> {
    #[serde(flatten)]
    pub ent: Ent<'a>,
    pub distance: u32,
}

#[derive(Debug, Serialize)]
pub struct NeighboursView<'a> {
    pub center: Ent<'a>,
    pub depth: u32,
    pub nodes: Vec<NodeView<'a>>,
    pub edges: Vec<Rel<'a>>,
    pub truncated: bool,
    /// How the centre (`entity`) was resolved, when typed by a user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ResolvedArgs<'a>>,
}

impl<'a> NeighboursView<'a> {
    pub fn new(g: &'a Graph, n: &Neighbourhood) -> Self {
        NeighboursView {
            center: Ent::new(g, n.center),
            depth: n.depth,
            nodes: n
                .nodes
                .iter()
                .map(|&(e, d)| NodeView {
                    ent: Ent::new(g, e),
                    distance: d,
                })
                .collect(),
            edges: n.edges.iter().map(|&r| Rel::new(g, r)).collect(),
            truncated: n.truncated,
            resolved: None,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct StatsView<'a> {
    pub entities: usize,
    pub relations: usize,
    pub sources: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    pub by_type: BTreeMap<&'a str, usize>,
}

impl<'a> StatsView<'a> {
    pub fn new(g: &'a Graph) -> Self {
        let mut by_kind = BTreeMap::new();
        for e in &g.entities {
            *by_kind.entry(e.kind.as_str()).or_default() += 1;
        }
        StatsView {
            entities: g.entities.len(),
            relations: g.relations.len(),
            sources: g.sources.len(),
            by_kind,
            by_type: g.type_counts().into_iter().collect(),
        }
    }
}

/// One entity in full: details and every relation, grouped by type.
#[derive(Debug, Serialize)]
pub struct EntityView<'a> {
    #[serde(flatten)]
    pub ent: Ent<'a>,
    pub aliases: Vec<&'a str>,
    pub country: Option<&'a str>,
    pub start: Option<Date>,
    pub end: Option<Date>,
    pub description: &'a str,
    pub attributes: BTreeMap<&'a str, &'a str>,
    /// Relation type → relations, types in name order, relations in file order.
    pub relations: BTreeMap<&'a str, Vec<Rel<'a>>>,
    /// How the argument (`entity`) was resolved, when typed by a user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ResolvedArgs<'a>>,
}

impl<'a> EntityView<'a> {
    pub fn new(g: &'a Graph, e: u32) -> Self {
        let ent = g.entity(e);
        let relations = g
            .relations_by_type(e)
            .into_iter()
            .map(|(t, rels)| (t, rels.into_iter().map(|r| Rel::new(g, r)).collect()))
            .collect();
        EntityView {
            ent: Ent::new(g, e),
            aliases: ent.aliases.iter().map(|a| &**a).collect(),
            country: ent.country.map(|c| g.str(c)),
            start: ent.start,
            end: ent.end,
            description: &ent.description,
            attributes: ent.attrs.iter().map(|(k, v)| (g.str(*k), &**v)).collect(),
            relations,
            resolved: None,
        }
    }
}
