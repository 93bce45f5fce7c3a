//! `/neighbours/{id}`: the entities within some hops of one, filtered, and
//! a page of the relations among them.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::{Check, EntLink, Layout, PageResult, Pager, RelRow, ReplyResult, entity_by_id};
use super::{kind_checks, render};
use crate::query::{Limits, neighbourhood};
use crate::render::svg::{self, pct};
use crate::view::PageInfo;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};
use crate::web::pool::heavy;

#[derive(Template)]
#[template(path = "neighbours.html")]
struct NeighboursPage {
    layout: Layout,
    ent: EntLink,
    depth: u32,
    max_depth: u32,
    max_nodes: usize,
    kinds: Vec<Check>,
    types: Vec<Check>,
    at: String,
    from_date: String,
    until: String,
    svg: String,
    nodes: Vec<(EntLink, u32)>,
    rels: Vec<RelRow>,
    truncated: bool,
    export_href: String,
    pager: Pager,
}

pub async fn neighbours(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let p = Params::from(&req)?;
    let st = AppState::clone(&state);
    let id = id.into_inner();
    heavy(&state, false, "a neighbours page", move || {
        neighbours_page(&st, &id, &p)
    })
    .await
}

fn neighbours_page(state: &AppState, id: &str, p: &Params) -> ReplyResult {
    let g = state.graph();
    entity_by_id(&g, id)?;
    let q = p
        .neighbours(id)?
        .validate_with(&g, &Limits::WEB, WINDOW_FROM)
        .map_err(|e| WebError::request(&g, e))?;
    let n = neighbourhood(&g, q.center, &q.query);
    let (range, info) =
        PageInfo::of(&q.paging, n.edges.len()).map_err(|e| WebError::request(&g, e))?;
    let chosen_types: Vec<String> = p.all("type");
    let ent = EntLink::new(&g, q.center);
    let href = format!("/neighbours/{}", pct(&ent.id));
    let page = NeighboursPage {
        layout: Layout::new(state, format!("Neighbours of {}", ent.name)),
        export_href: format!(
            "/export/dot?around={}&depth={}",
            pct(&ent.id),
            q.query.depth
        ),
        ent,
        depth: q.query.depth,
        max_depth: Limits::WEB.max_depth.unwrap_or(u32::MAX),
        max_nodes: q.query.max_nodes,
        kinds: kind_checks(&q.query.filter.kinds),
        types: g
            .type_counts()
            .into_iter()
            .map(|(t, _)| Check {
                value: t.to_string(),
                checked: chosen_types.iter().any(|c| c == t),
            })
            .collect(),
        at: p.text("at"),
        from_date: p.text(WINDOW_FROM),
        until: p.text("until"),
        svg: svg::neighbourhood(&g, &n),
        nodes: n
            .nodes
            .iter()
            .map(|&(x, d)| (EntLink::new(&g, x), d))
            .collect(),
        rels: n.edges[range.clone()]
            .iter()
            .map(|&r| RelRow::new(&g, r))
            .collect(),
        truncated: n.truncated,
        pager: Pager::new(&href, p, info, range.len()),
    };
    render(&page)
}
