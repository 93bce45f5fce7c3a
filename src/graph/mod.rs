//! The loaded graph: entities, relations and sources, and the indexes
//! queries need (adjacency, ids, names and aliases).
//!
//! Invariants, established by `Graph::build` and relied on everywhere:
//! entity `i` is node `i` of every view of the graph (the adjacency, the
//! petgraph traits of [`visit`]); relation `i` is edge `i`; every
//! relation's `from`, `to` and `source` are valid indexes; ids are unique.
//! The graph is immutable once built: a reload builds a new one.
//!
//! - `adjacency` — the compact two-way adjacency every traversal walks.
//! - `names` — the name/alias index (whole names in sorted keys, words in
//!   an fst).
//! - [`visit`] — petgraph's visit traits on `&Graph`, so petgraph's
//!   algorithms run on the adjacency without a second copy of the graph.

mod adjacency;
mod names;
pub mod visit;

pub use adjacency::MAX_RELATIONS;
pub use names::Variant;
pub(crate) use names::{NameIndex, Posting, Postings};

pub(crate) use adjacency::{Adj, Adjacency};
use rustc_hash::FxHashMap;

use crate::error::DataError;
use crate::ids::IdMap;
use crate::model::{Attrs, Entity, Interner, Relation, Source, Sym, is_symmetric};
use crate::store::TextStore;

/// What [`Graph::build`] takes: the rows the loader checked.
pub(crate) struct GraphParts {
    pub(crate) entities: Vec<Entity>,
    pub(crate) relations: Vec<Relation>,
    pub(crate) sources: Vec<Source>,
    pub(crate) strings: Interner,
    pub(crate) files: Vec<String>,
    /// Id → index maps, as the loader built them while checking.
    pub(crate) entity_ids: IdMap,
    pub(crate) source_ids: FxHashMap<Box<str>, u32>,
    /// The name index, when it was built beside loading; built here if not.
    pub(crate) names: Option<NameIndex>,
    /// The traversal indexes, when they were built beside loading (while
    /// the name index was still being built); built here if not.
    pub(crate) indexes: Option<Indexes>,
    /// Relation `i`'s evidence is text `i`.
    pub(crate) evidence: TextStore,
    /// Extra columns of the relations that have any.
    pub(crate) relation_attrs: FxHashMap<u32, Attrs>,
}

/// What traversals walk, built from the relations alone (no names, no
/// entity rows), so loading can build them while the name index is still
/// being built on the other core.
pub(crate) struct Indexes {
    pub(crate) adjacency: Adjacency,
    pub(crate) source_offsets: Vec<u32>,
    pub(crate) source_rels: Vec<u32>,
}

impl Indexes {
    /// From the relations in order, in one or more pieces: relation `i` is
    /// the `i`-th across them, so a file read in halves need not be joined
    /// first.
    ///
    /// Complexity: O(V + E).
    pub(crate) fn build(entities: usize, sources: usize, pieces: &[&[Relation]]) -> Indexes {
        let (source_offsets, source_rels) = by_source(sources, pieces);
        Indexes {
            adjacency: Adjacency::build(entities, pieces),
            source_offsets,
            source_rels,
        }
    }
}

/// Runs `a` and `b`: with `parallel`, `a` on a thread of its own while
/// `b` runs on this one. A panic in `a` goes on in this thread.
pub(crate) fn both<A: Send, B>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B,
) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    std::thread::scope(|scope| {
        let a = scope.spawn(a);
        let b = b();
        (a.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), b)
    })
}

/// Calls `f` with every relation of `pieces` and its index across them.
#[inline]
pub(super) fn each_relation(pieces: &[&[Relation]], mut f: impl FnMut(u32, &Relation)) {
    let mut i = 0u32;
    for piece in pieces {
        for r in *piece {
            f(i, r);
            i += 1;
        }
    }
}

/// Relations by source: source `s`'s are `rels[offsets[s]..offsets[s + 1]]`,
/// in order. A counting sort, O(S + E).
fn by_source(sources: usize, pieces: &[&[Relation]]) -> (Vec<u32>, Vec<u32>) {
    let mut offsets = vec![0u32; sources + 1];
    each_relation(pieces, |_, r| offsets[r.source as usize + 1] += 1);
    for i in 1..offsets.len() {
        offsets[i] += offsets[i - 1];
    }
    let mut fill = offsets.clone();
    let mut rels = vec![0u32; offsets[sources] as usize];
    each_relation(pieces, |i, r| {
        let slot = &mut fill[r.source as usize];
        rels[*slot as usize] = i;
        *slot += 1;
    });
    (offsets, rels)
}

