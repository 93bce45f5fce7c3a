//! The HTML pages, one module per route family, each owning its handler
//! and template: `home` (home and search), `entity`, `neighbours`, `path`,
//! `sources` (the list and one source), `export`, and the analyses
//! `rank`, `common` (with its answer as a graph file), `timeline`,
//! `relations`, whose refused forms come back filled in with a 400 (`form`). This module holds what
//! they share: the layout, the link and row view models, the pager.
//! Handlers read parameters into the core's requests, make one call into
//! the core, and render; every string reaches the page through askama's
//! HTML escaping (the SVG pictures are escaped by their renderer).

pub(super) mod common;
pub(super) mod entity;
pub(super) mod export;
mod form;
pub(super) mod home;
pub(super) mod neighbours;
pub(super) mod path;
pub(super) mod rank;
pub(super) mod relations;
pub(super) mod sources;
pub(super) mod timeline;

use askama::Template;

use super::AppState;
use super::error::WebError;
use super::params::Params;
use super::pool::Reply;
use crate::graph::Graph;
use crate::model::Kind;
use crate::render::svg::{self, pct};
use crate::render::text::span;
use crate::view::PageInfo;

type PageResult = Result<actix_web::HttpResponse, WebError>;
type ReplyResult = Result<Reply, WebError>;

/// What the base template needs on every page.
pub(super) struct Layout {
    pub title: String,
    pub banner: Option<String>,
    /// The text of the header's search box.
    pub q: String,
    pub version: &'static str,
    /// Editing is on (`serve --edit`): the header links to `/edit`.
    pub edit: bool,
}

impl Layout {
    pub(super) fn plain(title: &str) -> Layout {
        Layout {
            title: title.to_string(),
            banner: None,
            q: String::new(),
            version: env!("CARGO_PKG_VERSION"),
            edit: false,
        }
    }
    pub(super) fn new(state: &AppState, title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            banner: state.banner(),
            q: String::new(),
            version: env!("CARGO_PKG_VERSION"),
            edit: state.edit.is_some(),
        }
    }
}

pub(super) fn render(t: &impl Template) -> ReplyResult {
    let html = t
        .render()
        .map_err(|e| WebError::internal(format!("the page could not be rendered: {e}")))?;
    Ok(Reply::html(html))
}

// ---- view models -------------------------------------------------------

/// An entity as a link.
#[derive(Clone)]
pub(super) struct EntLink {
    pub id: String,
    pub name: String,
    pub kind: &'static str,
    pub symbol: &'static str,
    pub href: String,
}

impl EntLink {
    pub(super) fn new(g: &Graph, e: u32) -> EntLink {
        let ent = g.entity(e);
        EntLink {
            id: ent.id.to_string(),
            name: ent.name.to_string(),
            kind: ent.kind.as_str(),
            symbol: svg::symbol(ent.kind),
            href: format!("/entity/{}", pct(&ent.id)),
        }
    }
}

pub(super) struct SourceLink {
    pub id: String,
    pub title: String,
    /// Publisher and date.
    pub meta: String,
    pub url: Option<String>,
    pub href: String,
}

impl SourceLink {
    pub(super) fn new(g: &Graph, s: u32) -> SourceLink {
        let src = g.source(s);
        let mut meta = Vec::new();
        if !src.publisher.is_empty() {
            meta.push(src.publisher.to_string());
        }
        if let Some(d) = src.published {
            meta.push(d.to_string());
        }
        SourceLink {
            id: src.id.to_string(),
            title: src.title.to_string(),
            meta: meta.join(", "),
            url: src.link().map(str::to_string),
            href: format!("/source/{}", pct(&src.id)),
        }
    }
}

/// One relation with its receipts.
pub(super) struct RelRow {
    pub rel_type: String,
    pub from: EntLink,
    pub to: EntLink,
    pub role: String,
    pub when: String,
    pub evidence: String,
    pub source: SourceLink,
    pub symmetric: bool,
}

impl RelRow {
    pub(super) fn new(g: &Graph, rel: u32) -> RelRow {
        let r = g.relation(rel);
        RelRow {
            rel_type: g.str(r.rel_type).to_string(),
            from: EntLink::new(g, r.from),
            to: EntLink::new(g, r.to),
            role: r.role.map(|s| g.str(s).to_string()).unwrap_or_default(),
            when: if r.start.is_none() && r.end.is_none() {
                "undated".to_string()
            } else {
                span(r.start, r.end)
            },
            evidence: g.evidence(rel),
            source: SourceLink::new(g, r.source),
            symmetric: g.is_symmetric(r.rel_type),
        }
    }
}

pub(super) struct Check {
    pub value: String,
    pub checked: bool,
}

pub(super) fn kind_checks(selected: &[Kind]) -> Vec<Check> {
    Kind::ALL
        .iter()
        .map(|k| Check {
            value: k.as_str().to_string(),
            checked: selected.contains(k),
        })
        .collect()
}

/// An entity by its exact id (the URL path): 404 with near names.
pub(super) fn entity_by_id(g: &Graph, id: &str) -> Result<u32, WebError> {
    g.entity_index(id).ok_or_else(|| {
        let e = crate::error::QueryError::NotFound {
            query: id.to_string(),
            suggestions: Vec::new(),
        };
        let mut err = WebError::query(g, "entity", e);
        err.message = format!("no entity has the id \"{id}\"");
        err
    })
}

/// Where a page of a long list sits, with links to its neighbours that
/// keep every other parameter.
pub(super) struct Pager {
    pub info: PageInfo,
    /// 1-based positions of the first and last item shown.
    pub first: usize,
    pub last: usize,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

impl Pager {
    pub(super) fn new(path: &str, p: &Params, info: PageInfo, shown: usize) -> Pager {
        let first = if info.per_page == 0 {
            1
        } else {
            (info.page - 1) * info.per_page + 1
        };
        Pager {
            info,
            first,
            last: first + shown.saturating_sub(1),
            prev_href: (info.page > 1).then(|| p.href_with_page(path, info.page - 1)),
            next_href: (info.page < info.pages).then(|| p.href_with_page(path, info.page + 1)),
        }
    }
}

/// A subgraph written as a download: named `stem.extension` when a stem is
/// given, else by the export's own file name. Writing to memory fails only
/// on a fault of the server (a broken writer, a full temporary disk), never
/// on what was asked: a 500, logged with its cause, while the client gets
/// no internals.
pub(super) fn download(
    g: &Graph,
    fmt: crate::export::ExportFormat,
    sub: &crate::export::Subgraph,
    stem: Option<&str>,
) -> ReplyResult {
    download_with(g, fmt, sub, None, stem)
}

/// [`download`] with the entities' metrics as columns.
pub(super) fn download_with(
    g: &Graph,
    fmt: crate::export::ExportFormat,
    sub: &crate::export::Subgraph,
    metrics: Option<&crate::export::Metrics>,
    stem: Option<&str>,
) -> ReplyResult {
    let d = crate::export::download_with(g, fmt, sub, metrics).map_err(|e| {
        tracing::error!("the {} export failed: {e}", fmt.as_str());
        WebError::internal(format!(
            "the {} export could not be written; the error was logged",
            fmt.as_str()
        ))
    })?;
    let name = match stem {
        Some(stem) => format!("{stem}.{}", fmt.extension()),
        None => d.file_name.clone(),
    };
    Ok(Reply {
        content_type: d.content_type,
        body: d.bytes,
        headers: vec![(
            actix_web::http::header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"",
                name.replace(['"', '\\', '\r', '\n'], "_")
            ),
        )],
    })
}
