//! The HTML pages: askama templates over small view models built here.
//! Handlers parse parameters, make one call into the core, and render;
//! every string reaches the page through askama's HTML escaping (the SVG
//! pictures are escaped by their renderer).

use std::collections::{BTreeMap, HashMap};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::error::WebError;
use super::guard::{Reply, heavy};
use super::params::Params;
use super::{AppState, DEFAULT_MAX_NODES, MAX_DEPTH, MAX_HOPS, MAX_K, MAX_NODES, PATH_BUDGET};
use crate::export::{self, ExportFormat, Subgraph};
use crate::graph::Graph;
use crate::model::{Kind, TimeFilter};
use crate::query::{NeighbourhoodQuery, PathMode, PathQuery, neighbourhood, paths, resolve};
use crate::render::svg::{self, pct};
use crate::render::text::{citation, no_path_reason, span};

type PageResult = Result<HttpResponse, WebError>;
type ReplyResult = Result<Reply, WebError>;

/// What the base template needs on every page.
pub struct Layout {
    pub title: String,
    pub banner: Option<String>,
    /// The text of the header's search box.
    pub q: String,
    pub version: &'static str,
}

impl Layout {
    pub fn plain(title: &str) -> Layout {
        Layout {
            title: title.to_string(),
            banner: None,
            q: String::new(),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
    fn new(state: &AppState, title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            banner: state.banner(),
            q: String::new(),
            version: env!("CARGO_PKG_VERSION"),
        }
    }
}

fn render(t: &impl Template) -> ReplyResult {
    let html = t
        .render()
        .map_err(|e| WebError::internal(format!("the page could not be rendered: {e}")))?;
    Ok(Reply::html(html))
}

// ---- view models -------------------------------------------------------

/// An entity as a link.
pub struct EntLink {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub symbol: &'static str,
    pub href: String,
}

impl EntLink {
    fn new(g: &Graph, e: u32) -> EntLink {
        let ent = g.entity(e);
        EntLink {
            id: ent.id.to_string(),
            name: ent.name.to_string(),
            kind: ent.kind.as_str(),
            symbol: svg::symbol(ent.kind),
            href: format!("/entity/{}", pct(&ent.id)),
        }
    }
}

pub struct SourceLink {
    pub id: String,
    pub title: String,
    /// Publisher and date.
    pub meta: String,
    pub url: Option<String>,
    pub href: String,
}

impl SourceLink {
    fn new(g: &Graph, s: u32) -> SourceLink {
        let src = g.source(s);
        let mut meta = Vec::new();
        if !src.publisher.is_empty() {
            meta.push(src.publisher.to_string());
        }
        if let Some(d) = src.published {
            meta.push(d.to_string());
        }
        SourceLink {
            id: src.id.to_string(),
            title: src.title.to_string(),
            meta: meta.join(", "),
            url: src.link().map(str::to_string),
            href: format!("/source/{}", pct(&src.id)),
        }
    }
}

/// One relation with its receipts.
pub struct RelRow {
    pub rel_type: String,
    pub from: EntLink,
    pub to: EntLink,
    pub role: String,
    pub when: String,
    pub evidence: String,
    pub source: SourceLink,
    pub symmetric: bool,
}

impl RelRow {
    fn new(g: &Graph, rel: u32) -> RelRow {
        let r = g.relation(rel);
        RelRow {
            rel_type: g.str(r.rel_type).to_string(),
            from: EntLink::new(g, r.from),
            to: EntLink::new(g, r.to),
            role: r.role.map(|s| g.str(s).to_string()).unwrap_or_default(),
            when: span(r.start, r.end),
            evidence: g.evidence(rel),
            source: SourceLink::new(g, r.source),
            symmetric: g.is_symmetric(r.rel_type),
        }
    }
}

/// A relation seen from one entity: the other party and the direction.
pub struct SideRow {
    pub other: EntLink,
    /// "→" when the relation points away from the entity, "←" towards it,
    /// "↔" when symmetric.
    pub arrow: &'static str,
    pub rel: RelRow,
}

pub struct Check {
    pub value: String,
    pub checked: bool,
}

fn kind_checks(selected: &[Kind]) -> Vec<Check> {
    Kind::ALL
        .iter()
        .map(|k| Check {
            value: k.as_str().to_string(),
            checked: selected.contains(k),
        })
        .collect()
}

// ---- shared parsing, also used by the API ------------------------------

/// An entity by its exact id (the URL path): 404 with near names.
pub fn entity_by_id(g: &Graph, id: &str) -> Result<u32, WebError> {
    g.entity_index(id).ok_or_else(|| {
        let e = crate::error::QueryError::NotFound {
            query: id.to_string(),
            suggestions: Vec::new(),
        };
        let mut err = WebError::query(g, "entity", e);
        err.message = format!("no entity has the id \"{id}\"");
        err
    })
}

/// An entity named by a parameter: id, name, alias or best hit.
pub fn resolve_param(g: &Graph, p: &Params, name: &str) -> Result<u32, WebError> {
    let Some(v) = p.get(name) else {
        return Err(WebError::bad(
            name,
            "missing: give an entity id, name or alias",
        ));
    };
    resolve(g, v).map_err(|e| WebError::query(g, name, e))
}

pub fn neighbourhood_query(
    g: &Graph,
    p: &Params,
    max_depth: u32,
) -> Result<NeighbourhoodQuery, WebError> {
    Ok(NeighbourhoodQuery {
        depth: p.number("depth", 1, 1, u64::from(max_depth))? as u32,
        max_nodes: p.number("max_nodes", DEFAULT_MAX_NODES as u64, 1, MAX_NODES as u64)? as usize,
        filter: crate::query::Filter {
            kinds: p.kinds("kind")?,
            types: p.types(g, "type")?,
            time: p.time()?,
        },
    })
}

pub fn path_query(g: &Graph, p: &Params) -> Result<PathQuery, WebError> {
    let k = p.number("k", 1, 1, u64::from(MAX_K))? as usize;
    let max_hops = match p.get("max_hops") {
        None => None,
        Some(_) => Some(p.number("max_hops", 1, 1, u64::from(MAX_HOPS))? as u32),
    };
    let mut avoid = Vec::new();
    for a in p.all("avoid") {
        avoid.push(resolve(g, &a).map_err(|e| WebError::query(g, "avoid", e))?);
    }
    let at = p.date("at")?;
    Ok(PathQuery {
        mode: if k == 1 {
            PathMode::Shortest
        } else {
            PathMode::K(k)
        },
        max_hops,
        directed: p.flag("directed"),
        exclude_kinds: p.kinds("exclude_kind")?,
        avoid,
        types: p.types(g, "type")?,
        time: at.map_or(TimeFilter::Always, TimeFilter::At),
        budget: PATH_BUDGET,
    })
}

// ---- home ----------------------------------------------------------------

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    entities: usize,
    relations: usize,
    sources: usize,
    by_kind: Vec<(String, &'static str, usize)>,
    agreements: Vec<(String, EntLink)>,
    people: Vec<(EntLink, usize)>,
    institutions: Vec<(EntLink, usize)>,
}

/// The most connected entities of some kinds, most first, then by name.
fn most_connected(g: &Graph, kinds: &[Kind], n: usize) -> Vec<(EntLink, usize)> {
    let mut v: Vec<(usize, u32)> = (0..g.entities.len() as u32)
        .filter(|&e| kinds.contains(&g.entity(e).kind))
        .map(|e| (g.degree(e), e))
        .collect();
    v.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| g.entity(a.1).name.cmp(&g.entity(b.1).name))
    });
    v.into_iter()
        .take(n)
        .map(|(d, e)| (EntLink::new(g, e), d))
        .collect()
}

