//! Ranked, typo-tolerant search over names and aliases.
//!
//! A query matches an entity when it equals one of its names
//! ([`EXACT`]), starts one ([`PREFIX_BASE`] and up), or word by word
//! ([`WORD_BASE`] to [`WORD_BASE`] + [`WORD_SPAN`]): each query word
//! matches a word of the same name exactly, as a prefix, spelt the other
//! common way (old and new Indonesian spellings: oe/u, dj/j, tj/c …) or
//! within a few typos. One query word may match nothing when the query has
//! two or more (a legal suffix the data leaves out), and a name may have
//! words the query lacks; both rank lower than a full match. Names in every
//! script are indexed alike. Ranking is total: score, then importance (more
//! relations first), the main name before aliases, shorter names first,
//! then id — so the same data always gives the same list.

use std::cmp::Ordering;

use rustc_hash::FxHashMap as HashMap;

use std::sync::OnceLock;

use fst::automaton::Str;
use fst::{Automaton, IntoStreamer, Streamer};
use levenshtein_automata::LevenshteinAutomatonBuilder;

use crate::graph::{Graph, Variant};
use crate::model::Kind;
use crate::text::normalize;

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

/// A search as asked: the text typed, the kinds wanted, how many hits.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    /// Entity kinds kept (empty: all).
    pub kinds: Vec<Kind>,
    /// The most hits returned; `total` counts them all.
    pub limit: usize,
}

/// A search's answer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchAnswer {
    /// The best `limit` hits, best first.
    pub hits: Vec<Hit>,
    /// How many entities matched in all (of the kinds asked), not just the
    /// ones returned. Lookups are capped (see the constants below), so at
    /// a million names a query of one or two letters counts what the capped
    /// lookups reached.
    pub total: usize,
    /// When nothing matched: the nearest names, by a looser typo budget.
    pub nearest: Vec<Hit>,
}

/// Score of a query equal to a whole name or alias.
pub const EXACT: f64 = 1.0;
/// A query that starts a name scores `PREFIX_BASE + PREFIX_SPAN × (query
/// length / name length)`: above any word-by-word match, and higher the
/// more of the name was typed.
pub const PREFIX_BASE: f64 = 0.9;
pub const PREFIX_SPAN: f64 = 0.09;
/// Word-by-word matches score `WORD_BASE + WORD_SPAN × average word score
/// × √coverage`, where the average is over the query's words (an unmatched
/// word counts 0) and coverage is the share of the name's words matched.
pub const WORD_BASE: f64 = 0.4;
pub const WORD_SPAN: f64 = 0.4;
/// Word scores: the same word, …
pub const WORD_EXACT: f64 = 1.0;
/// … a word the query word starts (the name's word is longer), …
pub const WORD_PREFIX: f64 = 0.8;
/// … the same word spelt the other common way (see [`SPELLINGS`]), …
pub const WORD_SPELLING: f64 = 0.7;
/// … and a word within the typo budget: `WORD_TYPO × (1 − d / (longer
/// length + 1))` for edit distance `d`, so one typo in a long word costs
/// less than one in a short word.
pub const WORD_TYPO: f64 = 0.65;
/// How many query words may match nothing, for queries of two words or
/// more: "PT Tejas Networks Indonesia Tbk" still finds "PT Tejas Networks
/// Indonesia".
pub const MAX_UNMATCHED_WORDS: usize = 1;
/// Spellings that name the same sound, old and new (Indonesian spelling
/// reforms, and the usual transliterations): a query word is also looked
/// up with each pair swapped, either way.
pub const SPELLINGS: &[(&str, &str)] = &[
    ("oe", "u"),
    ("dj", "j"),
    ("tj", "c"),
    ("sj", "sy"),
    ("nj", "ny"),
    ("ch", "kh"),
    ("j", "y"),
];
/// The most respellings looked up per query word.
const MAX_SPELLINGS_PER_WORD: usize = 8;

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
/// The most edit distance the automaton is built for: its size grows
/// steeply with it.
const MAX_TYPOS: usize = 2;
/// How many nearest names an answer with no hit carries.
const NEAREST: usize = 5;

/// Typos allowed in a query word of `chars` characters: none in one or two
/// letters (any word would do), one up to seven, two beyond.
fn typo_budget(chars: usize) -> usize {
    match chars {
        0..=2 => 0,
        3..=7 => 1,
        _ => 2,
    }
}

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
/// assert_eq!(g.entity(hits[0].entity).id(), "meutya-hafid");
/// ```
pub fn search(g: &Graph, query: &str, limit: usize) -> Vec<Hit> {
    score_all(g, query, 0, &[]).best(g, limit)
}

