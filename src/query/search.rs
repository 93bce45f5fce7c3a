//! Ranked, typo-tolerant search over names and aliases.
//!
//! A query matches an entity when it equals one of its names (score 1),
//! starts one (0.9 and up), or when every word of the query matches a word
//! of the same name, exactly, as a prefix, or within a few typos (0.4 to
//! 0.8). Names in every script are indexed alike. Ranking is total: score,
//! then the main name before aliases, shorter names first, then id — so
//! the same data always gives the same list.

use std::cmp::Ordering;

use rustc_hash::FxHashMap as HashMap;

use fst::automaton::{Levenshtein, Str};
use fst::{Automaton, IntoStreamer, Streamer};

use crate::graph::{Graph, Variant};
use crate::text::{normalize, typo_budget};

/// Per (entity, variant): the best score for one query word, and how many
/// words that name has.
type WordMatches = HashMap<(u32, Variant), (f64, u8)>;

/// One search hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub entity: u32,
    /// In (0, 1]; 1 is an exact name match.
    pub score: f64,
    /// The alias that matched, when it was not the main name or the id.
    pub matched_alias: Option<u16>,
}

/// The most postings one query word may pull in: a one-letter prefix at a
/// million names must not scan them all.
const MAX_POSTINGS_PER_WORD: usize = 20_000;
/// The most keys a prefix or fuzzy lookup walks.
const MAX_KEYS_PER_LOOKUP: usize = 5_000;
/// A query is cut to this many characters and words: names are shorter,
/// and a pasted page must not cost more than a name.
pub const MAX_QUERY_CHARS: usize = 200;
pub const MAX_QUERY_WORDS: usize = 8;
/// Words longer than this match exactly or as prefixes, not by edit
/// distance: the automaton grows with the word.
const MAX_FUZZY_WORD_CHARS: usize = 24;

/// Searches names, aliases and ids.
///
/// Arguments: the graph, the query as typed, the most hits to return.
/// Returns: hits, best first, in a total order.
/// Complexity: key and fst lookups per query word, then O(c·w) to score c
/// candidates of w words; bounded by the caps above (the query is cut to
/// [`MAX_QUERY_CHARS`] characters and [`MAX_QUERY_WORDS`] words).
///
/// ```
/// let g = jejaring::dataset::load(&[jejaring::dataset::embedded::source()], &jejaring::dataset::Quiet).unwrap().graph;
/// let hits = jejaring::query::search::search(&g, "meutia hafid", 5);
/// assert_eq!(&*g.entity(hits[0].entity).id, "meutya-hafid");
/// ```
pub fn search(g: &Graph, query: &str, limit: usize) -> Vec<Hit> {
    search_with(g, query, limit, 0)
}

/// [`search`] with a looser typo budget, for "did you mean" suggestions.
pub fn suggest(g: &Graph, query: &str, limit: usize) -> Vec<Hit> {
    search_with(g, query, limit, 1)
}

