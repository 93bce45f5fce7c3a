//! `/api/*`: the JSON of the same queries as the pages, in the CLI's
//! shapes ([`crate::view`]) and with the same parameters. Errors are JSON
//! `{"error", "status", "suggestions"}`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::error::WebError;
use super::guard::{Reply, heavy};
use super::pages::{entity_by_id, neighbourhood_query, path_query, resolve_param};
use super::params::Params;
use super::{AppState, MAX_DEPTH};
use crate::query::search::{SearchQuery, find};
use crate::query::{neighbourhood, paths};
use crate::view::{EntityView, NeighboursView, PathsView, SearchView, StatsView};

type ApiResult = Result<HttpResponse, WebError>;

pub async fn search(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    let p = Params::from(&req).map_err(WebError::json)?;
    let g = state.graph();
    let q = p.text("q");
    let limit = p.number("limit", 10, 1, 100).map_err(WebError::json)? as usize;
    let kinds = p.kinds("kind").map_err(WebError::json)?;
    let answer = find(
        &g,
        &SearchQuery {
            text: q.clone(),
            kinds,
            limit,
        },
    );
    Ok(HttpResponse::Ok().json(SearchView::new(&g, &q, &answer)))
}

pub async fn entity(state: web::Data<AppState>, id: web::Path<String>) -> ApiResult {
    let g = state.graph();
    let e = entity_by_id(&g, &id).map_err(WebError::json)?;
    Ok(HttpResponse::Ok().json(EntityView::new(&g, e)))
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
        let e = entity_by_id(&g, &id)?;
        let q = neighbourhood_query(&g, &p, MAX_DEPTH)?;
        let n = neighbourhood(&g, e, &q);
        Reply::json(&NeighboursView::new(&g, &n))
    })
    .await
}

pub async fn path(state: web::Data<AppState>, req: HttpRequest) -> ApiResult {
    let p = Params::from(&req).map_err(WebError::json)?;
    let g = state.graph();
    heavy(&state, true, "/api/path", move || {
        let from = resolve_param(&g, &p, "from")?;
        let to = resolve_param(&g, &p, "to")?;
        let q = path_query(&g, &p)?;
        let answer = paths(&g, from, to, &q);
        Reply::json(&PathsView::new(&g, &answer))
    })
    .await
}

pub async fn stats(state: web::Data<AppState>) -> ApiResult {
    let g = state.graph();
    Ok(HttpResponse::Ok().json(StatsView::new(&g)))
}