/// [`search`] with a looser typo budget, for "did you mean" suggestions.
pub fn suggest(g: &Graph, query: &str, limit: usize) -> Vec<Hit> {
    score_all(g, query, 1, &[]).best(g, limit)
}

/// A search with kinds, a limit and the total count; with the nearest
/// names when nothing matched.
///
/// ```
/// use jejaring::model::Kind;
/// use jejaring::query::search::{find, SearchQuery};
/// let g = jejaring::dataset::load(&[jejaring::dataset::embedded::source()], &jejaring::dataset::Quiet).unwrap().graph;
/// let a = find(&g, &SearchQuery { text: "indonesia".into(), kinds: vec![Kind::Country], limit: 1 });
/// assert_eq!((a.hits.len(), g.entity(a.hits[0].entity).kind), (1, Kind::Country));
/// assert!(a.total >= a.hits.len());
/// ```
pub fn find(g: &Graph, q: &SearchQuery) -> SearchAnswer {
    let scored = score_all(g, &q.text, 0, &q.kinds);
    let total = scored.0.len();
    let hits = scored.best(g, q.limit);
    let nearest = if total == 0 {
        score_all(g, &q.text, 1, &q.kinds).best(g, NEAREST)
    } else {
        Vec::new()
    };
    SearchAnswer {
        hits,
        total,
        nearest,
    }
}

/// Every matching entity with its score, unordered.
struct Scored(Vec<Hit>);

impl Scored {
    /// The first `limit` hits in ranking order: score, then degree, the
    /// main name before an alias, the shorter name, the id. The keys but
    /// the id are read once per hit before ordering, so a common word's
    /// thousands of hits cost one look at each entity, not one per
    /// comparison.
    fn best(self, g: &Graph, limit: usize) -> Vec<Hit> {
        if limit == 0 {
            return Vec::new();
        }
        let mut ranked: Vec<(Rank, Hit)> = self
            .0
            .into_iter()
            .map(|h| {
                let rank = Rank {
                    score: h.score,
                    degree: g.degree(h.entity),
                    alias: h.matched_alias.is_some(),
                    name_len: g.entity(h.entity).name().len(),
                };
                (rank, h)
            })
            .collect();
        let order = |(a, ha): &(Rank, Hit), (b, hb): &(Rank, Hit)| -> Ordering {
            b.score
                .total_cmp(&a.score)
                .then_with(|| b.degree.cmp(&a.degree))
                .then_with(|| a.alias.cmp(&b.alias))
                .then_with(|| a.name_len.cmp(&b.name_len))
                .then_with(|| g.entity(ha.entity).id().cmp(g.entity(hb.entity).id()))
        };
        // Only the first `limit` are wanted: select them, then sort those.
        if ranked.len() > limit {
            ranked.select_nth_unstable_by(limit - 1, order);
            ranked.truncate(limit);
        }
        ranked.sort_by(order);
        ranked.into_iter().map(|(_, h)| h).collect()
    }
}

/// What a hit is ranked by, but its id.
struct Rank {
    score: f64,
    degree: usize,
    alias: bool,
    name_len: usize,
}

/// The word itself and its respellings by [`SPELLINGS`], at most
/// [`MAX_SPELLINGS_PER_WORD`], the word first.
fn spellings(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    for &(a, b) in SPELLINGS {
        for i in 0..out.len() {
            for (from, to) in [(a, b), (b, a)] {
                if out.len() >= MAX_SPELLINGS_PER_WORD {
                    return out;
                }
                if out[i].contains(from) {
                    let v = out[i].replace(from, to);
                    if !out.contains(&v) {
                        out.push(v);
                    }
                }
            }
        }
    }
    out
}

/// The builder of automata that accept the words within `typos` edits of
/// a query word (a swap of two neighbouring letters is one edit, as in
/// [`crate::text::edit_distance`]). A builder takes a tenth of a
/// millisecond to make and is kept; each query word's automaton is then
/// made in microseconds (a Levenshtein automaton built from scratch per
/// word took milliseconds for two typos).
fn typo_automaton(typos: usize) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; MAX_TYPOS] =
        [const { OnceLock::new() }; MAX_TYPOS];
    let typos = typos.clamp(1, MAX_TYPOS);
    BUILDERS[typos - 1].get_or_init(|| LevenshteinAutomatonBuilder::new(typos as u8, true))
}

