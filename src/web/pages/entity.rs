//! `/entity/{id}`: one entity, its neighbourhood picture, and a page of its
//! relations grouped by type.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::{EntLink, Layout, PageResult, Pager, RelRow, ReplyResult, entity_by_id, render};
use crate::graph::Graph;
use crate::query::request::DEFAULT_MAX_NODES;
use crate::query::{Limits, NeighbourhoodQuery, neighbourhood};
use crate::render::svg;
use crate::render::text::span;
use crate::view::PageInfo;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::Params;
use crate::web::pool::heavy;

/// A relation seen from one entity: the other party and the direction.
pub(crate) struct SideRow {
    pub other: EntLink,
    /// "→" when the relation points away from the entity, "←" towards it,
    /// "↔" when symmetric.
    pub arrow: &'static str,
    pub rel: RelRow,
}

#[derive(Template)]
#[template(path = "entity.html")]
struct EntityPage {
    layout: Layout,
    ent: EntLink,
    aliases: Vec<String>,
    country: String,
    lifetime: String,
    description: String,
    attributes: Vec<(String, String)>,
    svg: String,
    shown: usize,
    truncated: bool,
    /// Relation type, how many relations of it in all, and those on this
    /// page.
    groups: Vec<(String, usize, Vec<SideRow>)>,
    relation_count: usize,
    pager: Pager,
}

fn side_rows(g: &Graph, e: u32, rels: &[u32]) -> Vec<SideRow> {
    rels.iter()
        .map(|&rel| {
            let r = g.relation(rel);
            let (other, arrow) = if g.is_symmetric(r.rel_type) {
                (if r.from == e { r.to } else { r.from }, "↔")
            } else if r.from == e {
                (r.to, "→")
            } else {
                (r.from, "←")
            };
            SideRow {
                other: EntLink::new(g, other),
                arrow,
                rel: RelRow::new(g, rel),
            }
        })
        .collect()
}

pub(crate) async fn entity(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let p = Params::from(&req)?;
    let st = AppState::clone(&state);
    let id = id.into_inner();
    heavy(&state, false, "an entity page", move || {
        entity_page(&st, &id, &p)
    })
    .await
}

fn entity_page(state: &AppState, id: &str, p: &Params) -> ReplyResult {
    let g = state.graph();
    let e = entity_by_id(&g, id)?;
    let q = p
        .entity(id)?
        .validate_with(&g, &Limits::WEB)
        .map_err(|err| WebError::request(&g, err))?;
    let ent = g.entity(e);
    let by_type = g.relations_by_type(e);
    let total: usize = by_type.values().map(Vec::len).sum();
    let (range, info) = PageInfo::of(&q.paging, total).map_err(|err| WebError::request(&g, err))?;
    // The page's slice of the relations listed type by type.
    let mut groups = Vec::new();
    let mut at = 0;
    for (t, rels) in &by_type {
        let (lo, hi) = (at, at + rels.len());
        at = hi;
        let (s, end) = (range.start.max(lo), range.end.min(hi));
        if s < end {
            groups.push((
                t.to_string(),
                rels.len(),
                side_rows(&g, e, &rels[s - lo..end - lo]),
            ));
        }
    }
    let n = neighbourhood(
        &g,
        e,
        &NeighbourhoodQuery {
            depth: 1,
            max_nodes: DEFAULT_MAX_NODES,
            ..Default::default()
        },
    );
    let shown_rows = range.len();
    let page = EntityPage {
        layout: Layout::new(state, format!("{} ({})", ent.name, ent.kind)),
        ent: EntLink::new(&g, e),
        aliases: ent.aliases.iter().map(|a| a.to_string()).collect(),
        country: ent
            .country
            .map(|c| g.str(c).to_string())
            .unwrap_or_default(),
        lifetime: span(ent.start, ent.end),
        description: ent.description.to_string(),
        attributes: ent
            .attrs
            .iter()
            .map(|(k, v)| (g.str(*k).to_string(), v.to_string()))
            .collect(),
        svg: svg::neighbourhood(&g, &n),
        shown: n.nodes.len(),
        truncated: n.truncated,
        groups,
        relation_count: total,
        pager: Pager::new(&format!("/entity/{}", svg::pct(id)), p, info, shown_rows),
    };
    render(&page)
}
