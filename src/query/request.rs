//! One request type per query, shared by the front ends: what a user asked
//! for, as plain strings and numbers, before anything is checked.
//!
//! The command-line arguments and the web's URL parameters both fill these
//! structs, so both have the same options with the same defaults (each
//! request's `Default`). `validate_with(&Graph, &Limits)` is the one place
//! that checks ranges, parses dates, kinds and relation types, resolves
//! entities and applies the front end's [`Limits`]: the CLI trusts its user
//! with any size ([`Limits::CLI`]), the web bounds what one request may
//! cost ([`Limits::WEB`]). A limit never changes a default; it only refuses
//! a value above it, and turns "no cap" (0) into the limit.

use crate::error::QueryError;
use crate::graph::Graph;
use crate::model::{Date, TimeFilter};
use crate::query::{
    Filter, NeighbourhoodQuery, PathAnswer, PathMode, PathQuery, Ranking, Resolved, SearchQuery,
    parse_kinds, parse_types, resolve_arg,
};

/// The nearest entities a neighbourhood keeps unless asked otherwise.
pub const DEFAULT_MAX_NODES: usize = 200;
/// Relations per page of an entity, a neighbourhood or a source unless
/// asked otherwise.
pub const DEFAULT_PER_PAGE: usize = 100;
/// Search hits unless asked otherwise.
pub const DEFAULT_LIMIT: u32 = 10;

/// A request that cannot run as asked, with the parameter at fault (the
/// web's parameter name; the CLI spells it as its option).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{param}: {}", self.message())]
pub struct RequestError {
    pub param: String,
    pub error: QueryError,
}

impl RequestError {
    /// The error without the parameter's name.
    pub fn message(&self) -> String {
        match &self.error {
            QueryError::BadParameter { message, .. } => message.clone(),
            other => other.to_string(),
        }
    }
}

impl From<QueryError> for RequestError {
    fn from(error: QueryError) -> Self {
        let param = match &error {
            QueryError::BadParameter { param, .. } => param.clone(),
            _ => "entity".to_string(),
        };
        RequestError { param, error }
    }
}

/// Names the parameter of an entity that did not resolve.
fn about(param: &str) -> impl Fn(QueryError) -> RequestError + '_ {
    move |error| match error {
        e @ QueryError::BadParameter { .. } => e.into(),
        error => RequestError {
            param: param.to_string(),
            error,
        },
    }
}

/// The entity arguments a request resolved, each with the parameter it
/// came from, so the front ends can say how each was matched (and never
/// pass a search guess off as an exact match).
pub type Resolutions = Vec<(&'static str, Resolved)>;

/// Resolves one entity argument and records how it matched.
pub(crate) fn resolve_noted(
    g: &Graph,
    param: &'static str,
    arg: &str,
    noted: &mut Resolutions,
) -> Result<u32, RequestError> {
    let r = resolve_arg(g, arg).map_err(about(param))?;
    let e = r.entity;
    noted.push((param, r));
    Ok(e)
}

/// What one request may ask for at most. `None` is no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The deepest neighbourhood.
    pub max_depth: Option<u32>,
    /// The largest node cap of a neighbourhood or an export around an
    /// entity; "no cap" (0) becomes this.
    pub max_nodes: Option<usize>,
    /// The most alternative paths (`k`).
    pub max_k: u32,
    /// The most paths one answer lists (`all` may find up to
    /// [`crate::query::paths::MAX_PATHS`]).
    pub max_paths: usize,
    /// The most hops a path may be asked to have.
    pub max_hops: Option<u32>,
    /// Relation ends one path query may examine.
    pub path_budget: usize,
    /// The most search hits.
    pub max_limit: u32,
    /// The most relations on one page; "all on one page" (0) becomes this.
    /// A neighbourhood's page may hold more, in step with its node cap
    /// ([`neighbourhood_page_cap`]).
    pub max_per_page: Option<usize>,
}