fn score_all(g: &Graph, query: &str, extra_typos: usize, kinds: &[Kind]) -> Scored {
    let q: String = normalize(query).chars().take(MAX_QUERY_CHARS).collect();
    let q = q
        .split(' ')
        .take(MAX_QUERY_WORDS)
        .collect::<Vec<_>>()
        .join(" ");
    let q = q.trim_end().to_string();
    if q.is_empty() {
        return Scored(Vec::new());
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
            bump(e, v, EXACT);
        }
    }
    let qlen = q.chars().count() as f64;
    for (key, i) in idx.keys.with_prefix(&q).take(MAX_KEYS_PER_LOOKUP) {
        let klen = key.chars().count() as f64;
        let s = PREFIX_BASE + PREFIX_SPAN * qlen / klen.max(qlen);
        for &(e, v, _) in idx.key_postings.get(i) {
            if key.len() != q.len() {
                bump(e, v, s);
            }
        }
    }

    // Word by word. Each map holds a name's best score for the word and
    // the name's word count, which the postings carry.
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
            add(i, WORD_EXACT, &mut m);
        }
        for respelt in spellings(w).iter().skip(1) {
            if let Some(i) = idx.words.get(respelt) {
                add(i, WORD_SPELLING, &mut m);
            }
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
                    add(i, WORD_PREFIX, &mut m);
                }
            }
        }
        let budget = (typo_budget(wlen) + extra_typos).min(MAX_TYPOS);
        if budget > 0 && wlen <= MAX_FUZZY_WORD_CHARS {
            let dfa = typo_automaton(budget).build_dfa(w);
            let mut s = idx.words.search(&dfa).into_stream();
            let mut walked = 0;
            while let Some((key, i)) = s.next() {
                walked += 1;
                if walked > MAX_KEYS_PER_LOOKUP {
                    break;
                }
                let key = String::from_utf8_lossy(key);
                let d = crate::text::edit_distance(w, &key);
                if d > 0 {
                    let longer = wlen.max(key.chars().count()) as f64;
                    add(i, WORD_TYPO * (1.0 - d as f64 / (longer + 1.0)), &mut m);
                }
            }
        }
        per_word.push(m);
    }
    // Per name: the sum of its word scores, how many query words matched,
    // and its word count.
    let most = per_word.iter().map(|m| m.len()).max().unwrap_or(0);
    let mut names: HashMap<(u32, Variant), (f64, usize, u8)> =
        HashMap::with_capacity_and_hasher(most, Default::default());
    for m in &per_word {
        for (&key, &(s, words)) in m {
            let slot = names.entry(key).or_insert((0.0, 0, words));
            slot.0 += s;
            slot.1 += 1;
        }
    }
    let n = qwords.len();
    let unmatched_allowed = if n >= 2 { MAX_UNMATCHED_WORDS } else { 0 };
    for ((e, v), (total, matched, words)) in names {
        if matched + unmatched_allowed < n {
            continue;
        }
        let avg = total / n as f64;
        let coverage = matched as f64 / usize::from(words).max(matched) as f64;
        bump(e, v, WORD_BASE + WORD_SPAN * avg * coverage.sqrt());
    }

    // Best variant per entity, of the kinds asked.
    let mut per_entity: HashMap<u32, (f64, Variant)> =
        HashMap::with_capacity_and_hasher(best.len(), Default::default());
    for ((e, v), s) in best {
        if !kinds.is_empty() && !kinds.contains(&g.entity(e).kind) {
            continue;
        }
        let slot = per_entity.entry(e).or_insert((s, v));
        if s > slot.0 || (s == slot.0 && rank_variant(v) < rank_variant(slot.1)) {
            *slot = (s, v);
        }
    }
    Scored(
        per_entity
            .into_iter()
            .map(|(e, (s, v))| Hit {
                entity: e,
                score: (s * 1000.0).round() / 1000.0,
                matched_alias: (v != 0 && v != Variant::MAX).then(|| v - 1),
            })
            .collect(),
    )
}

fn rank_variant(v: Variant) -> u32 {
    // The main name first, then aliases in order, the id last.
    if v == Variant::MAX {
        u32::MAX
    } else {
        u32::from(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn respellings_swap_each_pair_either_way() {
        let v = spellings("budi");
        assert_eq!(v, ["budi", "boedi"]);
        let v = spellings("djoko");
        assert!(v.contains(&"joko".to_string()) && v.contains(&"yoko".to_string()));
        assert!(spellings("soekarno").contains(&"sukarno".to_string()));
        assert!(spellings("yusuf").len() <= MAX_SPELLINGS_PER_WORD);
    }
}