/// Which way a traversal may follow a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// Either direction.
    Both,
    /// From `from` to `to` (symmetric types both ways).
    Forward,
    /// From `to` to `from` (symmetric types both ways).
    Backward,
}

/// One relation seen from one of its ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// The entity at the other end.
    pub other: u32,
    /// The relation's index.
    pub rel: u32,
    /// Whether the relation points away from the entity we stand on.
    pub outgoing: bool,
}

#[derive(Debug)]
pub struct Graph {
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
    pub sources: Vec<Source>,
    pub strings: Interner,
    /// Dataset files in reading order; [`crate::model::Origin`] points here.
    pub files: Vec<String>,
    /// Every relation at every entity, both ways, laid out entity by entity
    /// (compressed sparse rows): the traversal index of every query.
    pub(crate) adjacency: Adjacency,
    entity_ids: IdMap,
    source_ids: FxHashMap<Box<str>, u32>,
    /// Relations of each source, as offsets into `source_rels`.
    pub(crate) source_offsets: Vec<u32>,
    pub(crate) source_rels: Vec<u32>,
    /// Per relation type symbol: whether it is symmetric.
    symmetric: Vec<bool>,
    pub(crate) names: NameIndex,
    pub(crate) evidence: TextStore,
    pub(crate) relation_attrs: FxHashMap<u32, Attrs>,
    /// Relations per type symbol, counted on first use: the type lists of
    /// the pages and API, asked on many requests, then cost no pass over
    /// every relation.
    type_totals: std::sync::OnceLock<Vec<usize>>,
    /// The components of the whole graph, found once (or read from a
    /// snapshot, which stores them so a start need not find them again).
    whole_components: std::sync::OnceLock<WholeComponents>,
}

/// Connected components over every relation: how many, the entities in
/// the largest, and the entities with no relation to another entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WholeComponents {
    pub count: usize,
    pub largest: usize,
    pub isolated: usize,
}

/// Components over the relations `keep` lets through, in one pass of
/// union-find over the relations array, in file order: a sequential scan.
/// Each union that joins two sets removes one component; a relation from
/// an entity to itself joins it to nothing else.
pub(crate) fn components_where(g: &Graph, keep: impl Fn(u32) -> bool) -> WholeComponents {
    let n = g.entities.len();
    let mut sets: petgraph::unionfind::UnionFind<u32> = petgraph::unionfind::UnionFind::new(n);
    let mut linked = vec![false; n];
    let mut count = n;
    for (i, r) in g.relations.iter().enumerate() {
        if !keep(i as u32) {
            continue;
        }
        if r.from != r.to {
            if sets.union(r.from, r.to) {
                count -= 1;
            }
            linked[r.from as usize] = true;
            linked[r.to as usize] = true;
        }
    }
    let mut sizes = vec![0u32; n];
    for label in sets.into_labeling() {
        sizes[label as usize] += 1;
    }
    WholeComponents {
        count,
        largest: sizes.iter().copied().max().unwrap_or(0) as usize,
        isolated: linked.iter().filter(|&&l| !l).count(),
    }
}

impl Graph {
    /// The components of the whole graph: found on first use, then kept.
    pub fn whole_components(&self) -> WholeComponents {
        *self
            .whole_components
            .get_or_init(|| components_where(self, |_| true))
    }

    /// Components a snapshot stored (its checksum vouches for them).
    pub(crate) fn set_whole_components(&self, c: WholeComponents) {
        let _ = self.whole_components.set(c);
    }

    /// Builds the graph and its indexes from checked rows.
    ///
    /// Complexity: O(V + E) plus sorting the name keys, O(K log K).
    pub(crate) fn build(parts: GraphParts) -> Graph {
        let GraphParts {
            entities,
            relations,
            sources,
            strings,
            files,
            entity_ids,
            source_ids,
            names,
            indexes,
            evidence,
            relation_attrs,
        } = parts;
        let Indexes {
            adjacency,
            source_offsets,
            source_rels,
        } = indexes.unwrap_or_else(|| Indexes::build(entities.len(), sources.len(), &[&relations]));
        let symmetric = (0..strings.len())
            .map(|i| is_symmetric(strings.resolve(Sym(i as u32))))
            .collect();
        let names = names.unwrap_or_else(|| NameIndex::build(&entities));
        Graph {
            entities,
            relations,
            sources,
            strings,
            files,
            adjacency,
            entity_ids,
            source_ids,
            source_offsets,
            source_rels,
            symmetric,
            names,
            evidence,
            relation_attrs,
            type_totals: std::sync::OnceLock::new(),
            whole_components: std::sync::OnceLock::new(),
        }
    }

