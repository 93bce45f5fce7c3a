//! In-process timings of jejaring for `benches/compare/run.sh`: load a
//! dataset folder (three times; the median load counts), then time each shortest path of a pairs file, each
//! depth-2 neighbourhood of a centres file, and searches, and write the
//! raw figures as JSON for `peers.py report`.
//!
//! `cargo bench --bench probe -- DATA_DIR PAIRS.csv CENTRES.txt OUT.json`
//! (with no arguments it does nothing, so a plain `cargo bench` passes).

use std::time::Instant;

#[path = "common.rs"]
mod common;
use common::ms;

use jejaring::dataset::{DatasetSource, Quiet, load};
use jejaring::query::analysis::{
    CommonQuery, RankBy, RankQuery, common as common_ties, components, pagerank, rank,
};
use jejaring::query::{
    Filter, NeighbourhoodQuery, PathQuery, Ranking, neighbourhood, paths, search,
};

/// How many times the dataset is loaded; the median counts.
const LOADS: usize = 3;

fn main() {
    let Some([data, pairs, centres, out]) = common::args("probe") else {
        return;
    };
    // The median of three loads: on a shared machine one load can be a
    // second off (memory the host takes back, a page cache just dropped).
    let (loaded, loads_s, load_s, rss_mb) = common::median_load(LOADS, || {
        load(&[DatasetSource::Dir(data.as_str().into())], &Quiet)
            .unwrap_or_else(|e| panic!("{data} does not load: {}", e.0[0]))
    });
    let g = loaded.graph;

    let (pairs, centres) = common::pairs_and_centres(&pairs, &centres, |s: &str| {
        g.entity_index(s.trim())
            .unwrap_or_else(|| panic!("unknown id {s}"))
    });

    // The peers count hops, so the comparison does too.
    let pq = PathQuery {
        ranking: Ranking::Plain,
        ..PathQuery::default()
    };
    let mut path_ms = Vec::new();
    let mut lengths = Vec::new();
    for &(a, b) in &pairs {
        let t = Instant::now();
        let answer = paths(&g, a, b, &pq);
        path_ms.push(ms(t));
        lengths.push(answer.paths.first().map(|p| p.len()));
    }
    // Uncapped, to do the same work as the peers; and capped at 500 nodes,
    // the figure the README's tables record (the default cap is 200).
    let uncapped = NeighbourhoodQuery {
        depth: 2,
        max_nodes: 0,
        ..NeighbourhoodQuery::default()
    };
    let capped = NeighbourhoodQuery {
        depth: 2,
        max_nodes: 500,
        ..NeighbourhoodQuery::default()
    };
    let (mut nbh_ms, mut nbh_nodes, mut nbh_edges, mut capped_ms) =
        (vec![], vec![], vec![], vec![]);
    for &c in &centres {
        let t = Instant::now();
        let n = neighbourhood(&g, c, &uncapped);
        nbh_ms.push(ms(t));
        nbh_nodes.push(n.nodes.len());
        nbh_edges.push(n.edges.len());
        let t = Instant::now();
        std::hint::black_box(neighbourhood(&g, c, &capped));
        capped_ms.push(ms(t));
    }
    let mut search_ms = Vec::new();
    for (i, &(a, _)) in pairs.iter().enumerate() {
        let name = &g.entity(a).name();
        let q: String = if i % 2 == 0 {
            name.to_string()
        } else {
            name.chars().take(5).collect()
        };
        let t = Instant::now();
        std::hint::black_box(search::search(&g, &q, 10));
        search_ms.push(ms(t));
    }
    // Whole-graph analysis: PageRank (its top 100 for the overlap with
    // the peers'), connected components, rank by degree, and the common
    // ties of the two biggest hubs. Each the median of three runs.
    let open = Filter::default();
    let (pr, pagerank_s) = median_of(3, || pagerank(&g, &open, 100).expect("pagerank runs"));
    let pagerank_top: Vec<&str> = pr.entries.iter().map(|r| g.entity(r.entity).id()).collect();
    let (comp, components_s) = median_of(3, || components(&g, &open).expect("components run"));
    let by_degree = RankQuery {
        by: RankBy::Degree,
        filter: Filter::default(),
        limit: 100,
    };
    let (top, rank_degree_s) = median_of(3, || rank(&g, &by_degree).expect("rank runs"));
    let hubs = vec![top.entries[0].entity, top.entries[1].entity];
    let cq = CommonQuery {
        entities: hubs,
        ..CommonQuery::default()
    };
    let (_, common_s) = median_of(3, || common_ties(&g, &cq).expect("common runs"));
    let json = serde_json::json!({
        "tool": "jejaring",
        "load_s": load_s,
        "loads_s": loads_s,
        "rss_mb": rss_mb,
        "path_ms": path_ms,
        "lengths": lengths,
        "nbh_ms": nbh_ms,
        "nbh_nodes": nbh_nodes,
        "nbh_edges": nbh_edges,
        "nbh_capped_ms": capped_ms,
        "search_ms": search_ms,
        "pagerank_s": pagerank_s,
        "pagerank_top100": pagerank_top,
        "components_s": components_s,
        "components": [comp.count, comp.largest],
        "rank_degree_s": rank_degree_s,
        "common_hubs_ms": common_s * 1000.0,
    });
    std::fs::write(out, json.to_string()).expect("write the result");
}

/// Runs `f` `n` times; its last answer and the median time in seconds.
fn median_of<T>(n: usize, mut f: impl FnMut() -> T) -> (T, f64) {
    let mut times = Vec::with_capacity(n);
    let mut last = None;
    for _ in 0..n {
        let t = Instant::now();
        last = Some(std::hint::black_box(f()));
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    (last.expect("n > 0"), times[n / 2])
}
