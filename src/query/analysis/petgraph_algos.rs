//! PageRank and connected components on the compact graph through
//! petgraph's visit traits (`crate::graph::visit`): no copy of the graph
//! is built. A filter's relation types and time window become an
//! [`EdgeFiltered`] view over it.
//!
//! Components are one pass of petgraph's `UnionFind` over the relations.
//! PageRank is a power iteration written here against the same traits
//! (`IntoEdges`, `NodeIndexable`): petgraph's `page_rank` compares every
//! pair of entities in every round (O(I·V²·d)), which is minutes at a
//! hundred thousand entities, and its teleport term differs from the
//! textbook one igraph and networkx use. The tests check this one against
//! a dense textbook oracle on random small graphs.
//!
//! The view is undirected (every relation at an entity, either way), so
//! PageRank here is that of the undirected network: an entity is central
//! when central entities are joined to it, whichever way the relations
//! were written.

use petgraph::visit::{EdgeFiltered, EdgeRef, IntoEdges, NodeCount, NodeIndexable};

use crate::error::QueryError;
use crate::graph::Graph;
use crate::graph::visit::RelationEdge;
use crate::query::Filter;

use super::rank::rank_scores;
use super::{RankAnswer, sees};

/// The damping factor of PageRank: the chance a random walker follows a
/// relation rather than jumping anywhere.
pub const PAGERANK_DAMPING: f64 = 0.85;

/// The most rounds of PageRank's power iteration.
pub const PAGERANK_MAX_ITERATIONS: usize = 100;

/// PageRank stops once a round moves the scores by less than this in
/// total (L1 norm); the scores then agree with the exact solution to
/// about this much.
pub const PAGERANK_TOLERANCE: f64 = 1e-9;

/// Ranks entities by PageRank.
///
/// Arguments: the graph; a filter whose relation types and time window
/// choose the relations walked and whose kinds choose the entities
/// listed; the most entities in the answer (0: all).
/// Returns: the listed entities best first, competition-ranked, ties by
/// id; scores sum to 1 over all entities (listed or not). Every relation
/// is one link, so two entities joined by three relations are joined
/// three times as strongly (as igraph counts multi-edges).
/// Errors (`BadParameter`): a time window ending before it starts.
/// Complexity: O(I·(V + E)) for at most [`PAGERANK_MAX_ITERATIONS`]
/// rounds I, then O(V log V).
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::petgraph_algos::pagerank;
/// let g = jejaring::dataset::embedded::graph();
/// let top = pagerank(&g, &Default::default(), 5).unwrap();
/// assert_eq!(top.entries.len(), 5);
/// assert!(top.entries[0].score >= top.entries[4].score);
/// ```
pub fn pagerank(g: &Graph, filter: &Filter, limit: usize) -> Result<RankAnswer, QueryError> {
    super::check_time(&filter.time)?;
    let scores = filtered_pagerank(g, filter);
    let (entries, total) = rank_scores(g, filter, &scores, None, limit);
    Ok(RankAnswer {
        entries,
        total,
        exact: true,
        samples: None,
    })
}

/// The PageRank of every entity over the relations a filter sees.
pub(crate) fn filtered_pagerank(g: &Graph, filter: &Filter) -> Vec<f64> {
    if filter.types.is_empty() && filter.time.is_always() {
        pagerank_scores(g)
    } else {
        pagerank_scores(&EdgeFiltered::from_fn(g, |edge: RelationEdge| {
            sees(g, filter, *edge.weight())
        }))
    }
}

