//! The name/alias index: normalised names and aliases looked up exactly
//! and by prefix in sorted keys, their words by edit distance in an fst.

use super::both;
use crate::keys::SortedKeys;
use crate::model::Entity;
use crate::text::CaseFold;

/// Which name of an entity a key came from: 0 is the name, `n` alias `n-1`.
pub type Variant = u16;

/// Normalised names and aliases, and their words: key ordinals index
/// posting lists of (entity, variant). Whole names are looked up exactly
/// and by prefix, in sorted keys; words also by edit distance, in an fst,
/// whose automaton walk stays fast at a million words.
#[derive(Debug)]
pub(crate) struct NameIndex {
    pub(crate) keys: SortedKeys,
    pub(crate) key_postings: Postings,
    pub(crate) words: fst::Map<Vec<u8>>,
    pub(crate) word_postings: Postings,
}

/// One name in a posting list: the entity, which of its names, and how
/// many words that name has (at most 255 counted; search scores by how
/// much of a name a query covers). It takes the bytes an (entity, variant)
/// pair leaves as padding.
pub(crate) type Posting = (u32, Variant, u8);

/// Posting lists laid end to end: list `i` is `items[offsets[i]..offsets[i+1]]`.
#[derive(Debug, Default)]
pub(crate) struct Postings {
    offsets: Vec<u32>,
    items: Vec<Posting>,
}

impl Postings {
    /// The offsets and the postings, as a snapshot stores them.
    pub(crate) fn raw(&self) -> (&[u32], &[Posting]) {
        (&self.offsets, &self.items)
    }

    /// From [`Postings::raw`]'s arrays, if the offsets rise from 0 to the
    /// number of postings.
    pub(crate) fn from_raw(offsets: Vec<u32>, items: Vec<Posting>) -> Option<Postings> {
        let ok = offsets.first() == Some(&0)
            && offsets.last().is_some_and(|&l| l as usize == items.len())
            && offsets.windows(2).all(|w| w[0] <= w[1]);
        ok.then_some(Postings { offsets, items })
    }

    pub(crate) fn get(&self, i: u64) -> &[Posting] {
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
    pub(crate) fn build(entities: &[Entity]) -> NameIndex {
        let mut fold = CaseFold::default();
        let mut text = String::new();
        let mut keys = Vec::with_capacity(entities.len() * 3);
        let mut words = Vec::with_capacity(entities.len() * 6);
        for (i, e) in entities.iter().enumerate() {
            let entity = i as u32;
            let names = std::iter::once(e.name()).chain(e.aliases().iter());
            for (v, name) in names.enumerate().take(usize::from(Variant::MAX)) {
                let variant = v as Variant;
                let start = text.len();
                fold.normalize_into(name, &mut text);
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
            fold.normalize_into(e.id(), &mut text);
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
            texts: crate::model::EntityTexts::new(id, name, aliases.iter().copied(), ""),
            kind: Kind::Person,
            country: None,
            start: None,
            end: None,
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
            let names = std::iter::once(e.name()).chain(e.aliases().iter());
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
            let id = normalize(e.id());
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