pub async fn home(state: web::Data<AppState>) -> PageResult {
    let g = state.graph();
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for e in &g.entities {
        *counts.entry(e.kind).or_default() += 1;
    }
    let mut agreements: Vec<(Option<crate::model::Date>, u32)> = (0..g.entities.len() as u32)
        .filter(|&e| g.entity(e).kind == Kind::Agreement)
        .map(|e| (g.entity(e).start, e))
        .collect();
    agreements.sort_by(|a, b| {
        b.0.map(|d| d.first_day())
            .cmp(&a.0.map(|d| d.first_day()))
            .then_with(|| g.entity(a.1).name.cmp(&g.entity(b.1).name))
    });
    let page = HomePage {
        layout: Layout::new(&state, "jejaring — who is connected to whom"),
        entities: g.entities.len(),
        relations: g.relations.len(),
        sources: g.sources.len(),
        by_kind: counts
            .into_iter()
            .map(|(k, n)| (k.as_str().to_string(), svg::symbol(k), n))
            .collect(),
        agreements: agreements
            .into_iter()
            .take(30)
            .map(|(d, e)| {
                (
                    d.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()),
                    EntLink::new(&g, e),
                )
            })
            .collect(),
        people: most_connected(&g, &[Kind::Person], 8),
        institutions: most_connected(&g, &[Kind::Organization, Kind::Company], 8),
    };
    render(&page).map(Reply::into_response)
}

