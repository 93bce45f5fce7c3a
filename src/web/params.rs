//! Query-string parameters, checked once at the edge: numbers in their
//! allowed range, dates, kinds, relation types. Every failure names the
//! parameter and what is allowed. Repeated parameters (`kind=a&kind=b`)
//! and comma-separated lists are both accepted.

use actix_web::HttpRequest;

use super::error::WebError;
use crate::graph::Graph;
use crate::query::Limits;
use crate::query::analysis::{CommonRequest, RankRequest, RelationsRequest, TimelineRequest};
use crate::query::request::{
    EntityRequest, ExportRequest, NeighboursRequest, PathRequest, SearchRequest, TimeRequest,
};
use crate::query::table::TableRequest;
use crate::render::svg::pct;

pub(super) struct Params(Vec<(String, String)>);

impl Params {
    pub(super) fn from(req: &HttpRequest) -> Result<Params, WebError> {
        Params::parse(req.query_string())
    }

    /// Decodes a raw query string (`a=1&b=%C3%A9`).
    pub(super) fn parse(query: &str) -> Result<Params, WebError> {
        actix_web::web::Query::<Vec<(String, String)>>::from_query(query)
            .map(|q| Params(q.into_inner()))
            .map_err(|e| WebError::bad("query string", e))
    }

