//! petgraph's visit traits on `&Graph`, so petgraph's algorithms
//! (`dijkstra`, `astar`, `page_rank`, `connected_components`, `Bfs`, …)
//! walk the compact adjacency itself: there is no second copy of the
//! graph to build or to keep in step.
//!
//! The view:
//!
//! - A node is an entity index (`u32`): node `i` is entity `i`, and the
//!   node ids are exactly `0..entities.len()` ([`NodeCompactIndexable`]).
//! - An edge is a relation: its id and its weight are both the relation's
//!   index (`u32`), so an edge cost function looks the relation up with
//!   [`Graph::relation`] (type, dates, source) to weigh it.
//! - [`IntoNeighbors`] and [`IntoEdges`] are undirected: every relation at
//!   a node, either way, in file order, with the node as the edge's
//!   source; a relation from an entity to itself comes once. This is the
//!   view the queries take (`Walk::Both`), so a unit-cost `dijkstra`
//!   agrees with the hop distances of `query::neighbourhood`.
//! - [`IntoNeighborsDirected`] and [`IntoEdgesDirected`] follow the
//!   relation's direction as written: `Outgoing` are the relations whose
//!   `from` is the node, `Incoming` those whose `to` is (as the source
//!   and target of the edge); a self-relation is both.
//! - [`IntoEdgeReferences`] lists every relation once, in file order,
//!   from `from` to `to`.
//!
//! Arguments: `&Graph` wherever petgraph asks for a graph `G`; node ids
//! are entity indexes ([`Graph::entity_index`] finds one by id), and an
//! edge cost function gets a [`RelationEdge`], whose `weight()` is the
//! relation index.
//!
//! Returns: what the petgraph algorithm returns, keyed by entity index
//! (`dijkstra`'s map, `page_rank`'s vector indexed by entity).
//!
//! Complexity: every iterator walks one entity's slice of the adjacency
//! (O(degree)) or the relations in order (O(E)); nothing allocates but
//! the visit map ([`Visitable`], a bit set of V bits). The algorithms
//! cost what petgraph documents; its `page_rank` is O(iterations × V² ×
//! E) by its own account, fit for a neighbourhood or a small graph, not a
//! whole big one.
//!
//! # Example
//!
//! Weighted distances from one entity, relations without an end date
//! costing less:
//!
//! ```
//! use jejaring::dataset::embedded;
//! use petgraph::algo::dijkstra;
//! use petgraph::visit::EdgeRef;
//!
//! let g = embedded::graph();
//! let from = g.entity_index("komdigi").unwrap();
//! let cost = dijkstra(&g, from, None, |e| {
//!     if g.relation(*e.weight()).end.is_none() { 1u32 } else { 3 }
//! });
//! assert_eq!(cost[&from], 0);
//! ```

use std::slice;

use fixedbitset::FixedBitSet;
use petgraph::Direction;
use petgraph::visit::{
    Data, EdgeCount, EdgeIndexable, EdgeRef, GraphBase, IntoEdgeReferences, IntoEdges,
    IntoEdgesDirected, IntoNeighbors, IntoNeighborsDirected, IntoNodeIdentifiers,
    NodeCompactIndexable, NodeCount, NodeIndexable, Visitable,
};

use super::Graph;
use super::adjacency::Adj;
use crate::model::Relation;

impl GraphBase for Graph {
    /// An entity index.
    type NodeId = u32;
    /// A relation index.
    type EdgeId = u32;
}

impl Data for Graph {
    /// Nodes carry nothing beyond their id: look the entity up with
    /// [`Graph::entity`].
    type NodeWeight = ();
    /// The relation index, for an edge cost function to look up.
    type EdgeWeight = u32;
}

impl NodeCount for Graph {
    /// The number of entities. O(1).
    fn node_count(&self) -> usize {
        self.entities.len()
    }
}

impl EdgeCount for Graph {
    /// The number of relations. O(1).
    fn edge_count(&self) -> usize {
        self.relations.len()
    }
}