// ---- search --------------------------------------------------------------

pub struct HitRow {
    pub ent: EntLink,
    pub matched: Option<String>,
    pub aliases: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    hits: Vec<HitRow>,
    suggestions: Vec<EntLink>,
}

pub async fn search(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    let p = Params::from(&req)?;
    let g = state.graph();
    let q = p.text("q");
    let limit = p.number("limit", 50, 1, 200)? as usize;
    let answer = crate::query::search::find(
        &g,
        &crate::query::SearchQuery {
            text: q.clone(),
            kinds: Vec::new(),
            limit,
        },
    );
    let hits = &answer.hits;
    let view = crate::view::SearchView::new(&g, &q, &answer);
    let rows: Vec<HitRow> = hits
        .iter()
        .zip(view.hits.iter())
        .map(|(h, v)| HitRow {
            ent: EntLink::new(&g, h.entity),
            matched: v.matched.map(str::to_string),
            aliases: v.aliases.join(" · "),
            description: v.description.to_string(),
        })
        .collect();
    let suggestions = if rows.is_empty() && !q.is_empty() {
        crate::query::search::suggest(&g, &q, 6)
            .iter()
            .map(|h| EntLink::new(&g, h.entity))
            .collect()
    } else {
        Vec::new()
    };
    let mut layout = Layout::new(
        &state,
        if q.is_empty() {
            "Search".to_string()
        } else {
            format!("“{q}” — search")
        },
    );
    layout.q = q.clone();
    render(&SearchPage {
        layout,
        q,
        hits: rows,
        suggestions,
    })
    .map(Reply::into_response)
}

// ---- entity --------------------------------------------------------------

#[derive(Template)]
#[template(path = "entity.html")]
struct EntityPage {
    layout: Layout,
    ent: EntLink,
    aliases: Vec<String>,
    country: String,
    lifetime: String,
    description: String,
    attributes: Vec<(String, String)>,
    svg: String,
    shown: usize,
    truncated: bool,
    /// Relation type, how many relations of it, whether only the first
    /// are shown, and those.
    groups: Vec<(String, usize, bool, Vec<SideRow>)>,
    relation_count: usize,
    rows_per_type: usize,
}

/// Relations of one type shown on an entity page: a hub has tens of
/// thousands, and a page of all of them takes a second to render and
/// nobody reads it; the neighbours page filters them, the API has all.
pub const ENTITY_ROWS_PER_TYPE: usize = 100;

fn side_rows(g: &Graph, e: u32, rels: &[u32]) -> Vec<SideRow> {
    rels.iter()
        .map(|&rel| {
            let r = g.relation(rel);
            let (other, arrow) = if g.is_symmetric(r.rel_type) {
                (if r.from == e { r.to } else { r.from }, "↔")
            } else if r.from == e {
                (r.to, "→")
            } else {
                (r.from, "←")
            };
            SideRow {
                other: EntLink::new(g, other),
                arrow,
                rel: RelRow::new(g, rel),
            }
        })
        .collect()
}

pub async fn entity(state: web::Data<AppState>, id: web::Path<String>) -> PageResult {
    let st = AppState::clone(&state);
    let id = id.into_inner();
    heavy(&state, false, "an entity page", move || {
        entity_page(&st, &id)
    })
    .await
}

