//! Queries over a loaded [`Graph`]: resolve a name, search, neighbourhood,
//! paths. Pure functions: no IO, no formatting, no knowledge of the CLI or
//! HTTP. Every query has a bounded cost (result caps, visit budgets) and
//! returns results in a stable order.

pub mod analysis;
pub mod explore;
pub mod neighbourhood;
pub mod paths;
pub mod request;
pub mod resolve;
pub mod search;
pub mod subgraph;
pub mod table;
pub mod weighted;

use crate::error::QueryError;
use crate::graph::Graph;
use crate::model::{Kind, Span, Sym, TimeFilter, is_point_event};

pub use neighbourhood::{Neighbourhood, NeighbourhoodQuery, neighbourhood};
pub use paths::{Path, PathAnswer, PathMode, PathQuery, Ranking, paths};
pub use request::{Limits, Paging, RequestError};
pub use resolve::{Resolved, ResolvedBy, resolve, resolve_arg};
pub use search::{Hit, SearchAnswer, SearchQuery, search};

/// Which relations and entities a traversal may use, or an answer shows.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Entity kinds kept (empty: all).
    pub kinds: Vec<Kind>,
    /// Relation types kept (empty: all).
    pub types: Vec<Sym>,
    /// When relations held: each relation's span cut to its entities'
    /// spans, point events on their date ([`relation_span`]).
    pub time: TimeFilter,
    /// Under a time filter, drop relations with no date of their own
    /// (otherwise they hold at any time their entities existed).
    pub exclude_undated: bool,
}

impl Filter {
    /// Whether the filter keeps everything (so nothing need be checked).
    pub fn is_open(&self) -> bool {
        self.kinds.is_empty() && self.types.is_empty() && self.time.is_always()
    }

    pub fn relation_ok(&self, g: &Graph, rel: u32) -> bool {
        let r = g.relation(rel);
        (self.types.is_empty() || self.types.contains(&r.rel_type)) && self.time_ok(g, rel)
    }

    /// Whether a relation held at the filter's time (always true with no
    /// time filter).
    pub fn time_ok(&self, g: &Graph, rel: u32) -> bool {
        if self.time.is_always() {
            return true;
        }
        let r = g.relation(rel);
        !(self.exclude_undated && r.start.is_none() && r.end.is_none())
            && self.time.holds_span(relation_span(g, rel))
    }

    pub fn entity_ok(&self, g: &Graph, e: u32) -> bool {
        let ent = g.entity(e);
        (self.kinds.is_empty() || self.kinds.contains(&ent.kind))
            && self.time.holds(ent.start, ent.end)
    }
}

/// The span in which a relation held, as every time filter reads it: its
/// own dates within both entities' spans, a point event's open end closed
/// at its start (see [`crate::model::Span::of_relation`]).
pub fn relation_span(g: &Graph, rel: u32) -> Span {
    let r = g.relation(rel);
    Span::of_relation(
        r,
        is_point_event(g.str(r.rel_type)),
        g.entity(r.from),
        g.entity(r.to),
    )
}

/// Whether a relation has no date of its own (it is marked "undated" in
/// every output).
pub fn is_undated(g: &Graph, rel: u32) -> bool {
    let r = g.relation(rel);
    r.start.is_none() && r.end.is_none()
}

/// Checks relation type names given by a user against the data, so a typo
/// is an error rather than an empty answer.
pub fn parse_types(g: &Graph, param: &str, names: &[String]) -> Result<Vec<Sym>, QueryError> {
    names
        .iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| {
            g.type_sym(n).ok_or_else(|| {
                let present: Vec<&str> = g.type_counts().into_iter().map(|(t, _)| t).collect();
                let hint = crate::text::did_you_mean_hint(n, present.iter().copied());
                QueryError::bad(
                    param,
                    format!(
                        "unknown relation type \"{n}\"{hint} (the data has: {})",
                        present.join(", ")
                    ),
                )
            })
        })
        .collect()
}

/// Parses kind names given by a user (repeated or comma-separated).
pub fn parse_kinds(param: &str, names: &[String]) -> Result<Vec<Kind>, QueryError> {
    let mut out = Vec::new();
    for n in names.iter().flat_map(|n| n.split(',')).map(str::trim) {
        if n.is_empty() {
            continue;
        }
        let k = n
            .parse::<Kind>()
            .map_err(|e| QueryError::bad(param, e.to_string()))?;
        if !out.contains(&k) {
            out.push(k);
        }
    }
    Ok(out)
}