impl NodeIndexable for Graph {
    fn node_bound(&self) -> usize {
        self.entities.len()
    }
    fn to_index(&self, a: u32) -> usize {
        a as usize
    }
    fn from_index(&self, i: usize) -> u32 {
        i as u32
    }
}

impl NodeCompactIndexable for Graph {}

impl EdgeIndexable for Graph {
    fn edge_bound(&self) -> usize {
        self.relations.len()
    }
    fn to_index(&self, a: u32) -> usize {
        a as usize
    }
    fn from_index(&self, i: usize) -> u32 {
        i as u32
    }
}

impl Visitable for Graph {
    type Map = FixedBitSet;
    /// A bit set of one bit per entity. O(V).
    fn visit_map(&self) -> FixedBitSet {
        FixedBitSet::with_capacity(self.entities.len())
    }
    fn reset_map(&self, map: &mut FixedBitSet) {
        map.clear();
        map.grow(self.entities.len());
    }
}

/// One relation seen as an edge: its ends as this view orients them, and
/// its index, which is both the edge's id and its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelationEdge {
    source: u32,
    target: u32,
    rel: u32,
}

impl EdgeRef for RelationEdge {
    type NodeId = u32;
    type EdgeId = u32;
    type Weight = u32;
    fn source(&self) -> u32 {
        self.source
    }
    fn target(&self) -> u32 {
        self.target
    }
    /// The relation index.
    fn weight(&self) -> &u32 {
        &self.rel
    }
    fn id(&self) -> u32 {
        self.rel
    }
}

impl IntoNodeIdentifiers for &Graph {
    type NodeIdentifiers = std::ops::Range<u32>;
    /// Every entity index, in order. O(1) to start, O(V) to walk.
    fn node_identifiers(self) -> Self::NodeIdentifiers {
        0..self.entities.len() as u32
    }
}

/// The entities at the other end of every relation at one entity, either
/// way, in file order ([`IntoNeighbors`]).
#[derive(Debug, Clone)]
pub struct Neighbors<'a> {
    ends: slice::Iter<'a, Adj>,
}

impl Iterator for Neighbors<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.ends.next().map(|a| a.other)
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl<'a> IntoNeighbors for &'a Graph {
    type Neighbors = Neighbors<'a>;
    /// Undirected: the other end of every relation at `a`; an entity
    /// joined to `a` twice comes twice. O(1) to start, O(degree) to walk.
    fn neighbors(self, a: u32) -> Neighbors<'a> {
        Neighbors {
            ends: self.adjacency.at(a).iter(),
        }
    }
}

/// The relations at one entity that point one way, as edges
/// ([`IntoEdgesDirected`]); [`NeighborsDirected`] maps them to their other
/// ends.
#[derive(Debug, Clone)]
pub struct EdgesDirected<'a> {
    node: u32,
    dir: Direction,
    ends: slice::Iter<'a, Adj>,
}

impl Iterator for EdgesDirected<'_> {
    type Item = RelationEdge;
    fn next(&mut self) -> Option<RelationEdge> {
        for a in self.ends.by_ref() {
            let step = a.step();
            // A relation from an entity to itself is listed once, as
            // outgoing, and goes both ways.
            let ok = step.other == self.node || step.outgoing == (self.dir == Direction::Outgoing);
            if ok {
                let (source, target) = match self.dir {
                    Direction::Outgoing => (self.node, step.other),
                    Direction::Incoming => (step.other, self.node),
                };
                return Some(RelationEdge {
                    source,
                    target,
                    rel: step.rel,
                });
            }
        }
        None
    }
}

/// The entities at the other end of the relations at one entity that
/// point one way ([`IntoNeighborsDirected`]).
#[derive(Debug, Clone)]
pub struct NeighborsDirected<'a> {
    edges: EdgesDirected<'a>,
}

impl Iterator for NeighborsDirected<'_> {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        let e = self.edges.next()?;
        Some(match self.edges.dir {
            Direction::Outgoing => e.target,
            Direction::Incoming => e.source,
        })
    }
}

