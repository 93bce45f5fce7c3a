//! From a news article to reviewed rows.
//!
//! [`analyse`] reads an article against a loaded graph and proposes, with
//! the sentence each comes from: mentions of known entities, new
//! entities, and relations between what one sentence names. [`review`]
//! writes the proposals as a review CSV for a curator to mark `yes` or
//! `no`, and applies a reviewed file to a dataset folder: checked first,
//! by itself and then by the normal loader, written through
//! [`crate::atomic`] only when all of it is valid.
//!
//! The pieces, in the order an article goes through them:
//! - `text` — bytes to text (refusing binary, empty and oversized
//!   files), HTML to visible text, sentences with byte offsets, page
//!   furniture set aside;
//! - `lexicon` — the word lists under `datasets/lexicon/`, compiled in;
//! - `mentions` — names and aliases found with Aho–Corasick over folded
//!   words;
//! - `candidates` — names of things the data does not know;
//! - `dates` — dates as news text writes them;
//! - `relations` — titles before persons and cue words, to relations;
//! - `review` — the review CSV, read back and applied.

pub mod candidates;
pub mod dates;
pub mod lexicon;
pub mod mentions;
pub mod relations;
pub mod review;
pub mod text;

use std::fmt;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::DataError;
use crate::graph::Graph;
use crate::model::{Date, Kind};
use lexicon::Lexicon;
use mentions::{How, Matcher, Mention, Token};
use relations::{Node, NodeKey, SentenceView};
use text::Sentence;

/// Why ingesting or applying failed. Nothing is written when any of
/// these is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestError {
    /// The article cannot be read as an article.
    Input(String),
    /// Rows of a review CSV are wrong, each at its line.
    Review(Vec<DataError>),
    /// The dataset, or the dataset with the accepted rows, does not load.
    Data(Vec<DataError>),
    /// A file could not be read or written.
    Io(String),
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IngestError::Input(m) | IngestError::Io(m) => f.write_str(m),
            IngestError::Review(errors) | IngestError::Data(errors) => {
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{e}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for IngestError {}

/// What the user says about the article: the source it becomes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    pub source_id: String,
    pub title: String,
    pub publisher: String,
    pub published: Option<Date>,
    pub url: String,
    pub language: String,
    /// The article's file name, for the `file` column of sources.csv.
    pub file: String,
}

/// A known entity found in the article: where it first appears, and how
/// many times it does.
#[derive(Debug, Clone)]
pub struct FoundMention {
    pub entity: u32,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
    pub how: How,
    pub count: usize,
    /// The title written before it (`Wakil Menteri`), when there is one.
    pub title: Option<String>,
}

/// A new entity the article names.
#[derive(Debug, Clone)]
pub struct NewEntity {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    pub aliases: Vec<String>,
    pub sentence: usize,
    pub cue: String,
}

/// A proposed relation, with the sentence it comes from.
#[derive(Debug, Clone)]
pub struct FoundRelation {
    pub proposed: relations::Proposed,
    pub sentence: usize,
}

/// Everything read from one article.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub text: String,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<FoundMention>,
    pub entities: Vec<NewEntity>,
    pub relations: Vec<FoundRelation>,
    /// The known entities each sentence mentions, sentence by sentence.
    pub sentence_entities: Vec<Vec<u32>>,
    /// Every place the article names a known or a new entity, in text
    /// order, as byte ranges of `text` (for showing the article with its
    /// names marked).
    pub spans: Vec<NameSpan>,
}

/// Where the article names an entity: bytes `start..end` of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameSpan {
    pub start: usize,
    pub end: usize,
    pub key: NodeKey,
}

impl Analysis {
    /// The id of a node: a known entity's, or the proposed id of a new one.
    pub fn id_of<'a>(&'a self, graph: &'a Graph, key: NodeKey) -> &'a str {
        match key {
            NodeKey::Known(e) => graph.entity(e).id(),
            NodeKey::New(c) => &self.entities[c].id,
        }
    }
}

/// Reads an article (bytes as given: text or HTML) against a graph.
pub fn ingest(graph: &Graph, bytes: &[u8], article: &Article) -> Result<Analysis, IngestError> {
    let text = text::read_article(bytes)?;
    Ok(analyse(graph, text, article.published))
}

