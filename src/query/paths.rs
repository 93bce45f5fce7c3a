//! Shortest connections between two entities: one, all, or the k shortest
//! loopless paths (Yen's algorithm over a bidirectional breadth-first
//! search). A path is a sequence of entities; each hop carries every
//! relation that joins its two entities and passes the filter, so every
//! hop has its sources.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::graph::{Graph, Walk};
use crate::model::{Kind, Sym, TimeFilter};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathMode {
    /// One shortest path.
    Shortest,
    /// Every shortest path (up to [`MAX_PATHS`]).
    All,
    /// The k shortest loopless paths.
    K(usize),
}

/// The most paths an answer holds, whatever was asked.
pub const MAX_PATHS: usize = 1000;
/// Relation ends a search may examine before it gives up, by default
/// (about 20 ms of work).
pub const DEFAULT_BUDGET: usize = 10_000_000;

#[derive(Debug, Clone)]
pub struct PathQuery {
    pub mode: PathMode,
    pub max_hops: Option<u32>,
    /// Follow relations from `from` to `to` only (symmetric types both ways).
    pub directed: bool,
    /// Entity kinds not to pass through (the ends are always allowed).
    pub exclude_kinds: Vec<Kind>,
    /// Entities not to pass through.
    pub avoid: Vec<u32>,
    /// Relation types to use (empty: all).
    pub types: Vec<Sym>,
    pub time: TimeFilter,
    /// The most relation ends examined, over all searches of this query.
    pub budget: usize,
}

impl Default for PathQuery {
    fn default() -> Self {
        PathQuery {
            mode: PathMode::Shortest,
            max_hops: None,
            directed: false,
            exclude_kinds: Vec::new(),
            avoid: Vec::new(),
            types: Vec::new(),
            time: TimeFilter::Always,
            budget: DEFAULT_BUDGET,
        }
    }
}

impl PathQuery {
    /// Whether anything beyond the defaults narrows the search.
    pub fn is_constrained(&self) -> bool {
        self.max_hops.is_some()
            || self.directed
            || !self.exclude_kinds.is_empty()
            || !self.avoid.is_empty()
            || !self.types.is_empty()
            || !self.time.is_always()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub nodes: Vec<u32>,
    /// For each hop, every relation joining its two entities (file order).
    pub hops: Vec<Vec<u32>>,
}

impl Path {
    pub fn len(&self) -> usize {
        self.hops.len()
    }
    pub fn is_empty(&self) -> bool {
        self.hops.is_empty()
    }
    /// One relation per hop: the first of each.
    pub fn edges(&self) -> impl Iterator<Item = u32> + '_ {
        self.hops.iter().map(|h| h[0])
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathAnswer {
    pub from: u32,
    pub to: u32,
    pub paths: Vec<Path>,
    /// The visit budget ran out: there may be paths not found.
    pub budget_exhausted: bool,
    /// All shortest paths were more than [`MAX_PATHS`].
    pub truncated: bool,
    /// When nothing was found under constraints: the length of the shortest
    /// path without them, if there is one.
    pub unconstrained_length: Option<usize>,
}

/// Finds paths between two entities.
///
/// Arguments: the two ends and the query (mode, hops, direction, kinds and
/// entities to avoid, types, time, budget).
/// Returns: the paths, shortest first, ties ordered by the ids along them;
/// empty when there is none (then `unconstrained_length` tells whether
/// lifting the constraints would find one).
/// Complexity: one bidirectional BFS for a shortest path; Yen's algorithm
/// runs one per spur node, O(k·L) searches for k paths of length L; all
/// bounded by `budget` expansions.
///
/// ```
/// use jejaring::query::{paths, resolve, PathQuery};
/// let g = jejaring::dataset::load(&[jejaring::dataset::embedded::source()], &jejaring::dataset::Quiet).unwrap().graph;
/// let a = resolve(&g, "Meutya Hafid").unwrap();
/// let b = resolve(&g, "Tejas Networks").unwrap();
/// let answer = paths(&g, a, b, &PathQuery::default());
/// assert!(answer.paths[0].len() >= 1);
/// ```
pub fn paths(g: &Graph, from: u32, to: u32, q: &PathQuery) -> PathAnswer {
    let mut search = Search::new(g, from, to, q);
    let mut answer = PathAnswer {
        from,
        to,
        paths: Vec::new(),
        budget_exhausted: false,
        truncated: false,
        unconstrained_length: None,
    };
    let node_paths = if from == to {
        vec![vec![from]]
    } else {
        match q.mode {
            PathMode::Shortest => search
                .shortest(from, &FxHashSet::default(), &FxHashSet::default())
                .into_iter()
                .collect(),
            PathMode::K(k) => search.k_shortest(k.min(MAX_PATHS)),
            PathMode::All => {
                let (ps, cut) = search.all_shortest();
                answer.truncated = cut;
                ps
            }
        }
    };
    answer.budget_exhausted = search.budget_left == 0;
    answer.paths = node_paths
        .into_iter()
        .map(|nodes| search.with_hops(nodes))
        .collect();
    if answer.paths.is_empty() && q.is_constrained() {
        let open = PathQuery {
            budget: q.budget,
            ..PathQuery::default()
        };
        let mut s = Search::new(g, from, to, &open);
        answer.unconstrained_length = s
            .shortest(from, &FxHashSet::default(), &FxHashSet::default())
            .map(|p| p.len() - 1);
    }
    answer
}

struct Search<'a> {
    g: &'a Graph,
    q: &'a PathQuery,
    from: u32,
    to: u32,
    avoid: FxHashSet<u32>,
    budget_left: usize,
}

type Banned = FxHashSet<(u32, u32)>;

impl<'a> Search<'a> {
    fn new(g: &'a Graph, from: u32, to: u32, q: &'a PathQuery) -> Self {
        Search {
            g,
            q,
            from,
            to,
            avoid: q.avoid.iter().copied().collect(),
            budget_left: q.budget,
        }
    }

