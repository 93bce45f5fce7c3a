//! `/timeline/{id}`: an entity's relations in date order, on an SVG time
//! axis and in a table with their sources; the undated ones after.
//! `/export/timeline/{id}/{format}` is the page shown as a graph file: the
//! entity, its relations on that page and the entities at their other
//! ends, named `jejaring-timeline-ID.gexf`.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::form::{file_part, query_string, render_form, type_checks};
use super::page_on_pool;
use super::{Check, EntLink, Layout, PageResult, Pager, RelRow, ReplyResult, entity_by_id};
use super::{answer_download, kind_checks};
use crate::graph::Graph;
use crate::query::Limits;
use crate::query::analysis::graphs::relations_subgraph;
use crate::query::analysis::{Timeline, timeline};
use crate::render::svg::pct;
use crate::view::PageInfo;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};

pub(crate) struct TimelineResult {
    pub svg: String,
    pub dated: Vec<RelRow>,
    pub undated: Vec<RelRow>,
    pub api_href: String,
    /// (format name, link) of this page as a graph file.
    pub exports: Vec<(&'static str, String)>,
    /// Where this page sits in the whole timeline.
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage {
    layout: Layout,
    ent: EntLink,
    kinds: Vec<Check>,
    types: Vec<Check>,
    at: String,
    from_date: String,
    until: String,
    error: Option<String>,
    result: Option<TimelineResult>,
}

pub(crate) async fn timeline_page(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let id = id.into_inner();
    page_on_pool(&state, &req, "a timeline page", move |st, p| {
        page(st, &id, p)
    })
    .await
}

/// The parameters a timeline page is made of, kept in its links.
const KEPT: &[&str] = &["kind", "type", "at", WINDOW_FROM, "until"];

/// The page of the timeline a request asks for, and where it sits.
fn answer(g: &Graph, id: &str, p: &Params) -> Result<(Timeline, PageInfo), WebError> {
    let q = p
        .timeline(id)?
        .validate_with(g, &Limits::WEB, WINDOW_FROM)
        .map_err(|err| WebError::request(g, err))?;
    let whole = timeline(g, q.entity, &q.filter).map_err(|err| WebError::query(g, "until", err))?;
    let (_, info) =
        PageInfo::of(&q.paging, whole.len()).map_err(|err| WebError::request(g, err))?;
    let t = whole
        .page(&q.paging)
        .map_err(|err| WebError::request(g, err))?;
    Ok((t, info))
}

fn page(state: &AppState, id: &str, p: &Params) -> ReplyResult {
    let g = state.graph();
    let e = entity_by_id(&g, id)?;
    let outcome = answer(&g, id, p);
    let ent = EntLink::new(&g, e);
    let kept = query_string(p, KEPT);
    // The download is of the page shown.
    let paged = query_string(p, &["page", "per_page"]);
    let export_query = match (kept.is_empty(), paged.is_empty()) {
        (_, true) => kept.clone(),
        (true, false) => paged,
        (false, false) => format!("{kept}&{paged}"),
    };

    let (result, error) = match outcome {
        Ok((t, info)) => (
            Some(TimelineResult {
                pager: Pager::new(&format!("/timeline/{}", pct(&ent.id)), p, info, t.len()),
                svg: crate::render::timeline::timeline(&g, &t),
                dated: t
                    .dated
                    .iter()
                    .map(|x| RelRow::new(&g, x.relation))
                    .collect(),
                undated: t
                    .undated
                    .iter()
                    .map(|x| RelRow::new(&g, x.relation))
                    .collect(),
                api_href: format!("/api/timeline/{}?{kept}", pct(&ent.id)),
                exports: ["gexf", "graphml", "gephi"]
                    .into_iter()
                    .map(|f| {
                        (
                            f,
                            format!("/export/timeline/{}/{f}?{export_query}", pct(&ent.id)),
                        )
                    })
                    .collect(),
            }),
            None,
        ),
        Err(err) => (None, Some(err.message)),
    };
    let kinds = crate::query::parse_kinds("kind", &p.all("kind")).unwrap_or_default();
    let page = TimelinePage {
        layout: Layout::new(state, format!("Timeline of {}", ent.name)),
        ent,
        kinds: kind_checks(&kinds),
        types: type_checks(&g, &p.all("type")),
        at: p.text("at"),
        from_date: p.text(WINDOW_FROM),
        until: p.text("until"),
        error: error.clone(),
        result,
    };
    render_form(&page, error.is_some())
}

/// `/export/timeline/{id}/{format}`: a page of an entity's timeline (the
/// same parameters as the page) as a GEXF, GraphML or Gephi (zip) file.
pub(crate) async fn timeline_export(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    req: HttpRequest,
) -> PageResult {
    let (id, format) = path.into_inner();
    answer_download(state, &req, &format, "a timeline export", move |g, p| {
        let e = entity_by_id(g, &id)?;
        let (t, _) = answer(g, &id, p)?;
        let rels: Vec<u32> = t
            .dated
            .iter()
            .chain(&t.undated)
            .map(|x| x.relation)
            .collect();
        let sub = relations_subgraph(g, &rels, &[e]);
        let stem = format!("jejaring-timeline-{}", file_part(&[g.entity(e).id()]));
        Ok((sub, stem))
    })
    .await
}