    /// The last non-empty value of a parameter, trimmed.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    pub(super) fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or_default().to_string()
    }

    /// Every value of a parameter, split at commas, non-empty.
    pub(super) fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// A link to `path` with these parameters but another page.
    pub(super) fn href_with_page(&self, path: &str, page: usize) -> String {
        let mut href = path.to_string();
        let mut sep = '?';
        for (k, v) in self.0.iter().filter(|(k, _)| k != "page") {
            href.push(sep);
            href.push_str(&pct(k));
            href.push('=');
            href.push_str(&pct(v));
            sep = '&';
        }
        href.push(sep);
        href.push_str(&format!("page={page}"));
        href
    }

    /// A link to `path` with these parameters, those named in `set` set to
    /// their values (an empty value leaves the parameter out) and those in
    /// `drop` left out, back at the first page.
    pub(super) fn href_setting(&self, path: &str, set: &[(&str, &str)], drop: &[&str]) -> String {
        let mut href = path.to_string();
        let mut sep = '?';
        let kept = self.0.iter().filter(|(k, _)| {
            k != "page" && !drop.contains(&k.as_str()) && !set.iter().any(|(n, _)| n == k)
        });
        let given = set
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|&(k, v)| (k, v));
        for (k, v) in kept.map(|(k, v)| (k.as_str(), v.as_str())).chain(given) {
            href.push(sep);
            href.push_str(&pct(k));
            href.push('=');
            href.push_str(&pct(v));
            sep = '&';
        }
        href
    }

    /// A relation table's order and types (`sort`, `order`, `rel_type`).
    pub(super) fn table(&self) -> TableRequest {
        TableRequest {
            sort: self.maybe("sort"),
            order: self.maybe("order"),
            types: self.all("rel_type"),
        }
    }

    /// A link to `path` with these parameters, one set to `value` (and
    /// no page, since the link is to the whole answer).
    pub(super) fn href_with(&self, path: &str, name: &str, value: &str) -> String {
        let mut href = path.to_string();
        let mut sep = '?';
        for (k, v) in self.0.iter().filter(|(k, _)| k != name && k != "page") {
            href.push(sep);
            href.push_str(&pct(k));
            href.push('=');
            href.push_str(&pct(v));
            sep = '&';
        }
        href.push(sep);
        href.push_str(&pct(name));
        href.push('=');
        href.push_str(&pct(value));
        href
    }

    pub(super) fn flag(&self, name: &str) -> bool {
        matches!(self.get(name), Some("1" | "true" | "on" | "yes"))
    }

    /// A whole number as given, or the default when absent; its range is
    /// the request's to check.
    pub(super) fn whole<T: std::str::FromStr>(
        &self,
        name: &str,
        default: T,
    ) -> Result<T, WebError> {
        Ok(self.optional(name)?.unwrap_or(default))
    }

    fn optional<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, WebError> {
        self.get(name)
            .map(|v| {
                v.parse::<T>().map_err(|_| {
                    WebError::bad(name, format!("\"{v}\" is not allowed: give a whole number"))
                })
            })
            .transpose()
    }

    fn maybe(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_string)
    }

    /// `at`, or a window `from_date`/`until` (`from` is a path's start).
    pub(super) fn time(&self) -> TimeRequest {
        TimeRequest {
            at: self.maybe("at"),
            from: self.maybe(WINDOW_FROM),
            until: self.maybe("until"),
            undated: self.maybe("undated"),
        }
    }

    pub(super) fn search(&self) -> Result<SearchRequest, WebError> {
        Ok(SearchRequest {
            q: self.text("q"),
            kinds: self.all("kind"),
            limit: self.whole("limit", SearchRequest::default().limit)?,
        })
    }

    pub(super) fn entity(&self, id: &str) -> Result<EntityRequest, WebError> {
        let d = EntityRequest::default();
        Ok(EntityRequest {
            entity: id.to_string(),
            page: self.whole("page", d.page)?,
            per_page: self.whole("per_page", d.per_page)?,
        })
    }

    pub(super) fn neighbours(&self, id: &str) -> Result<NeighboursRequest, WebError> {
        let d = NeighboursRequest::default();
        Ok(NeighboursRequest {
            entity: id.to_string(),
            depth: self.whole("depth", d.depth)?,
            max_nodes: self.whole("max_nodes", d.max_nodes)?,
            kinds: self.all("kind"),
            types: self.all("type"),
            through_kinds: self.all("through_kind"),
            through_types: self.all("through_type"),
            time: self.time(),
            page: self.whole("page", d.page)?,
            per_page: self.whole("per_page", d.per_page)?,
        })
    }

    pub(super) fn path(&self) -> Result<PathRequest, WebError> {
        Ok(PathRequest {
            from: self.text("from"),
            to: self.text("to"),
            all: self.flag("all"),
            k: self.optional("k")?,
            max_hops: self.optional("max_hops")?,
            directed: self.flag("directed"),
            exclude_kinds: self.all("exclude_kind"),
            avoid: self.all("avoid"),
            types: self.all("type"),
            time: self.time(),
            plain: self.flag("plain"),
            chronological: self.flag("chronological"),
            allow_undated: self.flag("allow_undated"),
        })
    }

    pub(super) fn export(&self) -> Result<ExportRequest, WebError> {
        let d = ExportRequest::default();
        Ok(ExportRequest {
            around: self.maybe("around"),
            depth: self.whole("depth", d.depth)?,
            max_nodes: self.whole("max_nodes", d.max_nodes)?,
            kinds: self.all("kind"),
            types: self.all("type"),
            through_kinds: self.all("through_kind"),
            through_types: self.all("through_type"),
            time: self.time(),
        })
    }
}

/// The web's name of a time window's start.
pub(super) const WINDOW_FROM: &str = "from_date";

/// The names a parameter error may start with.
pub const PARAMETERS: &[&str] = &[
    "query string",
    "q",
    "limit",
    "page",
    "per_page",
    "depth",
    "max_nodes",
    "kind",
    "type",
    "at",
    "from_date",
    "until",
    "undated",
    "through_kind",
    "through_type",
    "k",
    "max_hops",
    "avoid",
    "exclude_kind",
    "entity",
    "from",
    "to",
    "around",
    "format",
    "by",
    "samples",
    "seed",
    "entities",
    "role",
    "offset",
    "allow_undated",
    "with_metrics",
    "sort",
    "order",
    "rel_type",
];

