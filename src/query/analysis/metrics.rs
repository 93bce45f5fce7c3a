//! Per-entity measures of an exported part of the graph — degree,
//! PageRank and connected component — for `export --with-metrics`, which
//! writes them as declared columns beside each entity's own.
//!
//! The measures are those of the part as exported (a time slice, a
//! neighbourhood, the whole graph): only its entities and relations count,
//! so a file opened in Gephi or networkx shows the figures its own
//! algorithms would find in it.
//!
//! - `degree`: the part's relations at the entity, either way; a relation
//!   from an entity to itself counts once (as `rank --by degree` counts;
//!   networkx counts such a loop twice).
//! - `pagerank`: [`super::petgraph_algos::pagerank_scores`] over the
//!   undirected part, summing to 1 over its entities. The whole graph is
//!   walked in place through petgraph's visit traits on `&Graph`; a
//!   proper part is first copied into a compact petgraph graph of its own
//!   (O(V' + E') for a part of V' entities and E' relations), so that
//!   entities outside it take no share of the random jumps.
//! - `component`: the number of the entity's connected component (petgraph's
//!   `UnionFind` over the part's relations), numbered from 0, largest
//!   first; components of equal size in the order of their first entity in
//!   file order. Every entity without a relation is a component of its
//!   own, so the last numbers are the loners.

use petgraph::graph::{NodeIndex, UnGraph};
use petgraph::unionfind::UnionFind;

use crate::graph::Graph;
use crate::query::subgraph::Subgraph;

use super::petgraph_algos::pagerank_scores;
use super::tidy;

/// Degree, PageRank and component of each entity of a part, aligned with
/// its `nodes` (entry `i` is about `sub.nodes[i]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    pub degree: Vec<u32>,
    /// Rounded to ten significant digits, as rankings are.
    pub pagerank: Vec<f64>,
    /// Component numbers: 0 is the largest.
    pub component: Vec<u32>,
    /// How many components the part has.
    pub components: usize,
}

/// Measures every entity of a part of the graph.
///
/// Arguments: the graph and the part (entities and relations ascending,
/// relations joining only entities of the part, as [`Subgraph`] holds).
/// Returns: the [`Metrics`] of each entity of the part, in its order.
/// Complexity: O(I·(V' + E')) for PageRank's rounds I, O(E'·α(V') +
/// V' log V') for the components, with a binary search per relation end
/// to place it in a proper part.
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::metrics;
/// use jejaring::query::subgraph::Subgraph;
/// let g = jejaring::dataset::embedded::graph();
/// let m = metrics(&g, &Subgraph::whole(&g));
/// assert_eq!(m.degree.len(), g.entities.len());
/// assert_eq!(m.degree[0] as usize, g.degree(0));
/// assert!((m.pagerank.iter().sum::<f64>() - 1.0).abs() < 1e-6);
/// ```
pub fn metrics(g: &Graph, sub: &Subgraph) -> Metrics {
    let whole = sub.nodes.len() == g.entities.len() && sub.relations.len() == g.relations.len();
    measure(g, sub, whole)
}

