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
        Subgraph::slice(
            g,
            &Filter {
                time,
                ..Default::default()
            },
        )
    }

    /// The entities and relations a filter keeps: entities of its kinds that
    /// existed at its time, and the relations among them of its types that
    /// held then (undated ones left out when it says so).
    pub fn slice(g: &Graph, filter: &Filter) -> Subgraph {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::embedded;
    use crate::query::{NeighbourhoodQuery, neighbourhood};

    /// Relations of a part join only entities of the part, and both lists
    /// are ascending without repeats.
    fn well_formed(g: &Graph, sub: &Subgraph) {
        assert!(sub.nodes.windows(2).all(|w| w[0] < w[1]));
        assert!(sub.relations.windows(2).all(|w| w[0] < w[1]));
        for &r in &sub.relations {
            let rel = g.relation(r);
            assert!(sub.nodes.binary_search(&rel.from).is_ok(), "relation {r}");
            assert!(sub.nodes.binary_search(&rel.to).is_ok(), "relation {r}");
        }
    }

    #[test]
    fn a_time_slice_keeps_what_held_then_and_always_keeps_all() {
        let g = embedded::graph();
        assert_eq!(Subgraph::at(&g, TimeFilter::Always), Subgraph::whole(&g));
        let date = "2023-10".parse().unwrap();
        let sub = Subgraph::at(&g, TimeFilter::At(date));
        well_formed(&g, &sub);
        assert!(sub.relations.len() < g.relations.len());
        assert!(!sub.relations.is_empty());
    }

    #[test]
    fn a_neighbourhood_subgraph_is_its_entities_and_relations() {
        let g = embedded::graph();
        let center = g.entity_index("komdigi").unwrap();
        let n = neighbourhood(&g, center, &NeighbourhoodQuery::default());
        let sub = Subgraph::of(&n);
        well_formed(&g, &sub);
        assert_eq!(sub.nodes.len(), n.nodes.len());
        assert!(sub.nodes.binary_search(&center).is_ok());
        assert_eq!(sub.relations.len(), n.edges.len());
    }
}
