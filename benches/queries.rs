//! Query and load benchmarks: on the embedded dataset, and on a generated
//! one of 100k entities / 500k relations (1M / 5M with
//! `JEJARING_BENCH_LARGE=1`), written into a temporary folder first.
//!
//! Run with `cargo bench --bench queries`; add `-- path` to run only the
//! benchmarks whose name holds `path`.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use jejaring::dataset::{DatasetSource, Quiet, embedded, load};
use jejaring::generate::{GenerateConfig, generate};
use jejaring::graph::Graph;
use jejaring::query::{
    NeighbourhoodQuery, PathMode, PathQuery, Ranking, neighbourhood, paths, resolve, search,
};

/// A small deterministic stream of indexes (SplitMix64), so every run
/// queries the same entities.
struct Picks(u64);
impl Picks {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((u128::from(z ^ (z >> 31)) * n as u128) >> 64) as usize
    }
}

fn bench_embedded(c: &mut Criterion) {
    let g = embedded::graph();
    let a = resolve(&g, "Meutya Hafid").unwrap();
    let b = resolve(&g, "Tejas Networks").unwrap();
    let center = resolve(&g, "komdigi").unwrap();
    let mut group = c.benchmark_group("embedded");
    group.bench_function("search", |bch| {
        bch.iter(|| search::search(&g, black_box("meutia hafid"), 10))
    });
    // Capped at 500 nodes, as the recorded figures were measured.
    let nq = NeighbourhoodQuery {
        depth: 2,
        max_nodes: 500,
        ..NeighbourhoodQuery::default()
    };
    group.bench_function("neighbours_depth2", |bch| {
        bch.iter(|| neighbourhood(&g, black_box(center), &nq))
    });
    // "path" and "path_k5" are the plain hop-count searches the recorded
    // figures measured; "path_specific" is the default weighted ranking.
    let pq = PathQuery {
        ranking: Ranking::Plain,
        ..PathQuery::default()
    };
    group.bench_function("path", |bch| bch.iter(|| paths(&g, black_box(a), b, &pq)));
    let sq = PathQuery::default();
    group.bench_function("path_specific", |bch| {
        bch.iter(|| paths(&g, black_box(a), b, &sq))
    });
    let kq = PathQuery {
        mode: PathMode::K(5),
        ranking: Ranking::Plain,
        ..PathQuery::default()
    };
    group.bench_function("path_k5", |bch| {
        bch.iter(|| paths(&g, black_box(a), b, &kq))
    });
    group.finish();
}

/// Sizes of the generated dataset: 100k/500k, or 1M/5M when asked.
fn generated_config() -> GenerateConfig {
    let large = std::env::var("JEJARING_BENCH_LARGE").is_ok_and(|v| v == "1");
    let (entities, relations) = if large {
        (1_000_000, 5_000_000)
    } else {
        (100_000, 500_000)
    };
    GenerateConfig {
        entities,
        relations,
        seed: 1,
    }
}

fn load_dir(dir: &Path) -> Graph {
    load(&[DatasetSource::Dir(dir.to_path_buf())], &Quiet)
        .expect("generated data loads")
        .graph
}

fn bench_generated(c: &mut Criterion) {
    let cfg = generated_config();
    let dir = tempfile::tempdir().expect("temporary folder");
    generate(&cfg, dir.path()).expect("generate");
    let label = format!("gen_{}k_{}k", cfg.entities / 1000, cfg.relations / 1000);

    let mut group = c.benchmark_group(&label);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(if cfg.entities > 100_000 {
        60
    } else {
        15
    }));
    group.bench_function("load", |bch| {
        bch.iter_batched(|| (), |()| load_dir(dir.path()), BatchSize::PerIteration)
    });
    group.finish();

    let g = load_dir(dir.path());
    let n = g.entities.len();
    let mut picks = Picks(7);
    // Queries as people type them: whole names, prefixes, one typo.
    let queries: Vec<String> = (0..256)
        .map(|i| {
            let name = g.entity(picks.below(n) as u32).name().to_string();
            match i % 3 {
                0 => name,
                1 => name.chars().take(5).collect(),
                _ => {
                    let mut c: Vec<char> = name.chars().collect();
                    let at = c.len() / 2;
                    c.swap(at - 1, at);
                    c.into_iter().collect()
                }
            }
        })
        .collect();
    let centers: Vec<u32> = (0..256).map(|_| picks.below(n) as u32).collect();
    let pairs: Vec<(u32, u32)> = (0..256)
        .map(|_| (picks.below(n) as u32, picks.below(n) as u32))
        .collect();

    let mut group = c.benchmark_group(&label);
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    let mut i = 0;
    group.bench_function("search", |bch| {
        bch.iter(|| {
            i = (i + 1) % queries.len();
            search::search(&g, black_box(&queries[i]), 10)
        })
    });
    // Capped at 500 nodes, as the recorded figures were measured.
    let nq = NeighbourhoodQuery {
        depth: 2,
        max_nodes: 500,
        ..NeighbourhoodQuery::default()
    };
    group.bench_function("neighbours_depth2", |bch| {
        bch.iter(|| {
            i = (i + 1) % centers.len();
            neighbourhood(&g, black_box(centers[i]), &nq)
        })
    });
    let pq = PathQuery {
        ranking: Ranking::Plain,
        ..PathQuery::default()
    };
    group.bench_function("path", |bch| {
        bch.iter(|| {
            i = (i + 1) % pairs.len();
            let (a, b) = pairs[i];
            paths(&g, black_box(a), b, &pq)
        })
    });
    let kq = PathQuery {
        mode: PathMode::K(5),
        ranking: Ranking::Plain,
        ..PathQuery::default()
    };
    group.sample_size(10);
    group.bench_function("path_k5", |bch| {
        bch.iter(|| {
            i = (i + 1) % pairs.len();
            let (a, b) = pairs[i];
            paths(&g, black_box(a), b, &kq)
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = bench_embedded, bench_generated
}
criterion_main!(benches);