/// The PageRank of every node of an undirected view, by power iteration.
///
/// Arguments: any graph whose `edges(v)` lists every link at `v` (each
/// link seen from both of its ends).
/// Returns: one score per node index, summing to 1. A node without links
/// hands its score to every node evenly (the textbook rule for dangling
/// nodes), and every node receives `(1 − d)/V` from random jumps.
/// Complexity: O(I·(V + E)); two vectors of V floats besides the degrees.
pub fn pagerank_scores<G>(graph: G) -> Vec<f64>
where
    G: IntoEdges + NodeCount + NodeIndexable,
{
    let n = graph.node_bound();
    if n == 0 {
        return Vec::new();
    }
    let degree: Vec<f64> = (0..n)
        .map(|i| graph.edges(graph.from_index(i)).count() as f64)
        .collect();
    let mut rank = vec![1.0 / n as f64; n];
    // What each node passes along each of its links, this round.
    let mut share = vec![0.0; n];
    let d = PAGERANK_DAMPING;
    for _ in 0..PAGERANK_MAX_ITERATIONS {
        let mut dangling = 0.0;
        for i in 0..n {
            if degree[i] == 0.0 {
                dangling += rank[i];
                share[i] = 0.0;
            } else {
                share[i] = rank[i] / degree[i];
            }
        }
        let base = (1.0 - d) / n as f64 + d * dangling / n as f64;
        let mut moved = 0.0;
        for (i, r) in rank.iter_mut().enumerate() {
            let inflow: f64 = graph
                .edges(graph.from_index(i))
                .map(|e| share[graph.to_index(e.target())])
                .sum();
            let next = base + d * inflow;
            moved += (next - *r).abs();
            *r = next;
        }
        if moved < PAGERANK_TOLERANCE {
            break;
        }
    }
    let sum: f64 = rank.iter().sum();
    rank.iter_mut().for_each(|r| *r /= sum);
    rank
}

/// The connected components of a graph, for `stats`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Components {
    /// How many components, entities without a relation each one.
    pub count: usize,
    /// Entities in the largest.
    pub largest: usize,
    /// Entities with no relation the filter sees (components of one).
    pub isolated: usize,
}