    /// Whether no filter applies, so steps need no check at all.
    fn open(&self) -> bool {
        self.avoid.is_empty()
            && self.q.exclude_kinds.is_empty()
            && self.q.types.is_empty()
            && self.q.time.is_always()
    }

    fn node_ok(&self, n: u32) -> bool {
        if n == self.from || n == self.to {
            return true;
        }
        let e = self.g.entity(n);
        !self.avoid.contains(&n)
            && !self.q.exclude_kinds.contains(&e.kind)
            && self.q.time.holds(e.start, e.end)
    }

    fn rel_ok(&self, rel: u32) -> bool {
        let r = self.g.relation(rel);
        (self.q.types.is_empty() || self.q.types.contains(&r.rel_type))
            && (self.q.time.is_always()
                || self
                    .q
                    .time
                    .holds_span(crate::query::relation_span(self.g, rel)))
    }

    fn walk(&self, forward: bool) -> Walk {
        match (self.q.directed, forward) {
            (false, _) => Walk::Both,
            (true, true) => Walk::Forward,
            (true, false) => Walk::Backward,
        }
    }

    /// Calls `visit` with each entity `n` may step to (an entity joined by
    /// several relations comes several times). Each relation end examined
    /// costs one unit of the budget; an empty budget stops the search.
    fn expand(
        &mut self,
        n: u32,
        forward: bool,
        banned_nodes: &FxHashSet<u32>,
        banned: &Banned,
        mut visit: impl FnMut(u32),
    ) {
        let degree = self.g.degree(n);
        if self.budget_left < degree {
            self.budget_left = 0;
            return;
        }
        self.budget_left -= degree;
        let open = self.open() && banned_nodes.is_empty() && banned.is_empty();
        if open && !self.q.directed {
            self.g.others(n).for_each(visit);
            return;
        }
        for s in self.g.steps(n, self.walk(forward)) {
            if open {
                visit(s.other);
                continue;
            }
            let edge = if forward { (n, s.other) } else { (s.other, n) };
            if !banned_nodes.contains(&s.other)
                && !banned.contains(&edge)
                && self.rel_ok(s.rel)
                && self.node_ok(s.other)
            {
                visit(s.other);
            }
        }
    }

