//! The serialisable shapes of answers, shared by the CLI's JSON output and
//! the web API (DESIGN.md: `ENT`, `REL`, search, path, neighbours, stats).
//! Fields may be added; those listed in the design stay.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::graph::Graph;
use crate::model::{Date, Kind};
use crate::query::analysis::{
    ChronoPath, CommonAnswer, Components, DegreeSummary, RankAnswer, RankBy, RelationList,
    Timeline, TimelineEntry, components, degree_summary,
};
use crate::query::neighbourhood::Removed;
use crate::query::resolve::{Resolved, ResolvedBy};
use crate::query::search::{Hit, SearchAnswer};
use crate::query::{Neighbourhood, Paging, PathAnswer, RequestError};

/// The JSON text of an answer as both front ends write it: indented, one
/// newline at the end.
pub fn to_json<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let mut s = serde_json::to_string_pretty(value)?;
    s.push('\n');
    Ok(s)
}

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
            id: ent.id(),
            name: ent.name(),
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
    /// Whether the relation has a date of its own; an undated one holds
    /// whenever both its entities existed.
    pub dated: bool,
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
            from: g.entity(r.from).id(),
            to: g.entity(r.to).id(),
            rel_type: g.str(r.rel_type),
            role: r.role.map(|s| g.str(s)),
            start: r.start,
            end: r.end,
            source: &s.id,
            evidence,
            source_title: &s.title,
            source_published: s.published,
            symmetric: g.is_symmetric(r.rel_type),
            dated: !crate::query::is_undated(g, rel),
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
                    id: e.id(),
                    name: e.name(),
                    kind: e.kind,
                    aliases: e.aliases().to_vec(),
                    score: h.score,
                    matched: h
                        .matched_alias
                        .and_then(|i| e.aliases().get(usize::from(i))),
                    description: e.description(),
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

/// `resolved` for the arguments a request resolved (see
/// [`crate::query::request::Resolutions`]); of a repeated argument
/// (`avoid`), the first.
pub fn resolved_args<'a>(g: &'a Graph, args: &'a [(&'static str, Resolved)]) -> ResolvedArgs<'a> {
    let mut out = ResolvedArgs::new();
    for (name, r) in args {
        out.entry(*name).or_insert_with(|| ResolvedView::new(g, r));
    }
    out
}

#[derive(Debug, Serialize)]
pub struct PathView<'a> {
    pub length: usize,
    /// What the path costs under the answer's ranking (its hop count when
    /// plain).
    pub cost: f64,
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
    /// How the paths were ranked: `"specific"` (hubs and generic relation
    /// types cost more) or `"plain"` (hop count).
    pub ranking: &'static str,
    /// The specific ranking ran out of its search budget, so `ranking` is
    /// `"plain"` instead.
    pub ranking_fell_back: bool,
    pub paths: Vec<PathView<'a>>,
    /// Paths left out as near duplicates of one shown.
    pub folded: usize,
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
                    cost: p.cost as f64 / crate::query::weighted::COST_SCALE as f64,
                    nodes: p.nodes.iter().map(|&n| Ent::new(g, n)).collect(),
                    edges: p.edges().map(|r| Rel::new(g, r)).collect(),
                    hops: p
                        .hops
                        .iter()
                        .map(|h| h.iter().map(|&r| Rel::new(g, r)).collect())
                        .collect(),
                })
                .collect(),
            ranking: a.ranking.as_str(),
            ranking_fell_back: a.fell_back,
            folded: a.folded,
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
    /// What each filter took out: entities not shown for their kind,
    /// relations (and the entities only they touched) for their type,
    /// relations that did not hold at the time, and what the walk did not
    /// pass through.
    pub filtered: Removed,
    /// How the centre (`entity`) was resolved, when typed by a user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ResolvedArgs<'a>>,
    /// Present when the edges are paged: which page, of how many.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub paging: Option<PageInfo>,
}

/// Where a page sits in a long list: the answer of a paged request.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct PageInfo {
    /// Items in the whole list.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub pages: usize,
}

