//! Property tests on generated graphs, against brute-force oracles.

mod common;

use std::collections::{HashSet, VecDeque};

use jejaring::graph::{Graph, Walk};
use jejaring::query::weighted::{COST_SCALE, GENERIC_FACTOR, GENERIC_TYPES};
use jejaring::query::{NeighbourhoodQuery, PathMode, PathQuery, Ranking, neighbourhood, paths};
use proptest::prelude::*;

/// A random small graph: n entities, edges with a type each.
fn arb_graph() -> impl Strategy<Value = (usize, Vec<(usize, usize, bool)>)> {
    (2usize..9).prop_flat_map(|n| {
        let edges = prop::collection::vec((0..n, 0..n, any::<bool>()), 0..(n * 2));
        (Just(n), edges)
    })
}

fn build(n: usize, edges: &[(usize, usize, bool)]) -> Graph {
    let mut spec = (0..n)
        .map(|i| format!("n{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    spec.push('\n');
    for &(a, b, sym) in edges {
        // met_with is symmetric; works_for is not.
        let ty = if sym { "met_with" } else { "works_for" };
        spec.push_str(&format!("n{a}>n{b}:{ty}\n"));
    }
    common::graph(&spec)
}

/// Every relation a hop from `u` to `v` may take, in order, by a scan of
/// all relations: either way when undirected; else from `u` to `v`, or
/// either way for a symmetric type.
fn joining(g: &Graph, u: u32, v: u32, directed: bool) -> Vec<u32> {
    (0..g.relations.len() as u32)
        .filter(|&i| {
            let r = g.relation(i);
            let forward = r.from == u && r.to == v;
            let backward = r.from == v && r.to == u;
            forward || (backward && (!directed || g.is_symmetric(r.rel_type)))
        })
        .collect()
}

/// Neighbours along a walk, as the oracle sees them.
fn next(g: &Graph, n: u32, directed: bool) -> Vec<u32> {
    let walk = if directed { Walk::Forward } else { Walk::Both };
    g.steps(n, walk).map(|s| s.other).collect()
}

fn bfs(g: &Graph, from: u32, directed: bool) -> Vec<Option<usize>> {
    let mut dist = vec![None; g.entities.len()];
    dist[from as usize] = Some(0);
    let mut q = VecDeque::from([from]);
    while let Some(n) = q.pop_front() {
        for m in next(g, n, directed) {
            if dist[m as usize].is_none() {
                dist[m as usize] = Some(dist[n as usize].unwrap() + 1);
                q.push_back(m);
            }
        }
    }
    dist
}

/// Every simple path from `from` to `to`, by depth-first search.
fn simple_paths(g: &Graph, from: u32, to: u32, directed: bool) -> Vec<Vec<u32>> {
    fn go(g: &Graph, p: &mut Vec<u32>, to: u32, directed: bool, out: &mut Vec<Vec<u32>>) {
        let n = *p.last().unwrap();
        if n == to {
            out.push(p.clone());
            return;
        }
        let mut ms = next(g, n, directed);
        ms.sort_unstable();
        ms.dedup();
        for m in ms {
            if !p.contains(&m) {
                p.push(m);
                go(g, p, to, directed, out);
                p.pop();
            }
        }
    }
    let mut out = Vec::new();
    go(g, &mut vec![from], to, directed, &mut out);
    out
}

fn is_real_path(g: &Graph, p: &[u32], directed: bool) -> bool {
    p.windows(2)
        .all(|w| next(g, w[0], directed).contains(&w[1]))
        && p.iter().collect::<HashSet<_>>().len() == p.len()
}

/// A random small graph whose relations have one of three types: the
/// symmetric `met_with`, `works_for`, and (when `generic`) the generic
/// `located_in`.
fn arb_typed_graph(generic: bool) -> impl Strategy<Value = (usize, Vec<(usize, usize, u8)>)> {
    let types = if generic { 3u8 } else { 2 };
    (2usize..8).prop_flat_map(move |n| {
        let edges = prop::collection::vec((0..n, 0..n, 0..types), 0..(n * 2 + 2));
        (Just(n), edges)
    })
}

fn build_typed(n: usize, edges: &[(usize, usize, u8)]) -> Graph {
    let mut spec = (0..n)
        .map(|i| format!("n{i}"))
        .collect::<Vec<_>>()
        .join(" ");
    spec.push('\n');
    for &(a, b, t) in edges {
        let ty = ["met_with", "works_for", "located_in"][t as usize];
        spec.push_str(&format!("n{a}>n{b}:{ty}\n"));
    }
    common::graph(&spec)
}

/// The specific ranking's cost of a path, worked out from its definition:
/// entering an entity costs 1 + log2(degree), times the generic factor
/// when every relation of the hop is of a generic type.
fn oracle_cost(g: &Graph, p: &[u32], directed: bool) -> u64 {
    p.windows(2)
        .map(|w| {
            let rels = joining(g, w[0], w[1], directed);
            let generic = rels.iter().all(|&r| GENERIC_TYPES.contains(&g.rel_type(r)));
            let enter =
                ((1.0 + (g.degree(w[1]).max(1) as f64).log2()) * COST_SCALE as f64).round() as u64;
            enter * if generic { GENERIC_FACTOR } else { 1 }
        })
        .sum()
}

/// Every simple path within a hop limit, with its cost, cheapest first.
fn priced_paths(
    g: &Graph,
    a: u32,
    b: u32,
    directed: bool,
    max_hops: Option<usize>,
) -> Vec<(u64, Vec<u32>)> {
    let mut all: Vec<(u64, Vec<u32>)> = simple_paths(g, a, b, directed)
        .into_iter()
        .filter(|p| max_hops.is_none_or(|h| p.len() - 1 <= h))
        .map(|p| (oracle_cost(g, &p, directed), p))
        .collect();
    all.sort();
    all
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn shortest_path_is_real_and_as_short_as_bfs((n, edges) in arb_graph(), a in 0usize..9, b in 0usize..9, directed in any::<bool>()) {
        let g = build(n, &edges);
        let (a, b) = ((a % n) as u32, (b % n) as u32);
        let q = PathQuery { directed, ranking: Ranking::Plain, ..PathQuery::default() };
        let ans = paths(&g, a, b, &q);
        let oracle = bfs(&g, a, directed)[b as usize];
        match oracle {
            None => prop_assert!(ans.paths.is_empty()),
            Some(len) => {
                prop_assert_eq!(ans.paths.len(), 1);
                let p = &ans.paths[0];
                prop_assert_eq!(p.len(), len);
                prop_assert_eq!(p.nodes[0], a);
                prop_assert_eq!(*p.nodes.last().unwrap(), b);
                prop_assert!(is_real_path(&g, &p.nodes, directed));
                for (w, hop) in p.nodes.windows(2).zip(&p.hops) {
                    prop_assert_eq!(hop, &joining(&g, w[0], w[1], directed));
                }
            }
        }
    }

    #[test]
    fn k_shortest_are_the_k_shortest_simple_paths((n, edges) in arb_graph(), a in 0usize..9, b in 0usize..9, k in 1usize..6, directed in any::<bool>()) {
        let g = build(n, &edges);
        let (a, b) = ((a % n) as u32, (b % n) as u32);
        prop_assume!(a != b);
        let q = PathQuery { mode: PathMode::K(k), directed, ranking: Ranking::Plain, ..PathQuery::default() };
        let ans = paths(&g, a, b, &q);
        let mut all: Vec<usize> = simple_paths(&g, a, b, directed).iter().map(|p| p.len() - 1).collect();
        all.sort_unstable();
        all.truncate(k);
        let got: Vec<usize> = ans.paths.iter().map(|p| p.len()).collect();
        prop_assert_eq!(&got, &all, "lengths of the k shortest");
        let distinct: HashSet<&Vec<u32>> = ans.paths.iter().map(|p| &p.nodes).collect();
        prop_assert_eq!(distinct.len(), ans.paths.len(), "distinct paths");
        for p in &ans.paths {
            prop_assert!(is_real_path(&g, &p.nodes, directed), "real and loopless: {:?}", p.nodes);
        }
    }

    #[test]
    fn all_shortest_are_every_minimal_simple_path((n, edges) in arb_graph(), a in 0usize..9, b in 0usize..9, directed in any::<bool>()) {
        let g = build(n, &edges);
        let (a, b) = ((a % n) as u32, (b % n) as u32);
        prop_assume!(a != b);
        let q = PathQuery { mode: PathMode::All, directed, ranking: Ranking::Plain, ..PathQuery::default() };
        let ans = paths(&g, a, b, &q);
        let all = simple_paths(&g, a, b, directed);
        let min = all.iter().map(Vec::len).min();
        let mut want: Vec<Vec<u32>> = all.into_iter().filter(|p| Some(p.len()) == min).collect();
        want.sort();
        let mut got: Vec<Vec<u32>> = ans.paths.iter().map(|p| p.nodes.clone()).collect();
        got.sort();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn neighbourhood_is_exactly_bfs_within_depth((n, edges) in arb_graph(), c in 0usize..9, depth in 0u32..4, cap in 0usize..6) {
        let g = build(n, &edges);
        let c = (c % n) as u32;
        let nq = NeighbourhoodQuery { depth, max_nodes: cap, ..NeighbourhoodQuery::default() };
        let got = neighbourhood(&g, c, &nq);
        let dist = bfs(&g, c, false);
        let within: Vec<u32> = (0..n as u32).filter(|&e| dist[e as usize].is_some_and(|d| d <= depth as usize)).collect();
        prop_assert!(got.nodes.iter().any(|&(e, d)| e == c && d == 0), "contains its centre");
        for &(e, d) in &got.nodes {
            prop_assert_eq!(Some(d as usize), dist[e as usize], "distance of {}", e);
        }
        if cap == 0 || within.len() <= cap {
            prop_assert!(!got.truncated);
            prop_assert_eq!(got.nodes.len(), within.len());
        } else {
            prop_assert!(got.truncated);
            prop_assert_eq!(got.nodes.len(), cap);
            // Nearest first: nothing dropped is nearer than something kept.
            let kept_max = got.nodes.iter().map(|&(_, d)| d).max().unwrap();
            for e in within {
                if !got.nodes.iter().any(|&(k, _)| k == e) {
                    prop_assert!(dist[e as usize].unwrap() as u32 >= kept_max);
                }
            }
        }
    }

    #[test]
    fn specific_path_is_the_cheapest_simple_path((n, edges) in arb_typed_graph(true), a in 0usize..8, b in 0usize..8, directed in any::<bool>(), hops in 0usize..4) {
        let g = build_typed(n, &edges);
        let (a, b) = ((a % n) as u32, (b % n) as u32);
        prop_assume!(a != b);
        let max_hops = (hops > 0).then_some(hops);
        let q = PathQuery { directed, max_hops: max_hops.map(|h| h as u32), ..PathQuery::default() };
        let ans = paths(&g, a, b, &q);
        prop_assert_eq!(ans.ranking, Ranking::Specific);
        let all = priced_paths(&g, a, b, directed, max_hops);
        match all.first() {
            None => prop_assert!(ans.paths.is_empty()),
            Some((cost, _)) => {
                prop_assert_eq!(ans.paths.len(), 1);
                let p = &ans.paths[0];
                prop_assert_eq!(p.cost, *cost, "cheapest cost, path {:?}", p.nodes);
                prop_assert_eq!(oracle_cost(&g, &p.nodes, directed), p.cost, "its cost is its own");
                prop_assert!(is_real_path(&g, &p.nodes, directed));
                prop_assert!(max_hops.is_none_or(|h| p.len() <= h));
                for (w, hop) in p.nodes.windows(2).zip(&p.hops) {
                    prop_assert_eq!(hop, &joining(&g, w[0], w[1], directed));
                }
            }
        }
    }

    #[test]
    fn specific_k_are_the_k_cheapest_simple_paths((n, edges) in arb_typed_graph(false), a in 0usize..8, b in 0usize..8, k in 1usize..6, directed in any::<bool>(), hops in 0usize..4) {
        // No generic types here, so no answer folds and the k found are
        // the k shown.
        let g = build_typed(n, &edges);
        let (a, b) = ((a % n) as u32, (b % n) as u32);
        prop_assume!(a != b);
        let max_hops = (hops > 0).then_some(hops);
        let q = PathQuery { mode: PathMode::K(k), directed, max_hops: max_hops.map(|h| h as u32), ..PathQuery::default() };
        let ans = paths(&g, a, b, &q);
        let mut want: Vec<u64> = priced_paths(&g, a, b, directed, max_hops).into_iter().map(|(c, _)| c).collect();
        want.truncate(k);
        let got: Vec<u64> = ans.paths.iter().map(|p| p.cost).collect();
        prop_assert_eq!(&got, &want, "costs of the k cheapest");
        prop_assert_eq!(ans.folded, 0);
        let distinct: HashSet<&Vec<u32>> = ans.paths.iter().map(|p| &p.nodes).collect();
        prop_assert_eq!(distinct.len(), ans.paths.len(), "distinct paths");
        for p in &ans.paths {
            prop_assert!(is_real_path(&g, &p.nodes, directed), "real and loopless: {:?}", p.nodes);
            prop_assert_eq!(oracle_cost(&g, &p.nodes, directed), p.cost);
        }
    }

    #[test]
    fn specific_all_are_every_cheapest_simple_path((n, edges) in arb_typed_graph(false), a in 0usize..8, b in 0usize..8, directed in any::<bool>()) {
        let g = build_typed(n, &edges);
        let (a, b) = ((a % n) as u32, (b % n) as u32);
        prop_assume!(a != b);
        let q = PathQuery { mode: PathMode::All, directed, ..PathQuery::default() };
        let ans = paths(&g, a, b, &q);
        let all = priced_paths(&g, a, b, directed, None);
        let min = all.first().map(|(c, _)| *c);
        let mut want: Vec<Vec<u32>> = all.into_iter().filter(|(c, _)| Some(*c) == min).map(|(_, p)| p).collect();
        want.sort();
        let mut got: Vec<Vec<u32>> = ans.paths.iter().map(|p| p.nodes.clone()).collect();
        got.sort();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn folding_keeps_distinct_paths_and_counts_the_rest((n, edges) in arb_typed_graph(true), a in 0usize..8, b in 0usize..8, k in 1usize..8) {
        let g = build_typed(n, &edges);
        let (a, b) = ((a % n) as u32, (b % n) as u32);
        prop_assume!(a != b);
        let q = PathQuery { mode: PathMode::K(k), ..PathQuery::default() };
        let ans = paths(&g, a, b, &q);
        let all = priced_paths(&g, a, b, false, None);
        // Yen's algorithm found min(k, all) paths; each is shown or folded.
        prop_assert_eq!(ans.paths.len() + ans.folded, k.min(all.len()));
        let generic_hop = |p: &[u32], i: usize| {
            joining(&g, p[i], p[i + 1], false).iter().all(|&r| GENERIC_TYPES.contains(&g.rel_type(r)))
        };
        let near = |x: &[u32], y: &[u32]| {
            if x.len() != y.len() {
                return false;
            }
            let differ: Vec<usize> = (0..x.len()).filter(|&i| x[i] != y[i]).collect();
            differ.len() == 1 && {
                let i = differ[0];
                generic_hop(x, i - 1) && generic_hop(x, i) && generic_hop(y, i - 1) && generic_hop(y, i)
            }
        };
        for (i, p) in ans.paths.iter().enumerate() {
            for q in &ans.paths[..i] {
                prop_assert!(!near(&q.nodes, &p.nodes), "{:?} folds into {:?}", p.nodes, q.nodes);
            }
        }
    }
}