/// [`metrics`], walking the graph in place (`whole`: the part is every
/// entity and relation) or a compact copy of the part.
fn measure(g: &Graph, sub: &Subgraph, whole: bool) -> Metrics {
    let n = sub.nodes.len();
    // Each relation's ends as positions in the part.
    let place = |e: u32| -> usize {
        if whole {
            e as usize
        } else {
            // A relation of a well-formed part joins entities of the part.
            sub.nodes.binary_search(&e).unwrap_or(0)
        }
    };
    let ends: Vec<(usize, usize)> = sub
        .relations
        .iter()
        .map(|&r| {
            let rel = g.relation(r);
            (place(rel.from), place(rel.to))
        })
        .collect();

    let mut degree = vec![0u32; n];
    let mut sets: UnionFind<usize> = UnionFind::new(n);
    for &(a, b) in &ends {
        degree[a] += 1;
        if a != b {
            degree[b] += 1;
            sets.union(a, b);
        }
    }

    let pagerank = if whole {
        pagerank_scores(g)
    } else {
        let mut part: UnGraph<(), ()> = UnGraph::with_capacity(n, ends.len());
        for _ in 0..n {
            part.add_node(());
        }
        for &(a, b) in &ends {
            part.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
        }
        pagerank_scores(&part)
    };
    let pagerank = pagerank.into_iter().map(tidy).collect();

    // Number the components largest first, ties by their first entity.
    let labels = sets.into_labeling();
    let mut size = vec![0usize; n];
    let mut first = vec![usize::MAX; n];
    for (i, &l) in labels.iter().enumerate() {
        size[l] += 1;
        first[l] = first[l].min(i);
    }
    let mut roots: Vec<usize> = (0..n).filter(|&l| size[l] > 0).collect();
    roots.sort_by(|&a, &b| size[b].cmp(&size[a]).then(first[a].cmp(&first[b])));
    let mut number = vec![0u32; n];
    for (k, &root) in roots.iter().enumerate() {
        number[root] = k as u32;
    }
    Metrics {
        degree,
        pagerank,
        component: labels.iter().map(|&l| number[l]).collect(),
        components: roots.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{DatasetSource, Quiet, load};
    use crate::model::TimeFilter;

    /// A star h–{a, b, c} (h–c in 2010 only), a pair x–y joined twice, z
    /// joined only to itself, and w with no relation.
    fn fixture() -> Graph {
        let entities = "id,kind,name\nh,person,H\na,person,A\nb,person,B\n\
            c,company,C\nx,person,X\ny,person,Y\nz,person,Z\nw,person,W\n";
        let relations = "from,to,type,start,end,source\n\
            h,a,met_with,,,s\n\
            b,h,met_with,,,s\n\
            h,c,works_for,2010,2010,s\n\
            x,y,met_with,,,s\n\
            y,x,owns,,,s\n\
            z,z,met_with,,,s\n";
        let ds = DatasetSource::memory("fixture", "id,title\ns,S\n", entities, relations);
        match load(&[ds], &Quiet) {
            Ok(l) => l.graph,
            Err(e) => panic!("the fixture loads: {e}"),
        }
    }

    fn of<T: Copy>(g: &Graph, sub: &Subgraph, values: &[T], id: &str) -> T {
        let e = g.entity_index(id).unwrap();
        values[sub.nodes.binary_search(&e).unwrap()]
    }

    #[test]
    fn hand_counted_degrees_and_components_of_the_whole_graph() {
        let g = fixture();
        let sub = Subgraph::whole(&g);
        let m = metrics(&g, &sub);
        for (id, degree, component) in [
            ("h", 3, 0),
            ("a", 1, 0),
            ("b", 1, 0),
            ("c", 1, 0),
            ("x", 2, 1),
            ("y", 2, 1),
            // z and w are loners: z (earlier in the file) first.
            ("z", 1, 2),
            ("w", 0, 3),
        ] {
            assert_eq!(of(&g, &sub, &m.degree, id), degree, "degree of {id}");
            assert_eq!(
                of(&g, &sub, &m.component, id),
                component,
                "component of {id}"
            );
        }
        assert_eq!(m.components, 4);
        assert!((m.pagerank.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        // The hub leads; spokes tie.
        assert!(of(&g, &sub, &m.pagerank, "h") > of(&g, &sub, &m.pagerank, "a"));
        assert_eq!(
            of(&g, &sub, &m.pagerank, "a"),
            of(&g, &sub, &m.pagerank, "b")
        );
    }

    #[test]
    fn a_time_slice_is_measured_on_its_own() {
        let g = fixture();
        // In 2024 h–c (2010) no longer holds: c stands alone.
        let sub = Subgraph::at(&g, TimeFilter::At("2024".parse().unwrap()));
        assert_eq!(sub.nodes.len(), g.entities.len());
        let m = metrics(&g, &sub);
        assert_eq!(of(&g, &sub, &m.degree, "h"), 2);
        assert_eq!(of(&g, &sub, &m.degree, "c"), 0);
        // {h a b} 3, {x y} 2, then the loners c, z, w in file order.
        assert_eq!(of(&g, &sub, &m.component, "h"), 0);
        assert_eq!(of(&g, &sub, &m.component, "x"), 1);
        assert_eq!(of(&g, &sub, &m.component, "c"), 2);
        assert_eq!(of(&g, &sub, &m.component, "z"), 3);
        assert_eq!(of(&g, &sub, &m.component, "w"), 4);
        assert_eq!(m.components, 5);
    }

    #[test]
    fn a_proper_part_takes_no_share_from_entities_outside_it() {
        let g = fixture();
        // The pair x–y alone: two entities joined twice, level at 1/2.
        let x = g.entity_index("x").unwrap();
        let y = g.entity_index("y").unwrap();
        let mut nodes = vec![x, y];
        nodes.sort_unstable();
        let relations = (0..g.relations.len() as u32)
            .filter(|&r| nodes.contains(&g.relation(r).from))
            .collect();
        let sub = Subgraph { nodes, relations };
        let m = metrics(&g, &sub);
        assert_eq!(m.degree, [2, 2]);
        assert_eq!(m.component, [0, 0]);
        assert!((m.pagerank[0] - 0.5).abs() < 1e-9, "{:?}", m.pagerank);
        assert!((m.pagerank[1] - 0.5).abs() < 1e-9, "{:?}", m.pagerank);
    }

    #[test]
    fn the_compact_copy_agrees_with_the_walk_in_place() {
        let g = crate::dataset::embedded::graph();
        let whole = Subgraph::whole(&g);
        let in_place = measure(&g, &whole, true);
        let copied = measure(&g, &whole, false);
        assert_eq!(in_place.degree, copied.degree);
        assert_eq!(in_place.component, copied.component);
        for (a, b) in in_place.pagerank.iter().zip(&copied.pagerank) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
        // Degrees are the graph's own.
        for e in 0..g.entities.len() as u32 {
            assert_eq!(in_place.degree[e as usize] as usize, g.degree(e));
        }
    }
}
