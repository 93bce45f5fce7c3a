//! `/api/*`: the JSON of the same queries as the pages, in the CLI's
//! shapes ([`crate::view`]), from the same requests with the same
//! parameters; the CLI's `--format json` of the same request is byte for
//! byte the same. Errors are JSON `{"error", "status", "suggestions"}`.
//! Everything but search and stats runs on the worker pool.

use actix_web::{HttpRequest, HttpResponse, web};

use super::AppState;
use super::error::WebError;
use super::pages::entity_by_id;
use super::params::{Params, WINDOW_FROM};
use super::pool::{Reply, heavy};
use crate::graph::Graph;
use crate::query::analysis;
use crate::query::request::bound_paths;
use crate::query::search::find;
use crate::query::{Limits, neighbourhood, paths};
use crate::view::{
    ChronoPathView, CommonView, EntityView, NeighboursView, PathsView, RankView, RelationsView,
    SearchView, StatsView, TimelineView, resolved_args,
};

type ApiResult = Result<HttpResponse, WebError>;

/// One API query on the worker pool: the parameters read first (a bad one
/// is a JSON 400 before any work is queued), then `answer` with the graph
/// of the moment, its errors as JSON.
async fn on_pool<F>(
    state: web::Data<AppState>,
    req: &HttpRequest,
    route: &str,
    answer: F,
) -> ApiResult
where
    F: FnOnce(&Graph, Params) -> Result<Reply, WebError> + Send + 'static,
{
    let p = Params::from(req).map_err(WebError::json)?;
    let g = state.graph();
    heavy(&state, true, route, move || answer(&g, p)).await
}

pub(super) async fn search(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    let p = Params::from(&req).map_err(WebError::json)?;
    let g = state.graph();
    let r = p.search().map_err(WebError::json)?;
    let q = r
        .validate_with(&Limits::WEB)
        .map_err(|e| WebError::request(&g, e).json())?;
    let answer = find(&g, &q);
    Reply::json(&SearchView::new(&g, &r.q, &answer)).map(Reply::into_response)
}

pub(super) async fn entity(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult {
    let id = id.into_inner();
    on_pool(state, &req, "/api/entity", move |g, p| {
        entity_by_id(g, &id)?;
        let q = p
            .entity(&id)?
            .validate_with(g, &Limits::WEB)
            .map_err(|e| WebError::request(g, e))?;
        let mut view =
            EntityView::page(g, q.entity, &q.paging).map_err(|e| WebError::request(g, e))?;
        view.resolved = Some(resolved_args(g, &q.resolved));
        Reply::json(&view)
    })
    .await
}

pub(super) async fn neighbours(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult {
    let id = id.into_inner();
    on_pool(state, &req, "/api/neighbours", move |g, p| {
        entity_by_id(g, &id)?;
        let q = p
            .neighbours(&id)?
            .validate_with(g, &Limits::WEB, WINDOW_FROM)
            .map_err(|e| WebError::request(g, e))?;
        let n = neighbourhood(g, q.center, &q.query);
        let mut view =
            NeighboursView::page(g, &n, &q.paging).map_err(|e| WebError::request(g, e))?;
        view.resolved = Some(resolved_args(g, &q.resolved));
        Reply::json(&view)
    })
    .await
}

pub(super) async fn path(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    on_pool(state, &req, "/api/path", move |g, p| {
        let r = p.path()?;
        if r.chronological || r.allow_undated {
            return chrono_path(g, &r);
        }
        let q = r
            .validate_with(g, &Limits::WEB, WINDOW_FROM)
            .map_err(|e| WebError::request(g, e))?;
        let mut answer = paths(g, q.from, q.to, &q.query);
        bound_paths(&mut answer, &Limits::WEB);
        let mut view = PathsView::new(g, &answer);
        view.resolved = Some(resolved_args(g, &q.resolved));
        Reply::json(&view)
    })
    .await
}

pub(super) async fn stats(state: web::Data<AppState>) -> ApiResult {
    let g = state.graph();
    Ok(HttpResponse::Ok().json(StatsView::new(&g)))
}

/// `/api/rank`: entities ranked by a measure.
pub(super) async fn rank(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    on_pool(state, &req, "/api/rank", move |g, p| {
        let q = p
            .rank()?
            .validate_with(g, &Limits::WEB, WINDOW_FROM)
            .map_err(|e| WebError::request(g, e))?;
        let answer = analysis::rank(g, &q).map_err(|e| WebError::query(g, "by", e))?;
        Reply::json(&RankView::new(g, &q.by, &answer))
    })
    .await
}

/// `/api/common`: what several entities (`entity=a&entity=b`) share.
pub(super) async fn common(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    on_pool(state, &req, "/api/common", move |g, p| {
        let q = p
            .common()?
            .validate_with(g, &Limits::WEB, WINDOW_FROM)
            .map_err(|e| WebError::request(g, e))?;
        let answer =
            analysis::common(g, &q.query).map_err(|e| WebError::query(g, "entities", e))?;
        Reply::json(&CommonView::new(g, q.query.depth, &answer).resolved(g, &q.resolved))
    })
    .await
}

/// `/api/timeline/{id}`: an entity's relations in date order.
pub(super) async fn timeline(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult {
    let id = id.into_inner();
    on_pool(state, &req, "/api/timeline", move |g, p| {
        entity_by_id(g, &id)?;
        let q = p
            .timeline(&id)?
            .validate_with(g, &Limits::WEB, WINDOW_FROM)
            .map_err(|e| WebError::request(g, e))?;
        let t = analysis::timeline(g, q.entity, &q.filter)
            .map_err(|e| WebError::query(g, "until", e))?;
        let mut view = TimelineView::page(g, &t, &q.paging).map_err(|e| WebError::request(g, e))?;
        view.resolved = Some(resolved_args(g, &q.resolved));
        Reply::json(&view)
    })
    .await
}

/// `/api/relations`: a page of relations by type, role and time.
pub(super) async fn relations(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    on_pool(state, &req, "/api/relations", move |g, p| {
        let q = p
            .relations()?
            .validate_with(g, &Limits::WEB, WINDOW_FROM)
            .map_err(|e| WebError::request(g, e))?;
        let list = analysis::relations(g, &q).map_err(|e| WebError::query(g, "limit", e))?;
        Reply::json(&RelationsView::new(g, &list, q.limit))
    })
    .await
}

/// `/api/path?chronological=1`: the shortest time-respecting path, in
/// the shape `path --chronological --format json` prints.
fn chrono_path(
    g: &crate::graph::Graph,
    r: &crate::query::request::PathRequest,
) -> Result<Reply, WebError> {
    let q = r
        .chrono_with(g, &Limits::WEB, WINDOW_FROM)
        .map_err(|e| WebError::request(g, e))?;
    let ends = r
        .validate_with(g, &Limits::WEB, WINDOW_FROM)
        .map_err(|e| WebError::request(g, e))?;
    let found = analysis::chrono_path(g, ends.from, ends.to, &q)
        .map_err(|e| WebError::query(g, "max_hops", e))?;
    let mut view = ChronoPathView::new(g, ends.from, ends.to, found.as_ref());
    view.resolved = Some(resolved_args(g, &ends.resolved));
    Reply::json(&view)
}