/// Proposes mentions, new entities and relations for an article's text.
/// `published` is when the article appeared: its year reads dates the
/// text gives without one (`Jumat (20/6)`), and an organisation the data
/// says was renamed before then (`succeeded_by`, with an end date) is
/// read as its successor, as news keeps using former names.
///
/// Complexity: linear in the text for matching names, plus a scan of
/// each sentence's words per title and cue; sentences are bounded by
/// their lines.
pub fn analyse(graph: &Graph, text: String, published: Option<Date>) -> Analysis {
    let year = published.map(|d| d.year());
    let lex = Lexicon::embedded();
    let sentences = text::article_sentences(&text, lex);
    let tokens: Vec<Vec<Token>> = sentences
        .iter()
        .map(|s| mentions::tokens(&text, s.start, s.end))
        .collect();
    let matcher = Matcher::new(graph, &[]);
    let mut found: Vec<(Vec<Token>, Vec<Mention>)> = tokens
        .into_iter()
        .map(|t| {
            let m = matcher.find(&t);
            (t, m)
        })
        .collect();
    let acronyms = mentions::defined_acronyms(&text, &found);
    if !acronyms.is_empty() {
        let matcher = Matcher::new(graph, &acronyms);
        for (t, m) in &mut found {
            *m = matcher.find(t);
        }
    }
    // A dateline (`Jakarta (ANTARA) –`, `Jakarta|EGINDO.co`) says where
    // the newsroom filed from, not what the news is about.
    for (t, m) in &mut found {
        m.retain(|m| {
            m.first != 0
                || graph.entity(m.entity).kind != Kind::Place
                || !dateline(&text[t[m.last].end..])
        });
    }
    // One word of a person's name stands for them only where the article
    // also names them in full.
    let named_in_full: FxHashSet<u32> = found
        .iter()
        .flat_map(|(_, m)| m.iter())
        .filter(|m| m.how != How::PartOfName)
        .map(|m| m.entity)
        .collect();
    let renamed = successors(graph, published);
    for (_, m) in &mut found {
        m.retain(|m| m.how != How::PartOfName || named_in_full.contains(&m.entity));
        for m in m.iter_mut() {
            if let Some(&next) = renamed.get(&m.entity) {
                m.entity = next;
            }
        }
    }

    let mut names: FxHashMap<String, u32> = FxHashMap::default();
    for (i, e) in graph.entities.iter().enumerate() {
        for n in std::iter::once(e.name()).chain(e.aliases().iter()) {
            names.entry(crate::text::normalize(n)).or_insert(i as u32);
        }
    }
    let kinds = |e: u32| graph.entity(e).kind;
    let country_of = |e: u32| graph.entity(e).country.map(|c| graph.str(c).to_string());

    let mut out = Analysis {
        text: String::new(),
        sentences: sentences.clone(),
        mentions: Vec::new(),
        entities: Vec::new(),
        relations: Vec::new(),
        sentence_entities: Vec::new(),
        spans: Vec::new(),
    };
    let mut by_entity: FxHashMap<u32, usize> = FxHashMap::default();
    let mut by_slug: FxHashMap<String, usize> = FxHashMap::default();
    for (si, (tokens, ms)) in found.iter().enumerate() {
        let sentence = sentences[si];
        // A run-on "sentence" (a page without stops) gives mentions only:
        // reading titles and cues costs its length times its names.
        let long = tokens.len() > MAX_SENTENCE_WORDS;
        let mut taken = vec![false; tokens.len()];
        for m in ms {
            taken[m.first..=m.last].iter_mut().for_each(|t| *t = true);
        }
        let mut nodes: Vec<Node> = ms
            .iter()
            .map(|m| Node {
                key: NodeKey::Known(m.entity),
                kind: graph.entity(m.entity).kind,
                first: m.first,
                last: m.last,
            })
            .collect();
        let mut new = if long {
            Vec::new()
        } else {
            candidates::organisations(&text, tokens, &taken, lex)
        };
        // A name followed by a known acronym in parentheses is the known
        // entity, spelled out (`Kementerian Dalam Negeri dan Komunikasi
        // (MIC)`): not a new one.
        new.retain(|c| {
            !ms.iter().any(|m| {
                m.first == c.last + 1
                    && text[tokens[c.last].end..tokens[m.first].start].trim() == "("
            })
        });
        let signs = lex.cues.iter().any(|c| {
            matches!(c.rel_type.as_str(), "signed" | "witnessed" | "covers")
                && tokens.iter().any(|t| t.folded == c.folded)
        });
        let named = nodes.iter().any(|n| n.kind == Kind::Agreement)
            || new.iter().any(|c| c.kind == Kind::Agreement);
        if signs && !named && !long {
            let agreement = candidates::agreement(&text, tokens, &taken, lex);
            new.extend(
                agreement.filter(|a| !new.iter().any(|c| c.first <= a.last && a.first <= c.last)),
            );
        }
        for c in new {
            let key = add_entity(&mut out.entities, &mut by_slug, &c.name, c.kind, si, &c.cue);
            taken[c.first..=c.last].iter_mut().for_each(|t| *t = true);
            nodes.push(Node {
                key,
                kind: c.kind,
                first: c.first,
                last: c.last,
            });
        }
        nodes.sort_by_key(|n| n.first);
        let mut titled = if long {
            Vec::new()
        } else {
            relations::titles(&text, tokens, &nodes, lex)
        };
        // Topic words inside a title (`Dirjen Ekosistem Digital`) name a
        // post, not the topic.
        let in_post = |first: usize, last: usize| {
            titled
                .iter()
                .any(|t| first >= t.descriptor.0 && last < t.descriptor.1)
        };
        let ms: Vec<&Mention> = ms
            .iter()
            .filter(|m| graph.entity(m.entity).kind != Kind::Topic || !in_post(m.first, m.last))
            .collect();
        for t in &mut titled {
            if let Err((a, b)) = t.person {
                let name = &text[tokens[a].start..tokens[b].end];
                let cue = format!("after the title \"{}\"", t.title_text);
                let key = add_entity(
                    &mut out.entities,
                    &mut by_slug,
                    name,
                    Kind::Person,
                    si,
                    &cue,
                );
                nodes.push(Node {
                    key,
                    kind: Kind::Person,
                    first: a,
                    last: b,
                });
                t.person = Ok(nodes.len() - 1);
            }
        }
        let mut here: Vec<NameSpan> = nodes
            .iter()
            .map(|n| NameSpan {
                start: tokens[n.first].start,
                end: tokens[n.last].end,
                key: n.key,
            })
            .collect();
        here.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        // Nested names (a topic inside a post) show the outer one.
        let mut reach = 0;
        here.retain(|s| {
            let keep = s.start >= reach;
            reach = reach.max(s.end);
            keep
        });
        out.spans.extend(here);
        out.sentence_entities
            .push(ms.iter().map(|m| m.entity).collect());
        for m in &ms {
            let title = titled.iter().find_map(|t| {
                let p = &nodes[*t.person.as_ref().ok()?];
                (p.first == m.first).then(|| t.title_text.clone())
            });
            match by_entity.get(&m.entity) {
                Some(&i) => {
                    let f = &mut out.mentions[i];
                    f.count += 1;
                    if f.title.is_none() {
                        f.title = title;
                    }
                    if m.how < f.how {
                        f.how = m.how;
                    }
                }
                None => {
                    by_entity.insert(m.entity, out.mentions.len());
                    out.mentions.push(FoundMention {
                        entity: m.entity,
                        start: m.start,
                        end: m.end,
                        sentence: si,
                        how: m.how,
                        count: 1,
                        title,
                    });
                }
            }
        }
        // A defined acronym after a new name is that name's alias.
        for n in &nodes {
            if let (NodeKey::New(c), Some(next)) = (n.key, tokens.get(n.last + 1))
                && text[tokens[n.last].end..next.start].trim() == "("
                && mentions::is_acronym(&text[next.start..next.end])
                && text[next.end..].starts_with(')')
            {
                let acronym = text[next.start..next.end].to_string();
                if !out.entities[c].aliases.contains(&acronym) {
                    out.entities[c].aliases.push(acronym);
                }
            }
        }
        if sentence.heading || long {
            continue;
        }
        let date = dates::find_date(&text[sentence.start..sentence.end], year);
        let view = SentenceView {
            text: &text,
            tokens,
            nodes: &nodes,
            titled: &titled,
            date,
            names: &names,
            kinds: &kinds,
            renamed: &renamed,
            country_of: &country_of,
        };
        let proposed = relations::propose(&view, lex);
        // An organisation a title names is mentioned by it.
        for p in &proposed {
            if let (NodeKey::Known(org), "holds_position") = (p.to, p.rel_type.as_str()) {
                let here = out.sentence_entities.last_mut().expect("pushed above");
                if !here.contains(&org) {
                    here.push(org);
                }
                match by_entity.get(&org) {
                    Some(&i) => out.mentions[i].count += 1,
                    None => {
                        by_entity.insert(org, out.mentions.len());
                        out.mentions.push(FoundMention {
                            entity: org,
                            start: sentence.start,
                            end: sentence.start,
                            sentence: si,
                            how: How::Title,
                            count: 1,
                            title: Some(p.cue.clone()),
                        });
                    }
                }
            }
        }
        for p in proposed {
            out.relations.push(FoundRelation {
                proposed: p,
                sentence: si,
            });
        }
    }
    let mentioned: FxHashSet<u32> = out.mentions.iter().map(|m| m.entity).collect();
    let referred = references(graph, &found, &sentences, &mentioned, published, lex);
    if !referred.is_empty() {
        for r in referred {
            out.spans.push(NameSpan {
                start: r.start,
                end: r.end,
                key: NodeKey::Known(r.entity),
            });
            out.mentions.push(r);
        }
        out.spans
            .sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut reach = 0;
        out.spans.retain(|s| {
            let keep = s.start >= reach;
            reach = reach.max(s.end);
            keep
        });
    }
    // The same relation said twice is proposed once, where first said.
    let mut seen = FxHashSet::default();
    out.relations.retain(|r| {
        let p = &r.proposed;
        let (a, b) = if crate::model::is_symmetric(&p.rel_type) && p.to < p.from {
            (p.to, p.from)
        } else {
            (p.from, p.to)
        };
        seen.insert((a, b, p.rel_type.clone()))
    });
    out.text = text;
    out
}

