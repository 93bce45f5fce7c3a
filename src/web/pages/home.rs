//! `/` and `/search`: what the data holds, and finding a name.

use actix_web::{HttpRequest, web};
use askama::Template;

use super::{Check, EntLink, Layout, PageResult, kind_checks, render};
use crate::query::Limits;
use crate::query::search::find;
use crate::render::svg;
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::Params;
use crate::web::pool::{Reply, heavy};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    entities: usize,
    relations: usize,
    sources: usize,
    by_kind: Vec<(String, &'static str, usize)>,
    agreements: Vec<(String, EntLink)>,
    people: Vec<(EntLink, usize)>,
    institutions: Vec<(EntLink, usize)>,
}

/// The home page: its lists are derived once per graph; on the pool,
/// since the first request after a load derives them.
pub(crate) async fn home(state: web::Data<AppState>) -> PageResult {
    let st = AppState::clone(&state);
    heavy(&state, false, "the home page", move || {
        let g = st.graph();
        let d = st.derived(&g);
        let h = &d.home;
        let links = |v: &[(u32, usize)]| {
            v.iter()
                .map(|&(e, n)| (EntLink::new(&g, e), n))
                .collect::<Vec<_>>()
        };
        render(&HomePage {
            layout: Layout::new(&st, "Who is connected to whom"),
            entities: g.entities.len(),
            relations: g.relations.len(),
            sources: g.sources.len(),
            by_kind: h
                .by_kind
                .iter()
                .map(|&(k, n)| (k.as_str().to_string(), svg::symbol(k), n))
                .collect(),
            agreements: h
                .agreements
                .iter()
                .map(|&(d, e)| {
                    (
                        d.map(|d| d.to_string()).unwrap_or_else(|| "undated".into()),
                        EntLink::new(&g, e),
                    )
                })
                .collect(),
            people: links(&h.people),
            institutions: links(&h.institutions),
        })
    })
    .await
}

pub(crate) struct HitRow {
    pub ent: EntLink,
    pub matched: Option<String>,
    pub aliases: String,
    pub description: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    /// Every match, of which `hits` are the first.
    total: usize,
    /// The kind filter, as checkboxes.
    kinds: Vec<Check>,
    /// More hits, when the list was cut at the limit.
    more_href: Option<String>,
    hits: Vec<HitRow>,
    suggestions: Vec<EntLink>,
}

pub(crate) async fn search(state: web::Data<AppState>, req: HttpRequest) -> PageResult {
    let p = Params::from(&req)?;
    let g = state.graph();
    let r = p.search()?;
    let sq = r
        .validate_with(&Limits::WEB)
        .map_err(|e| WebError::request(&g, e))?;
    let q = r.q.clone();
    let answer = find(&g, &sq);
    let view = crate::view::SearchView::new(&g, &q, &answer);
    let rows: Vec<HitRow> = answer
        .hits
        .iter()
        .zip(view.hits.iter())
        .map(|(h, v)| HitRow {
            ent: EntLink::new(&g, h.entity),
            matched: v.matched.map(str::to_string),
            aliases: v.aliases.join(" · "),
            description: v.description.to_string(),
        })
        .collect();
    let suggestions = answer
        .nearest
        .iter()
        .map(|h| EntLink::new(&g, h.entity))
        .collect();
    let mut layout = Layout::new(
        &state,
        if q.is_empty() {
            "Search".to_string()
        } else {
            format!("“{q}” — search")
        },
    );
    layout.q = q.clone();
    let kind_params: String = sq
        .kinds
        .iter()
        .map(|k| format!("&kind={}", k.as_str()))
        .collect();
    render(&SearchPage {
        layout,
        more_href: (answer.total > rows.len() && r.limit < Limits::WEB.max_limit).then(|| {
            format!(
                "/search?q={}{kind_params}&limit={}",
                crate::render::svg::pct(&q),
                Limits::WEB.max_limit
            )
        }),
        total: answer.total,
        kinds: kind_checks(&sq.kinds),
        q,
        hits: rows,
        suggestions,
    })
    .map(Reply::into_response)
}
