//! A sorted set of distinct keys, each numbered by its place in the
//! order: lookups by exact key and by prefix, in O(log n) comparisons.
//!
//! The name index keeps its whole names this way rather than in an fst:
//! they arrive sorted (the index sorts them to group its postings), so
//! keeping them end to end costs nothing more, while compiling 2.9 million
//! of them into an fst took a tenth of all the CPU a million-entity load
//! spent. Whole names are only looked up exactly and by prefix, which a
//! binary search answers in microseconds. Words, which are also searched
//! by edit distance, stay in an fst (`graph::names`).

/// Distinct keys in byte order, end to end in one text.
#[derive(Debug, Default)]
pub struct SortedKeys {
    text: String,
    /// Where key `i` ends in `text`; it starts where key `i - 1` ends.
    ends: Vec<usize>,
}

impl SortedKeys {
    /// Keys laid end to end in `text`, key `i` ending at `ends[i]`. They
    /// must be distinct and in byte order (checked in debug builds).
    pub fn from_sorted(text: String, ends: Vec<usize>) -> SortedKeys {
        let keys = SortedKeys { text, ends };
        debug_assert!(
            (1..keys.len()).all(|i| keys.bytes(i - 1) < keys.bytes(i)),
            "keys sorted and distinct"
        );
        keys
    }

    /// The keys end to end and where each ends, as a snapshot stores them.
    pub fn parts(&self) -> (&str, &[usize]) {
        (&self.text, &self.ends)
    }

    /// From [`SortedKeys::parts`], if every end is within the text and on
    /// a character boundary (the order is the writer's to keep: a snapshot
    /// is checksummed).
    pub fn from_parts(text: String, ends: Vec<usize>) -> Option<SortedKeys> {
        let ok = ends.windows(2).all(|w| w[0] <= w[1])
            && ends.last().is_none_or(|&e| e <= text.len())
            && ends.iter().all(|&e| text.is_char_boundary(e));
        let keys = SortedKeys { text, ends };
        ok.then_some(keys)
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Key number `i` (its ordinal).
    pub fn key(&self, i: usize) -> &str {
        &self.text[self.start(i)..self.ends[i]]
    }

    fn start(&self, i: usize) -> usize {
        if i == 0 { 0 } else { self.ends[i - 1] }
    }

    fn bytes(&self, i: usize) -> &[u8] {
        self.key(i).as_bytes()
    }

    /// The ordinal of `key`, if it is one. O(log n) comparisons.
    pub fn get(&self, key: &str) -> Option<u64> {
        let i = self.lower_bound(key.as_bytes());
        (i < self.len() && self.key(i) == key).then_some(i as u64)
    }

    /// The first ordinal whose key is not below `bytes`.
    fn lower_bound(&self, bytes: &[u8]) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.bytes(mid) < bytes {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// The keys starting with `prefix`, in order, with their ordinals.
    pub fn with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, u64)> {
        let from = self.lower_bound(prefix.as_bytes());
        (from..self.len())
            .map(|i| (self.key(i), i as u64))
            .take_while(move |(key, _)| key.starts_with(prefix))
    }

    /// Every key in order with its ordinal.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        (0..self.len()).map(|i| (self.key(i), i as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(keys: &[&str]) -> SortedKeys {
        let mut sorted: Vec<&str> = keys.to_vec();
        sorted.sort();
        sorted.dedup();
        let mut text = String::new();
        let mut ends = Vec::new();
        for k in &sorted {
            text.push_str(k);
            ends.push(text.len());
        }
        SortedKeys::from_sorted(text, ends)
    }

    fn words() -> Vec<String> {
        let mut out: Vec<String> = [
            "a",
            "ab",
            "abc",
            "abd",
            "abcd",
            "b",
            "ba",
            "kedi",
            "kede",
            "ked",
            "kedir",
            "путин",
            "пути",
            "総務省",
            "総務",
            "नरेन्द्र",
            "zz",
            "zzz",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // A few thousand generated words over a small alphabet, so that
        // many keys share each prefix.
        let syllables = ["ka", "ke", "ki", "ma", "mo", "ri", "ru", "t", "ö"];
        for i in 0..4000usize {
            let mut w = String::new();
            let mut n = i;
            loop {
                w.push_str(syllables[n % syllables.len()]);
                n /= syllables.len();
                if n == 0 {
                    break;
                }
            }
            out.push(w);
        }
        out
    }

    #[test]
    fn lookups_agree_with_a_scan_of_the_sorted_keys() {
        let words = words();
        let refs: Vec<&str> = words.iter().map(|s| s.as_str()).collect();
        let keys = sorted(&refs);
        let all: Vec<(&str, u64)> = keys.iter().collect();
        assert!(
            all.windows(2)
                .all(|w| w[0].0.as_bytes() < w[1].0.as_bytes())
        );
        assert!(all.iter().enumerate().all(|(i, &(_, o))| o == i as u64));
        for w in &words {
            let i = keys.get(w).expect("present");
            assert_eq!(keys.key(i as usize), w);
        }
        for q in ["kedix", "", "zzzz", "mab0", "総", "kax", "öx"] {
            assert_eq!(keys.get(q), None, "{q}");
        }
        for q in ["ke", "ka", "", "総", "zzz", "q", "kamari", "ö", "пу"] {
            let ours: Vec<(&str, u64)> = keys.with_prefix(q).collect();
            let scan: Vec<(&str, u64)> = all
                .iter()
                .copied()
                .filter(|(k, _)| k.starts_with(q))
                .collect();
            assert_eq!(ours, scan, "{q}");
        }
        let empty = SortedKeys::default();
        assert_eq!(empty.get("a"), None);
        assert_eq!(empty.with_prefix("").count(), 0);
        assert!(empty.is_empty());
    }
}