/// Whether what follows a place name makes it a dateline: a newsroom's
/// name in capitals in parentheses, or a bar before it.
fn dateline(rest: &str) -> bool {
    let rest = rest.trim_start();
    if rest.starts_with('|') {
        return true;
    }
    let Some((name, _)) = rest.strip_prefix('(').and_then(|r| r.split_once(')')) else {
        return false;
    };
    (2..=30).contains(&name.len())
        && name.chars().any(char::is_uppercase)
        && name
            .chars()
            .all(|c| c.is_uppercase() || matches!(c, ' ' | '.' | '-' | '/'))
}

/// The longest an agreement or event may lie before the article for a
/// common noun to refer to it, in days.
pub const REFERENCE_DAYS: u32 = 366;

/// Known agreements and events the article refers to by a common noun
/// (`MoU ini`, `pertemuan itu`, `kesepakatan tersebut`) rather than by
/// name: one of the kind the noun refers to (the lexicon's
/// `references.csv`), tied in the data to at least two entities the
/// article names (its parties, signatories, participants) and to no more
/// than twice as many (topics aside), to no country the article leaves
/// out, and known to have begun in the [`REFERENCE_DAYS`] before the
/// article (a month's grace for dates of different precision). Without a
/// publication date nothing is referred to: news says "the MoU" of the
/// one just signed, not of one years ago. Each is placed at the first
/// such noun.
fn references(
    graph: &Graph,
    found: &[(Vec<Token>, Vec<Mention>)],
    sentences: &[Sentence],
    mentioned: &FxHashSet<u32>,
    published: Option<Date>,
    lex: &Lexicon,
) -> Vec<FoundMention> {
    let Some(published) = published else {
        return Vec::new();
    };
    let mut first: Vec<(Kind, usize, usize, usize)> = Vec::new();
    for (si, (tokens, _)) in found.iter().enumerate() {
        if sentences[si].heading {
            continue;
        }
        for t in tokens {
            if let Some((_, kind)) = lex.references.iter().find(|(w, _)| *w == t.folded)
                && !first.iter().any(|f| f.0 == *kind)
            {
                first.push((*kind, si, t.start, t.end));
            }
        }
    }
    if first.is_empty() {
        return Vec::new();
    }
    let mut named: Vec<u32> = mentioned.iter().copied().collect();
    named.sort_unstable();
    let mut ties: std::collections::BTreeMap<u32, FxHashSet<u32>> = Default::default();
    for &m in &named {
        for step in graph.steps(m, crate::graph::Walk::Both) {
            let o = step.other;
            let kind = graph.entity(o).kind;
            if o != m && !mentioned.contains(&o) && first.iter().any(|f| f.0 == kind) {
                ties.entry(o).or_default().insert(m);
            }
        }
    }
    // Begun by the time of the article, as precisely as both are dated:
    // an agreement of "2025" is not yet known to be there for an article
    // of April 2025, one of January 2025 is for one of late January.
    let (lo, hi) = (
        published.first_day().saturating_sub(REFERENCE_DAYS),
        published.last_day() + 30,
    );
    ties.into_iter()
        .filter(|(o, by)| {
            // What it covers (topics) says little about which one it is.
            let tied: FxHashSet<u32> = graph
                .others(*o)
                .filter(|t| t != o && graph.entity(*t).kind != Kind::Topic)
                .collect();
            let by = by
                .iter()
                .filter(|t| graph.entity(**t).kind != Kind::Topic)
                .count();
            let countries_named = tied
                .iter()
                .all(|t| graph.entity(*t).kind != Kind::Country || mentioned.contains(t));
            by >= 2
                && 3 * by >= tied.len()
                && countries_named
                && graph
                    .entity(*o)
                    .start
                    .is_none_or(|s| s.last_day() >= lo && s.last_day() <= hi)
        })
        .filter_map(|(o, _)| {
            let kind = graph.entity(o).kind;
            let &(_, si, start, end) = first.iter().find(|f| f.0 == kind)?;
            Some(FoundMention {
                entity: o,
                start,
                end,
                sentence: si,
                how: How::Reference,
                count: 1,
                title: None,
            })
        })
        .collect()
}

