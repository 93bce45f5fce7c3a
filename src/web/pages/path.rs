//! `/path`: shortest connections between two entities, hop by hop with
//! their receipts.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::{Check, EntLink, Layout, PageResult, RelRow, ReplyResult, kind_checks, render};
use crate::error::{Candidate, QueryError};
use crate::query::RequestError;
use crate::query::request::{PathsQuery, bound_paths};
use crate::query::{Limits, Ranking, paths};
use crate::render::svg::{self, pct};
use crate::render::text::{citation, no_path_reason, path_cost};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};
use crate::web::pool::heavy;

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
    exclude: Vec<Check>,
    options_open: bool,
    notices: Vec<Notice>,
    result: Option<PathResult>,
}

pub(crate) async fn path(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    let p = Params::from(&req)?;
    let st = AppState::clone(&state);
    heavy(&state, false, "a path page", move || path_page(&st, &p)).await
}

fn path_page(state: &AppState, p: &Params) -> ReplyResult {
    let g = state.graph();
    let (from_s, to_s) = (p.text("from"), p.text("to"));
    let r = p.path()?;
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
                    cost: (answer.ranking == Ranking::Specific).then(|| path_cost(path.cost)),
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
        k: r.k.unwrap_or(1),
        max_k: Limits::WEB.max_k,
        all: r.all,
        plain: r.plain,
        max_hops: p.text("max_hops"),
        avoid: p.all("avoid").join(", "),
        at: p.text("at"),
        from_date: p.text(WINDOW_FROM),
        until: p.text("until"),
        directed: q.directed,
        exclude: kind_checks(&q.exclude_kinds),
        options_open: q.is_constrained(),
        notices,
        result,
    };
    render(&page)
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
