//! The floor for `benches/compare/run.sh`: what the bare minimum costs on
//! this machine, measured in the same run as jejaring and the peers, so
//! that targets set as "close to the floor" can be checked on any machine.
//!
//! It reads only what a traversal needs and keeps nothing else: the
//! entities' ids (csv crate, one thread), each relation's two ends looked
//! up in a hash map, then an undirected CSR (offsets and neighbours). Its
//! queries are a bidirectional BFS per pair and a depth-2 neighbourhood
//! (nodes, and the edges among them) per centre. No attribute is kept,
//! nothing is checked: jejaring keeps and checks every column.
//!
//! `cargo bench --bench floor -- DATA_DIR PAIRS.csv CENTRES.txt OUT.json`
//! (with no arguments it does nothing, so a plain `cargo bench` passes).

use std::time::Instant;

use rustc_hash::FxHashMap;

#[path = "common.rs"]
mod common;
use common::ms;

/// How many times the dataset is loaded; the median counts (as the probe).
const LOADS: usize = 3;

/// An undirected graph in compressed sparse rows: the neighbours of node
/// `v` are `adj[off[v]..off[v + 1]]`, one entry per relation end.
struct Csr {
    off: Vec<u32>,
    adj: Vec<u32>,
}

impl Csr {
    fn neighbours(&self, v: u32) -> &[u32] {
        &self.adj[self.off[v as usize] as usize..self.off[v as usize + 1] as usize]
    }
}

fn main() {
    let Some([data, pairs, centres, out]) = common::args("floor") else {
        return;
    };
    let ((ids, g), loads_s, load_s, rss_mb) = common::median_load(LOADS, || load(&data));

    let (pairs, centres) = common::pairs_and_centres(&pairs, &centres, |s: &str| -> u32 {
        *ids.get(s.trim().as_bytes())
            .unwrap_or_else(|| panic!("unknown id {s}"))
    });

    let n = g.off.len() - 1;
    let mut search = Bfs::new(n);
    let (mut path_ms, mut lengths) = (Vec::new(), Vec::new());
    for &(a, b) in &pairs {
        let t = Instant::now();
        let hops = search.distance(&g, a, b);
        path_ms.push(ms(t));
        lengths.push(hops);
    }
    let (mut nbh_ms, mut nbh_nodes, mut nbh_edges) = (vec![], vec![], vec![]);
    for &c in &centres {
        let t = Instant::now();
        let (nodes, edges) = search.two_hops(&g, c);
        nbh_ms.push(ms(t));
        nbh_nodes.push(nodes);
        nbh_edges.push(edges);
    }
    let json = serde_json::json!({
        "tool": "floor",
        "load_s": load_s,
        "loads_s": loads_s,
        "rss_mb": rss_mb,
        "path_ms": path_ms,
        "lengths": lengths,
        "nbh_ms": nbh_ms,
        "nbh_nodes": nbh_nodes,
        "nbh_edges": nbh_edges,
    });
    std::fs::write(out, json.to_string()).expect("write the result");
}

/// Ids to node numbers, and the CSR of the relations' ends.
fn load(data: &str) -> (FxHashMap<Box<[u8]>, u32>, Csr) {
    let reader = |name: &str| {
        csv::ReaderBuilder::new()
            .buffer_capacity(1 << 16)
            .from_path(format!("{data}/{name}"))
            .unwrap_or_else(|e| panic!("{data}/{name}: {e}"))
    };
    let mut record = csv::ByteRecord::new();
    let mut ids: FxHashMap<Box<[u8]>, u32> = FxHashMap::default();
    let mut rdr = reader("entities.csv");
    while rdr.read_byte_record(&mut record).expect("entities.csv") {
        let next = ids.len() as u32;
        ids.insert(record[0].into(), next);
    }
    let n = ids.len();
    let mut ends: Vec<(u32, u32)> = Vec::new();
    let mut rdr = reader("relations.csv");
    while rdr.read_byte_record(&mut record).expect("relations.csv") {
        ends.push((ids[&record[0]], ids[&record[1]]));
    }
    let mut off = vec![0u32; n + 1];
    for &(a, b) in &ends {
        off[a as usize + 1] += 1;
        off[b as usize + 1] += 1;
    }
    for i in 0..n {
        off[i + 1] += off[i];
    }
    let mut fill = off.clone();
    let mut adj = vec![0u32; off[n] as usize];
    for &(a, b) in &ends {
        adj[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
        adj[fill[b as usize] as usize] = a;
        fill[b as usize] += 1;
    }
    (ids, Csr { off, adj })
}

/// Search state reused across queries: a mark per node (which query and
/// side saw it, and at what depth), reset by bumping the query number.
struct Bfs {
    /// Per node: the round that last saw it from the first side, and from
    /// the second; and its depth from each.
    seen: Vec<[u32; 2]>,
    depth: Vec<[u32; 2]>,
    round: u32,
}

impl Bfs {
    fn new(n: usize) -> Self {
        Bfs {
            seen: vec![[0; 2]; n],
            depth: vec![[0; 2]; n],
            round: 0,
        }
    }

    /// Hops of an undirected shortest path from `a` to `b`: both sides
    /// grow a layer at a time, the cheaper one first.
    fn distance(&mut self, g: &Csr, a: u32, b: u32) -> Option<usize> {
        if a == b {
            return Some(0);
        }
        self.round += 1;
        let r = self.round;
        let mut frontier = [vec![a], vec![b]];
        for (side, &v) in [a, b].iter().enumerate() {
            self.seen[v as usize][side] = r;
            self.depth[v as usize][side] = 0;
        }
        loop {
            if frontier[0].is_empty() || frontier[1].is_empty() {
                return None;
            }
            // The side whose next layer costs less to grow: fewer
            // relation ends to walk.
            let cost = |f: &[u32]| -> usize { f.iter().map(|&u| g.neighbours(u).len()).sum() };
            let side = usize::from(cost(&frontier[1]) < cost(&frontier[0]));
            let other = 1 - side;
            let mut next = Vec::new();
            let mut best: Option<u32> = None;
            for &u in &frontier[side] {
                let du = self.depth[u as usize][side];
                for &v in g.neighbours(u) {
                    let v = v as usize;
                    if self.seen[v][other] == r {
                        let total = du + 1 + self.depth[v][other];
                        best = Some(best.map_or(total, |b| b.min(total)));
                    }
                    if self.seen[v][side] != r {
                        self.seen[v][side] = r;
                        self.depth[v][side] = du + 1;
                        next.push(v as u32);
                    }
                }
            }
            if let Some(total) = best {
                return Some(total as usize);
            }
            frontier[side] = next;
        }
    }

    /// The nodes at most two hops from `c`, and the relations among them.
    fn two_hops(&mut self, g: &Csr, c: u32) -> (usize, usize) {
        self.round += 1;
        let r = self.round;
        self.seen[c as usize][0] = r;
        let mut nodes = vec![c];
        let mut start = 0;
        for _ in 0..2 {
            let end = nodes.len();
            for i in start..end {
                for &v in g.neighbours(nodes[i]) {
                    if self.seen[v as usize][0] != r {
                        self.seen[v as usize][0] = r;
                        nodes.push(v);
                    }
                }
            }
            start = end;
        }
        // Each relation between two kept nodes is seen from both ends
        // (a self-loop's two ends are both in its own node's list).
        let ends: usize = nodes
            .iter()
            .map(|&u| {
                g.neighbours(u)
                    .iter()
                    .filter(|&&v| self.seen[v as usize][0] == r)
                    .count()
            })
            .sum();
        (nodes.len(), ends / 2)
    }
}
