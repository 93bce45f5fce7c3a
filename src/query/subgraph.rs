//! Selections of a part of the graph: a time slice ([`Subgraph::at`]) or
//! a neighbourhood ([`Subgraph::of`]), as the [`Subgraph`] that exports
//! and pictures consume.

use std::collections::HashSet;

use super::{Filter, Neighbourhood};
use crate::graph::Graph;
use crate::model::TimeFilter;

/// A part of the graph, as exports and pictures consume it: entities and
/// relations by index, in ascending order. Relations only join entities
/// of the part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subgraph {
    pub nodes: Vec<u32>,
    pub relations: Vec<u32>,
}

impl Subgraph {
    /// Every entity and every relation.
    pub fn whole(g: &Graph) -> Subgraph {
        Subgraph {
            nodes: (0..g.entities.len() as u32).collect(),
            relations: (0..g.relations.len() as u32).collect(),
        }
    }

    /// The entities and relations that held at a time (the whole graph for
    /// [`TimeFilter::Always`]).
    pub fn at(g: &Graph, time: TimeFilter) -> Subgraph {
        let filter = Filter {
            time,
            ..Default::default()
        };
        let nodes: Vec<u32> = (0..g.entities.len() as u32)
            .filter(|&e| filter.entity_ok(g, e))
            .collect();
        let keep: HashSet<u32> = nodes.iter().copied().collect();
        let relations = (0..g.relations.len() as u32)
            .filter(|&r| {
                let rel = g.relation(r);
                filter.relation_ok(g, r) && keep.contains(&rel.from) && keep.contains(&rel.to)
            })
            .collect();
        Subgraph { nodes, relations }
    }

    /// A neighbourhood as a subgraph.
    pub fn of(n: &Neighbourhood) -> Subgraph {
        let mut nodes: Vec<u32> = n.nodes.iter().map(|&(e, _)| e).collect();
        nodes.sort_unstable();
        Subgraph {
            nodes,
            relations: n.edges.clone(),
        }
    }
}