impl Limits {
    /// The command line: one user, one query, as big as asked.
    pub const CLI: Limits = Limits {
        max_depth: None,
        max_nodes: None,
        max_k: 1000,
        max_paths: crate::query::paths::MAX_PATHS,
        max_hops: None,
        path_budget: crate::query::paths::DEFAULT_BUDGET,
        max_limit: 1000,
        max_per_page: None,
    };
    /// The web: many users on a shared server, so every answer is bounded
    /// in time and size (a few hundred kilobytes and milliseconds).
    pub const WEB: Limits = Limits {
        max_depth: Some(4),
        max_nodes: Some(2000),
        max_k: 20,
        max_paths: 100,
        max_hops: Some(12),
        path_budget: 2_000_000,
        max_limit: 100,
        max_per_page: Some(500),
    };
}

/// Which page of a long list, and how long a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Paging {
    /// 1-based.
    pub page: usize,
    /// Items per page; 0 only when there is no limit and all were asked.
    pub per_page: usize,
}

impl Paging {
    /// Checks a page number and size against a limit.
    pub fn checked(page: usize, per_page: usize, limits: &Limits) -> Result<Paging, QueryError> {
        if page == 0 {
            return Err(QueryError::bad("page", "pages are numbered from 1"));
        }
        let per_page = cap("per_page", per_page, limits.max_per_page)?;
        Ok(Paging { page, per_page })
    }

    /// How many pages `total` items make (at least one, possibly empty).
    pub fn pages(&self, total: usize) -> usize {
        if self.per_page == 0 {
            1
        } else {
            total.div_ceil(self.per_page).max(1)
        }
    }

    /// The index range of this page in a list of `total` items, or an error
    /// naming the last page.
    pub fn range(&self, total: usize) -> Result<std::ops::Range<usize>, RequestError> {
        let pages = self.pages(total);
        if self.page > pages {
            return Err(QueryError::bad(
                "page",
                format!(
                    "there are {pages} page(s) of {total} item(s); give a page from 1 to {pages}"
                ),
            )
            .into());
        }
        if self.per_page == 0 {
            return Ok(0..total);
        }
        let start = (self.page - 1) * self.per_page;
        Ok(start..total.min(start + self.per_page))
    }
}

/// A count the user gave under a limit: 0 is "as many as allowed".
pub(crate) fn cap(param: &str, n: usize, limit: Option<usize>) -> Result<usize, QueryError> {
    match limit {
        None => Ok(n),
        Some(l) if n == 0 => Ok(l),
        Some(l) if n <= l => Ok(n),
        Some(l) => Err(QueryError::bad(
            param,
            format!("{n} is more than this server allows: give 1 to {l}, or 0 for {l}"),
        )),
    }
}

fn date(param: &str, v: &Option<String>) -> Result<Option<Date>, QueryError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<Date>().map(Some).map_err(|e| {
            QueryError::bad(
                param,
                format!("{e} (dates are YYYY, YYYY-MM or YYYY-MM-DD)"),
            )
        }),
    }
}

/// A time filter: a date, or a window. The names are the front end's
/// parameter names, for the messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TimeRequest {
    pub at: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
    /// `include` (the default) or `exclude`: whether relations with no
    /// date of their own stay in a time-filtered answer.
    pub undated: Option<String>,
}

impl TimeRequest {
    /// The parameter names in messages: the web calls the window's start
    /// `from_date` (`from` is a path's first entity there).
    pub fn validate(&self, from_name: &str) -> Result<TimeFilter, QueryError> {
        let at = date("at", &self.at)?;
        let from = date(from_name, &self.from)?;
        let until = date("until", &self.until)?;
        TimeFilter::from_options(at, from, until)
    }

    /// Whether undated relations are dropped from a time-filtered answer.
    pub fn exclude_undated(&self) -> Result<bool, QueryError> {
        match self.undated.as_deref().map(str::trim) {
            None | Some("" | "include") => Ok(false),
            Some("exclude") => Ok(true),
            Some(other) => Err(QueryError::bad(
                "undated",
                format!("\"{other}\" is not allowed: give include or exclude"),
            )),
        }
    }

