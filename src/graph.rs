//! The loaded graph: entities, relations and sources, the indexes queries
//! need (adjacency, ids, names and aliases), and the petgraph graph over
//! them, built on first use.
//!
//! Invariants, established by [`Graph::build`] and relied on everywhere:
//! node `i` of the petgraph graph is entity `i`; the weight of every edge is
//! the index of its relation; every relation's `from`, `to` and `source` are
//! valid indexes; ids are unique. The graph is immutable once built: a
//! reload builds a new one.

use std::ops::Range;

use rustc_hash::FxHashMap;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::error::DataError;
use crate::ids::IdMap;
use crate::keys::SortedKeys;
use crate::model::{Attrs, Entity, Interner, Relation, Source, Sym, is_symmetric};
use crate::store::TextStore;
use crate::text::Folder;

/// What [`Graph::build`] takes: the rows the loader checked.
pub struct GraphParts {
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
    pub sources: Vec<Source>,
    pub strings: Interner,
    pub files: Vec<String>,
    /// Id → index maps, as the loader built them while checking.
    pub entity_ids: IdMap,
    pub source_ids: FxHashMap<Box<str>, u32>,
    /// The name index, when it was built beside loading; built here if not.
    pub names: Option<NameIndex>,
    /// The traversal indexes, when they were built beside loading (while
    /// the name index was still being built); built here if not.
    pub indexes: Option<Indexes>,
    /// Relation `i`'s evidence is text `i`.
    pub evidence: TextStore,
    /// Extra columns of the relations that have any.
    pub relation_attrs: FxHashMap<u32, Attrs>,
}

/// What traversals walk, built from the relations alone (no names, no
/// entity rows), so loading can build them while the name index is still
/// being built on the other core.
pub struct Indexes {
    adjacency: Adjacency,
    source_offsets: Vec<u32>,
    source_rels: Vec<u32>,
}

impl Indexes {
    /// From the relations in order, in one or more pieces: relation `i` is
    /// the `i`-th across them, so a file read in halves need not be joined
    /// first.
    ///
    /// Complexity: O(V + E).
    pub fn build(entities: usize, sources: usize, pieces: &[&[Relation]]) -> Indexes {
        let (source_offsets, source_rels) = by_source(sources, pieces);
        Indexes {
            adjacency: Adjacency::build(entities, pieces),
            source_offsets,
            source_rels,
        }
    }
}

/// Graphs with at least this many relations build their adjacency on two
/// threads.
const PARALLEL_RELATIONS: usize = 1 << 20;

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

/// Calls `f` with each end of every relation of `pieces` that is an entity
/// in `range`, and the relation as seen from there; a relation from an
/// entity to itself once, as outgoing. Counting and filling the adjacency
/// both go through here, so they agree on every end.
#[inline]
fn each_end(pieces: &[&[Relation]], range: &Range<usize>, mut f: impl FnMut(usize, Adj)) {
    each_relation(pieces, |i, r| {
        let (from, to) = (r.from as usize, r.to as usize);
        if range.contains(&from) {
            let rel_out = i | OUTGOING;
            f(
                from,
                Adj {
                    other: r.to,
                    rel_out,
                },
            );
        }
        if to != from && range.contains(&to) {
            f(
                to,
                Adj {
                    other: r.from,
                    rel_out: i,
                },
            );
        }
    });
}

/// Calls `f` with every relation of `pieces` and its index across them.
#[inline]
fn each_relation(pieces: &[&[Relation]], mut f: impl FnMut(u32, &Relation)) {
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
    /// The petgraph graph, built on first use ([`Graph::petgraph`]).
    net: std::sync::OnceLock<DiGraph<(), u32, u32>>,
    /// Every relation at every entity, both ways, laid out entity by entity
    /// (compressed sparse rows): the traversal index of every query.
    adjacency: Adjacency,
    entity_ids: IdMap,
    source_ids: FxHashMap<Box<str>, u32>,
    /// Relations of each source, as offsets into `source_rels`.
    source_offsets: Vec<u32>,
    source_rels: Vec<u32>,
    /// Per relation type symbol: whether it is symmetric.
    symmetric: Vec<bool>,
    pub(crate) names: NameIndex,
    evidence: TextStore,
    relation_attrs: FxHashMap<u32, Attrs>,
}

