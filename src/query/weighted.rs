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
//! The search is Dijkstra's algorithm over an [`EdgeFiltered`] view of
//! `&Graph`: the filter applies the query's constraints (direction,
//! excluded kinds, avoided entities, relation types, time) and the bans of
//! Yen's algorithm, and charges every relation end it is shown to the
//! query's budget; once that is spent it lets nothing through. `dijkstra`
//! is petgraph's `astar` with a zero estimate, step for step (the same
//! heap order, so the same path among equally cheap ones), except that it
//! stops as soon as the budget is spent: `astar` would go on popping every
//! entity left in its queue and walking each one's relations (a hub's
//! thousands) only to be refused each, where the answer is already known
//! — the goal's cost and path as they stand, if it was reached. petgraph
//! has no search bounded by hop count, so a query with `max_hops` runs
//! `bounded`, Dijkstra's algorithm over (entity, hops taken) states on the
//! same view, which stops the same way.

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
        let spent = || self.budget.get() == 0;
        match max_hops {
            None => dijkstra(&view, start, goal, cost, spent),
            Some(h) => bounded(&view, start, goal, h, cost, spent),
        }
    }
}

/// A queue entry of [`dijkstra`]: ordered by cost alone, least first, and
/// equal on equal costs, as petgraph's `MinScored` orders `astar`'s
/// queue, so equally cheap entities leave the queue in the same order.
struct Queued(u64, u32);