    /// The filter on time alone: the window or date, and undated relations
    /// kept or not.
    pub fn filter(&self, from_name: &str) -> Result<Filter, QueryError> {
        Ok(Filter {
            time: self.validate(from_name)?,
            exclude_undated: self.exclude_undated()?,
            ..Filter::default()
        })
    }
}

/// `search` and `/api/search`, `/search`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub q: String,
    /// Entity kinds kept (repeated or comma-separated; empty: all).
    pub kinds: Vec<String>,
    pub limit: u32,
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            kinds: Vec::new(),
            limit: DEFAULT_LIMIT,
        }
    }
}

impl SearchRequest {
    /// The checked search: its kinds parsed, its limit within `limits`.
    pub fn validate_with(&self, limits: &Limits) -> Result<SearchQuery, RequestError> {
        if self.limit == 0 || self.limit > limits.max_limit {
            return Err(RequestError::from(QueryError::bad(
                "limit",
                format!(
                    "\"{}\" is not allowed: give a whole number from 1 to {}",
                    self.limit, limits.max_limit
                ),
            )));
        }
        Ok(SearchQuery {
            text: self.q.clone(),
            kinds: parse_kinds("kind", &self.kinds)?,
            limit: self.limit as usize,
        })
    }
}

/// `show` and `/entity/{id}`, `/api/entity/{id}`: one entity and a page of
/// its relations (types in name order, relations in file order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityRequest {
    pub entity: String,
    pub page: usize,
    pub per_page: usize,
}