impl<'a> IntoNeighborsDirected for &'a Graph {
    type NeighborsDirected = NeighborsDirected<'a>;
    /// `Outgoing`: the `to` of every relation from `n`; `Incoming`: the
    /// `from` of every relation to `n`. In file order; O(degree).
    fn neighbors_directed(self, n: u32, d: Direction) -> NeighborsDirected<'a> {
        NeighborsDirected {
            edges: self.edges_directed(n, d),
        }
    }
}

/// Every relation once, in file order, from `from` to `to`
/// ([`IntoEdgeReferences`]).
#[derive(Debug, Clone)]
pub struct EdgeReferences<'a> {
    relations: std::iter::Enumerate<slice::Iter<'a, Relation>>,
}

impl Iterator for EdgeReferences<'_> {
    type Item = RelationEdge;
    fn next(&mut self) -> Option<RelationEdge> {
        self.relations.next().map(|(i, r)| RelationEdge {
            source: r.from,
            target: r.to,
            rel: i as u32,
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.relations.size_hint()
    }
}

impl<'a> IntoEdgeReferences for &'a Graph {
    type EdgeRef = RelationEdge;
    type EdgeReferences = EdgeReferences<'a>;
    /// O(1) to start, O(E) to walk.
    fn edge_references(self) -> EdgeReferences<'a> {
        EdgeReferences {
            relations: self.relations.iter().enumerate(),
        }
    }
}

/// Every relation at one entity, either way, in file order, with the
/// entity as the edge's source ([`IntoEdges`]).
#[derive(Debug, Clone)]
pub struct Edges<'a> {
    node: u32,
    ends: slice::Iter<'a, Adj>,
}

impl Iterator for Edges<'_> {
    type Item = RelationEdge;
    fn next(&mut self) -> Option<RelationEdge> {
        self.ends.next().map(|a| {
            let step = a.step();
            RelationEdge {
                source: self.node,
                target: step.other,
                rel: step.rel,
            }
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.ends.size_hint()
    }
}

impl<'a> IntoEdges for &'a Graph {
    type Edges = Edges<'a>;
    /// Undirected, as [`IntoNeighbors`]: every relation at `a`, with `a`
    /// as the source. O(1) to start, O(degree) to walk.
    fn edges(self, a: u32) -> Edges<'a> {
        Edges {
            node: a,
            ends: self.adjacency.at(a).iter(),
        }
    }
}

