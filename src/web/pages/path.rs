//! `/path`: shortest connections between two entities, hop by hop with
//! their receipts; with `chronological=1` the shortest time-respecting
//! path instead (every hop dated no earlier than the one before, as `path
//! --chronological`), a refused combination answered with the form as
//! filled in and a 400. `/export/path/{format}` is the answer as a GEXF,
//! GraphML or Gephi (zip) file of exactly its entities and relations.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::form::{file_part, query_string, render_form};
use super::page_on_pool;
use super::{
    Check, EntLink, Layout, PageResult, RelRow, ReplyResult, answer_download, kind_checks, render,
};
use crate::error::{Candidate, QueryError};
use crate::export::Subgraph;
use crate::graph::Graph;
use crate::query::analysis::graphs::{chrono_subgraph, paths_subgraph};
use crate::query::analysis::{ChronoPath, chrono_path};
use crate::query::request::{PathRequest, PathsQuery, bound_paths};
use crate::query::{Limits, Path, PathAnswer, Ranking, RequestError, paths};
use crate::render::svg::{self, pct};
use crate::render::text::{citation, no_path_reason, path_cost};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};

pub(crate) struct HopBlock {
    pub a: EntLink,
    pub b: EntLink,
    pub rels: Vec<RelRow>,
}

pub(crate) struct PathBlock {
    pub number: usize,
    pub length: usize,
    /// The weighted cost, under the specific ranking only (the plain
    /// ranking's cost is the hop count already shown).
    pub cost: Option<String>,
    pub nodes: Vec<EntLink>,
    pub hops: Vec<HopBlock>,
    pub citation: String,
}

impl PathBlock {
    /// Path number `number` of an answer: its entities, each hop's
    /// relations and the sources it cites.
    fn new(g: &Graph, path: &Path, number: usize, cost: Option<String>) -> PathBlock {
        PathBlock {
            number,
            length: path.len(),
            cost,
            nodes: path.nodes.iter().map(|&e| EntLink::new(g, e)).collect(),
            hops: path
                .hops
                .iter()
                .enumerate()
                .map(|(j, hop)| HopBlock {
                    a: EntLink::new(g, path.nodes[j]),
                    b: EntLink::new(g, path.nodes[j + 1]),
                    rels: hop.iter().map(|&r| RelRow::new(g, r)).collect(),
                })
                .collect(),
            citation: citation(g, path),
        }
    }
}

pub(crate) struct PathResult {
    pub from: EntLink,
    pub to: EntLink,
    pub svg: String,
    pub paths: Vec<PathBlock>,
    pub no_path: Option<String>,
    pub lift_href: Option<String>,
    pub budget_exhausted: bool,
    /// More paths were found than are shown.
    pub truncated: bool,
    /// How the paths are ordered, in words.
    pub ranking_note: &'static str,
    /// Paths left out as near duplicates of one shown.
    pub folded: usize,
    /// (format name, link) of the answer as a graph file.
    pub exports: Vec<(&'static str, String)>,
    pub api_href: String,
}

/// A notice that an argument was matched by search, not exactly: the
/// entity chosen and links re-running the query with each alternative.
pub(crate) struct Notice {
    pub query: String,
    pub chosen: EntLink,
    pub alternatives: Vec<(EntLink, String)>,
}

/// One candidate of an ambiguous argument, with a link re-running the
/// query with its id.
pub(crate) struct Choice {
    pub candidate: Candidate,
    pub href: String,
}

/// The choice page of an ambiguous argument. Served with status 200: it is
/// a page to act on, not a failure (the API answers 400 with the
/// candidates).
#[derive(Template)]
#[template(path = "choose.html")]
struct ChoicePage {
    layout: Layout,
    query: String,
    param: String,
    choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "path.html")]
struct PathPage {
    layout: Layout,
    from: String,
    to: String,
    k: u32,
    max_k: u32,
    all: bool,
    plain: bool,
    max_hops: String,
    avoid: String,
    at: String,
    from_date: String,
    until: String,
    directed: bool,
    chronological: bool,
    allow_undated: bool,
    exclude: Vec<Check>,
    options_open: bool,
    notices: Vec<Notice>,
    error: Option<String>,
    result: Option<PathResult>,
}