impl PageInfo {
    /// The page a paging asks for in a list of `total` items, and where it
    /// is; an error when the page is past the last.
    pub fn of(
        paging: &Paging,
        total: usize,
    ) -> Result<(std::ops::Range<usize>, PageInfo), RequestError> {
        let range = paging.range(total)?;
        Ok((
            range,
            PageInfo {
                total,
                page: paging.page,
                per_page: paging.per_page,
                pages: paging.pages(total),
            },
        ))
    }
}

impl<'a> NeighboursView<'a> {
    pub fn new(g: &'a Graph, n: &Neighbourhood) -> Self {
        NeighboursView {
            edges: n.edges.iter().map(|&r| Rel::new(g, r)).collect(),
            ..NeighboursView::nodes(g, n)
        }
    }

    /// The view without edges.
    fn nodes(g: &'a Graph, n: &Neighbourhood) -> Self {
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
            edges: Vec::new(),
            truncated: n.truncated,
            filtered: n.removed,
            resolved: None,
            paging: None,
        }
    }

    /// The neighbourhood with one page of its edges (all of its nodes,
    /// which the node cap bounds).
    pub fn page(g: &'a Graph, n: &Neighbourhood, paging: &Paging) -> Result<Self, RequestError> {
        let (range, info) = PageInfo::of(paging, n.edges.len())?;
        Ok(NeighboursView {
            edges: n.edges[range].iter().map(|&r| Rel::new(g, r)).collect(),
            paging: Some(info),
            ..NeighboursView::nodes(g, n)
        })
    }
}

#[derive(Debug, Serialize)]
pub struct StatsView<'a> {
    pub entities: usize,
    pub relations: usize,
    pub sources: usize,
    pub by_kind: BTreeMap<&'static str, usize>,
    pub by_type: BTreeMap<&'a str, usize>,
    /// Connected components over every relation.
    pub components: Components,
    /// The degree distribution.
    pub degrees: DegreeSummary,
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
            components: components(g, &crate::query::Filter::default())
                .expect("the whole graph has no time window to be wrong"),
            degrees: degree_summary(g),
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
    /// Relation type → relations, types in name order, relations in file
    /// order; one page of them when paged.
    pub relations: BTreeMap<&'a str, Vec<Rel<'a>>>,
    /// How the argument (`entity`) was resolved, when typed by a user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ResolvedArgs<'a>>,
    /// Present when the relations are paged: which page, of how many
    /// relations in all.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub paging: Option<PageInfo>,
}

impl<'a> EntityView<'a> {
    pub fn new(g: &'a Graph, e: u32) -> Self {
        EntityView {
            relations: g
                .relations_by_type(e)
                .into_iter()
                .map(|(t, rels)| (t, rels.into_iter().map(|r| Rel::new(g, r)).collect()))
                .collect(),
            ..EntityView::new_without_relations(g, e)
        }
    }

    /// The entity with one page of its relations, counted in the order
    /// they are listed (types in name order, then file order), so a hub's
    /// answer stays small and evidence is read only for the page.
    pub fn page(g: &'a Graph, e: u32, paging: &Paging) -> Result<Self, RequestError> {
        let by_type = g.relations_by_type(e);
        let total = by_type.values().map(Vec::len).sum();
        let (range, info) = PageInfo::of(paging, total)?;
        let mut relations: BTreeMap<&'a str, Vec<Rel<'a>>> = BTreeMap::new();
        let mut at = 0;
        for (t, rels) in by_type {
            let (lo, hi) = (at, at + rels.len());
            at = hi;
            let (s, e2) = (range.start.max(lo), range.end.min(hi));
            if s < e2 {
                relations.insert(
                    t,
                    rels[s - lo..e2 - lo]
                        .iter()
                        .map(|&r| Rel::new(g, r))
                        .collect(),
                );
            }
        }
        Ok(EntityView {
            relations,
            paging: Some(info),
            ..EntityView::new_without_relations(g, e)
        })
    }

