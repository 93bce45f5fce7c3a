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

use actix_web::{HttpRequest, web};
use askama::Template;

use super::AppState;
use super::error::WebError;
use super::params::{self, Params};
use super::pool::{Reply, heavy};
use crate::graph::Graph;
use crate::model::Kind;
use crate::render::svg::{self, pct};
use crate::render::text::span;
use crate::view::PageInfo;

type PageResult = Result<actix_web::HttpResponse, WebError>;
type ReplyResult = Result<Reply, WebError>;

/// What the base template needs on every page.
pub(super) struct Layout {
    /// The page's subject; the base template adds the site name
    /// (`<title>Komdigi — jejaring</title>`).
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

/// A page built on the worker pool from the request's parameters; a page
/// whose form was refused answers 400 ([`form::render_form`]).
pub(super) async fn page_on_pool(
    state: &AppState,
    req: &HttpRequest,
    what: &'static str,
    page: impl FnOnce(&AppState, &Params) -> ReplyResult + Send + 'static,
) -> PageResult {
    let p = Params::from(req)?;
    let st = AppState::clone(state);
    form::with_status(heavy(state, false, what, move || page(&st, &p)).await)
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
            id: ent.id().to_string(),
            name: ent.name().to_string(),
            kind: ent.kind.as_str(),
            symbol: svg::symbol(ent.kind),
            href: format!("/entity/{}", pct(ent.id())),
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

/// An answer's graph as a download, built on the worker pool: the format
/// is checked first (an answer is written as GEXF, GraphML or a Gephi
/// zip), then `answer` gives the subgraph and the file name's stem.
pub(super) async fn answer_download<F>(
    state: web::Data<AppState>,
    req: &HttpRequest,
    format: &str,
    what: &str,
    answer: F,
) -> PageResult
where
    F: FnOnce(&Graph, &Params) -> Result<(crate::export::Subgraph, String), WebError>
        + Send
        + 'static,
{
    use crate::export::ExportFormat;
    let p = Params::from(req)?;
    let fmt: ExportFormat = format.parse().map_err(|e| WebError::bad("format", e))?;
    if !matches!(
        fmt,
        ExportFormat::Gexf | ExportFormat::Graphml | ExportFormat::Gephi
    ) {
        return Err(WebError::bad(
            "format",
            "an answer is written as gexf, graphml or gephi",
        ));
    }
    let st = AppState::clone(&state);
    heavy(&state, false, what, move || {
        let g = st.graph();
        let (sub, stem) = answer(&g, &p)?;
        download(&g, fmt, &sub, Some(&stem))
    })
    .await
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

/// A relation type as a link that narrows a table to it.
pub(super) struct TypeLink {
    pub name: String,
    pub count: usize,
    pub href: String,
    pub current: bool,
}

/// A table order as a link.
pub(super) struct SortLink {
    pub label: &'static str,
    pub href: String,
    pub current: bool,
}

/// What sits above a relation table: its counts by type, each a link to
/// the table of that type alone, and links that sort it. Every link keeps
/// the page's other parameters and goes back to the first page.
pub(super) struct TableControls {
    pub types: Vec<TypeLink>,
    pub total: usize,
    pub all_href: String,
    /// Whether the table shows every type.
    pub all_current: bool,
    pub sorts: Vec<SortLink>,
    /// The same sort the other way round, and what that way is called.
    pub reverse_href: String,
    pub reverse_label: &'static str,
}

impl TableControls {
    pub(super) fn new(
        g: &Graph,
        path: &str,
        p: &Params,
        q: &crate::query::table::TableQuery,
        t: &crate::query::table::Table,
    ) -> TableControls {
        use crate::query::table::SortBy;
        let types = t
            .type_counts
            .iter()
            .map(|&(sym, count)| TypeLink {
                name: g.str(sym).to_string(),
                count,
                href: p.href_setting(path, &[("rel_type", g.str(sym))], &[]),
                current: q.types == [sym],
            })
            .collect();
        let sorts = [
            ("type", SortBy::Type),
            ("date", SortBy::Date),
            ("neighbour name", SortBy::Name),
            ("most connected", SortBy::Degree),
        ]
        .into_iter()
        .map(|(label, by)| SortLink {
            label,
            href: p.href_setting(path, &[("sort", by.as_str())], &["order"]),
            current: q.sort == by,
        })
        .collect();
        let (reverse, reverse_label) = match (q.sort, q.descending) {
            (SortBy::Date, false) => ("desc", "newest first"),
            (SortBy::Date, true) => ("asc", "oldest first"),
            (SortBy::Degree, true) => ("asc", "least connected first"),
            (SortBy::Degree, false) => ("desc", "most connected first"),
            (_, false) => ("desc", "Z to A"),
            (_, true) => ("asc", "A to Z"),
        };
        TableControls {
            types,
            total: t.type_counts.iter().map(|&(_, n)| n).sum(),
            all_href: p.href_setting(path, &[], &["rel_type"]),
            all_current: q.types.is_empty(),
            sorts,
            reverse_href: p.href_setting(
                path,
                &[("sort", q.sort.as_str()), ("order", reverse)],
                &[],
            ),
            reverse_label,
        }
    }
}

/// The most characters of a download's file name before its extension.
const MAX_STEM: usize = 96;

/// A file name part: lower-case ASCII letters and digits, runs of anything
/// else one dash, none at either end (empty if nothing is left).
pub(super) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The file name stem of a neighbourhood download, saying what it holds:
/// `jejaring-komdigi-depth2`, then the types, kinds and time of the
/// filters kept (`-works-for-person-2019-2021`), and the format where two
/// would share an extension (`-gephi`). At most [`MAX_STEM`] characters,
/// cut at a dash, safe in a `Content-Disposition` header and on every
/// file system.
pub(super) fn download_stem(id: &str, kept: &[(&str, String)], format: Option<&str>) -> String {
    fn values<'a>(kept: &'a [(&str, String)], name: &'a str) -> impl Iterator<Item = &'a String> {
        kept.iter().filter(move |(k, _)| *k == name).map(|(_, v)| v)
    }
    let value = |name: &'static str| values(kept, name);
    let mut parts = vec!["jejaring".to_string()];
    let mut id = slug(id);
    // The id may be long; the filters must still show.
    id.truncate(48);
    let id = id.trim_end_matches('-').to_string();
    parts.push(if id.is_empty() { "entity".into() } else { id });
    parts.push(format!(
        "depth{}",
        value("depth").next().map_or("1", String::as_str)
    ));
    for name in ["type", "kind", "through_type", "through_kind"] {
        parts.extend(value(name).map(|v| slug(v)));
    }
    if let Some(at) = value("at").next() {
        parts.push(format!("at-{}", slug(at)));
    }
    match (value(params::WINDOW_FROM).next(), value("until").next()) {
        (Some(f), Some(u)) => parts.push(format!("{}-to-{}", slug(f), slug(u))),
        (Some(f), None) => parts.push(format!("from-{}", slug(f))),
        (None, Some(u)) => parts.push(format!("until-{}", slug(u))),
        (None, None) => {}
    }
    parts.extend(format.map(str::to_string));
    let mut stem = parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if stem.len() > MAX_STEM {
        stem.truncate(MAX_STEM);
        if let Some(cut) = stem.rfind('-') {
            stem.truncate(cut);
        }
    }
    stem
}

/// The parameters a neighbourhood's downloads keep from a page: its walk
/// and filters, the table's types (`rel_type`) standing for the shown
/// types when given.
pub(super) fn kept_filters(p: &Params) -> Vec<(&'static str, String)> {
    let mut kept = Vec::new();
    for name in ["depth", "max_nodes"] {
        kept.extend(p.get(name).map(|v| (name, v.to_string())));
    }
    let table_types = p.all("rel_type");
    let types = if table_types.is_empty() {
        p.all("type")
    } else {
        table_types
    };
    kept.extend(types.into_iter().map(|v| ("type", v)));
    for name in ["kind", "through_kind", "through_type"] {
        kept.extend(p.all(name).into_iter().map(|v| (name, v)));
    }
    for name in ["at", params::WINDOW_FROM, "until", "undated"] {
        kept.extend(p.get(name).map(|v| (name, v.to_string())));
    }
    kept
}

/// Every download of a neighbourhood, `(label, href)`: each export format
/// at `/export/{format}?around=…` and the page's own relation CSV and SVG
/// picture, all keeping `kept`.
pub(super) fn neighbourhood_downloads(
    id: &str,
    kept: &[(&str, String)],
) -> Vec<(&'static str, String)> {
    use crate::export::ExportFormat;
    let query: String = kept
        .iter()
        .map(|(k, v)| format!("&{k}={}", pct(v)))
        .collect();
    let mut out: Vec<(&'static str, String)> = ExportFormat::ALL
        .iter()
        .map(|&f| {
            let label = match f {
                ExportFormat::Gexf => "GEXF",
                ExportFormat::Graphml => "GraphML",
                ExportFormat::Gephi => "Gephi CSV (zip)",
                ExportFormat::Json => "JSON",
                ExportFormat::Dot => "DOT",
                ExportFormat::Neo4j => "Neo4j CSV (zip)",
                ExportFormat::Ftm => "FollowTheMoney",
                ExportFormat::Parquet => "Parquet (zip)",
            };
            (
                label,
                format!("/export/{}?around={}{query}", f.as_str(), pct(id)),
            )
        })
        .collect();
    let page = format!("/neighbours/{}?", pct(id));
    let own = query.trim_start_matches('&');
    let sep = if own.is_empty() { "" } else { "&" };
    out.push(("CSV (relations)", format!("{page}{own}{sep}format=csv")));
    out.push(("SVG (picture)", format!("{page}{own}{sep}format=svg")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_stems_say_what_they_hold_and_stay_short() {
        let kept = |v: &[(&'static str, &str)]| -> Vec<(&'static str, String)> {
            v.iter().map(|&(k, v)| (k, v.to_string())).collect()
        };
        assert_eq!(
            download_stem("komdigi", &kept(&[("depth", "2")]), None),
            "jejaring-komdigi-depth2"
        );
        assert_eq!(
            download_stem(
                "Bank Indonesia/\"x\"",
                &kept(&[
                    ("type", "works_for"),
                    ("kind", "person"),
                    ("from_date", "2019"),
                    ("until", "2021-06")
                ]),
                Some("gephi"),
            ),
            "jejaring-bank-indonesia-x-depth1-works-for-person-2019-to-2021-06-gephi"
        );
        assert_eq!(
            download_stem("日本", &kept(&[("at", "2020-01-02")]), None),
            "jejaring-entity-depth1-at-2020-01-02"
        );
        let long = "a".repeat(300);
        let s = download_stem(&long, &kept(&[("depth", "3")]), None);
        assert!(s.len() <= MAX_STEM, "{s}");
        assert!(s.starts_with("jejaring") && !s.ends_with('-'));
    }
}