    /// How many relations each type symbol has (0 for symbols that are
    /// not relation types), by symbol number; counted once per graph.
    fn type_totals(&self) -> &[usize] {
        self.type_totals.get_or_init(|| {
            let mut counts = vec![0usize; self.strings.len()];
            for r in &self.relations {
                counts[r.rel_type.0 as usize] += 1;
            }
            counts
        })
    }

    /// What the source says for relation `rel`, in the curator's words.
    ///
    /// The evidence is read back from the relations file; if that file
    /// was changed in place since loading, this says so instead.
    pub fn evidence(&self, rel: u32) -> String {
        self.evidence
            .get(rel)
            .unwrap_or_else(|e| format!("[evidence unavailable: {e}]"))
    }

    /// The evidence of relation `rel`, or why it cannot be read: for
    /// exports, which must fail rather than write a note in its place.
    pub fn try_evidence(&self, rel: u32) -> std::io::Result<String> {
        self.evidence.get(rel).map_err(std::io::Error::other)
    }

    /// The extra columns of relation `rel` (often none).
    pub fn relation_attrs(&self, rel: u32) -> &Attrs {
        static NONE: std::sync::LazyLock<Attrs> = std::sync::LazyLock::new(|| Box::new([]));
        self.relation_attrs.get(&rel).unwrap_or(&NONE)
    }

    pub fn entity(&self, i: u32) -> &Entity {
        &self.entities[i as usize]
    }
    pub fn relation(&self, i: u32) -> &Relation {
        &self.relations[i as usize]
    }
    pub fn source(&self, i: u32) -> &Source {
        &self.sources[i as usize]
    }
    /// The entity id table, as a snapshot stores it.
    pub(crate) fn entity_ids(&self) -> &IdMap {
        &self.entity_ids
    }
    pub fn entity_index(&self, id: &str) -> Option<u32> {
        self.entity_ids.get(id)
    }
    pub fn source_index(&self, id: &str) -> Option<u32> {
        self.source_ids.get(id).copied()
    }
    pub fn str(&self, sym: Sym) -> &str {
        self.strings.resolve(sym)
    }
    pub fn rel_type(&self, rel: u32) -> &str {
        self.str(self.relation(rel).rel_type)
    }
    pub fn is_symmetric(&self, sym: Sym) -> bool {
        self.symmetric.get(sym.0 as usize).copied().unwrap_or(false)
    }
    /// The relations a source supports, in file order.
    pub fn relations_of_source(&self, source: u32) -> &[u32] {
        let s = source as usize;
        &self.source_rels[self.source_offsets[s] as usize..self.source_offsets[s + 1] as usize]
    }

    /// Number of relations touching an entity, either way.
    pub fn degree(&self, entity: u32) -> usize {
        self.adjacency.at(entity).len()
    }