    fn new_without_relations(g: &'a Graph, e: u32) -> Self {
        let ent = g.entity(e);
        EntityView {
            ent: Ent::new(g, e),
            aliases: ent.aliases().to_vec(),
            country: ent.country.map(|c| g.str(c)),
            start: ent.start,
            end: ent.end,
            description: ent.description(),
            attributes: ent.attrs.iter().map(|(k, v)| (g.str(*k), &**v)).collect(),
            relations: BTreeMap::new(),
            resolved: None,
            paging: None,
        }
    }
}

/// How a ranking measured: `degree`, `pagerank`, `betweenness` or
/// `sum:COLUMN`.
pub fn rank_by_name(by: &RankBy) -> String {
    match by {
        RankBy::Degree => "degree".to_string(),
        RankBy::PageRank => "pagerank".to_string(),
        RankBy::Betweenness { .. } => "betweenness".to_string(),
        RankBy::Sum(c) => format!("sum:{c}"),
    }
}

/// One ranked entity.
#[derive(Debug, Serialize)]
pub struct RankedView<'a> {
    pub rank: usize,
    #[serde(flatten)]
    pub ent: Ent<'a>,
    pub score: f64,
    /// The standard error of a sampled estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std_error: Option<f64>,
}

/// `rank`: entities by a measure, best first.
#[derive(Debug, Serialize)]
pub struct RankView<'a> {
    pub by: String,
    pub entries: Vec<RankedView<'a>>,
    /// Entities ranked before the limit.
    pub total: usize,
    /// False for a sampled betweenness estimate.
    pub exact: bool,
    /// Source entities drawn, for a sampled estimate.
    pub samples: Option<usize>,
}

impl<'a> RankView<'a> {
    pub fn new(g: &'a Graph, by: &RankBy, a: &RankAnswer) -> Self {
        RankView {
            by: rank_by_name(by),
            entries: a
                .entries
                .iter()
                .map(|r| RankedView {
                    rank: r.rank,
                    ent: Ent::new(g, r.entity),
                    score: r.score,
                    std_error: r.std_error,
                })
                .collect(),
            total: a.total,
            exact: a.exact,
            samples: a.samples,
        }
    }
}

/// How a common entity reaches one given entity.
#[derive(Debug, Serialize)]
pub struct CommonLinkView<'a> {
    /// The given entity's id.
    pub to: &'a str,
    pub distance: u32,
    /// At distance 1: every relation joining the two.
    pub relations: Vec<Rel<'a>>,
    /// At distance 2: entities in between (the first of `via_total`).
    pub via: Vec<Ent<'a>>,
    pub via_total: usize,
}

/// One entity the given ones have in common.
#[derive(Debug, Serialize)]
pub struct CommonHitView<'a> {
    #[serde(flatten)]
    pub ent: Ent<'a>,
    pub distance: u32,
    /// Its relations in all (fewer: a more telling tie).
    pub degree: usize,
    pub links: Vec<CommonLinkView<'a>>,
}

/// `common`: what several entities have in common.
#[derive(Debug, Serialize)]
pub struct CommonView<'a> {
    pub entities: Vec<Ent<'a>>,
    pub depth: u32,
    pub hits: Vec<CommonHitView<'a>>,
    /// Hits before the limit.
    pub total: usize,
    /// How each given entity was resolved, in the order given.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub resolved: Vec<ResolvedView<'a>>,
}

impl<'a> CommonView<'a> {
    pub fn new(g: &'a Graph, depth: u32, a: &CommonAnswer) -> Self {
        CommonView {
            entities: a.entities.iter().map(|&e| Ent::new(g, e)).collect(),
            depth,
            hits: a
                .hits
                .iter()
                .map(|h| CommonHitView {
                    ent: Ent::new(g, h.entity),
                    distance: h.distance,
                    degree: h.relations,
                    links: h
                        .links
                        .iter()
                        .zip(&a.entities)
                        .map(|(l, &given)| CommonLinkView {
                            to: g.entity(given).id(),
                            distance: l.distance,
                            relations: l.relations.iter().map(|&r| Rel::new(g, r)).collect(),
                            via: l.via.iter().map(|&e| Ent::new(g, e)).collect(),
                            via_total: l.via_total,
                        })
                        .collect(),
                })
                .collect(),
            total: a.total,
            resolved: Vec::new(),
        }
    }

