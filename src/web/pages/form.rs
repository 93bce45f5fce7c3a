//! What the analysis pages share: a refused request answers 400 with the
//! page and its form as filled in, so the user corrects the one field the
//! message names instead of starting again; and the query string of a
//! page, kept for its links (exports, API twin).

use actix_web::http::StatusCode;
use actix_web::http::header::HeaderName;

use askama::Template;

use super::{Check, PageResult, ReplyResult, render};
use crate::graph::Graph;
use crate::render::svg::pct;
use crate::web::params::Params;

/// The header by which a page built on the worker pool says that its form
/// was refused. A [`Reply`](crate::web::pool::Reply) carries no status of its own, as it is built
/// off the async workers, so the handler reads this mark, drops it and
/// sets the 400.
const REFUSED: HeaderName = HeaderName::from_static("x-jejaring-refused");

/// Renders a form page, marked as refused (a 400) when it carries the
/// request's error.
pub(super) fn render_form(page: &impl Template, refused: bool) -> ReplyResult {
    let mut reply = render(page)?;
    if refused {
        reply.headers.push((REFUSED, "1".to_string()));
    }
    Ok(reply)
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

/// The most characters one id gives to a file name part.
const FILE_PART_ID_MAX: usize = 40;

/// A file name part from entity ids: lower-case letters, digits and
/// single dashes only, so it is safe in a `Content-Disposition` header and
/// on every file system; each id gives at most [`FILE_PART_ID_MAX`]
/// characters, so the name stays short however long the ids.
pub(super) fn file_part(ids: &[&str]) -> String {
    ids.iter()
        .map(|id| {
            let mut slug = String::new();
            for c in id.chars() {
                if c.is_ascii_alphanumeric() {
                    slug.push(c.to_ascii_lowercase());
                } else if !slug.is_empty() && !slug.ends_with('-') {
                    slug.push('-');
                }
                if slug.len() >= FILE_PART_ID_MAX {
                    break;
                }
            }
            let slug = slug.trim_end_matches('-');
            if slug.is_empty() {
                "entity".to_string()
            } else {
                slug.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::file_part;

    #[test]
    fn file_parts_are_slugs_of_bounded_length() {
        assert_eq!(file_part(&["komdigi", "kominfo"]), "komdigi-kominfo");
        assert_eq!(
            file_part(&["Menteri «Ünal» 2", "東京"]),
            "menteri-nal-2-entity"
        );
        let long = "a".repeat(500);
        assert_eq!(file_part(&[&long, "b"]).len(), 40 + 2);
    }
}
