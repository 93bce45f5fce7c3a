//! Entity ids to compact indexes, for the loader's hottest loop.
//!
//! Loading a million entities and five million relations looks up ten
//! million ids, each at a random place in memory. A general hash map of
//! boxed strings pays three cache misses per lookup (its control bytes,
//! the bucket, the boxed key). [`IdMap`] pays one for an id of up to 20
//! bytes (most ids), kept whole in its 32-byte slot beside the hash's high
//! bits and the index, and two for a longer one, whose bytes live end to
//! end in one string.
//!
//! The table is open addressing with linear probing, kept at most 5/8
//! full, so a probe sequence is short and usually within one cache line.
//! (At most half full, a million ids whose count was guessed an eighth
//! high took 4M slots, 128 MiB; at 5/8 they take 2M, 64 MiB, and a lookup
//! still costs one miss: the next slot is in the same or the next line.)
//! [`IdMap::warm`] touches a batch's slots in a tight loop of loads before
//! any is looked up, so the CPU overlaps their misses; on the 1M/5M load
//! that took reading the relations from about 5.0 to 4.2 s.

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

/// Ids (non-empty strings) mapped to `u32` indexes. Insert-only.
#[derive(Debug, Clone)]
pub struct IdMap {
    /// Every id too long to keep in its slot, end to end, in insertion
    /// order (UTF-8, cut only at the ends of ids).
    text: Vec<u8>,
    /// A power of two of slots, at most 5/8 of them used.
    slots: Vec<Slot>,
    len: usize,
}

/// Ids this long or shorter are kept whole in their slot.
const INLINE: usize = 20;
/// Of a longer id, the slot keeps where it is in `text` and its first bytes.
const HEAD: usize = INLINE - 4;

/// Half a cache line, so a slot never straddles two. Plain data (no
/// padding): a snapshot stores the slots as they lie in memory.
#[derive(
    Debug,
    Clone,
    Copy,
    zerocopy::FromBytes,
    zerocopy::IntoBytes,
    zerocopy::Immutable,
    zerocopy::KnownLayout,
)]
#[repr(C, align(32))]
pub(crate) struct Slot {
    /// The high half of the id's hash: most mismatches end here.
    tag: u32,
    /// The index, or [`EMPTY`].
    index: u32,
    len: u32,
    /// An id of up to [`INLINE`] bytes: its bytes. A longer one: its start
    /// in `text` (4 bytes, little-endian), then its first [`HEAD`] bytes.
    inline: [u8; INLINE],
}

const EMPTY: u32 = u32::MAX;
const VACANT: Slot = Slot {
    tag: 0,
    index: EMPTY,
    len: 0,
    inline: [0; INLINE],
};

impl Slot {
    fn start(&self) -> usize {
        u32::from_le_bytes([
            self.inline[0],
            self.inline[1],
            self.inline[2],
            self.inline[3],
        ]) as usize
    }

    /// The id's bytes, from the slot or from `text`.
    fn bytes<'a>(&'a self, text: &'a [u8]) -> &'a [u8] {
        let len = self.len as usize;
        if len <= INLINE {
            &self.inline[..len]
        } else {
            &text[self.start()..self.start() + len]
        }
    }