/// Entities ended before `published` with a successor in the data
/// (`succeeded_by`), followed to the last successor.
fn successors(graph: &Graph, published: Option<Date>) -> FxHashMap<u32, u32> {
    let mut next: FxHashMap<u32, u32> = FxHashMap::default();
    let Some(published) = published else {
        return next;
    };
    for (i, r) in graph.relations.iter().enumerate() {
        if graph.rel_type(i as u32) == "succeeded_by"
            && graph
                .entity(r.from)
                .end
                .is_some_and(|end| end.last_day() < published.first_day())
        {
            next.insert(r.from, r.to);
        }
    }
    let mut out = FxHashMap::default();
    for &from in next.keys() {
        let mut to = from;
        // Bounded by the number of renamings, so a cycle cannot loop.
        for _ in 0..next.len() {
            match next.get(&to) {
                Some(&t) if t != from => to = t,
                _ => break,
            }
        }
        if to != from {
            out.insert(from, to);
        }
    }
    out
}

/// The most words a sentence may have for titles, new names and relations
/// to be read in it; a news sentence has a few dozen.
pub const MAX_SENTENCE_WORDS: usize = 250;

fn add_entity(
    entities: &mut Vec<NewEntity>,
    by_slug: &mut FxHashMap<String, usize>,
    name: &str,
    kind: Kind,
    sentence: usize,
    cue: &str,
) -> NodeKey {
    let id = candidates::slug(name);
    if let Some(&i) = by_slug.get(&id) {
        return NodeKey::New(i);
    }
    by_slug.insert(id.clone(), entities.len());
    entities.push(NewEntity {
        id,
        name: name.split_whitespace().collect::<Vec<_>>().join(" "),
        kind,
        aliases: Vec::new(),
        sentence,
        cue: cue.to_string(),
    });
    NodeKey::New(entities.len() - 1)
}