impl PathPage {
    /// The form as the request filled it in, with no answer yet: both the
    /// shortest-path and the time-respecting pages start from it.
    fn filled(
        state: &AppState,
        title: String,
        p: &Params,
        r: &PathRequest,
        exclude: Vec<Check>,
        options_open: bool,
    ) -> PathPage {
        PathPage {
            layout: Layout::new(state, title),
            from: p.text("from"),
            to: p.text("to"),
            k: r.k.unwrap_or(1),
            max_k: Limits::WEB.max_k,
            all: r.all,
            plain: r.plain,
            max_hops: p.text("max_hops"),
            avoid: p.all("avoid").join(", "),
            at: p.text("at"),
            from_date: p.text(WINDOW_FROM),
            until: p.text("until"),
            directed: r.directed,
            chronological: r.chronological,
            allow_undated: r.allow_undated,
            exclude,
            options_open,
            notices: Vec::new(),
            error: None,
            result: None,
        }
    }
}

/// The parameters a path answer is made of, kept in its links (the ends
/// are given by id).
const KEPT: &[&str] = &[
    "k",
    "all",
    "plain",
    "exclude_kind",
    "avoid",
    "type",
    "at",
    WINDOW_FROM,
    "until",
    "undated",
    "max_hops",
    "directed",
    "chronological",
    "allow_undated",
];