impl Graph {
    /// Builds the graph and its indexes from checked rows.
    ///
    /// Complexity: O(V + E) plus sorting the name keys, O(K log K).
    pub fn build(parts: GraphParts) -> Graph {
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
            net: std::sync::OnceLock::new(),
            adjacency,
            entity_ids,
            source_ids,
            source_offsets,
            source_rels,
            symmetric,
            names,
            evidence,
            relation_attrs,
        }
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
    /// The petgraph graph: node `i` is entity `i`, edge weights are
    /// relation indexes.
    ///
    /// Built on first use, not while loading: every query of ours walks
    /// the adjacency, and at five million relations the petgraph graph
    /// would cost 110 MB and a tenth of a second that no query needs.
    pub fn petgraph(&self) -> &DiGraph<(), u32, u32> {
        self.net.get_or_init(|| {
            let mut net = DiGraph::with_capacity(self.entities.len(), self.relations.len());
            for _ in 0..self.entities.len() {
                net.add_node(());
            }
            for (i, r) in self.relations.iter().enumerate() {
                net.add_edge(
                    NodeIndex::new(r.from as usize),
                    NodeIndex::new(r.to as usize),
                    i as u32,
                );
            }
            net
        })
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
            .filter(|s| self.relations.iter().any(|r| r.rel_type == *s))
    }

    /// The relation types present, with counts, sorted by name.
    pub fn type_counts(&self) -> Vec<(&str, usize)> {
        let mut counts = vec![0usize; self.strings.len()];
        for r in &self.relations {
            counts[r.rel_type.0 as usize] += 1;
        }
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
                    format!("entity \"{}\" has no relation", e.id),
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

    /// Where a row came from, as `PATH:LINE`.
    pub fn origin_of(&self, origin: crate::model::Origin) -> String {
        format!("{}:{}", self.files[origin.file as usize], origin.line)
    }
}

/// One relation at one entity: the entity at the other end, and the
/// relation's index with its direction in the top bit.
#[derive(Debug, Clone, Copy)]
struct Adj {
    other: u32,
    rel_out: u32,
}

const OUTGOING: u32 = 1 << 31;

/// The most relations a graph may hold: one bit of the index is the
/// direction in the adjacency.
pub const MAX_RELATIONS: usize = (OUTGOING - 1) as usize;

impl Adj {
    fn step(self) -> Step {
        Step {
            other: self.other,
            rel: self.rel_out & !OUTGOING,
            outgoing: self.rel_out & OUTGOING != 0,
        }
    }
}

/// Relations by entity, both directions, in one array: entity `i`'s are
/// `items[offsets[i]..offsets[i + 1]]`, in relation (file) order.
///
/// petgraph's `Graph` keeps adjacency as linked lists through its edge
/// array, so a walk jumps around memory; its `Csr` holds one edge per
/// ordered pair, and our relations are a multigraph. This is the layout a
/// breadth-first search wants: 8 bytes per relation end, contiguous.
#[derive(Debug)]
struct Adjacency {
    offsets: Vec<u32>,
    items: Vec<Adj>,
}

impl Adjacency {
    /// Counting sort by entity: O(V + E). On a big graph the entities are
    /// cut in two ranges, each counted and filled on a thread of its own:
    /// both scan every relation, each writes only its own entities' part
    /// of the array.
    fn build(nodes: usize, pieces: &[&[Relation]]) -> Adjacency {
        let relations: usize = pieces.iter().map(|p| p.len()).sum();
        Adjacency::build_with(nodes, pieces, relations >= PARALLEL_RELATIONS)
    }