/// Checks a raw query string the way every route does — search, sources,
/// entity, neighbourhood, path (with its entities), export — without
/// running a query. For the `web_params` fuzz target and tests: it must
/// never panic, and every error must start with the name of a parameter in
/// [`PARAMETERS`].
pub fn check_params(g: &Graph, query: &str) -> Vec<Result<(), WebError>> {
    let p = match Params::parse(query) {
        Ok(p) => p,
        Err(e) => return vec![Err(e)],
    };
    let web = &Limits::WEB;
    let checked =
        |r: Result<(), crate::query::RequestError>| r.map_err(|e| WebError::request(g, e));
    let entity = g
        .entities
        .first()
        .map(|e| e.id().to_string())
        .unwrap_or_default();
    vec![
        p.search()
            .and_then(|r| checked(r.validate_with(web).map(drop))),
        p.whole("page", 1usize).map(drop),
        p.entity(&entity)
            .and_then(|r| checked(r.validate_with(g, web).map(drop))),
        p.neighbours(&entity)
            .and_then(|r| checked(r.validate_with(g, web, WINDOW_FROM).map(drop))),
        p.path()
            .and_then(|r| checked(r.options_with(g, web, WINDOW_FROM).map(drop))),
        p.path()
            .and_then(|r| checked(r.validate_with(g, web, WINDOW_FROM).map(drop))),
        p.export()
            .and_then(|r| checked(r.validate_with(g, web, WINDOW_FROM).map(drop))),
        p.rank()
            .and_then(|r| checked(r.validate_with(g, web, WINDOW_FROM).map(drop))),
        p.common()
            .and_then(|r| checked(r.validate_with(g, web, WINDOW_FROM).map(drop))),
        p.timeline(&entity)
            .and_then(|r| checked(r.validate_with(g, web, WINDOW_FROM).map(drop))),
        p.relations()
            .and_then(|r| checked(r.validate_with(g, web, WINDOW_FROM).map(drop))),
        checked(
            p.table()
                .validate(g)
                .map(drop)
                .map_err(crate::query::RequestError::from),
        ),
        p.text("format")
            .parse::<crate::export::ExportFormat>()
            .map(drop)
            .map_err(|e| WebError::bad("format", e)),
    ]
}

/// The analyses' parameters (`/rank`, `/common`, `/timeline/{id}`,
/// `/relations` and their `/api` twins), read into the core's requests.
impl Params {
    pub(super) fn rank(&self) -> Result<RankRequest, WebError> {
        let d = RankRequest::default();
        Ok(RankRequest {
            by: self.get("by").map_or(d.by, str::to_string),
            kinds: self.all("kind"),
            types: self.all("type"),
            time: self.time(),
            limit: self.whole("limit", d.limit)?,
            samples: self.optional("samples")?,
            seed: self.whole("seed", d.seed)?,
        })
    }

    /// The entities are `entity` parameters, repeated or comma-separated.
    pub(super) fn common(&self) -> Result<CommonRequest, WebError> {
        let d = CommonRequest::default();
        Ok(CommonRequest {
            entities: self.all("entity"),
            depth: self.whole("depth", d.depth)?,
            kinds: self.all("kind"),
            types: self.all("type"),
            time: self.time(),
            limit: self.whole("limit", d.limit)?,
        })
    }

    pub(super) fn timeline(&self, id: &str) -> Result<TimelineRequest, WebError> {
        let d = TimelineRequest::default();
        Ok(TimelineRequest {
            entity: id.to_string(),
            kinds: self.all("kind"),
            types: self.all("type"),
            time: self.time(),
            page: self.whole("page", d.page)?,
            per_page: self.whole("per_page", d.per_page)?,
        })
    }

    pub(super) fn relations(&self) -> Result<RelationsRequest, WebError> {
        let d = RelationsRequest::default();
        Ok(RelationsRequest {
            types: self.all("type"),
            role: self.text("role"),
            time: self.time(),
            limit: self.whole("limit", d.limit)?,
            offset: self.whole("offset", d.offset)?,
        })
    }
}
