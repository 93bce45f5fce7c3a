//! Query-string parameters, checked once at the edge: numbers in their
//! allowed range, dates, kinds, relation types. Every failure names the
//! parameter and what is allowed. Repeated parameters (`kind=a&kind=b`)
//! and comma-separated lists are both accepted.

use actix_web::HttpRequest;

use super::error::WebError;
use crate::graph::Graph;
use crate::model::{Date, Kind, Sym, TimeFilter};

pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn from(req: &HttpRequest) -> Result<Params, WebError> {
        Params::parse(req.query_string())
    }

    /// Decodes a raw query string (`a=1&b=%C3%A9`).
    pub fn parse(query: &str) -> Result<Params, WebError> {
        actix_web::web::Query::<Vec<(String, String)>>::from_query(query)
            .map(|q| Params(q.into_inner()))
            .map_err(|e| WebError::bad("query string", e))
    }

    /// The last non-empty value of a parameter, trimmed.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    /// Every value of a parameter, split at commas, non-empty.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("1" | "true" | "on" | "yes"))
    }

    /// A whole number in `min..=max`, or the default when absent.
    pub fn number(&self, name: &str, default: u64, min: u64, max: u64) -> Result<u64, WebError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.parse::<u64>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n),
                _ => Err(WebError::bad(
                    name,
                    format!("\"{v}\" is not allowed: give a whole number from {min} to {max}"),
                )),
            },
        }
    }

    pub fn date(&self, name: &str) -> Result<Option<Date>, WebError> {
        self.get(name)
            .map(|v| {
                v.parse::<Date>().map_err(|e| {
                    WebError::bad(name, format!("{e} (dates are YYYY, YYYY-MM or YYYY-MM-DD)"))
                })
            })
            .transpose()
    }

    pub fn kinds(&self, name: &str) -> Result<Vec<Kind>, WebError> {
        crate::query::parse_kinds(name, &self.all(name))
            .map_err(|e| WebError::bad(name, strip_param(name, &e.to_string())))
    }

    pub fn types(&self, g: &Graph, name: &str) -> Result<Vec<Sym>, WebError> {
        crate::query::parse_types(g, name, &self.all(name))
            .map_err(|e| WebError::bad(name, strip_param(name, &e.to_string())))
    }

    /// `at`, or a window `from`/`until`.
    pub fn time(&self) -> Result<TimeFilter, WebError> {
        let at = self.date("at")?;
        let from = self.date("from_date")?;
        let until = self.date("until")?;
        TimeFilter::from_options(at, from, until).map_err(|e| WebError::bad("at", e))
    }
}

fn strip_param(name: &str, msg: &str) -> String {
    msg.strip_prefix(&format!("{name}: "))
        .unwrap_or(msg)
        .to_string()
}

/// The names a parameter error may start with.
pub const PARAMETERS: &[&str] = &[
    "query string",
    "q",
    "limit",
    "page",
    "depth",
    "max_nodes",
    "kind",
    "type",
    "at",
    "from_date",
    "until",
    "k",
    "max_hops",
    "avoid",
    "exclude_kind",
    "from",
    "to",
    "around",
    "format",
];

/// Checks a raw query string the way every route does — search, sources,
/// neighbourhood, path (with its entities), export — without running a
/// query. For the `web_params` fuzz target and tests: it must never panic,
/// and every error must start with the name of a parameter in
/// [`PARAMETERS`].
pub fn check_params(g: &Graph, query: &str) -> Vec<Result<(), WebError>> {
    let p = match Params::parse(query) {
        Ok(p) => p,
        Err(e) => return vec![Err(e)],
    };
    vec![
        p.number("limit", 10, 1, 100).map(drop),
        p.number("page", 1, 1, 10).map(drop),
        super::pages::neighbourhood_query(g, &p, super::MAX_DEPTH).map(drop),
        super::pages::path_query(g, &p).map(drop),
        super::pages::resolve_param(g, &p, "from").map(drop),
        super::pages::resolve_param(g, &p, "to").map(drop),
        p.time().map(drop),
        p.text("format")
            .parse::<crate::export::ExportFormat>()
            .map(drop)
            .map_err(|e| WebError::bad("format", e)),
    ]
}
