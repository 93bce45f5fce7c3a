//! Relations listed by type, role and time, a page at a time.

use rustc_hash::FxHashMap;

use crate::error::QueryError;
use crate::graph::Graph;
use crate::model::{Sym, TimeFilter};

/// The most relations one page holds, whatever was asked.
pub const MAX_LIMIT: usize = 10_000;

/// Which relations to list.
#[derive(Debug, Clone)]
pub struct RelationsQuery {
    /// Relation types kept (empty: all).
    pub types: Vec<Sym>,
    /// Kept when the role contains this, ignoring case (empty: all,
    /// roleless relations included; otherwise roleless ones are not kept).
    pub role: String,
    /// Kept when the relation overlaps this time.
    pub time: TimeFilter,
    /// The most relations in the page (at most [`MAX_LIMIT`]).
    pub limit: usize,
    /// How many matching relations to skip first.
    pub offset: usize,
}

impl Default for RelationsQuery {
    fn default() -> Self {
        RelationsQuery {
            types: Vec::new(),
            role: String::new(),
            time: TimeFilter::Always,
            limit: 100,
            offset: 0,
        }
    }
}

/// A page of relations.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RelationList {
    /// In file order.
    pub relations: Vec<u32>,
    /// How many relations match, on every page.
    pub total: usize,
    pub offset: usize,
}

/// Lists the relations that match.
///
/// Arguments: the graph and the query (types, role substring, time,
/// limit, offset).
/// Returns: the page of matching relations in file order, and the true
/// count of all matches (not an estimate, not capped).
/// Errors (`BadParameter`): `limit` of 0 or above [`MAX_LIMIT`]; a time
/// window ending before it starts.
/// Complexity: O(E) (each distinct role is matched once).
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::{relations, RelationsQuery};
/// let g = jejaring::dataset::embedded::graph();
/// let page = relations(&g, &RelationsQuery { limit: 5, ..Default::default() }).unwrap();
/// assert_eq!(page.total, g.relations.len());
/// assert_eq!(page.relations, [0, 1, 2, 3, 4]);
/// ```
pub fn relations(g: &Graph, q: &RelationsQuery) -> Result<RelationList, QueryError> {
    super::check_time(&q.time)?;
    if q.limit == 0 || q.limit > MAX_LIMIT {
        return Err(QueryError::bad(
            "limit",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let needle = q.role.trim().to_lowercase();
    let mut role_ok: FxHashMap<Sym, bool> = FxHashMap::default();
    let mut out = Vec::new();
    let mut total = 0usize;
    for (i, r) in g.relations.iter().enumerate() {
        if !q.types.is_empty() && !q.types.contains(&r.rel_type) {
            continue;
        }
        if !needle.is_empty() {
            let Some(role) = r.role else { continue };
            let ok = *role_ok
                .entry(role)
                .or_insert_with(|| g.str(role).to_lowercase().contains(&needle));
            if !ok {
                continue;
            }
        }
        if !q.time.holds(r.start, r.end) {
            continue;
        }
        if total >= q.offset && out.len() < q.limit {
            out.push(i as u32);
        }
        total += 1;
    }
    Ok(RelationList {
        relations: out,
        total,
        offset: q.offset,
    })
}
