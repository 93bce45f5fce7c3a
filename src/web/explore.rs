//! The JSON the canvas explorer grows its picture from:
//! `/api/explore/{id}` (an entity's neighbours grouped by relation type,
//! each group most connected first, paged) and `/api/relations-between`
//! (every relation between two entities, with evidence and source, for the
//! edge panel). Groups open most important first: by PageRank, computed
//! once per graph in the web's `cache`, then by relation count. Both answers are bounded: at most
//! [`MAX_PER_PAGE`](crate::query::explore::MAX_PER_PAGE) members a group
//! and [`MAX_RELATIONS`](crate::query::explore::MAX_RELATIONS) relations
//! a pair. The grouping and ordering are the core's
//! ([`crate::query::explore`]); this module reads parameters and writes
//! JSON.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::AppState;
use super::error::WebError;
use super::pages::entity_by_id;
use super::params::{Params, WINDOW_FROM};
use super::pool::{Reply, heavy};
use crate::graph::Graph;
use crate::model::{Date, Kind};
use crate::query::explore::{DEFAULT_PER_PAGE, ExploreQuery, between, explore};
use crate::query::request::TimeRequest;
use crate::query::{Filter, Neighbourhood, parse_kinds, parse_types};
use crate::render::layout;
use crate::view::Rel;

/// Aliases sent with each entity, for short labels; the page has the rest.
const MAX_ALIASES: usize = 8;

type ApiResult = Result<HttpResponse, WebError>;

/// An entity as the canvas draws it.
#[derive(Serialize)]
struct Node<'a> {
    id: &'a str,
    name: &'a str,
    kind: Kind,
    aliases: Vec<&'a str>,
    /// Relations in the whole graph: what a group is ordered by among
    /// equal PageRanks.
    degree: usize,
}

impl<'a> Node<'a> {
    fn new(g: &'a Graph, e: u32) -> Self {
        let ent = g.entity(e);
        Node {
            id: ent.id(),
            name: ent.name(),
            kind: ent.kind,
            aliases: ent.aliases().iter().take(MAX_ALIASES).collect(),
            degree: g.degree(e),
        }
    }
}

/// A relation without its evidence (the edge panel fetches that).
#[derive(Serialize)]
struct Edge<'a> {
    from: &'a str,
    to: &'a str,
    #[serde(rename = "type")]
    rel_type: &'a str,
    role: Option<&'a str>,
    start: Option<Date>,
    end: Option<Date>,
}

impl<'a> Edge<'a> {
    fn new(g: &'a Graph, rel: u32) -> Self {
        let r = g.relation(rel);
        Edge {
            from: g.entity(r.from).id(),
            to: g.entity(r.to).id(),
            rel_type: g.str(r.rel_type),
            role: r.role.map(|s| g.str(s)),
            start: r.start,
            end: r.end,
        }
    }
}

#[derive(Serialize)]
struct Member<'a> {
    #[serde(flatten)]
    node: Node<'a>,
    /// PageRank over the whole graph: what a group is ordered by.
    rank: f64,
    relations: Vec<Edge<'a>>,
}

#[derive(Serialize)]
struct Group<'a> {
    #[serde(rename = "type")]
    rel_type: &'a str,
    total: usize,
    page: usize,
    pages: usize,
    per_page: usize,
    members: Vec<Member<'a>>,
}

#[derive(Serialize)]
struct ExploreView<'a> {
    center: Node<'a>,
    groups: Vec<Group<'a>>,
}

/// A relation with its source in full: what a reader cites.
#[derive(Serialize)]
struct Cited<'a> {
    #[serde(flatten)]
    rel: Rel<'a>,
    publisher: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct BetweenView<'a> {
    a: Node<'a>,
    b: Node<'a>,
    /// How many relations join the two; `relations` holds the first.
    total: usize,
    relations: Vec<Cited<'a>>,
}

/// An entity of a neighbourhood as the canvas first draws it: where the
/// server's picture put it, and how far it is from the centre.
#[derive(Serialize)]
struct Placed<'a> {
    #[serde(flatten)]
    node: Node<'a>,
    distance: u32,
    x: f64,
    y: f64,
}

/// What the neighbourhood page hands its canvas, in the page itself (no
/// request after the page, no second walk): the entities at the places of
/// the server's ring picture, drawn at once, and the first relations among
/// them (evidence left for the edge panel to fetch).
#[derive(Serialize)]
struct CanvasView<'a> {
    center: &'a str,
    /// The node radius the positions were laid out for.
    radius: f64,
    nodes: Vec<Placed<'a>>,
    edges: Vec<Edge<'a>>,
    /// Relations in the neighbourhood; past `per_page`, the canvas reads
    /// the rest from `/api/neighbours` in pages of `per_page`.
    total: usize,
    per_page: usize,
}

