//! The compact two-way adjacency: every relation at every entity, both
//! ways, in one array, entity by entity, in file order.

use std::ops::Range;

use super::{Step, both, each_relation};
use crate::model::Relation;

/// Graphs with at least this many relations build their adjacency on two
/// threads.
const PARALLEL_RELATIONS: usize = 1 << 20;

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

/// One relation at one entity: the entity at the other end, and the
/// relation's index with its direction in the top bit.
///
/// Plain data (two `u32`, no padding): a snapshot stores the array as it
/// lies in memory and reads it back in one read.
#[derive(
    Debug,
    Clone,
    Copy,
    zerocopy::FromBytes,
    zerocopy::IntoBytes,
    zerocopy::Immutable,
    zerocopy::KnownLayout,
)]
#[repr(C)]
pub(crate) struct Adj {
    pub(super) other: u32,
    rel_out: u32,
}

const OUTGOING: u32 = 1 << 31;

/// The most relations a graph may hold: one bit of the index is the
/// direction in the adjacency.
pub const MAX_RELATIONS: usize = (OUTGOING - 1) as usize;

impl Adj {
    /// The entity at the other end and the relation with its direction
    /// bit, as a snapshot stores them.
    pub(crate) fn raw(self) -> (u32, u32) {
        (self.other, self.rel_out)
    }

    pub(super) fn step(self) -> Step {
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
pub(crate) struct Adjacency {
    pub(super) offsets: Vec<u32>,
    items: Vec<Adj>,
}

impl Adjacency {
    /// The offsets and the relation ends, as a snapshot stores them.
    pub(crate) fn raw(&self) -> (&[u32], &[Adj]) {
        (&self.offsets, &self.items)
    }

    /// From [`Adjacency::raw`]'s arrays, if they agree: offsets rising
    /// from 0 to the number of ends, every end naming an entity.
    pub(crate) fn from_raw(offsets: Vec<u32>, items: Vec<Adj>) -> Option<Adjacency> {
        let nodes = offsets.len().checked_sub(1)?;
        let ok = offsets.first() == Some(&0)
            && offsets.last().is_some_and(|&l| l as usize == items.len())
            && offsets.windows(2).all(|w| w[0] <= w[1])
            && items.iter().all(|a| (a.other as usize) < nodes);
        ok.then_some(Adjacency { offsets, items })
    }

    /// Counting sort by entity: O(V + E). On a big graph the entities are
    /// cut in two ranges, each counted and filled on a thread of its own:
    /// both scan every relation, each writes only its own entities' part
    /// of the array.
    pub(super) fn build(nodes: usize, pieces: &[&[Relation]]) -> Adjacency {
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

    pub(super) fn at(&self, entity: u32) -> &[Adj] {
        let e = entity as usize;
        &self.items[self.offsets[e] as usize..self.offsets[e + 1] as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, Sym};

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
}
