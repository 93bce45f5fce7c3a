//! The entities within a number of hops of one entity, and the relations
//! among them.

use rustc_hash::{FxHashMap, FxHashSet};
use std::cmp::Ordering;

use crate::graph::{Graph, Walk};
use crate::query::Filter;

/// With a filter on what is shown, the walk may pass through this many
/// times the node cap of entities it does not show, so a narrow answer
/// still costs a bounded amount.
pub const WALK_FACTOR: usize = 16;

#[derive(Debug, Clone)]
pub struct NeighbourhoodQuery {
    pub depth: u32,
    /// The most entities in the answer, centre included; 0 for no cap.
    pub max_nodes: usize,
    /// What the answer shows: entity kinds, relation types, and the time,
    /// which also bounds the walk (a relation that did not hold then is not
    /// there to walk along).
    pub filter: Filter,
    /// What the walk may pass through: the kinds of the entities it goes on
    /// from (the centre always) and the types of the relations it follows.
    /// Its time is not read.
    pub through: Filter,
}

impl Default for NeighbourhoodQuery {
    fn default() -> Self {
        NeighbourhoodQuery {
            depth: 1,
            max_nodes: crate::query::request::DEFAULT_MAX_NODES,
            filter: Filter::default(),
            through: Filter::default(),
        }
    }
}

/// What each filter took out of an answer, so a short or empty answer
/// says why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Removed {
    /// Entities within reach not shown for their kind (`kind`).
    pub kind: usize,
    /// Relations among the entities within reach not shown for their type
    /// (`type`), and entities not shown because none of their relations
    /// there is of a shown type.
    #[serde(rename = "type")]
    pub rel_type: usize,
    /// Relations from walked entities that did not hold at the time asked.
    pub time: usize,
    /// Entities not walked through for their kind and relations not
    /// followed for their type (`through_kind`, `through_type`).
    pub through: usize,
}

impl Removed {
    pub fn is_empty(&self) -> bool {
        *self == Removed::default()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Neighbourhood {
    pub center: u32,
    pub depth: u32,
    /// Entities and their distance from the centre: the centre first, then
    /// by distance, kind and name.
    pub nodes: Vec<(u32, u32)>,
    /// Relations among the shown entities that pass the filter, in file
    /// order.
    pub edges: Vec<u32>,
    /// Whether the cap cut entities that were within reach.
    pub truncated: bool,
    /// What the filters took out.
    pub removed: Removed,
}

/// Breadth-first neighbourhood, either direction.
///
/// Arguments: the centre, the depth, a node cap, a filter on what is shown
/// (kinds, relation types, time) and one on what the walk passes through.
/// The walk follows every relation that held at the time asked, and only
/// the explicit `through` filter narrows it; the shown filter then keeps
/// the entities of its kinds (the centre always) and, when it names
/// types, those touching a relation of them, and the relations of its
/// types among the entities kept. So `--kind person --depth 2` finds the
/// people two hops away through an agreement.
/// Returns: the entities shown and the relations among them, nearest
/// first; past the cap, the nearest entities are kept and `truncated` is
/// set; `removed` counts what each filter took out.
/// Complexity: O(V' + E') over the part of the graph reached: the walk
/// stops at the cap (or at [`WALK_FACTOR`] times the cap when some
/// entities reached are not shown), then walks the reached entities'
/// relations once for the induced edges.
pub fn neighbourhood(g: &Graph, center: u32, q: &NeighbourhoodQuery) -> Neighbourhood {
    let cap = if q.max_nodes == 0 {
        usize::MAX
    } else {
        q.max_nodes.max(1)
    };
    let show = &q.filter;
    let shows_all = show.kinds.is_empty() && show.types.is_empty();
    let walk_cap = if shows_all {
        cap
    } else {
        cap.saturating_mul(WALK_FACTOR)
    };
    let mut removed = Removed::default();
    let mut dist: FxHashMap<u32, u32> = FxHashMap::default();
    dist.insert(center, 0);
    let mut order: Vec<u32> = vec![center];
    let mut truncated = false;
    let mut late: FxHashSet<u32> = FxHashSet::default();
    let mut unfollowed: FxHashSet<u32> = FxHashSet::default();
    let mut layer = vec![center];
    'layers: for d in 1..=q.depth {
        let mut next: Vec<u32> = Vec::new();
        for &n in &layer {
            if n != center
                && !q.through.kinds.is_empty()
                && !q.through.kinds.contains(&g.entity(n).kind)
            {
                removed.through += 1;
                continue;
            }
            for step in g.steps(n, Walk::Both) {
                if dist.contains_key(&step.other) {
                    continue;
                }
                if !q.through.types.is_empty()
                    && !q.through.types.contains(&g.relation(step.rel).rel_type)
                {
                    unfollowed.insert(step.rel);
                    continue;
                }
                let other = g.entity(step.other);
                if !(show.time_ok(g, step.rel) && show.time.holds(other.start, other.end)) {
                    late.insert(step.rel);
                    continue;
                }
                if order.len() + next.len() == walk_cap {
                    // Full: the entities kept at this distance are the
                    // first reached, relations taken in file order.
                    order.extend(&next);
                    truncated = true;
                    break 'layers;
                }
                dist.insert(step.other, d);
                next.push(step.other);
            }
        }
        if next.is_empty() {
            break;
        }
        order.extend(&next);
        layer = next;
    }
    removed.time = late.len();
    removed.through += unfollowed.len();
    // Every relation among the entities reached that held at the time.
    let mut among = Vec::new();
    for &n in &order {
        for step in g.steps(n, Walk::Both) {
            if step.outgoing && dist.contains_key(&step.other) && show.time_ok(g, step.rel) {
                among.push(step.rel);
            }
        }
    }
    among.sort_unstable();
    among.dedup();
    let typed = |r: u32| show.types.is_empty() || show.types.contains(&g.relation(r).rel_type);
    let mut touched: FxHashSet<u32> = FxHashSet::default();
    if !show.types.is_empty() {
        for &r in &among {
            if typed(r) {
                let rel = g.relation(r);
                touched.insert(rel.from);
                touched.insert(rel.to);
            } else {
                removed.rel_type += 1;
            }
        }
    }
    let mut shown: Vec<u32> = Vec::with_capacity(order.len());
    for &n in &order {
        if n != center {
            if !show.kinds.is_empty() && !show.kinds.contains(&g.entity(n).kind) {
                removed.kind += 1;
                continue;
            }
            if !show.types.is_empty() && !touched.contains(&n) {
                removed.rel_type += 1;
                continue;
            }
        }
        shown.push(n);
    }
    if shown.len() > cap {
        shown.truncate(cap);
        truncated = true;
    }
    let kept: FxHashSet<u32> = shown.iter().copied().collect();
    let edges: Vec<u32> = among
        .into_iter()
        .filter(|&r| {
            let rel = g.relation(r);
            typed(r) && kept.contains(&rel.from) && kept.contains(&rel.to)
        })
        .collect();
    let mut nodes: Vec<(u32, u32)> = shown.iter().map(|&n| (n, dist[&n])).collect();
    nodes.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| display_order(g, a.0, b.0)));
    Neighbourhood {
        center,
        depth: q.depth,
        nodes,
        edges,
        truncated,
        removed,
    }
}

/// Kind, then name, then id.
fn display_order(g: &Graph, a: u32, b: u32) -> Ordering {
    let (ea, eb) = (g.entity(a), g.entity(b));
    ea.kind
        .cmp(&eb.kind)
        .then_with(|| ea.name().cmp(eb.name()))
        .then_with(|| ea.id().cmp(eb.id()))
}