fn search_with(g: &Graph, query: &str, limit: usize, extra_typos: usize) -> Vec<Hit> {
    let q: String = normalize(query).chars().take(MAX_QUERY_CHARS).collect();
    let q = q
        .split(' ')
        .take(MAX_QUERY_WORDS)
        .collect::<Vec<_>>()
        .join(" ");
    let q = q.trim_end().to_string();
    if q.is_empty() || limit == 0 {
        return Vec::new();
    }
    let idx = &g.names;
    // Best score per (entity, variant).
    let mut best: HashMap<(u32, Variant), f64> = HashMap::default();
    let mut bump = |e: u32, v: Variant, s: f64| {
        let slot = best.entry((e, v)).or_insert(0.0);
        if s > *slot {
            *slot = s;
        }
    };

    // Whole names: exact, then names the query starts.
    if let Some(i) = idx.keys.get(&q) {
        for &(e, v, _) in idx.key_postings.get(i) {
            bump(e, v, 1.0);
        }
    }
    let qlen = q.chars().count() as f64;
    for (key, i) in idx.keys.with_prefix(&q).take(MAX_KEYS_PER_LOOKUP) {
        let klen = key.chars().count() as f64;
        let s = 0.9 + 0.09 * qlen / klen.max(qlen);
        for &(e, v, _) in idx.key_postings.get(i) {
            if key.len() != q.len() {
                bump(e, v, s);
            }
        }
    }

    // Word by word: every query word must match a word of the same name.
    // Each map holds a name's best score for the word and the name's word
    // count, which the postings carry.
    let qwords: Vec<&str> = q.split(' ').collect();
    let mut per_word: Vec<WordMatches> = Vec::with_capacity(qwords.len());
    for (wi, w) in qwords.iter().enumerate() {
        let mut m = WordMatches::default();
        let add = |ordinal: u64, s: f64, m: &mut WordMatches| {
            for &(e, v, words) in idx
                .word_postings
                .get(ordinal)
                .iter()
                .take(MAX_POSTINGS_PER_WORD)
            {
                let slot = m.entry((e, v)).or_insert((0.0, words));
                if s > slot.0 {
                    slot.0 = s;
                }
            }
        };
        let wlen = w.chars().count();
        if let Some(i) = idx.words.get(w) {
            add(i, 1.0, &mut m);
        }
        // A prefix counts for the word being typed (the last) and for
        // words of two letters or more.
        if wlen >= 2 || wi + 1 == qwords.len() {
            let mut s = idx.words.search(Str::new(w).starts_with()).into_stream();
            let mut walked = 0;
            while let Some((key, i)) = s.next() {
                walked += 1;
                if walked > MAX_KEYS_PER_LOOKUP || m.len() > MAX_POSTINGS_PER_WORD {
                    break;
                }
                if key.len() != w.len() {
                    add(i, 0.8, &mut m);
                }
            }
        }
        let budget = typo_budget(wlen) + extra_typos;
        if budget > 0
            && wlen <= MAX_FUZZY_WORD_CHARS
            && let Ok(lev) = Levenshtein::new(w, budget.min(2) as u32)
        {
            let mut s = idx.words.search(lev).into_stream();
            let mut walked = 0;
            while let Some((key, i)) = s.next() {
                walked += 1;
                if walked > MAX_KEYS_PER_LOOKUP {
                    break;
                }
                let key = String::from_utf8_lossy(key);
                let d = crate::text::edit_distance(w, &key);
                if d > 0 {
                    let s = 0.65 * (1.0 - d as f64 / (wlen.max(key.chars().count()) as f64 + 1.0));
                    add(i, s, &mut m);
                }
            }
        }
        per_word.push(m);
    }
    if let Some((first, rest)) = per_word.split_first() {
        for (&(e, v), &(s0, words)) in first {
            let mut total = s0;
            let mut all = true;
            for m in rest {
                match m.get(&(e, v)) {
                    Some((s, _)) => total += s,
                    None => {
                        all = false;
                        break;
                    }
                }
            }
            if !all {
                continue;
            }
            let avg = total / qwords.len() as f64;
            let words_in_name = usize::from(words).max(qwords.len());
            let coverage = qwords.len() as f64 / words_in_name as f64;
            bump(e, v, 0.4 + 0.4 * avg * coverage.sqrt());
        }
    }

    // Best variant per entity.
    let mut per_entity: HashMap<u32, (f64, Variant)> = HashMap::default();
    for ((e, v), s) in best {
        let slot = per_entity.entry(e).or_insert((s, v));
        if s > slot.0 || (s == slot.0 && rank_variant(v) < rank_variant(slot.1)) {
            *slot = (s, v);
        }
    }
    let mut hits: Vec<Hit> = per_entity
        .into_iter()
        .map(|(e, (s, v))| Hit {
            entity: e,
            score: (s * 1000.0).round() / 1000.0,
            matched_alias: (v != 0 && v != Variant::MAX).then(|| v - 1),
        })
        .collect();
    let order = |a: &Hit, b: &Hit| -> Ordering {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.matched_alias.is_some().cmp(&b.matched_alias.is_some()))
            .then_with(|| {
                g.entity(a.entity)
                    .name
                    .len()
                    .cmp(&g.entity(b.entity).name.len())
            })
            .then_with(|| g.entity(a.entity).id.cmp(&g.entity(b.entity).id))
    };
    // Only the first `limit` are wanted: select them, then sort those.
    if hits.len() > limit {
        hits.select_nth_unstable_by(limit - 1, order);
        hits.truncate(limit);
    }
    hits.sort_by(order);
    hits
}

fn rank_variant(v: Variant) -> u32 {
    // The main name first, then aliases in order, the id last.
    if v == Variant::MAX {
        u32::MAX
    } else {
        u32::from(v)
    }
}
