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
use crate::query::request::bound_paths;
use crate::query::search::find;
use crate::query::{Limits, neighbourhood, paths};
use crate::view::{EntityView, NeighboursView, PathsView, SearchView, StatsView, resolved_args};

type ApiResult = Result<HttpResponse, WebError>;

pub async fn search(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    let p = Params::from(&req).map_err(WebError::json)?;
    let g = state.graph();
    let r = p.search().map_err(WebError::json)?;
    let q = r
        .validate_with(&Limits::WEB)
        .map_err(|e| WebError::request(&g, e).json())?;
    let answer = find(&g, &q);
    Reply::json(&SearchView::new(&g, &r.q, &answer)).map(Reply::into_response)
}

pub async fn entity(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult {
    let p = Params::from(&req).map_err(WebError::json)?;
    let g = state.graph();
    let id = id.into_inner();
    heavy(&state, true, "/api/entity", move || {
        entity_by_id(&g, &id)?;
        let q = p
            .entity(&id)?
            .validate_with(&g, &Limits::WEB)
            .map_err(|e| WebError::request(&g, e))?;
        let mut view =
            EntityView::page(&g, q.entity, &q.paging).map_err(|e| WebError::request(&g, e))?;
        view.resolved = Some(resolved_args(&g, &q.resolved));
        Reply::json(&view)
    })
    .await
}

pub async fn neighbours(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> ApiResult {
    let p = Params::from(&req).map_err(WebError::json)?;
    let g = state.graph();
    let id = id.into_inner();
    heavy(&state, true, "/api/neighbours", move || {
        entity_by_id(&g, &id)?;
        let q = p
            .neighbours(&id)?
            .validate_with(&g, &Limits::WEB, WINDOW_FROM)
            .map_err(|e| WebError::request(&g, e))?;
        let n = neighbourhood(&g, q.center, &q.query);
        let mut view =
            NeighboursView::page(&g, &n, &q.paging).map_err(|e| WebError::request(&g, e))?;
        view.resolved = Some(resolved_args(&g, &q.resolved));
        Reply::json(&view)
    })
    .await
}

pub async fn path(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    let p = Params::from(&req).map_err(WebError::json)?;
    let g = state.graph();
    heavy(&state, true, "/api/path", move || {
        let q = p
            .path()?
            .validate_with(&g, &Limits::WEB, WINDOW_FROM)
            .map_err(|e| WebError::request(&g, e))?;
        let mut answer = paths(&g, q.from, q.to, &q.query);
        bound_paths(&mut answer, &Limits::WEB);
        let mut view = PathsView::new(&g, &answer);
        view.resolved = Some(resolved_args(&g, &q.resolved));
        Reply::json(&view)
    })
    .await
}

pub async fn stats(state: web::Data<AppState>) -> ApiResult {
    let g = state.graph();
    Ok(HttpResponse::Ok().json(StatsView::new(&g)))
}
