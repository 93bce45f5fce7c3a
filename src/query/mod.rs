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
pub mod weighted;

use crate::error::QueryError;
use crate::graph::Graph;
use crate::model::{Kind, Sym, TimeFilter};

pub use neighbourhood::{Neighbourhood, NeighbourhoodQuery, neighbourhood};
pub use paths::{Path, PathAnswer, PathMode, PathQuery, Ranking, paths};
pub use request::{Limits, Paging, RequestError};
pub use resolve::{Resolved, ResolvedBy, resolve, resolve_arg};
pub use search::{Hit, SearchAnswer, SearchQuery, search};

/// Which relations and entities a traversal may use.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Entity kinds kept (empty: all).
    pub kinds: Vec<Kind>,
    /// Relation types kept (empty: all).
    pub types: Vec<Sym>,
    pub time: TimeFilter,
}

impl Filter {
    /// Whether the filter keeps everything (so nothing need be checked).
    pub fn is_open(&self) -> bool {
        self.kinds.is_empty() && self.types.is_empty() && self.time.is_always()
    }

    pub fn relation_ok(&self, g: &Graph, rel: u32) -> bool {
        let r = g.relation(rel);
        (self.types.is_empty() || self.types.contains(&r.rel_type))
            && self.time.holds(r.start, r.end)
    }

    pub fn entity_ok(&self, g: &Graph, e: u32) -> bool {
        let ent = g.entity(e);
        (self.kinds.is_empty() || self.kinds.contains(&ent.kind))
            && self.time.holds(ent.start, ent.end)
    }
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
