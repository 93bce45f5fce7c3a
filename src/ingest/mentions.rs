//! Known entities found in a text: every name and alias of the graph,
//! folded as the name index folds them (`crate::text::normalize`), matched
//! word for word with Aho–Corasick, the way Indonesian news writes them —
//! a clitic `-nya` on the last word, an acronym the article defines in
//! parentheses, a person named by one of their names after the first
//! mention.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::graph::Graph;
use crate::model::Kind;
use crate::text::normalize;

/// A word of the text, with its byte range and folded form.
#[derive(Debug, Clone)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub folded: String,
    /// The first letter is upper case (or the word is a number).
    pub cap: bool,
    /// Every letter is upper case (an acronym such as `RI`).
    pub upper: bool,
}

/// The words of `text[start..end]`: runs of letters and digits.
pub fn tokens(text: &str, start: usize, end: usize) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word: Option<usize> = None;
    let piece = &text[start..end];
    let finish = |ws: usize, we: usize, out: &mut Vec<Token>| {
        let w = &piece[ws..we];
        let folded = normalize(w);
        if folded.is_empty() {
            return;
        }
        let first = w.chars().next().unwrap_or(' ');
        out.push(Token {
            start: start + ws,
            end: start + we,
            folded,
            cap: first.is_uppercase() || first.is_numeric(),
            upper: w.chars().any(char::is_alphabetic)
                && w.chars()
                    .filter(|c| c.is_alphabetic())
                    .all(char::is_uppercase),
        });
    };
    for (i, c) in piece.char_indices() {
        if c.is_alphanumeric() || is_combining(c) {
            word.get_or_insert(i);
        } else if let Some(ws) = word.take() {
            finish(ws, i, &mut out);
        }
    }
    if let Some(ws) = word {
        finish(ws, piece.len(), &mut out);
    }
    out
}

fn is_combining(c: char) -> bool {
    unicode_normalization::char::is_combining_mark(c)
}

/// How a mention matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    Name,
    Alias,
    /// An acronym the article defines in parentheses after a known name.
    Acronym,
    /// One word of a person's name (`Meutya` for Meutya Hafid).
    PartOfName,
    /// Named by a title's words (`Menteri Luar Negeri India` names the
    /// ministry of foreign affairs of India).
    Title,
    /// Referred to by a common noun (`MoU ini`, `pertemuan itu`): a known
    /// agreement or event of the article's time whose parties it names.
    Reference,
}

impl How {
    pub fn as_str(self) -> &'static str {
        match self {
            How::Name => "name",
            How::Alias => "alias",
            How::Acronym => "acronym",
            How::PartOfName => "part of name",
            How::Title => "named by a title",
            How::Reference => "referred to",
        }
    }

    pub fn confidence(self) -> f32 {
        match self {
            How::Name => 0.95,
            How::Alias => 0.9,
            How::Acronym => 0.85,
            How::PartOfName => 0.75,
            How::Title => 0.8,
            How::Reference => 0.6,
        }
    }
}

#[derive(Debug, Clone)]
struct Pattern {
    entity: u32,
    how: How,
    /// The text must write it in capitals (a short acronym: `RI`, `AI`).
    upper: bool,
    /// The text must write its first word with a capital (a proper name).
    cap: bool,
}

/// A known entity found in a sentence: its byte range in the article and
/// its word range in the sentence's tokens.
#[derive(Debug, Clone)]
pub struct Mention {
    pub entity: u32,
    pub start: usize,
    pub end: usize,
    pub first: usize,
    pub last: usize,
    pub how: How,
}

/// The patterns of every name and alias of a graph, searched in one pass.
pub struct Matcher {
    ac: AhoCorasick,
    patterns: Vec<Pattern>,
}