fn entity_page(state: &AppState, id: &str) -> ReplyResult {
    let g = state.graph();
    let e = entity_by_id(&g, id)?;
    let ent = g.entity(e);
    let by_type = g.relations_by_type(e);
    let n = neighbourhood(
        &g,
        e,
        &NeighbourhoodQuery {
            depth: 1,
            max_nodes: DEFAULT_MAX_NODES,
            ..Default::default()
        },
    );
    let page = EntityPage {
        layout: Layout::new(state, format!("{} ({})", ent.name, ent.kind)),
        ent: EntLink::new(&g, e),
        aliases: ent.aliases.iter().map(|a| a.to_string()).collect(),
        country: ent
            .country
            .map(|c| g.str(c).to_string())
            .unwrap_or_default(),
        lifetime: span(ent.start, ent.end),
        description: ent.description.to_string(),
        attributes: ent
            .attrs
            .iter()
            .map(|(k, v)| (g.str(*k).to_string(), v.to_string()))
            .collect(),
        svg: svg::neighbourhood(&g, &n),
        shown: n.nodes.len(),
        truncated: n.truncated,
        groups: by_type
            .into_iter()
            .map(|(t, rs)| {
                let shown = &rs[..rs.len().min(ENTITY_ROWS_PER_TYPE)];
                let capped = shown.len() < rs.len();
                (t.to_string(), rs.len(), capped, side_rows(&g, e, shown))
            })
            .collect(),
        relation_count: g.degree(e),
        rows_per_type: ENTITY_ROWS_PER_TYPE,
    };
    render(&page)
}

// ---- neighbours ----------------------------------------------------------

#[derive(Template)]
#[template(path = "neighbours.html")]
struct NeighboursPage {
    layout: Layout,
    ent: EntLink,
    depth: u32,
    max_depth: u32,
    max_nodes: usize,
    kinds: Vec<Check>,
    types: Vec<Check>,
    at: String,
    svg: String,
    nodes: Vec<(EntLink, u32)>,
    rels: Vec<RelRow>,
    truncated: bool,
    export_href: String,
}

pub async fn neighbours(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let p = Params::from(&req)?;
    let st = AppState::clone(&state);
    let id = id.into_inner();
    heavy(&state, false, "a neighbours page", move || {
        neighbours_page(&st, &id, &p)
    })
    .await
}

fn neighbours_page(state: &AppState, id: &str, p: &Params) -> ReplyResult {
    let g = state.graph();
    let e = entity_by_id(&g, id)?;
    let q = neighbourhood_query(&g, p, MAX_DEPTH)?;
    let n = neighbourhood(&g, e, &q);
    let chosen_types: Vec<String> = p.all("type");
    let ent = EntLink::new(&g, e);
    let page = NeighboursPage {
        layout: Layout::new(state, format!("Neighbours of {}", ent.name)),
        export_href: format!("/export/dot?around={}&depth={}", pct(&ent.id), q.depth),
        ent,
        depth: q.depth,
        max_depth: MAX_DEPTH,
        max_nodes: q.max_nodes,
        kinds: kind_checks(&q.filter.kinds),
        types: g
            .type_counts()
            .into_iter()
            .map(|(t, _)| Check {
                value: t.to_string(),
                checked: chosen_types.iter().any(|c| c == t),
            })
            .collect(),
        at: p.text("at"),
        svg: svg::neighbourhood(&g, &n),
        nodes: n
            .nodes
            .iter()
            .map(|&(x, d)| (EntLink::new(&g, x), d))
            .collect(),
        rels: n.edges.iter().map(|&r| RelRow::new(&g, r)).collect(),
        truncated: n.truncated,
    };
    render(&page)
}

// ---- path ----------------------------------------------------------------

pub struct HopBlock {
    pub a: EntLink,
    pub b: EntLink,
    pub rels: Vec<RelRow>,
}

pub struct PathBlock {
    pub number: usize,
    pub length: usize,
    pub nodes: Vec<EntLink>,
    pub hops: Vec<HopBlock>,
    pub citation: String,
}

pub struct PathResult {
    pub from: EntLink,
    pub to: EntLink,
    pub svg: String,
    pub paths: Vec<PathBlock>,
    pub no_path: Option<String>,
    pub lift_href: Option<String>,
    pub budget_exhausted: bool,
}

#[derive(Template)]
#[template(path = "path.html")]
struct PathPage {
    layout: Layout,
    from: String,
    to: String,
    k: u64,
    max_k: u32,
    max_hops: String,
    avoid: String,
    at: String,
    directed: bool,
    exclude: Vec<Check>,
    options_open: bool,
    result: Option<PathResult>,
}

pub async fn path(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    let p = Params::from(&req)?;
    let st = AppState::clone(&state);
    heavy(&state, false, "a path page", move || path_page(&st, &p)).await
}

