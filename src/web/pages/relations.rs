//! `/relations`: relations by type, role and time, a page at a time
//! ("every signing in 2025"). `/export/relations/{format}` is the page
//! shown as a graph file: its relations and the entities at their ends,
//! named after the types asked (`jejaring-relations-signed.gexf`).

use actix_web::{HttpRequest, web};
use askama::Template;

use super::form::{file_part, query_string, render_form, type_checks};
use super::page_on_pool;
use super::{Check, Layout, PageResult, RelRow, ReplyResult, answer_download};
use crate::graph::Graph;
use crate::query::Limits;
use crate::query::analysis::graphs::relations_subgraph;
use crate::query::analysis::{RelationList, relations};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};

/// The parameters of a listing, kept in its links.
const KEPT: &[&str] = &["type", "role", "at", WINDOW_FROM, "until", "limit"];

pub(crate) struct RelationsResult {
    pub rels: Vec<RelRow>,
    pub total: usize,
    pub first: usize,
    pub last: usize,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    pub api_href: String,
    /// (format name, link) of this page as a graph file.
    pub exports: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "relations.html")]
struct RelationsPage {
    layout: Layout,
    types: Vec<Check>,
    role: String,
    at: String,
    from_date: String,
    until: String,
    limit: String,
    error: Option<String>,
    result: Option<RelationsResult>,
}

pub(crate) async fn relations_page(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    page_on_pool(&state, &req, "a relations page", page).await
}

/// The page of relations a request asks for, and the page size.
fn answer(g: &Graph, p: &Params) -> Result<(RelationList, usize), WebError> {
    let q = p
        .relations()?
        .validate_with(g, &Limits::WEB, WINDOW_FROM)
        .map_err(|e| WebError::request(g, e))?;
    let list = relations(g, &q).map_err(|e| WebError::query(g, "limit", e))?;
    Ok((list, q.limit))
}

fn page(state: &AppState, p: &Params) -> ReplyResult {
    let g = state.graph();
    let kept = query_string(p, KEPT);
    let outcome = answer(&g, p).map(|(list, limit)| {
        let at = |offset: usize| format!("/relations?{kept}&offset={offset}");
        let shown = list.relations.len();
        RelationsResult {
            rels: list.relations.iter().map(|&r| RelRow::new(&g, r)).collect(),
            total: list.total,
            first: list.offset + 1.min(shown),
            last: list.offset + shown,
            prev_href: (list.offset > 0).then(|| at(list.offset.saturating_sub(limit))),
            next_href: (list.offset + shown < list.total).then(|| at(list.offset + shown)),
            api_href: format!("/api/relations?{kept}&offset={}", list.offset),
            exports: ["gexf", "graphml", "gephi"]
                .into_iter()
                .map(|f| {
                    (
                        f,
                        format!("/export/relations/{f}?{kept}&offset={}", list.offset),
                    )
                })
                .collect(),
        }
    });
    let (result, error) = match outcome {
        Ok(r) => (Some(r), None),
        Err(e) => (None, Some(e.message)),
    };
    let page = RelationsPage {
        layout: Layout::new(state, "Relations"),
        types: type_checks(&g, &p.all("type")),
        role: p.text("role"),
        at: p.text("at"),
        from_date: p.text(WINDOW_FROM),
        until: p.text("until"),
        limit: p.get("limit").unwrap_or("100").to_string(),
        error: error.clone(),
        result,
    };
    render_form(&page, error.is_some())
}

/// `/export/relations/{format}`: a page of a relation listing (the same
/// parameters as the page) as a GEXF, GraphML or Gephi (zip) file.
pub(crate) async fn relations_export(
    state: web::Data<AppState>,
    format: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    answer_download(state, &req, &format, "a relations export", move |g, p| {
        let (list, _) = answer(g, p)?;
        let sub = relations_subgraph(g, &list.relations, &[]);
        let types = p.all("type");
        let what: Vec<&str> = if types.is_empty() {
            vec!["all"]
        } else {
            types.iter().map(String::as_str).collect()
        };
        let stem = format!("jejaring-relations-{}", file_part(&what));
        Ok((sub, stem))
    })
    .await
}
