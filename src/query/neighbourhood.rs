//! The entities within a number of hops of one entity, and the relations
//! among them.

use rustc_hash::FxHashMap;
use std::cmp::Ordering;

use crate::graph::{Graph, Walk};
use crate::query::Filter;

#[derive(Debug, Clone)]
pub struct NeighbourhoodQuery {
    pub depth: u32,
    /// The most entities in the answer, centre included; 0 for no cap.
    pub max_nodes: usize,
    pub filter: Filter,
}

impl Default for NeighbourhoodQuery {
    fn default() -> Self {
        NeighbourhoodQuery {
            depth: 1,
            max_nodes: crate::query::request::DEFAULT_MAX_NODES,
            filter: Filter::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Neighbourhood {
    pub center: u32,
    pub depth: u32,
    /// Entities and their distance from the centre: the centre first, then
    /// by distance, kind and name.
    pub nodes: Vec<(u32, u32)>,
    /// Relations among the kept entities that pass the filter, in file order.
    pub edges: Vec<u32>,
    /// Whether the cap cut entities that were within reach.
    pub truncated: bool,
}

/// Breadth-first neighbourhood, either direction.
///
/// Arguments: the centre, the depth, a node cap, and a filter on kinds,
/// relation types and time (the centre is always kept; entities of other
/// kinds are neither kept nor walked through).
/// Returns: the entities within `depth` hops and the relations among them;
/// past the cap, the nearest entities are kept and `truncated` is set.
/// Complexity: O(V' + E') over the part of the graph reached: the search
/// stops as soon as the cap is full, then walks the kept entities'
/// relations once for the induced edges.
pub fn neighbourhood(g: &Graph, center: u32, q: &NeighbourhoodQuery) -> Neighbourhood {
    let mut dist: FxHashMap<u32, u32> = FxHashMap::default();
    dist.insert(center, 0);
    let mut order: Vec<u32> = vec![center];
    let mut truncated = false;
    let cap = if q.max_nodes == 0 {
        usize::MAX
    } else {
        q.max_nodes.max(1)
    };
    let open = q.filter.is_open();
    let mut layer = vec![center];
    'layers: for d in 1..=q.depth {
        let mut next: Vec<u32> = Vec::new();
        for &n in &layer {
            for step in g.steps(n, Walk::Both) {
                if dist.contains_key(&step.other)
                    || !(open
                        || q.filter.relation_ok(g, step.rel) && q.filter.entity_ok(g, step.other))
                {
                    continue;
                }
                if order.len() + next.len() == cap {
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
    let mut edges = Vec::new();
    for &n in &order {
        for step in g.steps(n, Walk::Both) {
            if step.outgoing
                && dist.contains_key(&step.other)
                && (open || q.filter.relation_ok(g, step.rel))
            {
                edges.push(step.rel);
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    let mut nodes: Vec<(u32, u32)> = order.iter().map(|&n| (n, dist[&n])).collect();
    nodes.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| display_order(g, a.0, b.0)));
    Neighbourhood {
        center,
        depth: q.depth,
        nodes,
        edges,
        truncated,
    }
}

/// Kind, then name, then id.
fn display_order(g: &Graph, a: u32, b: u32) -> Ordering {
    let (ea, eb) = (g.entity(a), g.entity(b));
    ea.kind
        .cmp(&eb.kind)
        .then_with(|| ea.name.cmp(&eb.name))
        .then_with(|| ea.id.cmp(&eb.id))
}