fn path_page(state: &AppState, p: &Params) -> ReplyResult {
    let g = state.graph();
    let (from_s, to_s) = (p.text("from"), p.text("to"));
    let q = path_query(&g, p)?;
    let result = if from_s.is_empty() || to_s.is_empty() {
        None
    } else {
        let from = resolve_param(&g, p, "from")?;
        let to = resolve_param(&g, p, "to")?;
        let answer = paths(&g, from, to, &q);
        let no_path = answer
            .paths
            .is_empty()
            .then(|| no_path_reason(&g, &answer, &q));
        let lift_href = (answer.paths.is_empty() && q.is_constrained()).then(|| {
            format!(
                "/path?from={}&to={}",
                pct(&g.entity(from).id),
                pct(&g.entity(to).id)
            )
        });
        Some(PathResult {
            from: EntLink::new(&g, from),
            to: EntLink::new(&g, to),
            svg: if answer.paths.is_empty() {
                String::new()
            } else {
                svg::paths(&g, &answer)
            },
            paths: answer
                .paths
                .iter()
                .enumerate()
                .map(|(i, path)| PathBlock {
                    number: i + 1,
                    length: path.len(),
                    nodes: path.nodes.iter().map(|&e| EntLink::new(&g, e)).collect(),
                    hops: path
                        .hops
                        .iter()
                        .enumerate()
                        .map(|(j, hop)| HopBlock {
                            a: EntLink::new(&g, path.nodes[j]),
                            b: EntLink::new(&g, path.nodes[j + 1]),
                            rels: hop.iter().map(|&r| RelRow::new(&g, r)).collect(),
                        })
                        .collect(),
                    citation: citation(&g, path),
                })
                .collect(),
            no_path,
            lift_href,
            budget_exhausted: answer.budget_exhausted,
        })
    };
    let title = match &result {
        Some(r) => format!("Paths from {} to {}", r.from.name, r.to.name),
        None => "Path".to_string(),
    };
    let page = PathPage {
        layout: Layout::new(state, title),
        from: from_s,
        to: to_s,
        k: p.number("k", 1, 1, u64::from(MAX_K))?,
        max_k: MAX_K,
        max_hops: p.text("max_hops"),
        avoid: p.all("avoid").join(", "),
        at: p.text("at"),
        directed: q.directed,
        exclude: kind_checks(&q.exclude_kinds),
        options_open: q.is_constrained(),
        result,
    };
    render(&page)
}

// ---- sources -------------------------------------------------------------

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage {
    layout: Layout,
    rows: Vec<(SourceLink, usize)>,
    total: usize,
    first: usize,
    prev_href: Option<String>,
    next_href: Option<String>,
}

const SOURCES_PER_PAGE: usize = 200;

pub async fn sources(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    let p = Params::from(&req)?;
    let g = state.graph();
    let total = g.sources.len();
    let last_page = total.saturating_sub(1) / SOURCES_PER_PAGE + 1;
    let page_no = p.number("page", 1, 1, last_page as u64)? as usize;
    let start = (page_no - 1) * SOURCES_PER_PAGE;
    let rows = (start..total.min(start + SOURCES_PER_PAGE))
        .map(|s| {
            (
                SourceLink::new(&g, s as u32),
                g.relations_of_source(s as u32).len(),
            )
        })
        .collect();
    render(&SourcesPage {
        layout: Layout::new(&state, "Sources"),
        rows,
        total,
        first: start + 1,
        prev_href: (page_no > 1).then(|| format!("/sources?page={}", page_no - 1)),
        next_href: (page_no < last_page).then(|| format!("/sources?page={}", page_no + 1)),
    })
    .map(Reply::into_response)
}

/// A piece of a source text: plain, or a recognised entity name.
pub struct Segment {
    pub text: String,
    pub ent: Option<EntLink>,
}

#[derive(Template)]
#[template(path = "source.html")]
struct SourcePage {
    layout: Layout,
    src: SourceLink,
    language: String,
    file: String,
    rels: Vec<RelRow>,
    text: Option<Vec<Segment>>,
    mentioned: Vec<EntLink>,
}

pub async fn source(state: web::Data<AppState>, id: web::Path<String>) -> PageResult {
    let g = state.graph();
    let Some(s) = g.source_index(&id) else {
        return Err(WebError::not_found(
            format!("no source has the id \"{id}\" — the list of sources is at /sources"),
            Vec::new(),
        ));
    };
    let src = g.source(s);
    let text = state.corpus.get(&*src.id).map(|t| highlight(&g, t));
    let mut mentioned: Vec<EntLink> = Vec::new();
    if let Some(segs) = &text {
        let mut seen = std::collections::BTreeSet::new();
        for seg in segs {
            if let Some(e) = &seg.ent
                && seen.insert(e.id.clone())
            {
                mentioned.push(EntLink { ..clone_link(e) });
            }
        }
    }
    render(&SourcePage {
        layout: Layout::new(&state, src.title.to_string()),
        src: SourceLink::new(&g, s),
        language: src.language.to_string(),
        file: src.file.to_string(),
        rels: g
            .relations_of_source(s)
            .iter()
            .map(|&r| RelRow::new(&g, r))
            .collect(),
        text,
        mentioned,
    })
    .map(Reply::into_response)
}