impl Matcher {
    /// Builds the matcher over a graph's names and aliases, and over
    /// `extra`: names an article defines itself (acronyms), each with the
    /// entity it stands for.
    pub fn new(graph: &Graph, extra: &[(String, u32)]) -> Matcher {
        let mut keys: Vec<String> = Vec::new();
        let mut patterns = Vec::new();
        let mut add = |text: &str, folded: String, p: Pattern| {
            if folded.is_empty() {
                return;
            }
            let _ = text;
            keys.push(format!(" {folded} "));
            patterns.push(p.clone());
            // The clitic -nya on the last word (`Indonesianya`).
            keys.push(format!(" {folded}nya "));
            patterns.push(p);
        };
        // Words of persons' names: only those of one person, long enough
        // not to be a common word, and not a whole name of anything else.
        let mut whole: rustc_hash::FxHashSet<String> = Default::default();
        let mut parts: rustc_hash::FxHashMap<String, Option<u32>> = Default::default();
        for (i, e) in graph.entities.iter().enumerate() {
            whole.insert(normalize(e.name()));
            for a in e.aliases() {
                whole.insert(normalize(a));
            }
            if e.kind == Kind::Person {
                for w in normalize(e.name()).split(' ') {
                    if w.chars().count() >= 4 {
                        parts
                            .entry(w.to_string())
                            .and_modify(|v| {
                                if *v != Some(i as u32) {
                                    *v = None
                                }
                            })
                            .or_insert(Some(i as u32));
                    }
                }
            }
        }
        for (i, e) in graph.entities.iter().enumerate() {
            let proper = e.kind != Kind::Topic;
            for (text, how) in std::iter::once((e.name(), How::Name))
                .chain(e.aliases().iter().map(|a| (a, How::Alias)))
            {
                let letters: Vec<char> = text.chars().filter(|c| c.is_alphanumeric()).collect();
                let upper = letters.len() <= 6
                    && letters.iter().any(|c| c.is_alphabetic())
                    && letters
                        .iter()
                        .filter(|c| c.is_alphabetic())
                        .all(|c| c.is_uppercase());
                let cap = proper && text.chars().next().is_some_and(char::is_uppercase);
                add(
                    text,
                    normalize(text),
                    Pattern {
                        entity: i as u32,
                        how,
                        upper,
                        cap,
                    },
                );
            }
        }
        for (word, who) in parts {
            if let (Some(entity), false) = (who, whole.contains(&word)) {
                add(
                    &word,
                    word.clone(),
                    Pattern {
                        entity,
                        how: How::PartOfName,
                        upper: false,
                        cap: true,
                    },
                );
            }
        }
        for (text, entity) in extra {
            add(
                text,
                normalize(text),
                Pattern {
                    entity: *entity,
                    how: How::Acronym,
                    upper: text
                        .chars()
                        .filter(|c| c.is_alphabetic())
                        .all(char::is_uppercase),
                    cap: true,
                },
            );
        }
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&keys)
            .expect("patterns of bounded size build");
        Matcher { ac, patterns }
    }

    /// The mentions among `tokens` (one sentence's words), longest first
    /// where they overlap, in text order.
    pub fn find(&self, tokens: &[Token]) -> Vec<Mention> {
        let mut folded = String::from(" ");
        let mut starts = Vec::with_capacity(tokens.len());
        for t in tokens {
            starts.push(folded.len());
            folded.push_str(&t.folded);
            folded.push(' ');
        }
        // The token that starts at byte `b` of `folded`, and the token
        // that ends just before byte `b` (a space).
        let token_at = |b: usize| starts.binary_search(&b).ok();
        let mut found: Vec<Mention> = Vec::new();
        for m in self.ac.find_overlapping_iter(&folded) {
            let p = &self.patterns[m.pattern().as_usize()];
            let Some(first) = token_at(m.start() + 1) else {
                continue;
            };
            let Some(last) = (match token_at(m.end()) {
                Some(next) => next.checked_sub(1),
                None => (m.end() == folded.len()).then(|| tokens.len() - 1),
            }) else {
                continue;
            };
            if last < first {
                continue;
            }
            let words = &tokens[first..=last];
            if p.upper
                && !words
                    .iter()
                    .all(|t| t.upper || !t.folded.chars().any(char::is_alphabetic))
            {
                continue;
            }
            if p.cap && !words[0].cap {
                continue;
            }
            found.push(Mention {
                entity: p.entity,
                start: tokens[first].start,
                end: tokens[last].end,
                first,
                last,
                how: p.how,
            });
        }
        // Longest first, then the better way of matching, then the entity
        // listed first: a deterministic choice where matches overlap.
        found.sort_by_key(|m| {
            (
                std::cmp::Reverse(m.last - m.first),
                m.how,
                m.first,
                m.entity,
            )
        });
        let mut taken = vec![false; tokens.len()];
        let mut out = Vec::new();
        for m in found {
            if taken[m.first..=m.last].iter().any(|&t| t) {
                continue;
            }
            taken[m.first..=m.last].iter_mut().for_each(|t| *t = true);
            out.push(m);
        }
        out.sort_by_key(|m| m.first);
        out
    }
}

/// Short forms an article defines after a known name: `Kementerian
/// Komunikasi dan Digital (Komdigi)` makes a later `Komdigi` that entity,
/// even when the data does not list the acronym. Returns (acronym,
/// entity) pairs for [`Matcher::new`].
pub fn defined_acronyms(
    text: &str,
    sentences: &[(Vec<Token>, Vec<Mention>)],
) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for (tokens, mentions) in sentences {
        for m in mentions {
            let Some(next) = tokens.get(m.last + 1) else {
                continue;
            };
            let between = &text[m.end..next.start];
            let after = text[next.end..].chars().next();
            // `Jakarta (ANTARA) –` opening a sentence is a dateline: the
            // newsroom, not a short form of the place.
            let dateline = m.first == 0
                && text[next.end + 1..]
                    .trim_start()
                    .starts_with(['-', '–', '—']);
            if between.trim() == "("
                && after == Some(')')
                && !dateline
                && is_acronym(&text[next.start..next.end])
            {
                out.push((text[next.start..next.end].to_string(), m.entity));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Whether a word in parentheses after a name reads as its short form:
/// a capital first and at most twelve characters (`RI`, `MoU`, `Kemlu`,
/// `Jokowi`).
pub fn is_acronym(word: &str) -> bool {
    word.starts_with(char::is_uppercase) && word.chars().count() <= 12
}
