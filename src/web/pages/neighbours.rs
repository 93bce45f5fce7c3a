//! `/neighbours/{id}`: the entities within some hops of one, filtered, and
//! a page of the relations among them (sorted and narrowed to some types
//! like the entity page's, by `query::table`); with `format=csv|dot|svg`, the same
//! answer as a download (the CLI's renderings), so a download of a
//! filtered view keeps every filter.

use actix_web::http::header;
use actix_web::{HttpRequest, web};
use askama::Template;

use super::page_on_pool;
use super::{Check, EntLink, Layout, PageResult, Pager, RelRow, ReplyResult, entity_by_id};
use super::{
    TableControls, download_stem, kept_filters, kind_checks, neighbourhood_downloads, render,
};
use crate::graph::Graph;
use crate::query::request::neighbourhood_page_cap;
use crate::query::table::table;
use crate::query::{Limits, Neighbourhood, neighbourhood};
use crate::render;
use crate::render::svg::{self, pct};
use crate::render::text::{count, removed};
use crate::view::PageInfo;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};
use crate::web::pool::Reply;

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
    through_kinds: Vec<Check>,
    through_types: Vec<Check>,
    exclude_undated: bool,
    /// What the filters took out, as a sentence (empty: nothing).
    filtered: String,
    summary: String,
    at: String,
    from_date: String,
    until: String,
    svg: String,
    /// The canvas's data (JSON escaped for a script element).
    canvas: String,
    nodes: Vec<(EntLink, u32)>,
    rels: Vec<RelRow>,
    tc: TableControls,
    truncated: bool,
    /// The same query as downloads: `(label, href)`.
    downloads: Vec<(&'static str, String)>,
    pager: Pager,
}

pub(crate) async fn neighbours(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let id = id.into_inner();
    page_on_pool(&state, &req, "a neighbours page", move |st, p| {
        neighbours_page(st, &id, p)
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
    if let Some(format) = p.get("format") {
        return download(&g, &n, format, p);
    }
    let tq = p
        .table()
        .validate(&g)
        .map_err(|e| WebError::request(&g, e.into()))?;
    let hops: rustc_hash::FxHashMap<u32, u32> = n.nodes.iter().copied().collect();
    let t = table(&g, q.center, &n.edges, |e| hops.get(&e).copied(), &tq);
    let (range, info) =
        PageInfo::of(&q.paging, t.rows.len()).map_err(|e| WebError::request(&g, e))?;
    let ent = EntLink::new(&g, q.center);
    let href = format!("/neighbours/{}", pct(&ent.id));
    let type_checks = |param: &str| -> Vec<Check> {
        let chosen = p.all(param);
        g.type_counts()
            .into_iter()
            .map(|(t, _)| Check {
                value: t.to_string(),
                checked: chosen.iter().any(|c| c == t),
            })
            .collect()
    };
    let page = NeighboursPage {
        layout: Layout::new(state, format!("Neighbours of {}", ent.name)),
        downloads: neighbourhood_downloads(&ent.id, &kept_filters(p)),
        summary: format!(
            "{} and {} within {}.",
            count(n.nodes.len(), "entity", "entities"),
            count(n.edges.len(), "relation", "relations"),
            count(q.query.depth as usize, "hop", "hops")
        ),
        filtered: removed(&n.removed).unwrap_or_default(),
        ent,
        depth: q.query.depth,
        max_depth: Limits::WEB.max_depth.unwrap_or(u32::MAX),
        max_nodes: q.query.max_nodes,
        kinds: kind_checks(&q.query.filter.kinds),
        types: type_checks("type"),
        through_kinds: kind_checks(&q.query.through.kinds),
        through_types: type_checks("through_type"),
        exclude_undated: q.query.filter.exclude_undated,
        at: p.text("at"),
        from_date: p.text(WINDOW_FROM),
        until: p.text("until"),
        svg: svg::neighbourhood(&g, &n),
        canvas: crate::web::explore::canvas_data(
            &g,
            &n,
            neighbourhood_page_cap(&Limits::WEB, q.query.max_nodes).unwrap_or(usize::MAX),
        ),
        nodes: n
            .nodes
            .iter()
            .map(|&(x, d)| (EntLink::new(&g, x), d))
            .collect(),
        rels: t.rows[range.clone()]
            .iter()
            .map(|row| RelRow::new(&g, row.rel))
            .collect(),
        tc: TableControls::new(&g, &href, p, &tq, &t),
        truncated: n.truncated,
        pager: Pager::new(&href, p, info, range.len()),
    };
    render(&page)
}

/// The answer in a download format, named after its centre and filters.
fn download(g: &Graph, n: &Neighbourhood, format: &str, p: &Params) -> ReplyResult {
    let nodes: Vec<u32> = n.nodes.iter().map(|&(e, _)| e).collect();
    let written = |r: std::io::Result<String>| {
        r.map_err(|e| WebError::internal(format!("the download could not be written: {e}")))
    };
    let (content_type, ext, body) = match format {
        "csv" => (
            "text/csv; charset=utf-8",
            "csv",
            written(render::csv::relations(
                g,
                n.edges.iter().map(|&r| (None, r)),
            ))?,
        ),
        "dot" => (
            "text/vnd.graphviz; charset=utf-8",
            "dot",
            written(render::dot(g, &nodes, &n.edges))?,
        ),
        "svg" => ("image/svg+xml", "svg", svg::neighbourhood(g, n)),
        other => {
            return Err(WebError::bad(
                "format",
                format!("\"{other}\" is not allowed: give csv, dot or svg"),
            ));
        }
    };
    let mut kept = kept_filters(p);
    if !kept.iter().any(|(k, _)| *k == "depth") {
        kept.push(("depth", n.depth.to_string()));
    }
    let stem = download_stem(g.entity(n.center).id(), &kept, None);
    Ok(Reply {
        content_type,
        body: body.into_bytes(),
        headers: vec![(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.{ext}\""),
        )],
    })
}
