//! Betweenness centrality (Brandes 2001) over the undirected network of
//! the relations a filter sees: exact for networks of up to
//! [`EXACT_BETWEENNESS_MAX`] connected entities, estimated from a seeded
//! sample of source entities above that or when asked, with the standard
//! error of every estimate.
//!
//! The network is simple: entities joined by several relations are one
//! edge, and a relation from an entity to itself is no edge, so a pair
//! joined by three meetings has one shortest path between them, not three.

use crate::error::QueryError;
use crate::graph::{Graph, Walk};
use crate::query::Filter;

use super::{SplitMix, sees};

/// The most entities with a relation that betweenness is computed exactly
/// for when no sample size is given; above it, [`DEFAULT_SAMPLES`] sources
/// are sampled.
pub const EXACT_BETWEENNESS_MAX: usize = 50_000;

/// Sources sampled when the network is too big for the exact computation
/// and no sample size is given: at 5 million relations each source costs
/// one breadth-first search of the whole network.
pub const DEFAULT_SAMPLES: usize = 256;

/// Betweenness of every entity, exact or estimated.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Betweenness {
    /// Entity `i`'s betweenness: over the unordered pairs of other
    /// entities, the share of each pair's shortest paths passing through
    /// `i`, summed. Unnormalised.
    pub scores: Vec<f64>,
    /// Entity `i`'s standard error, when the scores are estimates; `None`
    /// when exact.
    pub std_errors: Option<Vec<f64>>,
    /// How many entities the searches started from.
    pub sources: usize,
    /// How many entities have at least one relation in the network: the
    /// population sources are drawn from.
    pub population: usize,
}

impl Betweenness {
    /// Whether every entity was a source, so the scores are exact.
    pub fn is_exact(&self) -> bool {
        self.std_errors.is_none()
    }
}

/// Computes betweenness centrality.
///
/// Arguments: the graph; a filter whose relation types and time window
/// choose the relations of the network (its kinds do not: every entity
/// may be passed through); `samples`, how many source entities to start
/// from (`None`: all of them up to [`EXACT_BETWEENNESS_MAX`] entities with
/// a relation, [`DEFAULT_SAMPLES`] above); a seed for drawing them.
/// Returns: a score for every entity. When sampled, `k` distinct sources
/// are drawn uniformly from the `N` entities with a relation, each
/// entity's dependencies on them are scaled by `N / k`, and the standard
/// error is that of the mean of a sample drawn without replacement,
/// `N/2 · s/√k · √((N−k)/(N−1))` with `s` the dependencies' sample
/// standard deviation: a score within two standard errors is the likely
/// truth. Drawing all `N` is the exact computation, with no error.
/// Errors: `samples` of 0; a time window ending before it starts.
/// Complexity: O(k·(V + E)) time for `k` sources, O(V + E) memory.
///
/// # Example
///
/// ```
/// use jejaring::query::{Filter, analysis::betweenness};
/// let g = jejaring::dataset::embedded::graph();
/// let b = betweenness(&g, &Filter::default(), None, 1).unwrap();
/// assert!(b.is_exact());
/// assert!(b.scores.iter().any(|&s| s > 0.0));
/// ```
pub fn betweenness(
    g: &Graph,
    filter: &Filter,
    samples: Option<usize>,
    seed: u64,
) -> Result<Betweenness, QueryError> {
    super::check_time(&filter.time)?;
    if samples == Some(0) {
        return Err(QueryError::bad("samples", "must be at least 1"));
    }
    let net = Simple::build(g, filter);
    let n = net.len();
    let mut population: Vec<u32> = (0..n as u32).filter(|&v| net.degree(v) > 0).collect();
    let big = population.len();
    let k = match samples {
        Some(k) => k.min(big),
        None if big <= EXACT_BETWEENNESS_MAX => big,
        None => DEFAULT_SAMPLES.min(big),
    };
    let exact = k == big;
    if !exact {
        // A partial Fisher–Yates shuffle: the first `k` are a uniform
        // sample without replacement.
        let mut rng = SplitMix::new(seed);
        for i in 0..k {
            let j = i + rng.below(big - i);
            population.swap(i, j);
        }
        population.truncate(k);
    }
    let mut sums = vec![0.0f64; n];
    let mut squares = if exact { Vec::new() } else { vec![0.0f64; n] };
    let mut work = Work::new(n);
    for &s in &population {
        work.dependencies(&net, s);
        for &v in &work.order[1..] {
            let d = work.delta[v as usize];
            sums[v as usize] += d;
            if !exact {
                squares[v as usize] += d * d;
            }
        }
    }
    // Each unordered pair is counted once from either end.
    if exact {
        for x in &mut sums {
            *x /= 2.0;
        }
        return Ok(Betweenness {
            scores: sums,
            std_errors: None,
            sources: k,
            population: big,
        });
    }
    let (kf, nf) = (k as f64, big as f64);
    let fpc = ((nf - kf) / (nf - 1.0)).max(0.0).sqrt();
    let mut errors = vec![0.0f64; n];
    for v in 0..n {
        let mean = sums[v] / kf;
        let var = if k > 1 {
            ((squares[v] - kf * mean * mean) / (kf - 1.0)).max(0.0)
        } else {
            0.0
        };
        errors[v] = nf / 2.0 * (var / kf).sqrt() * fpc;
        sums[v] = nf / 2.0 * mean;
    }
    Ok(Betweenness {
        scores: sums,
        std_errors: Some(errors),
        sources: k,
        population: big,
    })
}