    /// The entities `n` may step to, each once, in index order.
    fn next(
        &mut self,
        n: u32,
        forward: bool,
        banned_nodes: &FxHashSet<u32>,
        banned: &Banned,
    ) -> Vec<u32> {
        let mut out = Vec::new();
        self.expand(n, forward, banned_nodes, banned, |m| out.push(m));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Bidirectional BFS from `start` to `self.to`, not entering banned
    /// nodes nor taking banned hops; each round expands the side whose
    /// frontier has fewer relations. Returns the node sequence.
    fn shortest(
        &mut self,
        start: u32,
        banned_nodes: &FxHashSet<u32>,
        banned: &Banned,
    ) -> Option<Vec<u32>> {
        let target = self.to;
        if start == target {
            return Some(vec![start]);
        }
        let max = self.q.max_hops.map_or(usize::MAX, |h| h as usize);
        // Sized for a typical search, so the maps rarely grow mid-search.
        let mut fparent: FxHashMap<u32, u32> =
            FxHashMap::with_capacity_and_hasher(4096, Default::default());
        fparent.insert(start, start);
        let mut bparent: FxHashMap<u32, u32> =
            FxHashMap::with_capacity_and_hasher(4096, Default::default());
        bparent.insert(target, target);
        let mut ffront = vec![start];
        let mut bfront = vec![target];
        let (mut fdepth, mut bdepth) = (0usize, 0usize);
        let cost = |front: &[u32]| front.iter().map(|&n| self.g.degree(n)).sum::<usize>();
        while !ffront.is_empty() && !bfront.is_empty() && fdepth + bdepth < max {
            let forward = cost(&ffront) <= cost(&bfront);
            let (front, parent, other) = if forward {
                (&mut ffront, &mut fparent, &bparent)
            } else {
                (&mut bfront, &mut bparent, &fparent)
            };
            let current = std::mem::take(front);
            let mut meet: Option<u32> = None;
            let mut next_front = Vec::new();
            for &n in &current {
                self.expand(n, forward, banned_nodes, banned, |m| {
                    if meet.is_some() {
                        return;
                    }
                    if let std::collections::hash_map::Entry::Vacant(slot) = parent.entry(m) {
                        slot.insert(n);
                        if other.contains_key(&m) {
                            meet = Some(m);
                        }
                        next_front.push(m);
                    }
                });
                if meet.is_some() {
                    break;
                }
            }
            if forward {
                fdepth += 1;
            } else {
                bdepth += 1;
            }
            if let Some(m) = meet {
                let mut path = Vec::new();
                let mut x = m;
                loop {
                    path.push(x);
                    let p = fparent[&x];
                    if p == x {
                        break;
                    }
                    x = p;
                }
                path.reverse();
                let mut x = m;
                while let Some(&p) = bparent.get(&x) {
                    if p == x {
                        break;
                    }
                    path.push(p);
                    x = p;
                }
                return (path.len() - 1 <= max).then_some(path);
            }
            *front = next_front;
        }
        None
    }

    /// Yen's k shortest loopless paths.
    fn k_shortest(&mut self, k: usize) -> Vec<Vec<u32>> {
        let Some(first) = self.shortest(self.from, &FxHashSet::default(), &FxHashSet::default())
        else {
            return Vec::new();
        };
        let mut found: Vec<Vec<u32>> = vec![first];
        let mut candidates: BTreeSet<(usize, Vec<&str>, Vec<u32>)> = BTreeSet::new();
        while found.len() < k {
            let prev = found.last().expect("found is not empty").clone();
            for i in 0..prev.len() - 1 {
                let spur = prev[i];
                let root = &prev[..=i];
                let mut banned: Banned = FxHashSet::default();
                for p in &found {
                    if p.len() > i + 1 && &p[..=i] == root {
                        banned.insert((p[i], p[i + 1]));
                    }
                }
                let banned_nodes: FxHashSet<u32> = root[..i].iter().copied().collect();
                if let Some(spur_path) = self.shortest(spur, &banned_nodes, &banned) {
                    let mut total = root[..i].to_vec();
                    total.extend(spur_path);
                    if self
                        .q
                        .max_hops
                        .is_some_and(|h| total.len() - 1 > h as usize)
                    {
                        continue;
                    }
                    if !found.contains(&total) {
                        let key = self.key(&total);
                        candidates.insert((total.len(), key, total));
                    }
                }
                if self.budget_left == 0 {
                    break;
                }
            }
            match candidates.pop_first() {
                Some((_, _, p)) => found.push(p),
                None => break,
            }
        }
        let mut keyed: Vec<_> = found
            .into_iter()
            .map(|p| (p.len(), self.key(&p), p))
            .collect();
        keyed.sort();
        keyed.into_iter().map(|(_, _, p)| p).collect()
    }

    fn key(&self, p: &[u32]) -> Vec<&'a str> {
        p.iter().map(|&n| &*self.g.entity(n).id).collect()
    }

