//! The loaded graph: entities, relations and sources, the petgraph graph
//! over them, and the indexes queries need (ids, names and aliases).
//!
//! Invariants, established by [`Graph::build`] and relied on everywhere:
//! node `i` of the petgraph graph is entity `i`; the weight of every edge is
//! the index of its relation; every relation's `from`, `to` and `source` are
//! valid indexes; ids are unique. The graph is immutable once built: a
//! reload builds a new one.

use std::collections::HashMap;

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::error::DataError;
use crate::model::{Entity, Interner, Relation, Source, Sym, is_symmetric};
use crate::text::normalize;

/// What [`Graph::build`] takes: the rows the loader checked.
pub struct GraphParts {
    pub entities: Vec<Entity>,
    pub relations: Vec<Relation>,
    pub sources: Vec<Source>,
    pub strings: Interner,
    pub files: Vec<String>,
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
    net: DiGraph<(), u32, u32>,
    entity_ids: HashMap<Box<str>, u32>,
    source_ids: HashMap<Box<str>, u32>,
    /// Relations of each source, as offsets into `source_rels`.
    source_offsets: Vec<u32>,
    source_rels: Vec<u32>,
    /// Per relation type symbol: whether it is symmetric.
    symmetric: Vec<bool>,
    pub(crate) names: NameIndex,
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
        } = parts;
        let mut net = DiGraph::with_capacity(entities.len(), relations.len());
        for _ in 0..entities.len() {
            net.add_node(());
        }
        for (i, r) in relations.iter().enumerate() {
            net.add_edge(
                NodeIndex::new(r.from as usize),
                NodeIndex::new(r.to as usize),
                i as u32,
            );
        }
        let entity_ids = entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.clone(), i as u32))
            .collect();
        let source_ids = sources
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), i as u32))
            .collect();
        let mut source_offsets = vec![0u32; sources.len() + 1];
        for r in &relations {
            source_offsets[r.source as usize + 1] += 1;
        }
        for i in 1..source_offsets.len() {
            source_offsets[i] += source_offsets[i - 1];
        }
        let mut fill = source_offsets.clone();
        let mut source_rels = vec![0u32; relations.len()];
        for (i, r) in relations.iter().enumerate() {
            let slot = &mut fill[r.source as usize];
            source_rels[*slot as usize] = i as u32;
            *slot += 1;
        }
        let symmetric = (0..strings.len())
            .map(|i| is_symmetric(strings.resolve(Sym(i as u32))))
            .collect();
        let names = NameIndex::build(&entities);
        Graph {
            entities,
            relations,
            sources,
            strings,
            files,
            net,
            entity_ids,
            source_ids,
            source_offsets,
            source_rels,
            symmetric,
            names,
        }
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
        self.entity_ids.get(id).copied()
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
    pub fn petgraph(&self) -> &DiGraph<(), u32, u32> {
        &self.net
    }

    /// The relations a source supports, in file order.
    pub fn relations_of_source(&self, source: u32) -> &[u32] {
        let s = source as usize;
        &self.source_rels[self.source_offsets[s] as usize..self.source_offsets[s + 1] as usize]
    }

    /// Number of relations touching an entity, either way.
    pub fn degree(&self, entity: u32) -> usize {
        let n = NodeIndex::new(entity as usize);
        self.net.edges_directed(n, Direction::Outgoing).count()
            + self.net.edges_directed(n, Direction::Incoming).count()
    }

    /// The relations at an entity that a walk may follow, in a stable order.
    pub fn steps(&self, entity: u32, walk: Walk) -> impl Iterator<Item = Step> + '_ {
        let n = NodeIndex::new(entity as usize);
        let out = self
            .net
            .edges_directed(n, Direction::Outgoing)
            .filter(move |e| {
                walk != Walk::Backward
                    || self.is_symmetric(self.relations[*e.weight() as usize].rel_type)
            })
            .map(|e| Step {
                other: e.target().index() as u32,
                rel: *e.weight(),
                outgoing: true,
            });
        let inc = self
            .net
            .edges_directed(n, Direction::Incoming)
            .filter(move |e| {
                walk != Walk::Forward
                    || self.is_symmetric(self.relations[*e.weight() as usize].rel_type)
            })
            .map(|e| Step {
                other: e.source().index() as u32,
                rel: *e.weight(),
                outgoing: false,
            });
        out.chain(inc)
    }

    /// The relation type symbol for a name, if any relation has it.
    pub fn type_sym(&self, name: &str) -> Option<Sym> {
        self.strings
            .get(name)
            .filter(|s| self.relations.iter().any(|r| r.rel_type == *s))
    }

    /// The relation types present, with counts, sorted by name.
    pub fn type_counts(&self) -> Vec<(&str, usize)> {
        let mut counts: HashMap<Sym, usize> = HashMap::new();
        for r in &self.relations {
            *counts.entry(r.rel_type).or_default() += 1;
        }
        let mut v: Vec<_> = counts.into_iter().map(|(s, n)| (self.str(s), n)).collect();
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

/// Which name of an entity a key came from: 0 is the name, `n` alias `n-1`.
pub type Variant = u16;

/// Normalised names and aliases, and their words, in two fst maps: keys to
/// posting lists of (entity, variant). The fst keeps lookups by exact key,
/// prefix and edit distance fast at a million names.
#[derive(Debug)]
pub(crate) struct NameIndex {
    pub keys: fst::Map<Vec<u8>>,
    pub key_postings: Postings,
    pub words: fst::Map<Vec<u8>>,
    pub word_postings: Postings,
}

/// Posting lists laid end to end: list `i` is `items[offsets[i]..offsets[i+1]]`.
#[derive(Debug, Default)]
pub(crate) struct Postings {
    offsets: Vec<u32>,
    items: Vec<(u32, Variant)>,
}

impl Postings {
    pub fn get(&self, i: u64) -> &[(u32, Variant)] {
        let i = i as usize;
        &self.items[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Builds the fst and the postings from unsorted (key, entity, variant).
    fn build(mut entries: Vec<(String, u32, Variant)>) -> (fst::Map<Vec<u8>>, Postings) {
        entries.sort_unstable();
        entries.dedup();
        let mut builder = fst::MapBuilder::memory();
        let mut postings = Postings {
            offsets: vec![0],
            items: Vec::with_capacity(entries.len()),
        };
        let mut i = 0;
        while i < entries.len() {
            let key = &entries[i].0;
            let mut j = i;
            while j < entries.len() && entries[j].0 == *key {
                postings.items.push((entries[j].1, entries[j].2));
                j += 1;
            }
            // Keys are sorted and distinct, so insertion cannot fail.
            let ordinal = postings.offsets.len() as u64 - 1;
            builder.insert(key, ordinal).expect("sorted distinct keys");
            postings.offsets.push(postings.items.len() as u32);
            i = j;
        }
        let map = fst::Map::new(builder.into_inner().expect("in-memory fst")).expect("valid fst");
        (map, postings)
    }
}

impl NameIndex {
    fn build(entities: &[Entity]) -> NameIndex {
        let mut keys = Vec::new();
        let mut words = Vec::new();
        for (i, e) in entities.iter().enumerate() {
            let names = std::iter::once(&e.name).chain(e.aliases.iter());
            for (v, name) in names.enumerate().take(usize::from(Variant::MAX)) {
                let key = normalize(name);
                if key.is_empty() {
                    continue;
                }
                for w in key.split(' ') {
                    words.push((w.to_string(), i as u32, v as Variant));
                }
                keys.push((key, i as u32, v as Variant));
            }
            // The id is a name too: `komdigi` finds the ministry.
            let id_key = normalize(&e.id);
            if !id_key.is_empty() {
                keys.push((id_key, i as u32, Variant::MAX));
            }
        }
        let (keys, key_postings) = Postings::build(keys);
        let (words, word_postings) = Postings::build(words);
        NameIndex {
            keys,
            key_postings,
            words,
            word_postings,
        }
    }
}