    /// The entities at the other end of every relation at `entity`, either
    /// direction, in file order (an entity joined twice comes twice): the
    /// hot loop of an unfiltered search.
    pub fn others(&self, entity: u32) -> impl Iterator<Item = u32> + '_ {
        self.adjacency.at(entity).iter().map(|a| a.other)
    }

    /// The relations at an entity that a walk may follow, in file order.
    pub fn steps(&self, entity: u32, walk: Walk) -> impl Iterator<Item = Step> + '_ {
        self.adjacency.at(entity).iter().filter_map(move |a| {
            let step = a.step();
            let ok = match walk {
                Walk::Both => true,
                Walk::Forward => {
                    step.outgoing || self.is_symmetric(self.relations[step.rel as usize].rel_type)
                }
                Walk::Backward => {
                    !step.outgoing || self.is_symmetric(self.relations[step.rel as usize].rel_type)
                }
            };
            ok.then_some(step)
        })
    }

    /// Every relation at an entity, grouped by type (types by name,
    /// relations in file order): what an entity page or `show` lists.
    pub fn relations_by_type(&self, entity: u32) -> std::collections::BTreeMap<&str, Vec<u32>> {
        let mut groups: std::collections::BTreeMap<&str, Vec<u32>> = Default::default();
        // The adjacency lists each relation once per end, in file order; a
        // relation from an entity to itself is listed once.
        for a in self.adjacency.at(entity) {
            let step = a.step();
            groups
                .entry(self.rel_type(step.rel))
                .or_default()
                .push(step.rel);
        }
        groups
    }

    /// The relation type symbol for a name, if any relation has it.
    pub fn type_sym(&self, name: &str) -> Option<Sym> {
        self.strings
            .get(name)
            .filter(|s| self.type_totals().get(s.0 as usize).is_some_and(|&n| n > 0))
    }

    /// The relation types present, with counts, sorted by name.
    pub fn type_counts(&self) -> Vec<(&str, usize)> {
        let counts = self.type_totals();
        let mut v: Vec<_> = (0..counts.len())
            .filter(|&s| counts[s] > 0)
            .map(|s| (self.str(Sym(s as u32)), counts[s]))
            .collect();
        v.sort();
        v
    }

    /// Warnings about rows nothing refers to.
    pub(crate) fn unused_warnings(&self) -> Vec<DataError> {
        let mut out = Vec::new();
        for (i, e) in self.entities.iter().enumerate() {
            if self.degree(i as u32) == 0 {
                out.push(DataError::at(
                    self.files[e.origin.file as usize].clone(),
                    u64::from(e.origin.line),
                    format!("entity \"{}\" has no relation", e.id()),
                ));
            }
        }
        for (i, s) in self.sources.iter().enumerate() {
            if self.relations_of_source(i as u32).is_empty() {
                out.push(DataError::at(
                    self.files[s.origin.file as usize].clone(),
                    u64::from(s.origin.line),
                    format!("source \"{}\" supports no relation", s.id),
                ));
            }
        }
        out
    }

    /// Bytes held by each structure of the graph (vectors by capacity,
    /// strings by length plus one 16-byte allocation header, hash maps by
    /// capacity): where the memory goes, largest first. An estimate of
    /// the heap, not of the allocator's own overhead.
    pub fn memory(&self) -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        let s = |t: &str| if t.is_empty() { 0 } else { t.len() + 16 };
        let attrs = |a: &Attrs| {
            a.len() * size_of::<(Sym, Box<str>)>() + a.iter().map(|(_, v)| s(v)).sum::<usize>()
        };
        let entity_text: usize = self
            .entities
            .iter()
            .map(|e| {
                // One string per entity: id, name, description, aliases.
                let texts = if e.texts.is_empty() {
                    0
                } else {
                    e.texts.len() + 16
                };
                texts + attrs(&e.attrs)
            })
            .sum();
        let source_text: usize = self
            .sources
            .iter()
            .map(|x| {
                [&x.id, &x.title, &x.publisher, &x.url, &x.language, &x.file]
                    .iter()
                    .map(|t| s(t))
                    .sum::<usize>()
                    + attrs(&x.attrs)
            })
            .sum();
        let (offsets, items) = self.adjacency.raw();
        let postings = |p: &names::Postings| {
            let (o, i) = p.raw();
            std::mem::size_of_val(o) + std::mem::size_of_val(i)
        };
        let (key_text, key_ends) = self.names.keys.parts();
        let (_, firsts, evidence) = self.evidence.parts();
        let mut v = vec![
            (
                "entities (rows)",
                self.entities.capacity() * size_of::<Entity>(),
            ),
            ("entities (texts)", entity_text),
            (
                "relations",
                self.relations.capacity() * size_of::<Relation>(),
            ),
            (
                "sources",
                self.sources.capacity() * size_of::<Source>() + source_text,
            ),
            (
                "adjacency",
                std::mem::size_of_val(offsets) + std::mem::size_of_val(items),
            ),
            (
                "relations by source",
                (self.source_offsets.len() + self.source_rels.len()) * 4,
            ),
            ("entity ids", self.entity_ids.heap_bytes()),
            (
                "source ids",
                self.source_ids.capacity() * 24
                    + self.source_ids.keys().map(|k| s(k)).sum::<usize>(),
            ),
            (
                "name keys",
                key_text.len() + std::mem::size_of_val(key_ends),
            ),
            ("name postings", postings(&self.names.key_postings)),
            ("word fst", self.names.words.as_fst().as_bytes().len()),
            ("word postings", postings(&self.names.word_postings)),
            ("evidence offsets", firsts.len() * 4 + evidence.len() * 8),
            (
                "relation attributes",
                self.relation_attrs.capacity() * 24
                    + self.relation_attrs.values().map(attrs).sum::<usize>(),
            ),
            (
                "strings",
                (0..self.strings.len())
                    .map(|i| 2 * s(self.str(Sym(i as u32))) + 40)
                    .sum(),
            ),
        ];
        v.sort_by_key(|b| std::cmp::Reverse(b.1));
        v
    }

    /// Where a row came from, as `PATH:LINE`.
    pub fn origin_of(&self, origin: crate::model::Origin) -> String {
        format!("{}:{}", self.files[origin.file as usize], origin.line)
    }
}