impl Default for EntityRequest {
    fn default() -> Self {
        EntityRequest {
            entity: String::new(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

/// A checked [`EntityRequest`].
#[derive(Debug, Clone)]
pub struct EntityQuery {
    pub entity: u32,
    pub paging: Paging,
    /// How the entity argument matched.
    pub resolved: Resolutions,
}

impl EntityRequest {
    pub fn validate_with(&self, g: &Graph, limits: &Limits) -> Result<EntityQuery, RequestError> {
        let mut resolved = Vec::new();
        Ok(EntityQuery {
            entity: resolve_noted(g, "entity", &self.entity, &mut resolved)?,
            paging: Paging::checked(self.page, self.per_page, limits)?,
            resolved,
        })
    }
}

/// `neighbours` and `/neighbours/{id}`, `/api/neighbours/{id}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighboursRequest {
    pub entity: String,
    pub depth: u32,
    /// The nearest entities kept; 0 for no cap (or the limit's cap).
    pub max_nodes: usize,
    /// Entity kinds shown (the walk goes through every kind).
    pub kinds: Vec<String>,
    /// Relation types shown (the walk follows every type).
    pub types: Vec<String>,
    /// The only kinds the walk goes on from (empty: all).
    pub through_kinds: Vec<String>,
    /// The only relation types the walk follows (empty: all).
    pub through_types: Vec<String>,
    pub time: TimeRequest,
    /// The page of the relations among the entities kept.
    pub page: usize,
    pub per_page: usize,
}

impl Default for NeighboursRequest {
    fn default() -> Self {
        NeighboursRequest {
            entity: String::new(),
            depth: 1,
            max_nodes: DEFAULT_MAX_NODES,
            kinds: Vec::new(),
            types: Vec::new(),
            through_kinds: Vec::new(),
            through_types: Vec::new(),
            time: TimeRequest::default(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
        }
    }
}

/// A checked [`NeighboursRequest`].
#[derive(Debug, Clone)]
pub struct NeighboursQuery {
    pub center: u32,
    pub query: NeighbourhoodQuery,
    pub paging: Paging,
    /// How the centre argument matched.
    pub resolved: Resolutions,
}

fn depth(d: u32, limits: &Limits) -> Result<u32, QueryError> {
    let max = limits.max_depth.unwrap_or(u32::MAX);
    if d == 0 || d > max {
        return Err(QueryError::bad(
            "depth",
            format!("\"{d}\" is not allowed: give a whole number from 1 to {max}"),
        ));
    }
    Ok(d)
}

impl NeighboursRequest {
    /// `from_name` is the name of the window's start parameter.
    pub fn validate_with(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
    ) -> Result<NeighboursQuery, RequestError> {
        let query = NeighbourhoodQuery {
            depth: depth(self.depth, limits)?,
            max_nodes: cap("max_nodes", self.max_nodes, limits.max_nodes)?,
            filter: Filter {
                kinds: parse_kinds("kind", &self.kinds)?,
                types: parse_types(g, "type", &self.types)?,
                ..self.time.filter(from_name)?
            },
            through: Filter {
                kinds: parse_kinds("through_kind", &self.through_kinds)?,
                types: parse_types(g, "through_type", &self.through_types)?,
                ..Filter::default()
            },
        };
        let mut resolved = Vec::new();
        let relations = Limits {
            max_per_page: neighbourhood_page_cap(limits, query.max_nodes),
            ..*limits
        };
        Ok(NeighboursQuery {
            center: resolve_noted(g, "entity", &self.entity, &mut resolved)?,
            query,
            paging: Paging::checked(self.page, self.per_page, &relations)?,
            resolved,
        })
    }
}

/// Relations a page of a neighbourhood may hold per entity its node cap
/// keeps: enough for a dense neighbourhood (500 entities, 2,000
/// relations) to come in one page, which the canvas draws at once.
pub const RELATIONS_PER_NODE: usize = 4;

/// The most relations one page of a neighbourhood holds under `limits`
/// with a node cap of `max_nodes` (already capped): the limit's page size,
/// or [`RELATIONS_PER_NODE`] per entity when that is more. So under
/// [`Limits::WEB`] a page holds at most 4 × 2,000 = 8,000 relations, and
/// "all on one page" (0) is that many. `None` is no limit.
pub fn neighbourhood_page_cap(limits: &Limits, max_nodes: usize) -> Option<usize> {
    limits
        .max_per_page
        .map(|p| p.max(max_nodes.saturating_mul(RELATIONS_PER_NODE)))
}

/// `path` and `/path`, `/api/path`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathRequest {
    pub from: String,
    pub to: String,
    /// Every shortest path.
    pub all: bool,
    /// The k shortest loopless paths.
    pub k: Option<u32>,
    pub max_hops: Option<u32>,
    pub directed: bool,
    pub exclude_kinds: Vec<String>,
    pub avoid: Vec<String>,
    pub types: Vec<String>,
    pub time: TimeRequest,
    /// Rank by hop count alone, not specific paths first.
    pub plain: bool,
    /// A time-respecting path instead (each hop no earlier than the one
    /// before): checked by [`PathRequest::chrono_with`].
    pub chronological: bool,
    /// With `chronological`: relations without a start date may be hops.
    pub allow_undated: bool,
}

/// A checked [`PathRequest`]: the ends and the query.
#[derive(Debug, Clone)]
pub struct PathsQuery {
    pub from: u32,
    pub to: u32,
    pub query: PathQuery,
    /// How `from`, `to` and each `avoid` argument matched.
    pub resolved: Resolutions,
}

impl PathRequest {
    /// The path options without the ends (also for `path --pairs`, whose
    /// ends come row by row).
    pub fn options_with(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
    ) -> Result<PathQuery, RequestError> {
        self.options_noted(g, limits, from_name, &mut Vec::new())
    }

    /// [`PathRequest::options_with`], recording how each `avoid` argument
    /// matched.
    fn options_noted(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
        resolved: &mut Resolutions,
    ) -> Result<PathQuery, RequestError> {
        let mode = match (self.all, self.k) {
            // A form sends its k of 1 along with the box for all; only a
            // real choice of several paths conflicts.
            (true, Some(k)) if k > 1 => {
                return Err(QueryError::bad("k", "give k or all, not both").into());
            }
            (true, _) => PathMode::All,
            (false, Some(k)) if k == 0 || k > limits.max_k => {
                return Err(QueryError::bad(
                    "k",
                    format!(
                        "\"{k}\" is not allowed: give a whole number from 1 to {}",
                        limits.max_k
                    ),
                )
                .into());
            }
            (false, Some(1) | None) => PathMode::Shortest,
            (false, Some(k)) => PathMode::K(k as usize),
        };
        if let Some(h) = self.max_hops {
            let max = limits.max_hops.unwrap_or(u32::MAX);
            if h == 0 || h > max {
                return Err(QueryError::bad(
                    "max_hops",
                    format!("\"{h}\" is not allowed: give a whole number from 1 to {max}"),
                )
                .into());
            }
        }
        let avoid = self
            .avoid
            .iter()
            .flat_map(|a| a.split(','))
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| resolve_noted(g, "avoid", a, resolved))
            .collect::<Result<Vec<_>, RequestError>>()?;
        Ok(PathQuery {
            mode,
            max_hops: self.max_hops,
            directed: self.directed,
            exclude_kinds: parse_kinds("exclude_kind", &self.exclude_kinds)?,
            avoid,
            types: parse_types(g, "type", &self.types)?,
            time: self.time.validate(from_name)?,
            exclude_undated: self.time.exclude_undated()?,
            budget: limits.path_budget,
            ranking: if self.plain {
                Ranking::Plain
            } else {
                Ranking::Specific
            },
        })
    }

    pub fn validate_with(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
    ) -> Result<PathsQuery, RequestError> {
        let mut resolved = Vec::new();
        let mut end = |param: &'static str, v: &str| {
            if v.trim().is_empty() {
                Err(QueryError::bad(param, "missing: give an entity id, name or alias").into())
            } else {
                resolve_noted(g, param, v, &mut resolved)
            }
        };
        let from = end("from", &self.from)?;
        let to = end("to", &self.to)?;
        let query = self.options_noted(g, limits, from_name, &mut resolved)?;
        Ok(PathsQuery {
            from,
            to,
            query,
            resolved,
        })
    }
}

/// Keeps the first paths of an answer that a limit allows, saying that
/// there were more (`truncated`), as when `all` finds more than it keeps.
pub fn bound_paths(answer: &mut PathAnswer, limits: &Limits) {
    if answer.paths.len() > limits.max_paths {
        answer.paths.truncate(limits.max_paths);
        answer.truncated = true;
    }
}

/// `export --around` and `/export/{format}?around=`: the whole graph at a
/// time, or the neighbourhood of one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRequest {
    pub around: Option<String>,
    pub depth: u32,
    /// 0 for no cap (or the limit's cap).
    pub max_nodes: usize,
    /// Around an entity: the entity kinds and relation types shown, and
    /// what the walk goes through, as for a neighbourhood.
    pub kinds: Vec<String>,
    pub types: Vec<String>,
    pub through_kinds: Vec<String>,
    pub through_types: Vec<String>,
    pub time: TimeRequest,
}