impl PartialEq for Queued {
    fn eq(&self, other: &Queued) -> bool {
        self.0 == other.0
    }
}
impl Eq for Queued {}
impl PartialOrd for Queued {
    fn partial_cmp(&self, other: &Queued) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Queued {
    fn cmp(&self, other: &Queued) -> std::cmp::Ordering {
        other.0.cmp(&self.0)
    }
}

/// The cheapest path from `start` to `goal`: petgraph's `astar` with a
/// zero estimate, step for step, until `spent()` says the budget is gone.
/// From then on the view lets no relation through, so nothing left in the
/// queue can lower a cost: `astar` would pop its way to the goal if it
/// was reached (and answer its cost and path as they stand) or empty the
/// queue (no path). That answer is given at once.
fn dijkstra<G, F>(
    view: G,
    start: u32,
    goal: u32,
    mut cost: F,
    spent: impl Fn() -> bool,
) -> Option<(u64, Vec<u32>)>
where
    G: IntoEdges<NodeId = u32>,
    F: FnMut(G::EdgeRef) -> u64,
{
    let mut queue = BinaryHeap::new();
    let mut scores: FxHashMap<u32, u64> = FxHashMap::default();
    let mut came_from: FxHashMap<u32, u32> = FxHashMap::default();
    let path_to = |came_from: &FxHashMap<u32, u32>, last: u32| {
        let mut path = vec![last];
        let mut at = last;
        while let Some(&previous) = came_from.get(&at) {
            path.push(previous);
            at = previous;
        }
        path.reverse();
        path
    };
    scores.insert(start, 0);
    queue.push(Queued(0, start));
    while let Some(Queued(c, node)) = queue.pop() {
        if node == goal {
            return Some((scores[&goal], path_to(&came_from, goal)));
        }
        // A stale entry: the entity was reached more cheaply since.
        if scores.get(&node).is_some_and(|&best| best < c) {
            continue;
        }
        if spent() {
            return scores
                .get(&goal)
                .map(|&best| (best, path_to(&came_from, goal)));
        }
        for e in view.edges(node) {
            let next = e.target();
            let next_cost = c + cost(e);
            match scores.entry(next) {
                std::collections::hash_map::Entry::Occupied(mut slot) => {
                    if next_cost >= *slot.get() {
                        continue;
                    }
                    slot.insert(next_cost);
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(next_cost);
                }
            }
            came_from.insert(next, node);
            queue.push(Queued(next_cost, next));
        }
    }
    None
}

/// Dijkstra's algorithm over (entity, hops taken) states, for a cheapest
/// path of at most `max_hops` hops. With positive costs the cheapest such
/// walk never repeats an entity (cutting the loop out would be cheaper and
/// shorter), so the answer is a simple path. Ties are broken by hop count,
/// then entity index, so the answer is deterministic. Once `spent()`, no
/// cost can fall any more: the answer is the cheapest state of the goal
/// reached so far (fewest hops among equals), which is the one the queue
/// would have given up next.
fn bounded<G, F>(
    view: G,
    start: u32,
    goal: u32,
    max_hops: usize,
    cost: F,
    spent: impl Fn() -> bool,
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
    let path_to = |parent: &FxHashMap<State, State>, last: State| {
        let mut path = vec![last.0];
        let mut s = last;
        while let Some(&p) = parent.get(&s) {
            path.push(p.0);
            s = p;
        }
        path.reverse();
        path
    };
    while let Some(Reverse((c, h, n))) = heap.pop() {
        if best.get(&(n, h)).is_some_and(|&b| b < c) {
            continue;
        }
        if n == goal {
            return Some((c, path_to(&parent, (n, h))));
        }
        if spent() {
            return best
                .iter()
                .filter(|&(&(m, _), &c)| m == goal && c != u64::MAX)
                .map(|(&(_, h), &c)| (c, h))
                .min()
                .map(|(c, h)| (c, path_to(&parent, (goal, h))));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated graph with hubs and leaves, big enough that small
    /// budgets run out mid-search.
    fn generated() -> Graph {
        let dir = tempfile::tempdir().unwrap();
        let cfg = crate::generate::GenerateConfig {
            entities: 3_000,
            relations: 15_000,
            seed: 3,
        };
        crate::generate::generate(&cfg, dir.path()).unwrap();
        let src = crate::dataset::DatasetSource::Dir(dir.path().to_path_buf());
        crate::dataset::load(&[src], &crate::dataset::Quiet)
            .unwrap()
            .graph
    }

    /// Runs `search` on the charging view of `g` with `budget`, entities
    /// of one kind in three not passed through; returns its answer and
    /// the budget left.
    fn charged<T>(
        g: &Graph,
        budget: usize,
        search: impl FnOnce(
            &EdgeFiltered<&Graph, &dyn Fn(RelationEdge) -> bool>,
            &dyn Fn() -> bool,
        ) -> T,
    ) -> (T, usize) {
        let left = Cell::new(budget);
        let filter = |e: RelationEdge| {
            let l = left.get();
            if l == 0 {
                return false;
            }
            left.set(l - 1);
            e.target() % 3 != 1 || g.degree(e.target()) < 4
        };
        let filter: &dyn Fn(RelationEdge) -> bool = &filter;
        let view = EdgeFiltered(g, filter);
        let spent = || left.get() == 0;
        let answer = search(&view, &spent);
        (answer, left.get())
    }

    /// The search that stops once the budget is spent answers exactly
    /// what petgraph's `astar` and the bounded search that goes on to the
    /// end answer (cost, path, and budget charged), with budgets that run
    /// out at every stage and ones that never do.
    #[test]
    fn stopping_when_the_budget_is_spent_changes_no_answer() {
        let g = generated();
        let generic = generic_syms(&g);
        let cost = |e: RelationEdge| edge_cost(&g, &generic, e.target(), *e.weight());
        let n = g.entities.len() as u32;
        let (mut found, mut cut_short) = (0, 0);
        for i in 0..40u32 {
            let (a, b) = ((i * 7919) % n, (i * 104_729 + 13) % n);
            for budget in [3, 40, 300, 2_000, 20_000, 1_000_000] {
                let (ours, left) = charged(&g, budget, |v, spent| dijkstra(v, a, b, cost, spent));
                let (theirs, their_left) = charged(&g, budget, |v, _| {
                    petgraph::algo::astar(v, a, |x| x == b, cost, |_| 0)
                });
                assert_eq!(ours, theirs, "{a} → {b}, budget {budget}");
                assert_eq!(left, their_left, "{a} → {b}, budget {budget}");
                for hops in [2, 4, 12] {
                    let (ours, left) =
                        charged(&g, budget, |v, spent| bounded(v, a, b, hops, cost, spent));
                    let (theirs, their_left) =
                        charged(&g, budget, |v, _| bounded(v, a, b, hops, cost, || false));
                    assert_eq!(ours, theirs, "{a} → {b}, budget {budget}, {hops} hops");
                    assert_eq!(left, their_left);
                }
                found += usize::from(ours.is_some());
                cut_short += usize::from(left == 0 && ours.is_some());
            }
        }
        // Both kinds of answer were compared: paths found, and paths
        // found with the budget spent (the goal reached, not yet popped).
        assert!(found > 50, "{found} {cut_short}");
        assert!(cut_short >= 5, "{found} {cut_short}");
    }
}
