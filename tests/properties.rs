//! Property tests on generated graphs, against brute-force oracles.

mod common;

use std::collections::{HashSet, VecDeque};

use jejaring::graph::{Graph, Walk};
use jejaring::query::{NeighbourhoodQuery, PathMode, PathQuery, neighbourhood, paths};
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn shortest_path_is_real_and_as_short_as_bfs((n, edges) in arb_graph(), a in 0usize..9, b in 0usize..9, directed in any::<bool>()) {
        let g = build(n, &edges);
        let (a, b) = ((a % n) as u32, (b % n) as u32);
        let q = PathQuery { directed, ..PathQuery::default() };
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
        let q = PathQuery { mode: PathMode::K(k), directed, ..PathQuery::default() };
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
        let q = PathQuery { mode: PathMode::All, directed, ..PathQuery::default() };
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
}