impl Default for ExportRequest {
    fn default() -> Self {
        ExportRequest {
            around: None,
            depth: 1,
            max_nodes: 0,
            kinds: Vec::new(),
            types: Vec::new(),
            through_kinds: Vec::new(),
            through_types: Vec::new(),
            time: TimeRequest::default(),
        }
    }
}

/// A checked [`ExportRequest`]: the centre and neighbourhood query when
/// around an entity, and the time filter.
#[derive(Debug, Clone)]
pub struct ExportQuery {
    pub around: Option<(u32, NeighbourhoodQuery)>,
    pub time: TimeFilter,
    /// Whether undated relations are left out of a time slice.
    pub exclude_undated: bool,
    /// How the `around` argument matched.
    pub resolved: Resolutions,
}

impl ExportQuery {
    /// The filter of a whole-graph export: its time, undated relations
    /// kept or not.
    pub fn slice(&self) -> Filter {
        Filter {
            time: self.time,
            exclude_undated: self.exclude_undated,
            ..Filter::default()
        }
    }
}

impl ExportRequest {
    pub fn validate_with(
        &self,
        g: &Graph,
        limits: &Limits,
        from_name: &str,
    ) -> Result<ExportQuery, RequestError> {
        let time = self.time.validate(from_name)?;
        let exclude_undated = self.time.exclude_undated()?;
        let kinds = parse_kinds("kind", &self.kinds)?;
        let types = parse_types(g, "type", &self.types)?;
        let through = Filter {
            kinds: parse_kinds("through_kind", &self.through_kinds)?,
            types: parse_types(g, "through_type", &self.through_types)?,
            ..Filter::default()
        };
        let mut resolved = Vec::new();
        let around = match self.around.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(a) => {
                let center = resolve_noted(g, "around", a, &mut resolved)?;
                let q = NeighbourhoodQuery {
                    depth: depth(self.depth, limits)?,
                    max_nodes: cap("max_nodes", self.max_nodes, limits.max_nodes)?,
                    filter: Filter {
                        kinds,
                        types,
                        time,
                        exclude_undated,
                    },
                    through,
                };
                Some((center, q))
            }
        };
        Ok(ExportQuery {
            around,
            time,
            exclude_undated,
            resolved,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_refuses_more_and_turns_no_cap_into_itself() {
        assert_eq!(cap("max_nodes", 0, None), Ok(0));
        assert_eq!(cap("max_nodes", 0, Some(2000)), Ok(2000));
        assert_eq!(cap("max_nodes", 7, Some(2000)), Ok(7));
        // A neighbourhood's page grows with its node cap, past the web's
        // page of 500, and is unbounded only where pages are.
        assert_eq!(neighbourhood_page_cap(&Limits::WEB, 100), Some(500));
        assert_eq!(neighbourhood_page_cap(&Limits::WEB, 500), Some(2000));
        assert_eq!(neighbourhood_page_cap(&Limits::WEB, 2000), Some(8000));
        assert_eq!(neighbourhood_page_cap(&Limits::CLI, 500), None);
        let e = cap("max_nodes", 2001, Some(2000)).unwrap_err();
        assert!(e.to_string().starts_with("max_nodes: 2001 is more"), "{e}");
    }

    #[test]
    fn pages_split_a_list_and_refuse_past_the_last() {
        let p = |page, per_page| Paging::checked(page, per_page, &Limits::WEB).unwrap();
        assert_eq!(p(1, 100).range(250).unwrap(), 0..100);
        assert_eq!(p(3, 100).range(250).unwrap(), 200..250);
        assert_eq!(p(3, 100).pages(250), 3);
        assert_eq!(
            p(1, 100).range(0).unwrap(),
            0..0,
            "an empty list is one page"
        );
        let e = p(4, 100).range(250).unwrap_err();
        assert_eq!(e.param, "page");
        assert!(e.message().contains("from 1 to 3"), "{e}");
        assert_eq!(
            p(1, 0).per_page,
            500,
            "all, on the web, is the most a page holds"
        );
        assert!(Paging::checked(0, 10, &Limits::CLI).is_err());
        let all = Paging::checked(1, 0, &Limits::CLI).unwrap();
        assert_eq!(all.range(12345).unwrap(), 0..12345);
    }

    #[test]
    fn one_request_under_two_limits() {
        let g = crate::dataset::embedded::graph();
        let r = NeighboursRequest {
            entity: "komdigi".into(),
            depth: 6,
            ..NeighboursRequest::default()
        };
        assert_eq!(
            r.validate_with(&g, &Limits::CLI, "--from")
                .unwrap()
                .query
                .depth,
            6
        );
        let e = r.validate_with(&g, &Limits::WEB, "from_date").unwrap_err();
        assert_eq!(e.param, "depth");
        let p = PathRequest {
            from: "komdigi".into(),
            to: "nobody-at-all-xyz".into(),
            ..PathRequest::default()
        };
        let e = p.validate_with(&g, &Limits::WEB, "from_date").unwrap_err();
        assert_eq!(e.param, "to");
        assert!(matches!(e.error, QueryError::NotFound { .. }));
        let windowed = PathRequest {
            to: "india".into(),
            time: TimeRequest {
                from: Some("2026".into()),
                until: Some("2020".into()),
                ..TimeRequest::default()
            },
            ..p
        };
        let e = windowed
            .validate_with(&g, &Limits::CLI, "--from")
            .unwrap_err();
        assert_eq!(e.param, "until");
    }
}