fn clone_link(e: &EntLink) -> EntLink {
    EntLink {
        id: e.id.clone(),
        name: e.name.clone(),
        kind: e.kind,
        symbol: e.symbol,
        href: e.href.clone(),
    }
}

/// Splits a text into plain pieces and known entity names or aliases,
/// longest match first, at word boundaries, ignoring ASCII case. Names
/// shorter than three characters are not matched (too many false hits).
///
/// Complexity: O(N) to index the names, then for each word start of the
/// text the names sharing its first character.
pub fn highlight(g: &Graph, text: &str) -> Vec<Segment> {
    let mut by_first: HashMap<char, Vec<(String, u32)>> = HashMap::new();
    for (i, e) in g.entities.iter().enumerate() {
        for name in std::iter::once(&e.name).chain(e.aliases.iter()) {
            let lower = name.trim().to_ascii_lowercase();
            if lower.chars().count() < 3 {
                continue;
            }
            if let Some(c) = lower.chars().next() {
                by_first.entry(c).or_default().push((lower, i as u32));
            }
        }
    }
    for v in by_first.values_mut() {
        // Longest first; ties by name then entity, so output is stable.
        v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.cmp(b)));
        v.dedup_by(|a, b| a.0 == b.0);
    }
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let mut prev: Option<char> = None;
    while i < lower.len() {
        let c = lower[i..].chars().next().expect("in bounds");
        let at_word_start = prev.is_none_or(|p| !p.is_alphanumeric());
        let mut matched = None;
        if at_word_start && let Some(cands) = by_first.get(&c) {
            for (name, e) in cands {
                if lower[i..].starts_with(name.as_str()) {
                    let end = i + name.len();
                    let ends_word = lower[end..]
                        .chars()
                        .next()
                        .is_none_or(|n| !n.is_alphanumeric());
                    if ends_word {
                        matched = Some((end, *e));
                        break;
                    }
                }
            }
        }
        if let Some((end, e)) = matched {
            if plain_start < i {
                out.push(Segment {
                    text: text[plain_start..i].to_string(),
                    ent: None,
                });
            }
            out.push(Segment {
                text: text[i..end].to_string(),
                ent: Some(EntLink::new(g, e)),
            });
            prev = text[..end].chars().next_back();
            i = end;
            plain_start = end;
        } else {
            prev = Some(c);
            i += c.len_utf8();
        }
    }
    if plain_start < text.len() {
        out.push(Segment {
            text: text[plain_start..].to_string(),
            ent: None,
        });
    }
    out
}

// ---- export --------------------------------------------------------------

pub async fn export(
    state: web::Data<AppState>,
    format: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let p = Params::from(&req)?;
    let st = AppState::clone(&state);
    let format = format.into_inner();
    heavy(&state, false, "an export", move || {
        export_file(&st, &format, &p)
    })
    .await
}

fn export_file(state: &AppState, format: &str, p: &Params) -> ReplyResult {
    let g = state.graph();
    let fmt: ExportFormat = format.parse().map_err(|e| WebError::bad("format", e))?;
    let sub = match p.get("around") {
        Some(_) => {
            let center = resolve_param(&g, p, "around")?;
            let mut q = neighbourhood_query(&g, p, MAX_DEPTH)?;
            if p.get("max_nodes").is_none() {
                q.max_nodes = MAX_NODES;
            }
            Subgraph::of(&neighbourhood(&g, center, &q))
        }
        None => Subgraph::at(&g, p.time()?),
    };
    let d = export::download(&g, fmt, &sub).map_err(|e| {
        WebError::not_implemented(format!("{} export is not available yet: {e}", fmt.as_str()))
    })?;
    Ok(Reply {
        content_type: d.content_type,
        body: d.bytes,
        headers: vec![(
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"",
                d.file_name.replace(['"', '\\', '\r', '\n'], "_")
            ),
        )],
    })
}
