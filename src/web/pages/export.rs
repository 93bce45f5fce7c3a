//! `/export/{format}`: the graph at a time, or the neighbourhood of one
//! entity (`around`, at most [`Limits::WEB`]'s node cap), as a download;
//! `with_metrics=1` adds each entity's degree, PageRank and component, as
//! measured on the part downloaded (gexf, graphml, gephi, json, neo4j).
//! A neighbourhood's file is named after its centre and filters
//! (`jejaring-komdigi-depth2.gexf`).

use actix_web::{HttpRequest, web};

use super::{PageResult, ReplyResult, download_stem, download_with, kept_filters};
use crate::export::{ExportFormat, Subgraph};
use crate::query::analysis::metrics;
use crate::query::{Limits, neighbourhood};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};
use crate::web::pool::heavy;

pub(crate) async fn export(
    state: web::Data<AppState>,
    format: web::Path<String>,
    req: HttpRequest,
) -> PageResult {
    let p = Params::from(&req)?;
    let st = AppState::clone(&state);
    let format = format.into_inner();
    heavy(&state, false, "an export", move || {
        export_file(&st, &format, &p)
    })
    .await
}

fn export_file(state: &AppState, format: &str, p: &Params) -> ReplyResult {
    let g = state.graph();
    let fmt: ExportFormat = format.parse().map_err(|e| WebError::bad("format", e))?;
    let with_metrics = p.flag("with_metrics");
    if with_metrics {
        fmt.check_metrics()
            .map_err(|e| WebError::bad("with_metrics", e))?;
    }
    let q = p
        .export()?
        .validate_with(&g, &Limits::WEB, WINDOW_FROM)
        .map_err(|e| WebError::request(&g, e))?;
    let (sub, stem) = match &q.around {
        Some((center, nq)) => {
            let mut kept = kept_filters(p);
            if !kept.iter().any(|(k, _)| *k == "depth") {
                kept.push(("depth", nq.depth.to_string()));
            }
            let shared_extension = fmt.is_folder().then_some(fmt.as_str());
            let stem = download_stem(g.entity(*center).id(), &kept, shared_extension);
            (Subgraph::of(&neighbourhood(&g, *center, nq)), Some(stem))
        }
        None => (Subgraph::slice(&g, &q.slice()), None),
    };
    let measured = with_metrics.then(|| metrics(&g, &sub));
    download_with(&g, fmt, &sub, measured.as_ref(), stem.as_deref())
}
