//! PageRank and connected components by petgraph's own algorithms, run on
//! the compact graph through its visit traits (`crate::graph::visit`):
//! no copy of the graph is built. A filter's relation types and time
//! window become an [`EdgeFiltered`] view over it.
//!
//! The view is undirected (every relation at an entity, either way), so
//! PageRank here is that of the undirected network: an entity is central
//! when central entities are joined to it, whichever way the relations
//! were written.

use petgraph::algo::{connected_components, page_rank};
use petgraph::unionfind::UnionFind;
use petgraph::visit::{EdgeFiltered, EdgeRef, IntoEdgeReferences};

use crate::error::QueryError;
use crate::graph::Graph;
use crate::graph::visit::RelationEdge;
use crate::query::Filter;

use super::rank::rank_scores;
use super::{RankAnswer, sees};

/// The damping factor of PageRank: the chance a random walker follows a
/// relation rather than jumping anywhere.
pub const PAGERANK_DAMPING: f64 = 0.85;

/// Rounds of PageRank's power iteration.
pub const PAGERANK_ITERATIONS: usize = 40;

/// The most work [`pagerank`] takes on, counted as petgraph's
/// `page_rank` does it: every round looks, for every pair of entities, at
/// every relation of one of them, so a round costs V·2E steps. About ten
/// seconds of work; above it the query is refused rather than left to run.
pub const PAGERANK_MAX_WORK: u128 = 2_000_000_000;

/// Ranks entities by PageRank.
///
/// Arguments: the graph; a filter whose relation types and time window
/// choose the relations walked and whose kinds choose the entities
/// listed; the most entities in the answer (0: all).
/// Returns: the listed entities best first, competition-ranked, ties by
/// id; scores sum to 1 over all entities (listed or not). Parallel
/// relations between two entities count as one link, as petgraph's
/// `page_rank` tests whether an entity links to another, not how often.
/// Errors (`BadParameter`): a time window ending before it starts; a
/// graph too big for petgraph's algorithm (over [`PAGERANK_MAX_WORK`]),
/// with the measures to use instead.
/// Complexity: O(I·V·E) for I = [`PAGERANK_ITERATIONS`] (petgraph's
/// implementation compares every pair of entities), then O(V log V).
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
    let (v, e) = (g.entities.len() as u128, g.relations.len() as u128);
    let work = PAGERANK_ITERATIONS as u128 * v * (2 * e + v);
    if work > PAGERANK_MAX_WORK {
        return Err(QueryError::bad(
            "by",
            format!(
                "pagerank over {v} entities and {e} relations is beyond what petgraph's \
                 page_rank does in reasonable time (it compares every pair of entities); \
                 rank by degree or betweenness instead"
            ),
        ));
    }
    let view = EdgeFiltered::from_fn(g, |edge: RelationEdge| sees(g, filter, *edge.weight()));
    let scores: Vec<f64> = page_rank(&view, PAGERANK_DAMPING, PAGERANK_ITERATIONS);
    let (entries, total) = rank_scores(g, filter, &scores, None, limit);
    Ok(RankAnswer {
        entries,
        total,
        exact: true,
        samples: None,
    })
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
/// Returns: the number of components (petgraph's
/// `connected_components`), the size of the largest (petgraph's
/// `UnionFind` over the same relations) and how many entities stand
/// alone.
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
    let view = EdgeFiltered::from_fn(g, |edge: RelationEdge| sees(g, filter, *edge.weight()));
    let count = connected_components(&view);
    let n = g.entities.len();
    let mut sets: UnionFind<usize> = UnionFind::new(n);
    let mut linked = vec![false; n];
    for edge in (&view).edge_references() {
        let (a, b) = (edge.source() as usize, edge.target() as usize);
        sets.union(a, b);
        // A relation from an entity to itself joins it to nothing else.
        if a != b {
            linked[a] = true;
            linked[b] = true;
        }
    }
    let mut sizes = vec![0usize; n];
    for label in sets.into_labeling() {
        sizes[label] += 1;
    }
    Ok(Components {
        count,
        largest: sizes.iter().copied().max().unwrap_or(0),
        isolated: linked.iter().filter(|&&l| !l).count(),
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
        assert_eq!(g.entity(all.entries[0].entity).id.as_ref(), "h");
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
}