    /// Whether this slot holds `id` (whose length is known to match).
    fn holds(&self, text: &[u8], id: &[u8]) -> bool {
        if id.len() <= INLINE {
            self.inline[..id.len()] == *id
        } else {
            // Most mismatches show in the head, without reading `text`.
            self.inline[4..] == id[..HEAD] && self.bytes(text) == id
        }
    }
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
        let slots = Self::slots_for(n.max(4));
        IdMap {
            text: Vec::new(),
            slots: vec![VACANT; slots],
            len: 0,
        }
    }

    /// Bytes held on the heap: the slots and the long ids' text.
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>() + self.text.capacity()
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
            if s.tag == tag && s.len as usize == id.len() && s.holds(&self.text, id.as_bytes()) {
                return (i, Some(s.index));
            }
            i = (i + 1) & mask;
        }
    }

    /// The index of `id`.
    pub fn get(&self, id: &str) -> Option<u32> {
        self.find(id, Self::hash(id)).1
    }

    /// Touches the memory that looking up `ids` will read, before any of
    /// them is looked up: first every slot, in a tight loop of loads, then
    /// the text of the long ids among them. A CPU overlaps only the cache
    /// misses of the loads it holds in flight, so loads with little work
    /// between them overlap many more misses than lookups one by one.
    pub fn warm<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        let mask = self.slots.len() - 1;
        let at: Vec<usize> = ids
            .into_iter()
            .map(|id| Self::hash(id) as usize & mask)
            .collect();
        let mut seen = 0u32;
        for &i in &at {
            seen ^= self.slots[i].index;
        }
        std::hint::black_box(seen);
        let mut seen = 0u8;
        for &i in &at {
            let s = &self.slots[i];
            if s.index != EMPTY && s.len as usize > INLINE {
                seen ^= self.text.get(s.start()).copied().unwrap_or(0);
            }
        }
        std::hint::black_box(seen);
    }

    /// The hash a lookup of `id` starts from, computed ahead (on another
    /// thread, say) for [`IdMap::get_hashed`] and [`IdMap::warm_hashed`].
    pub fn hash_of(id: &str) -> u64 {
        Self::hash(id)
    }

    /// The index of `id`, whose [`IdMap::hash_of`] is `hash`.
    pub fn get_hashed(&self, id: &str, hash: u64) -> Option<u32> {
        self.find(id, hash).1
    }

    /// [`IdMap::warm`] for ids whose hashes are known.
    pub fn warm_hashed(&self, hashes: impl Iterator<Item = u64> + Clone) {
        let mask = self.slots.len() - 1;
        let mut seen = 0u32;
        for h in hashes.clone() {
            seen ^= self.slots[h as usize & mask].index;
        }
        std::hint::black_box(seen);
        let mut seen = 0u8;
        for h in hashes {
            let s = &self.slots[h as usize & mask];
            if s.index != EMPTY && s.len as usize > INLINE {
                seen ^= self.text.get(s.start()).copied().unwrap_or(0);
            }
        }
        std::hint::black_box(seen);
    }

    /// The index an id of this hash most likely has (the first slot with
    /// its hash's high bits), without the id: to warm what a lookup's
    /// answer leads to. It may be another id's, or `None` for one there.
    pub fn guess_hashed(&self, hash: u64) -> Option<u32> {
        let mask = self.slots.len() - 1;
        let tag = (hash >> 32) as u32;
        let mut i = hash as usize & mask;
        loop {
            let s = &self.slots[i];
            if s.index == EMPTY {
                return None;
            }
            if s.tag == tag {
                return Some(s.index);
            }
            i = (i + 1) & mask;
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
        let len = u32::try_from(id.len()).map_err(|_| IdMapFull::Text)?;
        let mut inline = [0u8; INLINE];
        if id.len() <= INLINE {
            inline[..id.len()].copy_from_slice(id.as_bytes());
        } else {
            let start = u32::try_from(self.text.len()).map_err(|_| IdMapFull::Text)?;
            if start.checked_add(len).is_none() {
                return Err(IdMapFull::Text);
            }
            inline[..4].copy_from_slice(&start.to_le_bytes());
            inline[4..].copy_from_slice(&id.as_bytes()[..HEAD]);
            self.text.extend_from_slice(id.as_bytes());
        }
        self.slots[slot] = Slot {
            tag: (hash >> 32) as u32,
            index,
            len,
            inline,
        };
        self.len += 1;
        if self.len * 8 > self.slots.len() * 5 {
            self.grow();
        }
        Ok(None)
    }

    /// The slots for `n` ids: a power of two of which `n` fill at most 5/8.
    fn slots_for(n: usize) -> usize {
        n.saturating_mul(8).div_ceil(5).next_power_of_two()
    }

    /// Makes room for `additional` more ids, so that adding them does not
    /// grow the table again and again (each time rehashing every id).
    pub fn reserve(&mut self, additional: usize) {
        let want = Self::slots_for(self.len.saturating_add(additional));
        if want > self.slots.len() {
            self.resize(want);
        }
    }

    /// The long ids' text and the slots, as a snapshot stores them.
    pub(crate) fn raw(&self) -> (&[u8], &[Slot]) {
        (&self.text, &self.slots)
    }

    /// From [`IdMap::raw`]'s parts, read back without hashing an id again
    /// (a million inserts, each a cache miss, were most of reading a
    /// snapshot), if they hold together: a power of two of slots, `ids`
    /// of them used and at most 5/8 (so every probe ends), each index
    /// below `ids` and each long id within the text. That each id sits
    /// where its hash leads is the snapshot checksum's to promise.
    pub(crate) fn from_raw(text: Vec<u8>, slots: Vec<Slot>, ids: usize) -> Option<IdMap> {
        let used = slots.iter().filter(|s| s.index != EMPTY).count();
        let ok = slots.len().is_power_of_two()
            && used == ids
            && used * 8 <= slots.len() * 5
            && slots.iter().filter(|s| s.index != EMPTY).all(|s| {
                (s.index as usize) < ids
                    && (s.len as usize <= INLINE
                        || s.start()
                            .checked_add(s.len as usize)
                            .is_some_and(|end| end <= text.len()))
            });
        ok.then_some(IdMap {
            text,
            slots,
            len: used,
        })
    }

    fn grow(&mut self) {
        self.resize(self.slots.len() * 2);
    }

    fn resize(&mut self, slots: usize) {
        let old = std::mem::replace(&mut self.slots, vec![VACANT; slots]);
        let mask = self.slots.len() - 1;
        for s in old.into_iter().filter(|s| s.index != EMPTY) {
            let mut i = Self::hash_bytes(s.bytes(&self.text)) as usize & mask;
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
            .map(|s| std::str::from_utf8(s.bytes(&self.text)).unwrap_or_default())
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
    fn reserving_keeps_what_is_there_and_makes_room_for_the_rest() {
        let mut map = IdMap::default();
        let ids: Vec<String> = (0..3000)
            .map(|i| format!("entity-with-a-long-id-{i}"))
            .collect();
        for (i, id) in ids[..100].iter().enumerate() {
            map.insert(id, i as u32).unwrap();
        }
        map.reserve(2900);
        let slots = map.slots.len();
        assert!(slots >= 6000, "{slots}");
        for (i, id) in ids.iter().enumerate().skip(100) {
            map.insert(id, i as u32).unwrap();
        }
        assert_eq!(map.slots.len(), slots, "no growth within the reservation");
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(map.get(id), Some(i as u32), "{id}");
        }
        // Reserving less than there is room for changes nothing.
        map.reserve(1);
        assert_eq!(map.slots.len(), slots);
        assert_eq!(map.len(), 3000);
    }

    #[test]
    fn long_ids_that_share_their_head_are_told_apart() {
        let mut map = IdMap::default();
        let head = "ministry-of-foreign-affairs-of-";
        let ids: Vec<String> = (0..500).map(|i| format!("{head}{i:04}")).collect();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(map.insert(id, i as u32), Ok(None));
        }
        // Exactly at the length kept in a slot, and one past it.
        assert_eq!(map.insert(&"y".repeat(INLINE), 900), Ok(None));
        assert_eq!(map.insert(&"y".repeat(INLINE + 1), 901), Ok(None));
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(map.get(id), Some(i as u32));
        }
        assert_eq!(map.get(&format!("{head}0500")), None);
        assert_eq!(map.get(&format!("{head}000")), None);
        assert_eq!(map.get(&"y".repeat(INLINE)), Some(900));
        assert_eq!(map.get(&"y".repeat(INLINE + 1)), Some(901));
        assert_eq!(map.get(&"y".repeat(INLINE - 1)), None);
    }

    #[test]
    fn a_million_ids_guessed_an_eighth_high_take_two_million_slots() {
        // The loader reserves a guess of the rows, an eighth to spare.
        assert_eq!(IdMap::with_capacity(1_125_000).slots.len(), 1 << 21);
        assert_eq!(IdMap::with_capacity(1_310_720).slots.len(), 1 << 21);
        assert_eq!(IdMap::with_capacity(1_310_721).slots.len(), 1 << 22);
    }

    #[test]
    fn the_table_read_back_from_its_bytes_finds_every_id() {
        let mut map = IdMap::default();
        let ids: Vec<String> = (0..5000)
            .map(|i| match i % 3 {
                0 => format!("p-{i}"),
                1 => format!("a-long-identifier-of-entity-{i}"),
                _ => format!("Путин-{i}"),
            })
            .collect();
        for (i, id) in ids.iter().enumerate() {
            map.insert(id, i as u32).unwrap();
        }
        let (text, slots) = map.raw();
        let bytes: Vec<Slot> = slots.to_vec();
        let back =
            |text: Vec<u8>, slots: &[Slot], n: usize| IdMap::from_raw(text, slots.to_vec(), n);
        let read = back(text.to_vec(), &bytes, ids.len()).expect("whole table");
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(read.get(id), Some(i as u32), "{id}");
        }
        assert_eq!(read.get("p-5001"), None);
        assert_eq!(read.len(), ids.len());

        // Tables that do not hold together are refused, never used.
        assert!(
            back(text.to_vec(), &bytes, ids.len() + 1).is_none(),
            "count"
        );
        assert!(
            back(text[..10].to_vec(), &bytes, ids.len()).is_none(),
            "text"
        );
        let used = bytes.iter().position(|s| s.index != EMPTY).unwrap();
        let mut out_of_range = bytes.clone();
        out_of_range[used].index = 9999;
        assert!(
            back(text.to_vec(), &out_of_range, ids.len()).is_none(),
            "index"
        );
        assert!(
            back(text.to_vec(), &bytes[..bytes.len() - 1], ids.len()).is_none(),
            "size"
        );
        // Full, so a probe for an absent id would never end.
        let full: Vec<Slot> = (0..8u32)
            .map(|i| {
                let mut slot = VACANT;
                slot.index = i;
                slot.len = 1;
                slot.inline[0] = b'a' + i as u8;
                slot
            })
            .collect();
        assert!(back(Vec::new(), &full, 8).is_none(), "full");
    }

    #[test]
    fn refuses_the_reserved_index() {
        let mut map = IdMap::default();
        assert_eq!(map.insert("a", u32::MAX), Err(IdMapFull::Index));
        assert!(map.is_empty());
    }
}
