//! `/rank`: entities ranked by degree, PageRank, betweenness or a column
//! sum, with the form to choose the measure and filters.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::form::{query_string, render_form, type_checks};
use super::page_on_pool;
use super::{Check, EntLink, Layout, PageResult, ReplyResult, kind_checks};
use crate::query::Limits;
use crate::query::analysis::rank;
use crate::render::text::score;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};

pub(crate) struct RankRow {
    pub rank: usize,
    pub ent: EntLink,
    pub score: String,
    /// `± standard error` of a sampled estimate.
    pub spread: String,
}

pub(crate) struct RankResult {
    pub rows: Vec<RankRow>,
    pub total: usize,
    pub samples: Option<usize>,
}

#[derive(Template)]
#[template(path = "rank.html")]
struct RankPage {
    layout: Layout,
    by: String,
    kinds: Vec<Check>,
    types: Vec<Check>,
    at: String,
    from_date: String,
    until: String,
    limit: String,
    samples: String,
    seed: String,
    error: Option<String>,
    result: Option<RankResult>,
    api_href: String,
    /// (format name, link) of the graph at the page's time, each entity
    /// with its degree, PageRank and component.
    exports: Vec<(&'static str, String)>,
}

pub(crate) async fn rank_page(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    page_on_pool(&state, &req, "a rank page", page).await
}

fn page(state: &AppState, p: &Params) -> ReplyResult {
    let g = state.graph();
    let by = p.get("by").unwrap_or("degree").to_string();
    let outcome = p.rank().and_then(|r| {
        let q = r
            .validate_with(&g, &Limits::WEB, WINDOW_FROM)
            .map_err(|e| WebError::request(&g, e))?;
        let a = rank(&g, &q).map_err(|e| WebError::query(&g, "by", e))?;
        Ok(RankResult {
            rows: a
                .entries
                .iter()
                .map(|r| RankRow {
                    rank: r.rank,
                    ent: EntLink::new(&g, r.entity),
                    score: score(r.score),
                    spread: r
                        .std_error
                        .map(|e| format!("± {}", score(e)))
                        .unwrap_or_default(),
                })
                .collect(),
            total: a.total,
            samples: a.samples,
        })
    });
    let (result, error) = match outcome {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.message)),
    };
    let kinds = crate::query::parse_kinds("kind", &p.all("kind")).unwrap_or_default();
    let page = RankPage {
        layout: Layout::new(state, format!("Entities by {by}")),
        by,
        kinds: kind_checks(&kinds),
        types: type_checks(&g, &p.all("type")),
        at: p.text("at"),
        from_date: p.text(WINDOW_FROM),
        until: p.text("until"),
        limit: p
            .get("limit")
            .map_or_else(|| "20".to_string(), str::to_string),
        samples: p.text("samples"),
        seed: p.text("seed"),
        api_href: format!(
            "/api/rank?{}",
            query_string(
                p,
                &[
                    "by",
                    "kind",
                    "type",
                    "at",
                    WINDOW_FROM,
                    "until",
                    "limit",
                    "samples",
                    "seed"
                ]
            )
        ),
        exports: {
            let time = query_string(p, &["at", WINDOW_FROM, "until"]);
            ["gexf", "graphml", "gephi", "json"]
                .into_iter()
                .map(|f| {
                    let sep = if time.is_empty() { "" } else { "&" };
                    (f, format!("/export/{f}?with_metrics=1{sep}{time}"))
                })
                .collect()
        },
        error: error.clone(),
        result,
    };
    render_form(&page, error.is_some())
}
