//! Entity ids to compact indexes, for the loader's hottest loop.
//!
//! Loading a million entities and five million relations looks up ten
//! million ids, each at a random place in memory. A general hash map of
//! boxed strings pays three cache misses per lookup (its control bytes,
//! the bucket, the boxed key). [`IdMap`] pays two: one slot holding the
//! hash's high bits, the index and where the id's bytes are, then those
//! bytes, which all live end to end in one string.
//!
//! The table is open addressing with linear probing, kept at most half
//! full, so a probe sequence is short and usually within one cache line.
//! [`IdMap::warm`] lets a reader touch a batch's slots, then their bytes,
//! before looking any up, so the misses of a batch overlap; measured on
//! the loader, that takes about a sixth off reading the relations.

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

/// Ids (non-empty strings) mapped to `u32` indexes. Insert-only.
#[derive(Debug, Clone)]
pub struct IdMap {
    /// Every id, end to end, in insertion order (UTF-8, cut only at the
    /// ends of ids).
    text: Vec<u8>,
    /// A power of two of slots, at most half of them used.
    slots: Vec<Slot>,
    len: usize,
}

#[derive(Debug, Clone, Copy)]
struct Slot {
    /// The high half of the id's hash: most mismatches end here.
    tag: u32,
    /// The index, or [`EMPTY`].
    index: u32,
    /// The id's bytes in `text`.
    start: u32,
    len: u32,
}

const EMPTY: u32 = u32::MAX;
const VACANT: Slot = Slot {
    tag: 0,
    index: EMPTY,
    start: 0,
    len: 0,
};

/// A step of [`IdMap::warm`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Warm {
    /// The slot the id hashes to.
    Slot,
    /// The bytes of the id in that slot (the slot is read again, in cache).
    Bytes,
}

/// Why an id could not be added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdMapFull {
    /// All ids together would take more than 4 GiB.
    Text,
    /// The index is the reserved value `u32::MAX`.
    Index,
}

impl Default for IdMap {
    fn default() -> Self {
        IdMap::with_capacity(0)
    }
}

impl IdMap {
    /// A map with room for `n` ids before it grows.
    pub fn with_capacity(n: usize) -> IdMap {
        let slots = (n.max(4) * 2).next_power_of_two();
        IdMap {
            text: Vec::new(),
            slots: vec![VACANT; slots],
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn hash(id: &str) -> u64 {
        Self::hash_bytes(id.as_bytes())
    }

    fn hash_bytes(id: &[u8]) -> u64 {
        FxBuildHasher.hash_one(id)
    }

    fn bytes(&self, s: Slot) -> &[u8] {
        &self.text[s.start as usize..(s.start + s.len) as usize]
    }

    /// Where `id` is, or the vacant slot where it would go.
    fn find(&self, id: &str, hash: u64) -> (usize, Option<u32>) {
        let mask = self.slots.len() - 1;
        let tag = (hash >> 32) as u32;
        let mut i = hash as usize & mask;
        loop {
            let s = self.slots[i];
            if s.index == EMPTY {
                return (i, None);
            }
            if s.tag == tag && s.len as usize == id.len() && self.bytes(s) == id.as_bytes() {
                return (i, Some(s.index));
            }
            i = (i + 1) & mask;
        }
    }

    /// The index of `id`.
    pub fn get(&self, id: &str) -> Option<u32> {
        self.find(id, Self::hash(id)).1
    }

    /// Touches the memory a lookup of `id` will read, one step of it: a
    /// loader warms the slots of a batch of ids, then their bytes, so the
    /// cache misses of each step overlap, then looks them all up in cache.
    pub fn warm(&self, id: &str, step: Warm) {
        let hash = Self::hash(id);
        let s = self.slots[hash as usize & (self.slots.len() - 1)];
        match step {
            Warm::Slot => {
                std::hint::black_box(s.index);
            }
            Warm::Bytes if s.index != EMPTY && s.len > 0 => {
                let first = self.text.get(s.start as usize).copied();
                let last = self.text.get((s.start + s.len - 1) as usize).copied();
                std::hint::black_box((first, last));
            }
            Warm::Bytes => {}
        }
    }

    /// Maps `id` to `index`, unless `id` is already there: then its index
    /// is returned and nothing changes.
    pub fn insert(&mut self, id: &str, index: u32) -> Result<Option<u32>, IdMapFull> {
        if index == EMPTY {
            return Err(IdMapFull::Index);
        }
        let hash = Self::hash(id);
        let (slot, found) = self.find(id, hash);
        if found.is_some() {
            return Ok(found);
        }
        let start = u32::try_from(self.text.len()).map_err(|_| IdMapFull::Text)?;
        let len = u32::try_from(id.len()).map_err(|_| IdMapFull::Text)?;
        if start.checked_add(len).is_none() {
            return Err(IdMapFull::Text);
        }
        self.text.extend_from_slice(id.as_bytes());
        self.slots[slot] = Slot {
            tag: (hash >> 32) as u32,
            index,
            start,
            len,
        };
        self.len += 1;
        if self.len * 2 > self.slots.len() {
            self.grow();
        }
        Ok(None)
    }

    fn grow(&mut self) {
        let doubled = vec![VACANT; self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.index != EMPTY) {
            let mut i = Self::hash_bytes(self.bytes(s)) as usize & mask;
            while self.slots[i].index != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = s;
        }
    }

    /// Every id, in no particular order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.slots
            .iter()
            .filter(|s| s.index != EMPTY)
            .map(|s| std::str::from_utf8(self.bytes(*s)).unwrap_or_default())
    }

    /// Bytes held, for measuring.
    pub fn heap_bytes(&self) -> usize {
        self.text.capacity() + self.slots.len() * std::mem::size_of::<Slot>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn agrees_with_a_hash_map_through_growth() {
        let mut map = IdMap::with_capacity(1);
        let mut reference = HashMap::new();
        let ids: Vec<String> = (0..20_000)
            .map(|i| match i % 4 {
                0 => format!("person-{i}"),
                1 => format!("Путин-{}", i / 3),
                2 => format!("{}", i % 977),
                _ => "x".repeat(i % 50 + 1),
            })
            .collect();
        for (i, id) in ids.iter().enumerate() {
            let expected = reference.get(id.as_str()).copied();
            assert_eq!(map.insert(id, i as u32), Ok(expected), "{id}");
            reference.entry(id.as_str()).or_insert(i as u32);
        }
        assert_eq!(map.len(), reference.len());
        for (id, &i) in &reference {
            assert_eq!(map.get(id), Some(i), "{id}");
        }
        for absent in ["", "person-", "person-20001", "Путин", "xx-"] {
            assert_eq!(map.get(absent), None, "{absent}");
        }
        let mut listed: Vec<&str> = map.ids().collect();
        listed.sort_unstable();
        let mut expected: Vec<&str> = reference.keys().copied().collect();
        expected.sort_unstable();
        assert_eq!(listed, expected);
    }

    #[test]
    fn refuses_the_reserved_index() {
        let mut map = IdMap::default();
        assert_eq!(map.insert("a", u32::MAX), Err(IdMapFull::Index));
        assert!(map.is_empty());
    }
}
