//! Answers as graphs: the part of the graph an analysis answer is about,
//! as the [`Subgraph`] that the exports (GEXF, GraphML, Gephi) write, so
//! an interlock or a time-respecting path opens in Gephi directly.

use crate::graph::{Graph, Walk};
use crate::query::subgraph::Subgraph;
use crate::query::{Filter, PathAnswer};

use super::{ChronoPath, CommonAnswer, sees};

/// Sorts and dedups the two lists, as a [`Subgraph`] holds them.
fn tidy_up(mut nodes: Vec<u32>, mut relations: Vec<u32>) -> Subgraph {
    nodes.sort_unstable();
    nodes.dedup();
    relations.sort_unstable();
    relations.dedup();
    Subgraph { nodes, relations }
}

/// The given entities, what they have in common and how: at one hop the
/// relations joining each hit to each given entity; at two hops the
/// entities in between named by the answer and the relations (seen by
/// `filter`) that join them to the hit and to the given entity.
///
/// Complexity: O(Σ d(v)) over the in-between entities.
pub fn common_subgraph(g: &Graph, filter: &Filter, a: &CommonAnswer) -> Subgraph {
    let mut nodes = a.entities.clone();
    let mut relations = Vec::new();
    for h in &a.hits {
        nodes.push(h.entity);
        for (l, &given) in h.links.iter().zip(&a.entities) {
            relations.extend_from_slice(&l.relations);
            for &v in &l.via {
                nodes.push(v);
                relations.extend(
                    g.steps(v, Walk::Both)
                        .filter(|s| {
                            (s.other == h.entity || s.other == given) && sees(g, filter, s.rel)
                        })
                        .map(|s| s.rel),
                );
            }
        }
    }
    tidy_up(nodes, relations)
}

/// Listed relations (a page of a timeline or of a relation listing) and
/// the entities at their ends, with `also` (the timeline's own entity,
/// which a page of no relations still holds).
///
/// Complexity: O(R log R) for R relations.
pub fn relations_subgraph(g: &Graph, relations: &[u32], also: &[u32]) -> Subgraph {
    let mut nodes = also.to_vec();
    for &r in relations {
        let rel = g.relation(r);
        nodes.extend([rel.from, rel.to]);
    }
    tidy_up(nodes, relations.to_vec())
}

/// A time-respecting path: its entities and the relation of each hop.
pub fn chrono_subgraph(p: &ChronoPath) -> Subgraph {
    tidy_up(p.nodes.clone(), p.hops.iter().map(|h| h.relation).collect())
}

/// Shortest paths: their entities and every relation of every hop (each
/// hop's receipts, not only the first).
pub fn paths_subgraph(a: &PathAnswer) -> Subgraph {
    tidy_up(
        a.paths
            .iter()
            .flat_map(|p| p.nodes.iter().copied())
            .collect(),
        a.paths
            .iter()
            .flat_map(|p| p.hops.iter().flatten().copied())
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::analysis::{CommonQuery, common};

    #[test]
    fn listed_relations_bring_their_ends() {
        let g = crate::dataset::embedded::graph();
        let k = g.entity_index("komdigi").unwrap();
        let rels: Vec<u32> = g.steps(k, Walk::Both).map(|s| s.rel).take(3).collect();
        let sub = relations_subgraph(&g, &rels, &[k]);
        let mut want: Vec<u32> = rels.clone();
        want.sort_unstable();
        want.dedup();
        assert_eq!(sub.relations, want);
        assert!(sub.nodes.binary_search(&k).is_ok());
        for &r in &rels {
            let rel = g.relation(r);
            assert!(sub.nodes.binary_search(&rel.from).is_ok());
            assert!(sub.nodes.binary_search(&rel.to).is_ok());
        }
        assert!(sub.nodes.len() <= 1 + 2 * rels.len());
        let empty = relations_subgraph(&g, &[], &[k]);
        assert_eq!((empty.nodes, empty.relations), (vec![k], vec![]));
    }

    #[test]
    fn a_common_subgraph_joins_only_its_own_entities() {
        let g = crate::dataset::embedded::graph();
        let a = g.entity_index("komdigi").unwrap();
        let b = g.entity_index("india").unwrap();
        for depth in [1, 2] {
            let q = CommonQuery {
                entities: vec![a, b],
                depth,
                ..Default::default()
            };
            let answer = common(&g, &q).unwrap();
            let sub = common_subgraph(&g, &q.filter, &answer);
            assert!(sub.nodes.contains(&a) && sub.nodes.contains(&b));
            for h in &answer.hits {
                assert!(sub.nodes.contains(&h.entity));
            }
            for &r in &sub.relations {
                let rel = g.relation(r);
                assert!(
                    sub.nodes.binary_search(&rel.from).is_ok()
                        && sub.nodes.binary_search(&rel.to).is_ok(),
                    "relation {r} leaves the answer"
                );
            }
            // Every hit is joined to the answer by at least one relation.
            for h in &answer.hits {
                assert!(
                    sub.relations.iter().any(|&r| {
                        let rel = g.relation(r);
                        rel.from == h.entity || rel.to == h.entity
                    }),
                    "hit {} has no relation in the subgraph",
                    g.entity(h.entity).id()
                );
            }
        }
    }
}
