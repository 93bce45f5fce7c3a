//! `/sources` and `/source/{id}`: the documents, a page of the relations
//! each supports, and its text with the names in it linked.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::page_on_pool;
use super::{EntLink, Layout, PageResult, Pager, RelRow, ReplyResult, SourceLink, render};
use crate::query::Limits;
use crate::query::request::DEFAULT_PER_PAGE;
use crate::render::svg::pct;
use crate::view::PageInfo;
use crate::web::error::WebError;
use crate::web::params::Params;
use crate::web::pool::Reply;
use crate::web::{AppState, Highlighter, MAX_SOURCE_TEXT};

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage {
    layout: Layout,
    rows: Vec<(SourceLink, usize)>,
    pager: Pager,
}

/// Sources per page of the list unless asked otherwise.
const SOURCES_PER_PAGE: usize = 200;

pub(crate) async fn sources(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    let p = Params::from(&req)?;
    let g = state.graph();
    let paging = paging(&g, &p, SOURCES_PER_PAGE)?;
    let (range, info) =
        PageInfo::of(&paging, g.sources.len()).map_err(|e| WebError::request(&g, e))?;
    let shown = range.len();
    let rows = range
        .map(|s| {
            (
                SourceLink::new(&g, s as u32),
                g.relations_of_source(s as u32).len(),
            )
        })
        .collect();
    render(&SourcesPage {
        layout: Layout::new(&state, "Sources"),
        rows,
        pager: Pager::new("/sources", &p, info, shown),
    })
    .map(Reply::into_response)
}

/// `page` and `per_page` checked against the web's limits.
fn paging(
    g: &crate::graph::Graph,
    p: &Params,
    per_page: usize,
) -> Result<crate::query::Paging, WebError> {
    crate::query::Paging::checked(
        p.whole("page", 1)?,
        p.whole("per_page", per_page)?,
        &Limits::WEB,
    )
    .map_err(|e| WebError::request(g, e.into()))
}

/// A piece of a source text: plain, or a recognised entity name.
pub(crate) struct Segment {
    pub text: String,
    pub ent: Option<EntLink>,
}

#[derive(Template)]
#[template(path = "source.html")]
struct SourcePage {
    layout: Layout,
    src: SourceLink,
    language: String,
    file: String,
    rels: Vec<RelRow>,
    pager: Pager,
    text: Option<Vec<Segment>>,
    /// Bytes of the text not shown (past [`MAX_SOURCE_TEXT`]).
    text_cut: usize,
    mentioned: Vec<EntLink>,
}

pub(crate) async fn source(
    state: web::Data<AppState>,
    id: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let id = id.into_inner();
    page_on_pool(&state, &req, "a source page", move |st, p| {
        source_page(st, &id, p)
    })
    .await
}

fn source_page(state: &AppState, id: &str, p: &Params) -> ReplyResult {
    let g = state.graph();
    let Some(s) = g.source_index(id) else {
        return Err(WebError::not_found(
            format!("no source has the id \"{id}\" — the list of sources is at /sources"),
            Vec::new(),
        ));
    };
    let src = g.source(s);
    let rels = g.relations_of_source(s);
    let paging = paging(&g, p, DEFAULT_PER_PAGE)?;
    let (range, info) = PageInfo::of(&paging, rels.len()).map_err(|e| WebError::request(&g, e))?;
    let (text, text_cut) = match state.corpus.get(&*src.id) {
        None => (None, 0),
        Some(t) => {
            let shown = cut(t, MAX_SOURCE_TEXT);
            let d = state.derived(&g);
            (
                Some(highlight(&g, d.highlighter(&g), shown)),
                t.len() - shown.len(),
            )
        }
    };
    let mut mentioned: Vec<EntLink> = Vec::new();
    if let Some(segs) = &text {
        let mut seen = std::collections::BTreeSet::new();
        for seg in segs {
            if let Some(e) = &seg.ent
                && seen.insert(e.id.clone())
            {
                mentioned.push(e.clone());
            }
        }
    }
    let shown = range.len();
    render(&SourcePage {
        layout: Layout::new(state, src.title.to_string()),
        src: SourceLink::new(&g, s),
        language: src.language.to_string(),
        file: src.file.to_string(),
        rels: rels[range].iter().map(|&r| RelRow::new(&g, r)).collect(),
        pager: Pager::new(&format!("/source/{}", pct(id)), p, info, shown),
        text,
        text_cut,
        mentioned,
    })
}

/// The longest start of `text` of at most `max` bytes that ends at a
/// character boundary.
fn cut(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Splits a text into plain pieces and known entity names or aliases (see
/// [`Highlighter`]).
pub(crate) fn highlight(g: &crate::graph::Graph, h: &Highlighter, text: &str) -> Vec<Segment> {
    h.segments(text)
        .into_iter()
        .map(|(r, e)| Segment {
            text: text[r].to_string(),
            ent: e.map(|e| EntLink::new(g, e)),
        })
        .collect()
}
