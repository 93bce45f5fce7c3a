//! `/timeline/{id}`: an entity's relations in date order, on an SVG time
//! axis and in a table with their sources; the undated ones after.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::form::{query_string, refused, type_checks, with_status};
use super::{Check, EntLink, Layout, PageResult, Pager, RelRow, ReplyResult, entity_by_id};
use super::{kind_checks, render};
use crate::query::Limits;
use crate::query::analysis::timeline;
use crate::render::svg::pct;
use crate::view::PageInfo;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};
use crate::web::pool::heavy;

pub(crate) struct TimelineResult {
    pub svg: String,
    pub dated: Vec<RelRow>,
    pub undated: Vec<RelRow>,
    pub api_href: String,
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
    let p = Params::from(&req)?;
    let st = AppState::clone(&state);
    let id = id.into_inner();
    with_status(heavy(&state, false, "a timeline page", move || page(&st, &id, &p)).await)
}

fn page(state: &AppState, id: &str, p: &Params) -> ReplyResult {
    let g = state.graph();
    let e = entity_by_id(&g, id)?;
    let outcome = p
        .timeline(id)?
        .validate_with(&g, &Limits::WEB, WINDOW_FROM)
        .map_err(|err| WebError::request(&g, err))
        .and_then(|q| {
            let whole = timeline(&g, q.entity, &q.filter)
                .map_err(|err| WebError::query(&g, "until", err))?;
            let (_, info) =
                PageInfo::of(&q.paging, whole.len()).map_err(|err| WebError::request(&g, err))?;
            let t = whole
                .page(&q.paging)
                .map_err(|err| WebError::request(&g, err))?;
            Ok((t, info))
        });
    let ent = EntLink::new(&g, e);
    let kept = query_string(p, &["kind", "type", "at", WINDOW_FROM, "until"]);
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
    let reply = render(&page)?;
    Ok(if error.is_some() {
        refused(reply)
    } else {
        reply
    })
}
