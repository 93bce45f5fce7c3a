//! `/export/{format}`: the graph at a time, or the neighbourhood of one
//! entity (`around`, at most [`Limits::WEB`]'s node cap), as a download.

use actix_web::http::header;
use actix_web::{HttpRequest, web};

use super::{PageResult, ReplyResult};
use crate::export::{self, ExportFormat, Subgraph};
use crate::query::{Limits, neighbourhood};
use crate::web::AppState;
use crate::web::error::WebError;
use crate::web::params::{Params, WINDOW_FROM};
use crate::web::pool::{Reply, heavy};

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
    let q = p
        .export()?
        .validate_with(&g, &Limits::WEB, WINDOW_FROM)
        .map_err(|e| WebError::request(&g, e))?;
    let sub = match &q.around {
        Some((center, nq)) => Subgraph::of(&neighbourhood(&g, *center, nq)),
        None => Subgraph::slice(&g, &q.slice()),
    };
    // Writing to memory fails only on a fault of the server (a broken
    // writer, a full temporary disk), never on what was asked: a 500,
    // logged with its cause, while the client gets no internals.
    let d = export::download(&g, fmt, &sub).map_err(|e| {
        tracing::error!("the {} export failed: {e}", fmt.as_str());
        WebError::internal(format!(
            "the {} export could not be written; the error was logged",
            fmt.as_str()
        ))
    })?;
    Ok(Reply {
        content_type: d.content_type,
        body: d.bytes,
        headers: vec![(
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}\"",
                d.file_name.replace(['"', '\\', '\r', '\n'], "_")
            ),
        )],
    })
}
