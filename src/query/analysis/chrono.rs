//! Time-respecting paths: chains of relations whose dates never go
//! backwards, so that each hop could have followed from the one before —
//! who met whom after whom.
//!
//! A hop's date is its relation's start date, compared by the first day it
//! may mean (a date known to the year counts as its 1 January, so `2020`
//! comes before `2020-05`, and `2020-05` then `2020` goes backwards). A
//! path is time-respecting when its hops' dates never decrease; equal
//! dates are allowed. A relation without a start date is a hop only when
//! the query allows undated hops, and then it constrains nothing: the
//! next dated hop is compared with the last dated one before it.

use rustc_hash::FxHashMap;

use crate::error::QueryError;
use crate::graph::{Graph, Walk};
use crate::model::{Date, Kind, Sym, TimeFilter};
use crate::query::Filter;

use super::sees;

/// The most hops a time-respecting path may have when the query gives no
/// limit.
pub const DEFAULT_MAX_HOPS: u32 = 8;

/// What to look for.
#[derive(Debug, Clone)]
pub struct ChronoQuery {
    /// The most hops (at least 1).
    pub max_hops: u32,
    /// Whether relations without a start date may be hops.
    pub allow_undated: bool,
    /// Relation types to use (empty: all).
    pub types: Vec<Sym>,
    /// Relations are used when they overlap this time.
    pub time: TimeFilter,
    /// Entity kinds not to pass through (the ends are always allowed).
    pub exclude_kinds: Vec<Kind>,
}

impl Default for ChronoQuery {
    fn default() -> Self {
        ChronoQuery {
            max_hops: DEFAULT_MAX_HOPS,
            allow_undated: false,
            types: Vec::new(),
            time: TimeFilter::Always,
            exclude_kinds: Vec::new(),
        }
    }
}

/// One hop of a time-respecting path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChronoHop {
    pub from: u32,
    pub to: u32,
    /// The relation taken.
    pub relation: u32,
    /// Its start date; `None` for an undated hop.
    pub date: Option<Date>,
}

/// A time-respecting path.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChronoPath {
    /// The entities along it, both ends included.
    pub nodes: Vec<u32>,
    pub hops: Vec<ChronoHop>,
}

/// The shortest time-respecting path between two entities.
///
/// Arguments: the graph, the two ends (walked either way along
/// relations), and the query (hop limit, undated hops, types, time,
/// kinds not passed through).
/// Returns: a path with the fewest hops among all time-respecting paths
/// of at most `max_hops` hops, or `None` when there is none; among those,
/// one whose last hop is earliest, the choice between equals made in
/// index and file order. `from == to` is the path of no hops.
/// Errors (`BadParameter`): `max_hops` of 0; a time window ending before
/// it starts.
/// Complexity: O(H·(V + E)) for `H` hops: a breadth-first search over
/// (entity, earliest arrival) in which an entity is expanded again only
/// when reached at a strictly earlier date than ever before, so each
/// entity is expanded at most once per hop count.
///
/// Exact: a shortest time-respecting walk never repeats an entity (cut
/// the loop and the walk still respects time, as it arrived at the entity
/// no later the first time), and an entity reached with more hops is only
/// worth expanding when it arrives earlier.
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::{chrono_path, ChronoQuery};
/// let g = jejaring::dataset::embedded::graph();
/// let a = g.entity_index("komdigi").unwrap();
/// let none = chrono_path(&g, a, a, &ChronoQuery::default()).unwrap().unwrap();
/// assert!(none.hops.is_empty());
/// ```
pub fn chrono_path(
    g: &Graph,
    from: u32,
    to: u32,
    q: &ChronoQuery,
) -> Result<Option<ChronoPath>, QueryError> {
    super::check_time(&q.time)?;
    if q.max_hops == 0 {
        return Err(QueryError::bad("max_hops", "must be at least 1"));
    }
    if from == to {
        return Ok(Some(ChronoPath {
            nodes: vec![from],
            hops: Vec::new(),
        }));
    }
    let filter = Filter {
        kinds: Vec::new(),
        types: q.types.clone(),
        time: q.time,
        exclude_undated: false,
    };
    // The earliest arrival at each entity over all hop counts so far
    // (a day number; 0 before any dated hop).
    let mut best: FxHashMap<u32, u32> = FxHashMap::default();
    best.insert(from, 0);
    // Per hop count, each entity reached: arrival, and the entity and
    // relation it was reached by.
    let mut layers: Vec<FxHashMap<u32, (u32, u32, u32)>> = Vec::new();
    let mut front: Vec<(u32, u32)> = vec![(from, 0)];
    for _ in 0..q.max_hops {
        let mut next: FxHashMap<u32, (u32, u32, u32)> = FxHashMap::default();
        for &(v, t) in &front {
            for s in g.steps(v, Walk::Both) {
                let w = s.other;
                if w == v || w == from || !sees(g, &filter, s.rel) {
                    continue;
                }
                if w != to && q.exclude_kinds.contains(&g.entity(w).kind) {
                    continue;
                }
                let arrival = match g.relation(s.rel).start {
                    Some(d) if d.first_day() >= t => d.first_day(),
                    Some(_) => continue,
                    None if q.allow_undated => t,
                    None => continue,
                };
                if best.get(&w).is_some_and(|&b| b <= arrival) {
                    continue;
                }
                match next.get(&w) {
                    Some(&(a, _, _)) if a <= arrival => {}
                    _ => {
                        next.insert(w, (arrival, v, s.rel));
                    }
                }
            }
        }
        if next.is_empty() {
            break;
        }
        let found = next.contains_key(&to);
        let mut front_next: Vec<(u32, u32)> = next.iter().map(|(&w, &(a, _, _))| (w, a)).collect();
        front_next.sort_unstable();
        for &(w, a) in &front_next {
            best.insert(w, a);
        }
        layers.push(next);
        if found {
            return Ok(Some(walk_back(g, &layers, from, to)));
        }
        front = front_next;
    }
    Ok(None)
}

/// The path to `to` from the last layer back to `from`.
fn walk_back(
    g: &Graph,
    layers: &[FxHashMap<u32, (u32, u32, u32)>],
    from: u32,
    to: u32,
) -> ChronoPath {
    let mut hops = Vec::with_capacity(layers.len());
    let mut at = to;
    for layer in layers.iter().rev() {
        let (_, prev, rel) = layer[&at];
        hops.push(ChronoHop {
            from: prev,
            to: at,
            relation: rel,
            date: g.relation(rel).start,
        });
        at = prev;
    }
    debug_assert_eq!(at, from);
    hops.reverse();
    let mut nodes = vec![from];
    nodes.extend(hops.iter().map(|h| h.to));
    ChronoPath { nodes, hops }
}