/// Links to the answer as graph files and as JSON, keeping the page's
/// parameters, its ends by id.
fn answer_links(
    g: &Graph,
    p: &Params,
    from: u32,
    to: u32,
) -> (Vec<(&'static str, String)>, String) {
    let mut q = format!(
        "from={}&to={}",
        pct(g.entity(from).id()),
        pct(g.entity(to).id())
    );
    let kept = query_string(p, KEPT);
    if !kept.is_empty() {
        q.push('&');
        q.push_str(&kept);
    }
    let exports = ["gexf", "graphml", "gephi"]
        .into_iter()
        .map(|f| (f, format!("/export/path/{f}?{q}")))
        .collect();
    (exports, format!("/api/path?{q}"))
}

pub(crate) async fn path(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    page_on_pool(&state, &req, "a path page", path_page).await
}

fn path_page(state: &AppState, p: &Params) -> ReplyResult {
    let g = state.graph();
    let (from_s, to_s) = (p.text("from"), p.text("to"));
    let r = p.path()?;
    if r.chronological || r.allow_undated {
        return chrono_page(state, p, &r);
    }
    let refused = |e| WebError::request(&g, e);
    let q = r
        .options_with(&g, &Limits::WEB, WINDOW_FROM)
        .map_err(refused)?;
    let mut notices = Vec::new();
    let result = if from_s.is_empty() || to_s.is_empty() {
        None
    } else {
        let checked = match r.validate_with(&g, &Limits::WEB, WINDOW_FROM) {
            Err(RequestError {
                param,
                error: QueryError::Ambiguous { query, candidates },
            }) if param == "from" || param == "to" => {
                return choice_page(state, p, &param, query, candidates);
            }
            other => other.map_err(refused)?,
        };
        let PathsQuery {
            from, to, resolved, ..
        } = checked;
        notices = resolved
            .iter()
            .filter(|(_, r)| r.is_guess())
            .map(|(param, r)| Notice {
                query: r.query.clone(),
                chosen: EntLink::new(&g, r.entity),
                alternatives: r
                    .alternatives
                    .iter()
                    .map(|&a| {
                        let link = EntLink::new(&g, a);
                        // An avoided entity may be one of several; only
                        // the ends are swapped by a link.
                        let href = if *param == "avoid" {
                            format!("/entity/{}", pct(&link.id))
                        } else {
                            p.href_with("/path", param, &link.id)
                        };
                        (link, href)
                    })
                    .collect(),
            })
            .collect();
        let mut answer = paths(&g, from, to, &q);
        bound_paths(&mut answer, &Limits::WEB);
        let no_path = answer
            .paths
            .is_empty()
            .then(|| no_path_reason(&g, &answer, &q));
        let lift_href = (answer.paths.is_empty() && q.is_constrained()).then(|| {
            format!(
                "/path?from={}&to={}",
                pct(g.entity(from).id()),
                pct(g.entity(to).id())
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
                .map(|(i, path)| {
                    let cost = (answer.ranking == Ranking::Specific).then(|| path_cost(path.cost));
                    PathBlock::new(&g, path, i + 1, cost)
                })
                .collect(),
            no_path,
            lift_href,
            budget_exhausted: answer.budget_exhausted,
            truncated: answer.truncated,
            ranking_note: match (answer.ranking, answer.fell_back) {
                (Ranking::Specific, _) => {
                    "most specific first (crossing hubs and generic relations costs more)"
                }
                (Ranking::Plain, false) => "fewest hops first",
                (Ranking::Plain, true) => {
                    "fewest hops first (the most-specific search ran out of its budget on this graph)"
                }
            },
            folded: answer.folded,
            exports: Vec::new(),
            api_href: String::new(),
        })
    };
    let result = result.map(|mut res| {
        if !res.paths.is_empty() {
            let (from, to) = (g.entity_index(&res.from.id), g.entity_index(&res.to.id));
            if let (Some(from), Some(to)) = (from, to) {
                (res.exports, res.api_href) = answer_links(&g, p, from, to);
            }
        }
        res
    });
    let title = match &result {
        Some(r) => format!("Paths from {} to {}", r.from.name, r.to.name),
        None => "Path".to_string(),
    };
    let page = PathPage {
        notices,
        result,
        ..PathPage::filled(
            state,
            title,
            p,
            &r,
            kind_checks(&q.exclude_kinds),
            q.is_constrained(),
        )
    };
    render(&page)
}

/// A time-respecting path as the page's one path: each hop its one
/// relation, costed by hops, so the picture and the citation are drawn as
/// for shortest paths.
fn as_path(p: &ChronoPath) -> Path {
    Path {
        nodes: p.nodes.clone(),
        hops: p.hops.iter().map(|h| vec![h.relation]).collect(),
        cost: p.hops.len() as u64 * crate::query::weighted::COST_SCALE,
    }
}

/// The path page of a `chronological` request: the time-respecting path,
/// or the form as filled in with the refusal and a 400.
fn chrono_page(state: &AppState, p: &Params, r: &PathRequest) -> ReplyResult {
    let g = state.graph();
    let (from_s, to_s) = (p.text("from"), p.text("to"));
    let outcome = r.chrono_with(&g, &Limits::WEB, WINDOW_FROM).and_then(|q| {
        if from_s.is_empty() || to_s.is_empty() {
            return Ok(None);
        }
        let ends = r.validate_with(&g, &Limits::WEB, WINDOW_FROM)?;
        let found = chrono_path(&g, ends.from, ends.to, &q)?;
        Ok(Some((q, ends, found)))
    });
    let (result, error) = match outcome {
        Ok(None) => (None, None),
        Err(e) => (None, Some(WebError::request(&g, e).message)),
        Ok(Some((q, ends, found))) => {
            let (from, to) = (ends.from, ends.to);
            let path = found.as_ref().map(as_path);
            let (exports, api_href) = if found.is_some() {
                answer_links(&g, p, from, to)
            } else {
                (Vec::new(), String::new())
            };
            let no_path = found.is_none().then(|| {
                format!(
                    "no time-respecting path from {} to {} within {} hops{}",
                    g.entity(from).name(),
                    g.entity(to).name(),
                    q.max_hops,
                    if q.allow_undated {
                        ""
                    } else {
                        " (undated relations are not used; tick “allow undated hops” to use them)"
                    }
                )
            });
            let svg = match &path {
                Some(path) => svg::paths(
                    &g,
                    &PathAnswer {
                        from,
                        to,
                        paths: vec![path.clone()],
                        budget_exhausted: false,
                        truncated: false,
                        unconstrained_length: None,
                        ranking: Ranking::Plain,
                        folded: 0,
                        fell_back: false,
                    },
                ),
                None => String::new(),
            };
            let block = |path: &Path| PathBlock::new(&g, path, 1, None);
            let result = PathResult {
                from: EntLink::new(&g, from),
                to: EntLink::new(&g, to),
                svg,
                paths: path.iter().map(block).collect(),
                no_path,
                lift_href: found.is_none().then(|| {
                    format!(
                        "/path?from={}&to={}",
                        pct(g.entity(from).id()),
                        pct(g.entity(to).id())
                    )
                }),
                budget_exhausted: false,
                truncated: false,
                ranking_note: "time-respecting: every hop dated no earlier than the one before",
                folded: 0,
                exports,
                api_href,
            };
            (Some(result), None)
        }
    };
    let title = match &result {
        Some(r) => format!("Time-respecting path from {} to {}", r.from.name, r.to.name),
        None => "Path".to_string(),
    };
    let kinds = crate::query::parse_kinds("exclude_kind", &r.exclude_kinds).unwrap_or_default();
    let options_open = !kinds.is_empty()
        || r.directed
        || !r.avoid.is_empty()
        || r.max_hops.is_some()
        || !p.text("at").is_empty()
        || !p.text(WINDOW_FROM).is_empty()
        || !p.text("until").is_empty();
    let page = PathPage {
        error: error.clone(),
        result,
        ..PathPage::filled(state, title, p, r, kind_checks(&kinds), options_open)
    };
    render_form(&page, error.is_some())
}

/// The answer of a path request as a subgraph, and the file name stem
/// that says what it is: `jejaring-path-FROM-TO`, with `-chronological`
/// for a time-respecting path.
fn answer_subgraph(g: &Graph, p: &Params) -> Result<(Subgraph, String), WebError> {
    let r = p.path()?;
    let refused = |e| WebError::request(g, e);
    let (from, to, sub) = if r.chronological || r.allow_undated {
        let q = r
            .chrono_with(g, &Limits::WEB, WINDOW_FROM)
            .map_err(refused)?;
        let ends = r
            .validate_with(g, &Limits::WEB, WINDOW_FROM)
            .map_err(refused)?;
        let found = chrono_path(g, ends.from, ends.to, &q)
            .map_err(|e| WebError::query(g, "max_hops", e))?;
        let Some(found) = found else {
            return Err(WebError::not_found(
                format!(
                    "no time-respecting path from {} to {} within {} hops",
                    g.entity(ends.from).name(),
                    g.entity(ends.to).name(),
                    q.max_hops
                ),
                Vec::new(),
            ));
        };
        (ends.from, ends.to, chrono_subgraph(&found))
    } else {
        let q = r
            .validate_with(g, &Limits::WEB, WINDOW_FROM)
            .map_err(refused)?;
        let mut answer = paths(g, q.from, q.to, &q.query);
        bound_paths(&mut answer, &Limits::WEB);
        if answer.paths.is_empty() {
            return Err(WebError::not_found(
                no_path_reason(g, &answer, &q.query),
                Vec::new(),
            ));
        }
        (q.from, q.to, paths_subgraph(&answer))
    };
    let ids = [g.entity(from).id(), g.entity(to).id()];
    let mut stem = format!("jejaring-path-{}", file_part(&ids));
    if r.chronological {
        stem.push_str("-chronological");
    }
    Ok((sub, stem))
}

/// `/export/path/{format}`: the answer of a path request (every relation
/// of every path shown, or the time-respecting path) as a GEXF, GraphML
/// or Gephi (zip) file named after its ends,
/// `jejaring-path-komdigi-india.gexf`.
pub(crate) async fn path_export(
    state: web::Data<AppState>,
    format: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    answer_download(state, &req, &format, "a path export", move |g, p| {
        answer_subgraph(g, p)
    })
    .await
}

/// The page listing the candidates of an ambiguous end, each a link to the
/// same query with that candidate's id.
fn choice_page(
    state: &AppState,
    p: &Params,
    param: &str,
    query: String,
    candidates: Vec<Candidate>,
) -> ReplyResult {
    let choices = candidates
        .into_iter()
        .map(|c| Choice {
            href: p.href_with("/path", param, &c.id),
            candidate: c,
        })
        .collect();
    render(&ChoicePage {
        layout: Layout::new(state, format!("Which “{query}”?")),
        query,
        param: param.to_string(),
        choices,
    })
}
