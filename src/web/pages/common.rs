//! `/common`: what several entities have in common, with the form, the
//! table of shared entities and links to the answer as a graph file
//! (`/export/common/{format}`, named after the entities).

use actix_web::{HttpRequest, web};
use askama::Template;

use super::form::{file_part, query_string, render_form, type_checks};
use super::page_on_pool;
use super::{
    Check, EntLink, Layout, PageResult, RelRow, ReplyResult, answer_download, kind_checks,
};
use crate::export::Subgraph;
use crate::graph::Graph;
use crate::query::Limits;
use crate::query::analysis::graphs::common_subgraph;
use crate::query::analysis::{CommonAnswer, common};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};

/// The parameters a common answer is made of, kept in its links.
const KEPT: &[&str] = &[
    "entity",
    "depth",
    "kind",
    "type",
    "at",
    WINDOW_FROM,
    "until",
    "limit",
];

pub(crate) struct LinkRow {
    pub to: EntLink,
    pub distance: u32,
    pub rels: Vec<RelRow>,
    pub via: Vec<EntLink>,
    pub via_more: usize,
}

pub(crate) struct HitRow {
    pub ent: EntLink,
    pub distance: u32,
    pub degree: usize,
    pub links: Vec<LinkRow>,
}

pub(crate) struct CommonResult {
    pub given: Vec<EntLink>,
    pub hits: Vec<HitRow>,
    pub total: usize,
    /// (format name, link) of the answer as a graph file.
    pub exports: Vec<(&'static str, String)>,
    pub api_href: String,
}

#[derive(Template)]
#[template(path = "common.html")]
struct CommonPage {
    layout: Layout,
    entities: String,
    depth: String,
    kinds: Vec<Check>,
    types: Vec<Check>,
    at: String,
    from_date: String,
    until: String,
    limit: String,
    error: Option<String>,
    result: Option<CommonResult>,
}

/// Runs the query of a page or an export.
fn answer(g: &Graph, p: &Params) -> Result<(CommonAnswer, Subgraph), WebError> {
    let q = p
        .common()?
        .validate_with(g, &Limits::WEB, WINDOW_FROM)
        .map_err(|e| WebError::request(g, e))?;
    let a = common(g, &q.query).map_err(|e| WebError::query(g, "entities", e))?;
    let sub = common_subgraph(g, &q.query.filter, &a);
    Ok((a, sub))
}

pub(crate) async fn common_page(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    page_on_pool(&state, &req, "a common page", page).await
}

fn page(state: &AppState, p: &Params) -> ReplyResult {
    let g = state.graph();
    let given = p.all("entity");
    // A first visit, with no entities at all, is the empty form; one
    // entity is a request to refuse.
    let outcome = if given.is_empty() {
        Ok(None)
    } else {
        answer(&g, p).map(Some)
    };
    let kept = query_string(p, KEPT);
    let (result, error) = match outcome {
        Ok(None) => (None, None),
        Ok(Some((a, _))) => (
            Some(CommonResult {
                given: a.entities.iter().map(|&e| EntLink::new(&g, e)).collect(),
                hits: a
                    .hits
                    .iter()
                    .map(|h| HitRow {
                        ent: EntLink::new(&g, h.entity),
                        distance: h.distance,
                        degree: h.relations,
                        links: h
                            .links
                            .iter()
                            .zip(&a.entities)
                            .map(|(l, &to)| LinkRow {
                                to: EntLink::new(&g, to),
                                distance: l.distance,
                                rels: l.relations.iter().map(|&r| RelRow::new(&g, r)).collect(),
                                via: l.via.iter().map(|&v| EntLink::new(&g, v)).collect(),
                                via_more: l.via_total - l.via.len(),
                            })
                            .collect(),
                    })
                    .collect(),
                total: a.total,
                exports: ["gexf", "graphml", "gephi"]
                    .into_iter()
                    .map(|f| (f, format!("/export/common/{f}?{kept}")))
                    .collect(),
                api_href: format!("/api/common?{kept}"),
            }),
            None,
        ),
        Err(e) => (None, Some(e.message)),
    };
    let kinds = crate::query::parse_kinds("kind", &p.all("kind")).unwrap_or_default();
    let page = CommonPage {
        layout: Layout::new(state, "In common"),
        entities: given.join(", "),
        depth: p.get("depth").unwrap_or("1").to_string(),
        kinds: kind_checks(&kinds),
        types: type_checks(&g, &p.all("type")),
        at: p.text("at"),
        from_date: p.text(WINDOW_FROM),
        until: p.text("until"),
        limit: p.get("limit").unwrap_or("100").to_string(),
        error: error.clone(),
        result,
    };
    render_form(&page, error.is_some())
}

/// `/export/common/{format}`: the answer as a GEXF, GraphML or Gephi
/// (zip) file named after the entities, `jejaring-common-a-b.gexf`.
pub(crate) async fn common_export(
    state: web::Data<AppState>,
    format: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    answer_download(state, &req, &format, "a common export", move |g, p| {
        let (a, sub) = answer(g, p)?;
        let ids: Vec<&str> = a.entities.iter().map(|&e| g.entity(e).id()).collect();
        let stem = format!("jejaring-common-{}", file_part(&ids));
        Ok((sub, stem))
    })
    .await
}