    fn build_with(nodes: usize, pieces: &[&[Relation]], parallel: bool) -> Adjacency {
        let mid = if parallel { nodes / 2 } else { nodes };
        let (low, high) = (0..mid, mid..nodes);
        let count = |range: Range<usize>| {
            let mut counts = vec![0u32; range.len()];
            each_end(pieces, &range, |entity, _| {
                counts[entity - range.start] += 1
            });
            counts
        };
        let (low_counts, high_counts) =
            both(parallel, || count(low.clone()), || count(high.clone()));
        let mut offsets = Vec::with_capacity(nodes + 1);
        let mut total = 0u32;
        offsets.push(0);
        for c in low_counts.into_iter().chain(high_counts) {
            total += c;
            offsets.push(total);
        }
        let mut items = vec![
            Adj {
                other: 0,
                rel_out: 0
            };
            total as usize
        ];
        let (low_items, high_items) = items.split_at_mut(offsets[mid] as usize);
        let fill = |items: &mut [Adj], range: Range<usize>| {
            let base = offsets[range.start];
            let mut next: Vec<u32> = offsets[range.clone()].iter().map(|o| o - base).collect();
            each_end(pieces, &range, |entity, adj| {
                let slot = &mut next[entity - range.start];
                items[*slot as usize] = adj;
                *slot += 1;
            });
        };
        both(
            parallel,
            || fill(low_items, low.clone()),
            || fill(high_items, high.clone()),
        );
        Adjacency { offsets, items }
    }

