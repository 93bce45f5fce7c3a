//! "Specific paths first": the weighted ranking of paths, run through
//! petgraph's algorithms on the graph's own adjacency.
//!
//! Countries, topics and the bodies everyone belongs to join almost
//! everything, so the fewest hops between two entities usually pass
//! through one of them and say little. This ranking makes such paths
//! expensive instead of forbidding them:
//!
//! - Entering an entity costs `1 + log2(degree)` (a leaf costs 1, an
//!   entity with 1,024 relations costs 11), so a hub is crossed only when
//!   nothing more specific joins the ends.
//! - A hop whose relations are all of a generic type ([`GENERIC_TYPES`]:
//!   `located_in`, `member_of`, `covers`, `part_of`) costs
//!   [`GENERIC_FACTOR`] times as much; a hop that also has a specific
//!   relation costs the plain price.
//!
//! Costs are kept in thousandths ([`COST_SCALE`]) as whole numbers, so sums
//! are exact, ties are real ties and answers are the same on every
//! machine.
//!
//! The search is petgraph's `astar` (with a zero estimate, which makes it
//! Dijkstra's algorithm that also returns the path) over an
//! [`EdgeFiltered`] view of `&Graph`: the filter applies the query's
//! constraints (direction, excluded kinds, avoided entities, relation
//! types, time) and the bans of Yen's algorithm, and charges every
//! relation end it is shown to the query's budget; once that is spent it
//! lets nothing through, so the search ends. petgraph has no search bounded
//! by hop count, so a query with `max_hops` runs `bounded`, Dijkstra's
//! algorithm over (entity, hops taken) states on the same view.

use std::cell::Cell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::visit::{EdgeFiltered, EdgeRef, IntoEdges};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::graph::Graph;
use crate::graph::visit::RelationEdge;
use crate::model::Sym;

/// Relation types that join many entities and so say little about how
/// two of them are connected.
pub const GENERIC_TYPES: [&str; 4] = ["located_in", "member_of", "covers", "part_of"];
/// How many times more a hop by generic relations only costs.
pub const GENERIC_FACTOR: u64 = 3;
/// Costs are whole thousandths of the unit (a leaf entered by a specific
/// relation costs 1.000).
pub const COST_SCALE: u64 = 1000;

/// The cost of entering an entity, in thousandths: `1 + log2(degree)`.
pub fn enter_cost(g: &Graph, entity: u32) -> u64 {
    let degree = g.degree(entity).max(1) as f64;
    ((1.0 + degree.log2()) * COST_SCALE as f64).round() as u64
}

/// The generic relation types present in a graph.
pub(crate) fn generic_syms(g: &Graph) -> Vec<Sym> {
    GENERIC_TYPES.iter().filter_map(|t| g.type_sym(t)).collect()
}

/// Whether every relation of a hop is of a generic type.
pub(crate) fn is_generic_hop(g: &Graph, generic: &[Sym], rels: &[u32]) -> bool {
    !rels.is_empty()
        && rels
            .iter()
            .all(|&r| generic.contains(&g.relation(r).rel_type))
}

/// The cost of a hop into `entered` by the given relations: the cheapest
/// of them.
pub(crate) fn hop_cost(g: &Graph, generic: &[Sym], entered: u32, rels: &[u32]) -> u64 {
    let factor = if is_generic_hop(g, generic, rels) {
        GENERIC_FACTOR
    } else {
        1
    };
    enter_cost(g, entered) * factor
}

/// The cost of following one relation into `entered`.
fn edge_cost(g: &Graph, generic: &[Sym], entered: u32, rel: u32) -> u64 {
    hop_cost(g, generic, entered, &[rel])
}

/// What a single weighted search may use: the query's constraints (as a
/// predicate on relation edges, already including direction) and, for
/// Yen's spur searches, entities and hops banned.
pub(crate) struct Rules<'a, P> {
    pub g: &'a Graph,
    pub generic: &'a [Sym],
    /// Whether an edge may be followed under the query's constraints.
    pub allowed: P,
    pub budget: &'a Cell<usize>,
}

impl<P: Fn(RelationEdge) -> bool> Rules<'_, P> {
    /// The cheapest path from `start` to `goal` entering no banned entity
    /// and taking no banned hop, with at most `max_hops` hops when given.
    /// Returns its cost and its entities.
    pub(crate) fn cheapest(
        &self,
        start: u32,
        goal: u32,
        banned_nodes: &FxHashSet<u32>,
        banned: &FxHashSet<(u32, u32)>,
        max_hops: Option<usize>,
    ) -> Option<(u64, Vec<u32>)> {
        if start == goal {
            return Some((0, vec![start]));
        }
        let g = self.g;
        // Every relation end the view shows costs one unit of the budget,
        // whether or not it passes; an empty budget lets nothing through.
        let view = EdgeFiltered::from_fn(g, |e: RelationEdge| {
            let left = self.budget.get();
            if left == 0 {
                return false;
            }
            self.budget.set(left - 1);
            !banned_nodes.contains(&e.target())
                && !banned.contains(&(e.source(), e.target()))
                && (self.allowed)(e)
        });
        let cost = |e: RelationEdge| edge_cost(g, self.generic, e.target(), *e.weight());
        match max_hops {
            None => petgraph::algo::astar(&view, start, |n| n == goal, cost, |_| 0),
            Some(h) => bounded(&view, start, goal, h, cost),
        }
    }
}

/// Dijkstra's algorithm over (entity, hops taken) states, for a cheapest
/// path of at most `max_hops` hops. With positive costs the cheapest such
/// walk never repeats an entity (cutting the loop out would be cheaper and
/// shorter), so the answer is a simple path. Ties are broken by hop count,
/// then entity index, so the answer is deterministic.
fn bounded<G, F>(
    view: G,
    start: u32,
    goal: u32,
    max_hops: usize,
    cost: F,
) -> Option<(u64, Vec<u32>)>
where
    G: IntoEdges<NodeId = u32>,
    F: Fn(G::EdgeRef) -> u64,
{
    type State = (u32, usize);
    let mut best: FxHashMap<State, u64> = FxHashMap::default();
    let mut parent: FxHashMap<State, State> = FxHashMap::default();
    let mut heap = BinaryHeap::new();
    best.insert((start, 0), 0);
    heap.push(Reverse((0u64, 0usize, start)));
    while let Some(Reverse((c, h, n))) = heap.pop() {
        if best.get(&(n, h)).is_some_and(|&b| b < c) {
            continue;
        }
        if n == goal {
            let mut path = vec![n];
            let mut s = (n, h);
            while let Some(&p) = parent.get(&s) {
                path.push(p.0);
                s = p;
            }
            path.reverse();
            return Some((c, path));
        }
        if h == max_hops {
            continue;
        }
        for e in view.edges(n) {
            let m = e.target();
            let mc = c + cost(e);
            let slot = best.entry((m, h + 1)).or_insert(u64::MAX);
            if mc < *slot {
                *slot = mc;
                parent.insert((m, h + 1), (n, h));
                heap.push(Reverse((mc, h + 1, m)));
            }
        }
    }
    None
}