    /// With how each given entity was resolved.
    pub fn resolved(mut self, g: &'a Graph, r: &'a [(&'static str, Resolved)]) -> Self {
        self.resolved = r.iter().map(|(_, r)| ResolvedView::new(g, r)).collect();
        self
    }
}

/// One relation on a timeline.
#[derive(Debug, Serialize)]
pub struct TimelineEntryView<'a> {
    pub other: Ent<'a>,
    pub outgoing: bool,
    pub relation: Rel<'a>,
}

impl<'a> TimelineEntryView<'a> {
    fn all(g: &'a Graph, entries: &[TimelineEntry]) -> Vec<Self> {
        entries
            .iter()
            .map(|t| TimelineEntryView {
                other: Ent::new(g, t.other),
                outgoing: t.outgoing,
                relation: Rel::new(g, t.relation),
            })
            .collect()
    }
}

/// `timeline`: an entity's relations in date order, the undated after.
#[derive(Debug, Serialize)]
pub struct TimelineView<'a> {
    pub entity: Ent<'a>,
    pub dated: Vec<TimelineEntryView<'a>>,
    pub undated: Vec<TimelineEntryView<'a>>,
    /// Which page of the whole timeline (dated, then undated) this is.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub paging: Option<PageInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ResolvedArgs<'a>>,
}

impl<'a> TimelineView<'a> {
    pub fn new(g: &'a Graph, t: &Timeline) -> Self {
        TimelineView {
            entity: Ent::new(g, t.entity),
            dated: TimelineEntryView::all(g, &t.dated),
            undated: TimelineEntryView::all(g, &t.undated),
            paging: None,
            resolved: None,
        }
    }

    /// One page of a timeline, saying where it sits in the whole.
    pub fn page(g: &'a Graph, t: &Timeline, paging: &Paging) -> Result<Self, RequestError> {
        let (_, info) = PageInfo::of(paging, t.len())?;
        Ok(TimelineView {
            paging: Some(info),
            ..TimelineView::new(g, &t.page(paging)?)
        })
    }
}

/// `relations`: a page of relations by type, role and time.
#[derive(Debug, Serialize)]
pub struct RelationsView<'a> {
    pub relations: Vec<Rel<'a>>,
    /// Matching relations in all.
    pub total: usize,
    pub offset: usize,
    pub limit: usize,
}

impl<'a> RelationsView<'a> {
    pub fn new(g: &'a Graph, list: &RelationList, limit: usize) -> Self {
        RelationsView {
            relations: list.relations.iter().map(|&r| Rel::new(g, r)).collect(),
            total: list.total,
            offset: list.offset,
            limit,
        }
    }
}

/// One hop of a time-respecting path: the relation taken and its date.
#[derive(Debug, Serialize)]
pub struct ChronoHopView<'a> {
    pub date: Option<Date>,
    pub relation: Rel<'a>,
}

/// `path --chronological`: the shortest time-respecting path, if any.
#[derive(Debug, Serialize)]
pub struct ChronoPathView<'a> {
    pub from: Ent<'a>,
    pub to: Ent<'a>,
    pub chronological: bool,
    /// Empty when there is no time-respecting path.
    pub nodes: Vec<Ent<'a>>,
    pub hops: Vec<ChronoHopView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved: Option<ResolvedArgs<'a>>,
}

impl<'a> ChronoPathView<'a> {
    pub fn new(g: &'a Graph, from: u32, to: u32, p: Option<&ChronoPath>) -> Self {
        ChronoPathView {
            from: Ent::new(g, from),
            to: Ent::new(g, to),
            chronological: true,
            nodes: p
                .map(|p| p.nodes.iter().map(|&e| Ent::new(g, e)).collect())
                .unwrap_or_default(),
            hops: p
                .map(|p| {
                    p.hops
                        .iter()
                        .map(|h| ChronoHopView {
                            date: h.date,
                            relation: Rel::new(g, h.relation),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            resolved: None,
        }
    }
}