/// Counts the connected components of the network a filter sees.
///
/// Arguments: the graph; a filter whose relation types and time window
/// choose the relations (its kinds are not used: every entity belongs to
/// some component).
/// Returns: the number of components, the size of the largest (both
/// from one pass of petgraph's `UnionFind` over the relations seen) and
/// how many entities stand alone.
/// Errors (`BadParameter`): a time window ending before it starts.
/// Complexity: O(V + E·α(V)).
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::petgraph_algos::components;
/// let g = jejaring::dataset::embedded::graph();
/// let c = components(&g, &Default::default()).unwrap();
/// assert!(c.count >= 1 && c.largest <= g.entities.len());
/// ```
pub fn components(g: &Graph, filter: &Filter) -> Result<Components, QueryError> {
    super::check_time(&filter.time)?;
    // Components depend on relations' types and times, not on kinds: with
    // neither filtered, the whole graph's (kept, or read from a snapshot).
    let c = if filter.types.is_empty() && filter.time.is_always() {
        g.whole_components()
    } else {
        crate::graph::components_where(g, |i| sees(g, filter, i))
    };
    Ok(Components {
        count: c.count,
        largest: c.largest,
        isolated: c.isolated,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::{DatasetSource, Quiet, load};
    use crate::model::Kind;

    /// A star h–{a, b, c}, a pair x–y joined twice (one of them in 2010),
    /// z joined only to itself, and w with no relation.
    fn fixture() -> Graph {
        let entities = "id,kind,name\nh,person,H\na,person,A\nb,person,B\n\
            c,company,C\nx,person,X\ny,person,Y\nz,person,Z\nw,person,W\n";
        let relations = "from,to,type,start,source,evidence\n\
            h,a,met_with,,s,e\n\
            b,h,met_with,,s,e\n\
            h,c,works_for,,s,e\n\
            x,y,met_with,,s,e\n\
            y,x,owns,2010,s,e\n\
            z,z,met_with,,s,e\n";
        let ds = DatasetSource::memory("fixture", "id,title\ns,S\n", entities, relations);
        match load(&[ds], &Quiet) {
            Ok(l) => l.graph,
            Err(e) => panic!("the fixture loads: {e}"),
        }
    }

    #[test]
    fn components_count_the_star_the_pair_and_the_loners() {
        let g = fixture();
        let c = components(&g, &Filter::default()).unwrap();
        // {h a b c}, {x y}, {z}, {w}.
        assert_eq!((c.count, c.largest, c.isolated), (4, 4, 2));
        // Without works_for, c stands alone; without owns, x–y still
        // holds by met_with.
        let met = Filter {
            types: vec![g.type_sym("met_with").unwrap()],
            ..Filter::default()
        };
        let c = components(&g, &met).unwrap();
        assert_eq!((c.count, c.largest, c.isolated), (5, 3, 3));
    }

    #[test]
    fn pagerank_puts_the_hub_first_and_spokes_level() {
        let g = fixture();
        let all = pagerank(&g, &Filter::default(), 0).unwrap();
        let sum: f64 = all.entries.iter().map(|r| r.score).sum();
        assert!((sum - 1.0).abs() < 1e-6, "{sum}");
        assert_eq!(g.entity(all.entries[0].entity).id(), "h");
        let spoke = |id: &str| {
            let e = g.entity_index(id).unwrap();
            all.entries.iter().find(|r| r.entity == e).unwrap().clone()
        };
        assert_eq!(spoke("a").score, spoke("b").score);
        assert_eq!(spoke("a").rank, spoke("b").rank);
        assert!(spoke("a").score < spoke("h").score);
        // Kinds choose who is listed, not what is walked.
        let people = Filter {
            kinds: vec![Kind::Company],
            ..Filter::default()
        };
        let companies = pagerank(&g, &people, 0).unwrap();
        assert_eq!(companies.total, 1);
        assert_eq!(companies.entries[0].score, spoke("c").score);
    }
    /// Textbook PageRank by dense power iteration: `W[a][b]` counts the
    /// relations between a and b, a dangling entity spreads evenly.
    fn dense_pagerank(n: usize, links: &[(usize, usize)]) -> Vec<f64> {
        let mut w = vec![vec![0.0; n]; n];
        for &(a, b) in links {
            w[a][b] += 1.0;
            w[b][a] += 1.0;
        }
        let deg: Vec<f64> = w.iter().map(|row| row.iter().sum()).collect();
        let mut r = vec![1.0 / n as f64; n];
        for _ in 0..2000 {
            let dangling: f64 = (0..n).filter(|&i| deg[i] == 0.0).map(|i| r[i]).sum();
            r = (0..n)
                .map(|v| {
                    let inflow: f64 = (0..n)
                        .filter(|&u| deg[u] > 0.0)
                        .map(|u| w[u][v] * r[u] / deg[u])
                        .sum();
                    (1.0 - PAGERANK_DAMPING) / n as f64
                        + PAGERANK_DAMPING * (inflow + dangling / n as f64)
                })
                .collect();
        }
        r
    }

    #[test]
    fn pagerank_matches_a_dense_oracle_on_random_graphs() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |m: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        for round in 0..40 {
            let n = 2 + next(11) as usize;
            let m = next(3 * n as u64) as usize;
            let mut links = Vec::new();
            let mut rows = String::from("from,to,type,source\n");
            for _ in 0..m {
                let (a, b) = (next(n as u64) as usize, next(n as u64) as usize);
                if a != b {
                    links.push((a, b));
                    rows.push_str(&format!("e{a},e{b},met_with,s\n"));
                }
            }
            let mut ents = String::from("id,kind,name\n");
            for i in 0..n {
                ents.push_str(&format!("e{i},person,E {i}\n"));
            }
            let ds = DatasetSource::memory("random", "id,title\ns,S\n", &ents, &rows);
            let g = match load(&[ds], &Quiet) {
                Ok(l) => l.graph,
                Err(e) => panic!("round {round} loads: {e}"),
            };
            let ours = pagerank_scores(&g);
            let want = dense_pagerank(n, &links);
            for (i, want) in want.iter().enumerate() {
                let e = g.entity_index(&format!("e{i}")).unwrap() as usize;
                assert!(
                    (ours[e] - want).abs() < 1e-7,
                    "round {round}, entity e{i}: {} vs oracle {want}",
                    ours[e]
                );
            }
        }
    }
}
