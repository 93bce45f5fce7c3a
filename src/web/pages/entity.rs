//! `/entity/{id}`: one entity, its neighbourhood picture, and a page of its
//! relations — grouped by type, or sorted by date, neighbour name or the
//! neighbour's relation count, and narrowed to some types
//! (`sort`, `order`, `rel_type`; `query::table` does both).

use actix_web::{HttpRequest, web};
use askama::Template;

use super::page_on_pool;
use super::{
    EntLink, Layout, PageResult, Pager, RelRow, ReplyResult, TableControls, entity_by_id,
    neighbourhood_downloads, render,
};
use crate::graph::Graph;
use crate::query::request::DEFAULT_MAX_NODES;
use crate::query::table::{SortBy, TableRow, table};
use crate::query::{Limits, NeighbourhoodQuery, neighbourhood};
use crate::render::svg;
use crate::render::text::span;
use crate::view::PageInfo;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::Params;

/// A relation seen from one entity: the other party and the direction.
pub(crate) struct SideRow {
    pub other: EntLink,
    /// "→" when the relation points away from the entity, "←" towards it,
    /// "↔" when symmetric.
    pub arrow: &'static str,
    /// The other party's relation count in the whole graph.
    pub degree: usize,
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
    /// Relation type, how many relations of it are listed, and those on
    /// this page; one group with no type when sorted by anything else.
    groups: Vec<(String, usize, Vec<SideRow>)>,
    relation_count: usize,
    /// The table sorted otherwise than by type: one table with a type
    /// column.
    flat: bool,
    tc: TableControls,
    /// The picture's neighbourhood as downloads: `(label, href)`.
    downloads: Vec<(&'static str, String)>,
    pager: Pager,
}

fn side_rows(g: &Graph, e: u32, rows: &[TableRow]) -> Vec<SideRow> {
    rows.iter()
        .map(|&TableRow { rel, .. }| {
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
                degree: g.degree(other),
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
    let id = id.into_inner();
    page_on_pool(&state, &req, "an entity page", move |st, p| {
        entity_page(st, &id, p)
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
    let tq = p
        .table()
        .validate(&g)
        .map_err(|err| WebError::request(&g, err.into()))?;
    let ent = g.entity(e);
    let rels: Vec<u32> = g.relations_by_type(e).into_values().flatten().collect();
    let t = table(&g, e, &rels, |_| None, &tq);
    let (range, info) =
        PageInfo::of(&q.paging, t.rows.len()).map_err(|err| WebError::request(&g, err))?;
    let rows = &t.rows[range.clone()];
    let flat = tq.sort != SortBy::Type;
    // Sorted by type, the page's rows under their type's heading (with how
    // many the type has in the table); otherwise one table.
    let groups = if flat {
        vec![(String::new(), t.rows.len(), side_rows(&g, e, rows))]
    } else {
        let mut groups: Vec<(String, usize, Vec<SideRow>)> = Vec::new();
        for chunk in rows.chunk_by(|a, b| g.relation(a.rel).rel_type == g.relation(b.rel).rel_type)
        {
            let sym = g.relation(chunk[0].rel).rel_type;
            let listed = t
                .rows
                .iter()
                .filter(|r| g.relation(r.rel).rel_type == sym)
                .count();
            groups.push((g.str(sym).to_string(), listed, side_rows(&g, e, chunk)));
        }
        groups
    };
    let href = format!("/entity/{}", svg::pct(id));
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
        layout: Layout::new(state, ent.name().to_string()),
        ent: EntLink::new(&g, e),
        aliases: ent.aliases().iter().map(|a| a.to_string()).collect(),
        country: ent
            .country
            .map(|c| g.str(c).to_string())
            .unwrap_or_default(),
        lifetime: span(ent.start, ent.end),
        description: ent.description().to_string(),
        attributes: ent
            .attrs
            .iter()
            .map(|(k, v)| (g.str(*k).to_string(), v.to_string()))
            .collect(),
        svg: svg::neighbourhood(&g, &n),
        shown: n.nodes.len(),
        truncated: n.truncated,
        groups,
        relation_count: rels.len(),
        flat,
        tc: TableControls::new(&g, &href, p, &tq, &t),
        downloads: {
            // The picture's neighbourhood: one hop, the default node cap,
            // the table's types.
            let mut kept = vec![
                ("depth", "1".to_string()),
                ("max_nodes", DEFAULT_MAX_NODES.to_string()),
            ];
            kept.extend(p.all("rel_type").into_iter().map(|t| ("type", t)));
            neighbourhood_downloads(id, &kept)
        },
        pager: Pager::new(&href, p, info, shown_rows),
    };
    render(&page)
}