    fn at(&self, entity: u32) -> &[Adj] {
        let e = entity as usize;
        &self.items[self.offsets[e] as usize..self.offsets[e + 1] as usize]
    }
}

/// Which name of an entity a key came from: 0 is the name, `n` alias `n-1`.
pub type Variant = u16;

/// Normalised names and aliases, and their words: key ordinals index
/// posting lists of (entity, variant). Whole names are looked up exactly
/// and by prefix, in sorted keys; words also by edit distance, in an fst,
/// whose automaton walk stays fast at a million words.
#[derive(Debug)]
pub struct NameIndex {
    pub keys: SortedKeys,
    pub key_postings: Postings,
    pub words: fst::Map<Vec<u8>>,
    pub word_postings: Postings,
}

/// One name in a posting list: the entity, which of its names, and how
/// many words that name has (at most 255 counted; search scores by how
/// much of a name a query covers). It takes the bytes an (entity, variant)
/// pair leaves as padding.
pub type Posting = (u32, Variant, u8);

/// Posting lists laid end to end: list `i` is `items[offsets[i]..offsets[i+1]]`.
#[derive(Debug, Default)]
pub struct Postings {
    offsets: Vec<u32>,
    items: Vec<Posting>,
}

impl Postings {
    pub fn get(&self, i: u64) -> &[Posting] {
        let i = i as usize;
        &self.items[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
}

impl NameIndex {
    /// Indexes every entity's names, aliases and id.
    ///
    /// Every normalised name is appended to one text, and keys and words
    /// are spans of it, so no name or word has an allocation of its own.
    /// `sort_spans` orders them by comparing 7 bytes at a time as one
    /// integer, reading the text again only for spans still tied.
    /// Complexity: O(m log m) for m names and words, plus O(log m) for
    /// every further 7 bytes a name shares with another; then the fst
    /// builder, linear in the bytes of the distinct words.
    pub fn build(entities: &[Entity]) -> NameIndex {
        let mut folder = Folder::default();
        let mut text = String::new();
        let mut keys = Vec::with_capacity(entities.len() * 3);
        let mut words = Vec::with_capacity(entities.len() * 6);
        for (i, e) in entities.iter().enumerate() {
            let entity = i as u32;
            let names = std::iter::once(&e.name).chain(e.aliases.iter());
            for (v, name) in names.enumerate().take(usize::from(Variant::MAX)) {
                let variant = v as Variant;
                let start = text.len();
                folder.normalize_into(name, &mut text);
                let end = text.len();
                if start == end {
                    continue;
                }
                // Each span with its sort key, read while the name is
                // fresh in the cache.
                let bytes = text.as_bytes();
                let span = |start, end| {
                    let span = Span {
                        start,
                        end,
                        entity,
                        variant,
                        words: 1,
                    };
                    (sort_key(bytes, &span, 0), span)
                };
                // Words as `str::split(' ')` would cut them; once they are
                // cut, every span of the name learns how many there are.
                let first_word = words.len();
                let mut word = start;
                for space in memchr::memchr_iter(b' ', &bytes[start..end]) {
                    words.push(span(word, start + space));
                    word = start + space + 1;
                }
                words.push(span(word, end));
                keys.push(span(start, end));
                let count = (words.len() - first_word).min(usize::from(u8::MAX)) as u8;
                for (_, span) in words[first_word..].iter_mut().chain(keys.last_mut()) {
                    span.words = count;
                }
            }
            // The id is a name too: `komdigi` finds the ministry.
            let start = text.len();
            folder.normalize_into(&e.id, &mut text);
            let end = text.len();
            if start < end {
                let span = Span {
                    start,
                    end,
                    entity,
                    variant: Variant::MAX,
                    words: 1,
                };
                keys.push((sort_key(text.as_bytes(), &span, 0), span));
            }
        }
        // Spans come in text order, which is (entity, variant) order. The
        // two indexes are independent: words are indexed on a thread of
        // their own, so the tail of loading keeps both cores busy.
        let ((words, word_postings), (keys, key_postings)) = both(
            true,
            || {
                let (words, postings) = index_spans(&text, words);
                // Sorted and distinct, so building cannot fail.
                let words = fst::Map::from_iter(words.iter()).expect("sorted distinct words");
                (words, postings)
            },
            || index_spans(&text, keys),
        );
        NameIndex {
            keys,
            key_postings,
            words,
            word_postings,
        }
    }
}

/// A name or word: `text[start..end]` of the text being indexed, the
/// entity and variant it came from, and how many words that variant has.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    entity: u32,
    variant: Variant,
    words: u8,
}

/// The spans' distinct texts, sorted, and their postings by ordinal:
/// (entity, variant) in order, each once. Spans come with their
/// [`sort_key`] at depth 0, in text order, which must be (entity, variant)
/// order.
fn index_spans(text: &str, mut sorted: Vec<(u64, Span)>) -> (SortedKeys, Postings) {
    sort_spans(text.as_bytes(), &mut sorted);
    // The distinct keys end to end.
    let mut keys = String::new();
    let mut ends: Vec<usize> = Vec::new();
    let mut last = 0;
    let mut postings = Postings {
        offsets: vec![0],
        items: Vec::with_capacity(sorted.len()),
    };
    for (_, span) in &sorted {
        let key = &text[span.start..span.end];
        if ends.is_empty() || keys[last..] != *key {
            if !ends.is_empty() {
                postings.offsets.push(postings.items.len() as u32);
            }
            last = keys.len();
            keys.push_str(key);
            ends.push(keys.len());
        }
        let item = (span.entity, span.variant, span.words);
        let list = *postings.offsets.last().unwrap_or(&0) as usize;
        if postings.items.len() == list || postings.items.last() != Some(&item) {
            postings.items.push(item);
        }
    }
    if !ends.is_empty() {
        postings.offsets.push(postings.items.len() as u32);
    }
    (SortedKeys::from_sorted(keys, ends), postings)
}

/// How many bytes of a span one sort key holds.
const STEP: usize = 7;

/// Runs of tied spans up to this long are finished by comparing bytes.
const SMALL_RUN: usize = 32;

/// The sort key of `text[start + depth..end]`: its first [`STEP`] bytes,
/// zero-padded, then its length counted up to `STEP + 1`. Keys order as
/// the bytes do, except that equal keys ending in `STEP + 1` only say the
/// bytes agree on `STEP` and go on.
fn sort_key(text: &[u8], span: &Span, depth: usize) -> u64 {
    let rest = &text[(span.start + depth).min(span.end)..span.end];
    if let Some(head) = rest.first_chunk::<8>() {
        return u64::from_be_bytes(*head) & !0xff | (STEP as u64 + 1);
    }
    let mut key = [0u8; 8];
    for (k, &b) in key.iter_mut().zip(rest.iter().take(STEP)) {
        *k = b;
    }
    key[STEP] = rest.len().min(STEP + 1) as u8;
    u64::from_be_bytes(key)
}

/// Orders spans by their bytes in `text`, ties by where they start; each
/// comes with its [`sort_key`] at depth 0.
///
/// A most-significant-digit radix sort, [`STEP`] bytes a digit: each run
/// of spans tied so far is sorted as (sort key, start) integers, and only
/// runs that still tie and go on are sorted again a step deeper; short
/// runs by comparing their bytes at once. Runs wait on a stack, not in
/// recursion, so long shared prefixes cannot overflow the call stack.
fn sort_spans(text: &[u8], items: &mut [(u64, Span)]) {
    let rest = |span: &Span, depth: usize| &text[span.start + depth..span.end];
    let mut runs = vec![(0, items.len(), 0)];
    while let Some((lo, hi, depth)) = runs.pop() {
        let run = &mut items[lo..hi];
        run.sort_unstable_by_key(|(key, span)| (*key, span.start));
        let mut i = 0;
        while i < run.len() {
            let key = run[i].0;
            let j = i + run[i..].iter().take_while(|item| item.0 == key).count();
            // Tied spans that go on: all of them have more than `deeper`
            // bytes.
            if j - i > 1 && key & 0xff > STEP as u64 {
                let deeper = depth + STEP;
                let tied = &mut run[i..j];
                if tied.len() <= SMALL_RUN {
                    tied.sort_unstable_by(|(_, a), (_, b)| {
                        rest(a, deeper)
                            .cmp(rest(b, deeper))
                            .then(a.start.cmp(&b.start))
                    });
                } else {
                    for (key, span) in tied.iter_mut() {
                        *key = sort_key(text, span, deeper);
                    }
                    runs.push((lo + i, lo + j, deeper));
                }
            }
            i = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Origin};
    use crate::text::normalize;

    fn entity(id: &str, name: &str, aliases: &[&str]) -> Entity {
        Entity {
            id: id.into(),
            kind: Kind::Person,
            name: name.into(),
            aliases: aliases.iter().map(|&a| a.into()).collect(),
            country: None,
            start: None,
            end: None,
            description: "".into(),
            attrs: Box::new([]),
            origin: Origin { file: 0, line: 0 },
        }
    }

    type Listing = Vec<(String, Vec<Posting>)>;

    /// The keys of a map in fst order with their posting lists, checking
    /// that ordinals count up from 0 in key order.
    fn fst_listing(map: &fst::Map<Vec<u8>>, postings: &Postings) -> Listing {
        let mut out = Vec::new();
        let mut stream = map.stream();
        while let Some((k, ordinal)) = fst::Streamer::next(&mut stream) {
            assert_eq!(ordinal, out.len() as u64, "ordinals in key order");
            let k = String::from_utf8(k.to_vec()).expect("utf-8 key");
            out.push((k, postings.get(ordinal).to_vec()));
        }
        out
    }

    /// The keys in order with their posting lists.
    fn listing(keys: &SortedKeys, postings: &Postings) -> Listing {
        keys.iter()
            .map(|(k, i)| (k.to_string(), postings.get(i).to_vec()))
            .collect()
    }

    /// Groups naively sorted, deduplicated entries by key.
    fn grouped(mut entries: Vec<(String, Posting)>) -> Listing {
        entries.sort();
        entries.dedup();
        let mut out: Listing = Vec::new();
        for (k, p) in entries {
            match out.last_mut() {
                Some((last, list)) if *last == k => list.push(p),
                _ => out.push((k, vec![p])),
            }
        }
        out
    }

    /// The index as a plain sort of (key, entity, variant) would build it.
    fn reference(entities: &[Entity]) -> (Listing, Listing) {
        let mut keys = Vec::new();
        let mut words = Vec::new();
        for (i, e) in entities.iter().enumerate() {
            let i = i as u32;
            let names = std::iter::once(&e.name).chain(e.aliases.iter());
            for (v, name) in names.enumerate() {
                let key = normalize(name);
                if key.is_empty() {
                    continue;
                }
                let n = key.split(' ').count() as u8;
                for w in key.split(' ') {
                    words.push((w.to_string(), (i, v as Variant, n)));
                }
                keys.push((key, (i, v as Variant, n)));
            }
            let id = normalize(&e.id);
            if !id.is_empty() {
                keys.push((id, (i, Variant::MAX, 1)));
            }
        }
        (grouped(keys), grouped(words))
    }

    fn entities() -> Vec<Entity> {
        let mut out = vec![
            entity(
                "komdigi",
                "Komdigi",
                &["Kementerian Komunikasi dan Digital"],
            ),
            // The same key from the name, an alias and another entity.
            entity("anna-1", "Anna", &["ANNA", "Anna Maria", "!!!", "Annabel"]),
            entity("anna-2", "Anna", &["Anna Maria Konstantinopel"]),
            // Keys sharing 7, 8, 14, 15 and more bytes, and prefixes of
            // each other.
            entity("k-1", "Konstantin", &["Konstantinopel", "Konstantinop"]),
            entity("k-2", "Konstantinopel Konstantinopel", &["Konstantin!"]),
            entity(
                "k-3",
                "abcdefg",
                &["abcdefgh", "abcdefghijklmn", "abcdefghijklmno"],
            ),
            entity(
                "k-4",
                "abcdefghijklmn",
                &["abcdefg hijklmn", "abcdefgh ijklmn"],
            ),
            // Scripts: accents, Cyrillic, Japanese, Devanagari, full width.
            entity("meutya", "Méutya Hafid", &["Meutya Hafid", "Мeутя Хафид"]),
            entity("putin", "Владимир Путин", &["Владимир Владимирович Путин"]),
            entity(
                "soumu",
                "総務省",
                &["総務省 総務省", "ソウムショウ・ソウム"],
            ),
            entity("modi", "नरेन्द्र मोदी", &["नरेन्द्र", "ＡＢＣ Modi"]),
            // Nothing but punctuation: no key, no words.
            entity("!!!", "---", &["", "  ", "'"]),
            entity("peoples", "People's Bank", &["Peoples Bank", "bank"]),
        ];
        // Many names over a few long shared prefixes, so that equal
        // prefixes come in long runs.
        let first = [
            "Konstantinopel",
            "Konstantinovich",
            "Константинопольский",
            "コンスタンティノープル",
            "konstantin",
        ];
        let second = ["Abcdefghijk", "Abcdefghijkl", "Abcdefg", "Абвгдежзий"];
        let third = ["", "Bora Bora", "総務省総務省総務省"];
        for i in 0..300usize {
            let name = format!(
                "{} {} {}",
                first[i % first.len()],
                second[(i / 5) % second.len()],
                third[(i / 20) % third.len()]
            );
            let alias = format!(
                "{} {}",
                second[i % second.len()],
                first[(i / 7) % first.len()]
            );
            out.push(entity(&format!("gen-{}", i % 37), &name, &[&alias, &name]));
        }
        out
    }

    #[test]
    fn the_adjacency_is_the_same_built_on_two_threads() {
        // Relations between 1000 entities, hubs among them, self loops,
        // in three pieces; entities with no relations at both ends.
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let relations: Vec<Relation> = (0..20_000)
            .map(|i| {
                let from = if i % 5 == 0 { 3 } else { 1 + next(998) as u32 };
                let to = if i % 97 == 0 {
                    from
                } else {
                    1 + next(998) as u32
                };
                Relation {
                    from,
                    to,
                    rel_type: Sym(0),
                    role: None,
                    start: None,
                    end: None,
                    source: 0,
                    origin: Origin { file: 0, line: i },
                }
            })
            .collect();
        let pieces = [
            &relations[..7000],
            &relations[7000..7001],
            &relations[7001..],
        ];
        let one = Adjacency::build_with(1000, &pieces, false);
        let two = Adjacency::build_with(1000, &pieces, true);
        assert_eq!(one.offsets, two.offsets);
        let steps = |a: &Adjacency| -> Vec<Vec<Step>> {
            (0..1000)
                .map(|e| a.at(e).iter().map(|x| x.step()).collect())
                .collect()
        };
        assert_eq!(steps(&one), steps(&two));
        // And it is what it says: each entity's relations in file order.
        let at3: Vec<u32> = one.at(3).iter().map(|x| x.step().rel).collect();
        let expect: Vec<u32> = (0..20_000u32)
            .filter(|&i| {
                let r = &relations[i as usize];
                r.from == 3 || r.to == 3
            })
            .collect();
        assert_eq!(at3, expect);
        assert!(one.at(0).is_empty() && one.at(999).is_empty());
    }

    #[test]
    fn the_name_index_is_a_plain_sort_of_keys_and_words() {
        let entities = entities();
        let idx = NameIndex::build(&entities);
        let keys = listing(&idx.keys, &idx.key_postings);
        let words = fst_listing(&idx.words, &idx.word_postings);
        let (expect_keys, expect_words) = reference(&entities);
        assert_eq!(keys, expect_keys);
        assert_eq!(words, expect_words);
        // A few facts the reference must agree with, in case it is wrong
        // in the same way.
        let pos = |k: &str| keys.iter().position(|(key, _)| key == k).expect(k);
        assert!(pos("abcdefg") < pos("abcdefg hijklmn"));
        assert!(pos("abcdefg hijklmn") < pos("abcdefgh"));
        assert!(pos("abcdefgh") < pos("abcdefgh ijklmn"));
        assert!(pos("abcdefgh ijklmn") < pos("abcdefghijklmn"));
        assert!(pos("abcdefghijklmn") < pos("abcdefghijklmno"));
        assert!(pos("konstantinop") < pos("konstantinopel"));
        let pairs = |list: &[Posting]| -> Vec<(u32, Variant)> {
            list.iter().map(|&(e, v, _)| (e, v)).collect()
        };
        assert_eq!(pairs(&keys[pos("anna")].1), [(1, 0), (1, 1), (2, 0)]);
        assert_eq!(keys[pos("komdigi")].1, [(0, 0, 1), (0, Variant::MAX, 1)]);
        assert_eq!(pairs(&keys[pos("meutya hafid")].1), [(7, 0), (7, 1)]);
        assert_eq!(pairs(&keys[pos("abcdefghijklmn")].1), [(5, 2), (6, 0)]);
        assert!(!keys.iter().any(|(k, _)| k.is_empty()));
        let word = |w: &str| &words[words.iter().position(|(k, _)| k == w).expect(w)].1;
        assert_eq!(pairs(word("総務省")), [(9, 0), (9, 1)]);
        assert_eq!(pairs(word("bank")), [(12, 0), (12, 1), (12, 2)]);
        assert_eq!(pairs(word("konstantinopel"))[..3], [(2, 1), (3, 1), (4, 0)]);
        // Every posting counts the words of its name: "Anna Maria
        // Konstantinopel" has three, "Konstantinopel Konstantinopel" two.
        assert_eq!(
            word("konstantinopel")[..3],
            [(2, 1, 3), (3, 1, 1), (4, 0, 2)]
        );
        assert!(
            words
                .windows(2)
                .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes())
        );
    }
}