/// The canvas's data for a neighbourhood, as JSON to put inside a
/// `<script type="application/json">` element: `<`, `>` and `&` are
/// written as `\u` escapes, so no name can close the element (or open a
/// comment) and the browser never runs it. At most `per_page` relations
/// (the page cap of [`crate::query::request::neighbourhood_page_cap`]) and
/// the node cap's entities: bounded like the API's page of the same
/// neighbourhood.
pub(super) fn canvas_data(g: &Graph, n: &Neighbourhood, per_page: usize) -> String {
    let rings = layout::rings(g, n);
    let view = CanvasView {
        center: g.entity(n.center).id(),
        radius: rings.r,
        nodes: n
            .nodes
            .iter()
            .map(|&(e, distance)| {
                let (x, y) = rings.pos.get(&e).copied().unwrap_or_default();
                Placed {
                    node: Node::new(g, e),
                    distance,
                    x: (x * 10.0).round() / 10.0,
                    y: (y * 10.0).round() / 10.0,
                }
            })
            .collect(),
        edges: n
            .edges
            .iter()
            .take(per_page)
            .map(|&r| Edge::new(g, r))
            .collect(),
        total: n.edges.len(),
        per_page,
    };
    script_json(&view)
}

/// JSON that is safe inside a `<script>` element of any type.
fn script_json<T: Serialize>(v: &T) -> String {
    let json = serde_json::to_string(v).expect("the canvas data is plain data");
    let mut out = String::with_capacity(json.len() + 64);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

pub(super) async fn neighbours(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult {
    let p = Params::from(&req).map_err(WebError::json)?;
    let g = state.graph();
    let id = id.into_inner();
    let st = AppState::clone(&state);
    heavy(&state, true, "/api/explore", move || {
        let center = entity_by_id(&g, &id)?;
        let types =
            parse_types(&g, "type", &p.all("type")).map_err(|e| WebError::query(&g, "type", e))?;
        if types.len() > 1 {
            return Err(WebError::bad("type", "give at most one relation type"));
        }
        let kinds = parse_kinds("kind", &p.all("kind")).map_err(|e| WebError::bad("kind", e))?;
        let time = TimeRequest {
            at: p.get("at").map(str::to_string),
            from: p.get(WINDOW_FROM).map(str::to_string),
            until: p.get("until").map(str::to_string),
            undated: p.get("undated").map(str::to_string),
        }
        .filter(WINDOW_FROM)
        .map_err(|e| WebError::query(&g, "at", e))?;
        let q = ExploreQuery {
            rel_type: types.first().copied(),
            page: p.whole("page", 1)?,
            per_page: p.whole("per_page", DEFAULT_PER_PAGE)?,
            filter: Filter { kinds, ..time },
        };
        let derived = st.derived(&g);
        let x = explore(&g, center, &q, derived.pagerank(&g))
            .map_err(|e| WebError::query(&g, "page", e))?;
        let view = ExploreView {
            center: Node::new(&g, center),
            groups: x
                .groups
                .iter()
                .map(|grp| Group {
                    rel_type: g.str(grp.rel_type),
                    total: grp.total,
                    page: grp.page,
                    pages: grp.pages,
                    per_page: q.per_page,
                    members: grp
                        .members
                        .iter()
                        .map(|m| Member {
                            node: Node::new(&g, m.entity),
                            rank: m.score,
                            relations: m.relations.iter().map(|&r| Edge::new(&g, r)).collect(),
                        })
                        .collect(),
                })
                .collect(),
        };
        Reply::json(&view)
    })
    .await
}

pub(super) async fn relations_between(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    let p = Params::from(&req).map_err(WebError::json)?;
    let g = state.graph();
    heavy(&state, true, "/api/relations-between", move || {
        let end = |name: &str| {
            let id = p
                .get(name)
                .ok_or_else(|| WebError::bad(name, "give an entity id"))?;
            entity_by_id(&g, id)
        };
        let (a, b) = (end("a")?, end("b")?);
        let (rels, total) = between(&g, a, b);
        let relations = rels
            .iter()
            .map(|&r| {
                let s = g.source(g.relation(r).source);
                Cited {
                    rel: Rel::new(&g, r),
                    publisher: &s.publisher,
                    url: s.link(),
                }
            })
            .collect();
        Reply::json(&BetweenView {
            a: Node::new(&g, a),
            b: Node::new(&g, b),
            total,
            relations,
        })
    })
    .await
}
