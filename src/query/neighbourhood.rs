//! The entities within a number of hops of one entity, and the relations
//! among them.

use std::collections::{HashMap, VecDeque};

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
            max_nodes: 500,
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
/// Complexity: O(V' + E') over the part of the graph reached, at most the
/// cap's worth of entities and their relations.
pub fn neighbourhood(g: &Graph, center: u32, q: &NeighbourhoodQuery) -> Neighbourhood {
    let mut dist: HashMap<u32, u32> = HashMap::new();
    let mut order: Vec<u32> = vec![center];
    dist.insert(center, 0);
    let mut queue = VecDeque::from([center]);
    let mut truncated = false;
    let cap = if q.max_nodes == 0 {
        usize::MAX
    } else {
        q.max_nodes
    };
    'bfs: while let Some(n) = queue.pop_front() {
        let d = dist[&n];
        if d >= q.depth {
            continue;
        }
        for step in g.steps(n, Walk::Both) {
            if dist.contains_key(&step.other)
                || !q.filter.relation_ok(g, step.rel)
                || !q.filter.entity_ok(g, step.other)
            {
                continue;
            }
            if order.len() >= cap {
                truncated = true;
                break 'bfs;
            }
            dist.insert(step.other, d + 1);
            order.push(step.other);
            queue.push_back(step.other);
        }
    }
    let mut edges = Vec::new();
    for &n in &order {
        for step in g.steps(n, Walk::Both) {
            if step.outgoing && dist.contains_key(&step.other) && q.filter.relation_ok(g, step.rel)
            {
                edges.push(step.rel);
            }
        }
    }
    edges.sort_unstable();
    edges.dedup();
    let mut nodes: Vec<(u32, u32)> = order.iter().map(|&n| (n, dist[&n])).collect();
    nodes.sort_by(|a, b| {
        let (ea, eb) = (g.entity(a.0), g.entity(b.0));
        a.1.cmp(&b.1)
            .then(ea.kind.cmp(&eb.kind))
            .then_with(|| ea.name.cmp(&eb.name))
            .then_with(|| ea.id.cmp(&eb.id))
    });
    Neighbourhood {
        center,
        depth: q.depth,
        nodes,
        edges,
        truncated,
    }
}