    /// Every shortest path, by BFS layers from both ends.
    fn all_shortest(&mut self) -> (Vec<Vec<u32>>, bool) {
        let Some(one) = self.shortest(self.from, &FxHashSet::default(), &FxHashSet::default())
        else {
            return (Vec::new(), false);
        };
        let len = one.len() - 1;
        let none = FxHashSet::default();
        let fdist = self.layers(self.from, true, len, &none);
        let bdist = self.layers(self.to, false, len, &none);
        // Depth-first over the DAG of nodes on some shortest path.
        let mut out = Vec::new();
        let mut cut = false;
        let mut stack: Vec<Vec<u32>> = vec![vec![self.from]];
        while let Some(p) = stack.pop() {
            let n = *p.last().expect("paths are not empty");
            if n == self.to {
                if out.len() >= MAX_PATHS {
                    cut = true;
                    break;
                }
                out.push(p);
                continue;
            }
            let d = fdist[&n];
            let mut nexts = self.next(n, true, &none, &FxHashSet::default());
            nexts.retain(|m| {
                fdist.get(m) == Some(&(d + 1)) && bdist.get(m).is_some_and(|b| d + 1 + b == len)
            });
            for m in nexts.into_iter().rev() {
                let mut q = p.clone();
                q.push(m);
                stack.push(q);
            }
        }
        let mut keyed: Vec<_> = out.into_iter().map(|p| (self.key(&p), p)).collect();
        keyed.sort();
        (keyed.into_iter().map(|(_, p)| p).collect(), cut)
    }

    fn layers(
        &mut self,
        start: u32,
        forward: bool,
        max: usize,
        none: &FxHashSet<u32>,
    ) -> FxHashMap<u32, usize> {
        let mut dist: FxHashMap<u32, usize> = FxHashMap::default();
        dist.insert(start, 0);
        let mut front = vec![start];
        for d in 1..=max {
            let mut next = Vec::new();
            for n in front {
                for m in self.next(n, forward, none, &FxHashSet::default()) {
                    if let std::collections::hash_map::Entry::Vacant(v) = dist.entry(m) {
                        v.insert(d);
                        next.push(m);
                    }
                }
            }
            front = next;
        }
        dist
    }

    /// Attaches every qualifying relation to each hop.
    fn with_hops(&self, nodes: Vec<u32>) -> Path {
        let hops = nodes
            .windows(2)
            .map(|w| {
                // The relations from w[0] to w[1] are those into w[1] from
                // w[0]: read them at whichever end has fewer, so a path
                // through a hub does not scan all of the hub's relations.
                let (at, other, forward) = if self.g.degree(w[0]) <= self.g.degree(w[1]) {
                    (w[0], w[1], true)
                } else {
                    (w[1], w[0], false)
                };
                let mut rels: Vec<u32> = self
                    .g
                    .steps(at, self.walk(forward))
                    .filter(|s| s.other == other && self.rel_ok(s.rel))
                    .map(|s| s.rel)
                    .collect();
                rels.sort_unstable();
                rels.dedup();
                rels
            })
            .collect();
        Path { nodes, hops }
    }
}
