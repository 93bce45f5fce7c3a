//! What the analysis pages share: a refused request answers 400 with the
//! page and its form as filled in, so the user corrects the one field the
//! message names instead of starting again; and the query string of a
//! page, kept for its links (exports, API twin).

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderName;

use super::{Check, PageResult};
use crate::graph::Graph;
use crate::render::svg::pct;
use crate::web::params::Params;
use crate::web::pool::Reply;

/// The header by which a page built on the worker pool says that its form
/// was refused. A [`Reply`] carries no status of its own, as it is built
/// off the async workers, so the handler reads this mark, drops it and
/// sets the 400.
const REFUSED: HeaderName = HeaderName::from_static("x-jejaring-refused");

/// Marks a page rendered around a refused request.
pub(super) fn refused(mut reply: Reply) -> Reply {
    reply.headers.push((REFUSED, "1".to_string()));
    reply
}

/// A page's response with the status its reply asked for.
pub(super) fn with_status(res: PageResult) -> PageResult {
    let mut res = res?;
    if res.headers_mut().remove(REFUSED).next().is_some() {
        *res.status_mut() = StatusCode::BAD_REQUEST;
    }
    Ok(res)
}

/// The relation types as boxes to tick, those given ticked.
pub(super) fn type_checks(g: &Graph, chosen: &[String]) -> Vec<Check> {
    g.type_counts()
        .into_iter()
        .map(|(t, _)| Check {
            value: t.to_string(),
            checked: chosen.iter().any(|c| c == t),
        })
        .collect()
}

/// The page's query string as given (`a=1&b=2`, each part re-encoded), for
/// links that keep every filter.
pub(super) fn query_string(p: &Params, names: &[&str]) -> String {
    let mut out = String::new();
    for name in names {
        for v in p.all(name) {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(name);
            out.push('=');
            out.push_str(&pct(&v));
        }
    }
    out
}

/// A file name part from entity ids: lower-case letters, digits and
/// dashes only, so it is safe in a `Content-Disposition` header and on
/// every file system.
pub(super) fn file_part(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| {
            id.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_lowercase()
                    } else {
                        '-'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}