impl<'a> IntoEdgesDirected for &'a Graph {
    type EdgesDirected = EdgesDirected<'a>;
    /// The relations from `a` (`Outgoing`, `a` the source) or to `a`
    /// (`Incoming`, `a` the target), in file order. O(degree).
    fn edges_directed(self, a: u32, dir: Direction) -> EdgesDirected<'a> {
        EdgesDirected {
            node: a,
            dir,
            ends: self.adjacency.at(a).iter(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{DatasetSource, Quiet, embedded, load};
    use crate::query::{NeighbourhoodQuery, neighbourhood};
    use petgraph::algo::{connected_components, dijkstra, page_rank};
    use petgraph::visit::Bfs;

    /// A small graph: a triangle a→b→c→a with a self-relation at c, a
    /// pair d→e, and f alone (joined only to itself).
    fn fixture() -> Graph {
        let sources = "id,title,publisher,published,url,language,file\ns1,Report,,2020,,,\n";
        let entities = "id,kind,name,aliases,country,start,end,description\n\
            a,person,Alpha,,,,,\n\
            b,person,Beta,,,,,\n\
            c,person,Gamma,,,,,\n\
            d,company,Delta,,,,,\n\
            e,company,Epsilon,,,,,\n\
            f,company,Phi,,,,,\n";
        let relations = "from,to,type,role,start,end,source,evidence\n\
            a,b,works_for,,,,s1,one\n\
            b,c,works_for,,,,s1,two\n\
            c,a,works_for,,,,s1,three\n\
            c,c,works_for,,,,s1,four\n\
            d,e,owns,,,,s1,five\n\
            f,f,owns,,,,s1,six\n";
        let ds = DatasetSource::memory("fixture", sources, entities, relations);
        match load(&[ds], &Quiet) {
            Ok(loaded) => loaded.graph,
            Err(e) => panic!("the fixture loads: {e:?}"),
        }
    }

    fn id(g: &Graph, id: &str) -> u32 {
        g.entity_index(id).expect(id)
    }

    #[test]
    fn unit_dijkstra_is_the_hop_distance_of_a_neighbourhood() {
        let g = embedded::graph();
        let mut checked = 0;
        for center in (0..g.entities.len() as u32).step_by(7) {
            let hops = dijkstra(&g, center, None, |_| 1u32);
            let q = NeighbourhoodQuery {
                depth: 3,
                max_nodes: usize::MAX,
                ..NeighbourhoodQuery::default()
            };
            let n = neighbourhood(&g, center, &q);
            assert!(!n.truncated);
            // Everything the neighbourhood reaches, at the same distance…
            for &(node, d) in &n.nodes {
                assert_eq!(hops.get(&node), Some(&d), "entity {node} from {center}");
            }
            // …and nothing within its depth that it missed.
            let near = hops.values().filter(|&&d| d <= 3).count();
            assert_eq!(near, n.nodes.len(), "from {center}");
            checked += 1;
        }
        assert!(checked > 3);
    }

    #[test]
    fn connected_components_of_the_fixture() {
        let g = fixture();
        // {a, b, c}, {d, e}, {f}.
        assert_eq!(connected_components(&g), 3);
        let mut bfs = Bfs::new(&g, id(&g, "a"));
        let mut seen = Vec::new();
        while let Some(n) = bfs.next(&g) {
            seen.push(g.entity(n).id().to_string());
        }
        seen.sort();
        assert_eq!(seen, ["a", "b", "c"]);
    }

    #[test]
    fn page_rank_of_the_fixture_sums_to_one() {
        let g = fixture();
        let ranks: Vec<f64> = page_rank(&g, 0.85, 20);
        assert_eq!(ranks.len(), 6);
        let sum: f64 = ranks.iter().sum();
        assert!((sum - 1.0).abs() < 1e-9, "sum {sum}");
        // The triangle shares its rank evenly but for c's self-relation,
        // which keeps more of c's at c.
        let r = |s: &str| ranks[id(&g, s) as usize];
        assert!((r("a") - r("b")).abs() < 1e-9);
        assert!(r("c") > r("a"));
        assert!((r("d") - r("e")).abs() < 1e-9);
    }

    #[test]
    fn directed_edges_follow_the_relations() {
        let g = fixture();
        let out = |s: &str, d| -> Vec<String> {
            let mut v: Vec<String> = g
                .neighbors_directed(id(&g, s), d)
                .map(|n| g.entity(n).id().to_string())
                .collect();
            v.sort();
            v
        };
        assert_eq!(out("a", Direction::Outgoing), ["b"]);
        assert_eq!(out("a", Direction::Incoming), ["c"]);
        assert_eq!(out("c", Direction::Outgoing), ["a", "c"]);
        assert_eq!(out("c", Direction::Incoming), ["b", "c"]);
        assert_eq!(out("e", Direction::Outgoing), Vec::<String>::new());
        // Every relation once in the edge list, and once per end (a
        // self-relation once) in the undirected edges of its entities.
        let listed: Vec<u32> = g.edge_references().map(|e| e.id()).collect();
        assert_eq!(listed, (0..6).collect::<Vec<u32>>());
        let ends: usize = g.node_identifiers().map(|n| g.edges(n).count()).sum();
        assert_eq!(ends, 2 * 6 - 2);
        for e in g.edges(id(&g, "b")) {
            assert_eq!(e.source(), id(&g, "b"));
            assert_eq!(
                g.relation(*e.weight()).from.max(g.relation(e.id()).to),
                e.target().max(e.source())
            );
        }
    }
}