/// The network as a simple undirected graph in compressed rows: entity
/// `v`'s distinct neighbours other than itself are
/// `others[offsets[v]..offsets[v + 1]]`, in index order.
struct Simple {
    offsets: Vec<usize>,
    others: Vec<u32>,
}

impl Simple {
    fn build(g: &Graph, filter: &Filter) -> Simple {
        let n = g.entities.len();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut others = Vec::new();
        for v in 0..n as u32 {
            let at = others.len();
            others.extend(
                g.steps(v, Walk::Both)
                    .filter(|s| s.other != v && sees(g, filter, s.rel))
                    .map(|s| s.other),
            );
            others[at..].sort_unstable();
            let mut kept = at;
            for i in at..others.len() {
                if i == at || others[i] != others[kept - 1] {
                    others[kept] = others[i];
                    kept += 1;
                }
            }
            others.truncate(kept);
            offsets.push(others.len());
        }
        Simple { offsets, others }
    }

    fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    fn degree(&self, v: u32) -> usize {
        self.offsets[v as usize + 1] - self.offsets[v as usize]
    }

    fn at(&self, v: u32) -> &[u32] {
        &self.others[self.offsets[v as usize]..self.offsets[v as usize + 1]]
    }
}

/// The arrays of one source's search, reset between sources only where
/// the search went.
struct Work {
    dist: Vec<u32>,
    sigma: Vec<f64>,
    delta: Vec<f64>,
    /// Entities in the order the search reached them, the source first.
    order: Vec<u32>,
}

impl Work {
    fn new(n: usize) -> Work {
        Work {
            dist: vec![u32::MAX; n],
            sigma: vec![0.0; n],
            delta: vec![0.0; n],
            order: Vec::new(),
        }
    }

    /// Brandes' dependencies of source `s` on every entity it reaches:
    /// `delta[v]` is the sum over targets `t` of the share of the shortest
    /// `s`–`t` paths through `v`.
    fn dependencies(&mut self, net: &Simple, s: u32) {
        for &v in &self.order {
            self.dist[v as usize] = u32::MAX;
            self.sigma[v as usize] = 0.0;
            self.delta[v as usize] = 0.0;
        }
        self.order.clear();
        self.dist[s as usize] = 0;
        self.sigma[s as usize] = 1.0;
        self.order.push(s);
        let mut head = 0;
        while head < self.order.len() {
            let v = self.order[head];
            head += 1;
            let dv = self.dist[v as usize];
            for &w in net.at(v) {
                if self.dist[w as usize] == u32::MAX {
                    self.dist[w as usize] = dv + 1;
                    self.order.push(w);
                }
                if self.dist[w as usize] == dv + 1 {
                    self.sigma[w as usize] += self.sigma[v as usize];
                }
            }
        }
        // Back from the farthest: a predecessor of `w` is a neighbour one
        // step nearer the source.
        for &w in self.order.iter().rev() {
            let dw = self.dist[w as usize];
            if dw == 0 {
                continue;
            }
            let share = (1.0 + self.delta[w as usize]) / self.sigma[w as usize];
            for &v in net.at(w) {
                if self.dist[v as usize] == dw - 1 {
                    self.delta[v as usize] += self.sigma[v as usize] * share;
                }
            }
        }
    }
}
