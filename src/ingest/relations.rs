//! Relations proposed between what one sentence names: from a title
//! before a person (`Menteri Luar Negeri India S. Jaishankar` holds a
//! position at India's foreign ministry; `Duta Besar India untuk
//! Indonesia` is an ambassador to Indonesia), and from cue words
//! (`menandatangani` → signed, `disaksikan` → witnessed, `pertemuan` →
//! met_with, `dihadiri` → attended, `mencakup` / `di bidang` → covers).

use rustc_hash::FxHashMap;

use super::candidates::JOINERS;
use super::lexicon::{Lexicon, Title};
use super::mentions::Token;
use crate::model::{Date, Kind};

/// Something a sentence names: a known entity or a new one of the
/// article's (an index into its candidates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKey {
    Known(u32),
    New(usize),
}

/// A named thing at a word range of a sentence.
#[derive(Debug, Clone, Copy)]
pub struct Node {
    pub key: NodeKey,
    pub kind: Kind,
    pub first: usize,
    pub last: usize,
}

/// A proposed relation, in one sentence.
#[derive(Debug, Clone)]
pub struct Proposed {
    pub from: NodeKey,
    pub to: NodeKey,
    pub rel_type: String,
    pub role: String,
    pub date: Option<Date>,
    pub cue: String,
    pub confidence: f32,
}

/// A title found before a person: what the title is, the words between
/// it and the name (`Luar Negeri India`), and who.
#[derive(Debug, Clone)]
pub struct Titled<'l> {
    pub title: &'l Title,
    pub title_text: String,
    pub descriptor: (usize, usize),
    /// The person's node, or the words of a person the data does not
    /// know (a candidate to add).
    pub person: Result<usize, (usize, usize)>,
}

fn sep<'t>(text: &'t str, tokens: &[Token], k: usize) -> &'t str {
    &text[tokens[k - 1].end..tokens[k].start]
}

/// The titles in a sentence and the persons they stand before.
pub fn titles<'l>(
    text: &str,
    tokens: &[Token],
    nodes: &[Node],
    lex: &'l Lexicon,
) -> Vec<Titled<'l>> {
    let folded: Vec<String> = tokens.iter().map(|t| t.folded.clone()).collect();
    let node_at: Vec<Option<usize>> = (0..tokens.len())
        .map(|k| nodes.iter().position(|n| n.first <= k && k <= n.last))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let found = (tokens[i].cap && node_at[i].is_none())
            .then(|| lex.title_starting(&folded[i..]))
            .flatten();
        let Some((title, n)) = found else {
            i += 1;
            continue;
        };
        let j = i + n;
        let title_text = text[tokens[i].start..tokens[j - 1].end].to_string();
        let mut k = j;
        let mut comma = None;
        let mut person = None;
        while k < tokens.len() && k < j + 14 {
            if k > 0 {
                let s = sep(text, tokens, k);
                if s.contains(['.', ';', ':', '!', '?', '"', '“', '”']) {
                    break;
                }
                if s.contains(',') {
                    comma = Some(k);
                }
            }
            if let Some(ni) = node_at[k] {
                if nodes[ni].kind == Kind::Person && nodes[ni].first == k {
                    person = Some(ni);
                    break;
                }
                k = nodes[ni].last + 1;
                continue;
            }
            if k > j && lex.title_starting(&folded[k..]).is_some() && tokens[k].cap {
                break;
            }
            if !tokens[k].cap && !JOINERS.contains(&folded[k].as_str()) {
                break;
            }
            k += 1;
        }
        match person {
            Some(p) => {
                out.push(Titled {
                    title,
                    title_text,
                    descriptor: (j, nodes[p].first),
                    person: Ok(p),
                });
                i = nodes[p].last + 1;
            }
            None => {
                // The name is the capitalised words at the end of what was
                // read: after a comma, or the last two words when some
                // words describe the post before them.
                let mut end = k;
                while end > j && !tokens[end - 1].cap {
                    end -= 1;
                }
                let name_start = match comma {
                    Some(c) if c < end && end - c <= 4 => Some(c),
                    _ if end >= j + 3 => Some(end - 2),
                    _ if end == j + 2 && title.relation != "holds_position" => Some(j),
                    _ => None,
                };
                let valid = name_start.is_some_and(|s| {
                    (s..end).all(|t| tokens[t].cap && node_at[t].is_none() && !tokens[t].upper)
                        && (s + 1..end).all(|t| !sep(text, tokens, t).contains(','))
                });
                if let (Some(s), true) = (name_start, valid) {
                    out.push(Titled {
                        title,
                        title_text,
                        descriptor: (j, s),
                        person: Err((s, end - 1)),
                    });
                    i = end;
                } else {
                    i = j;
                }
            }
        }
    }
    out
}

/// Everything a sentence gives, for [`propose`].
pub struct SentenceView<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub nodes: &'a [Node],
    pub titled: &'a [Titled<'a>],
    pub date: Option<Date>,
    /// Folded names and aliases of known entities, for finding the
    /// organisation a title's words name.
    pub names: &'a FxHashMap<String, u32>,
    pub kinds: &'a dyn Fn(u32) -> Kind,
    /// An entity's country code, to tell one country's ministry from
    /// another's.
    pub country_of: &'a dyn Fn(u32) -> Option<String>,
    /// Organisations renamed before the article, to their successors.
    pub renamed: &'a FxHashMap<u32, u32>,
}

/// The relations one sentence proposes.
pub fn propose(v: &SentenceView<'_>, lex: &Lexicon) -> Vec<Proposed> {
    let mut out: Vec<Proposed> = Vec::new();
    let nodes = v.nodes;
    for t in v.titled {
        let Ok(p) = t.person else { continue };
        let person = nodes[p].key;
        let (d0, d1) = t.descriptor;
        let inside: Vec<&Node> = nodes
            .iter()
            .filter(|n| n.first >= d0 && n.last < d1)
            .collect();
        let countries: Vec<&Node> = inside
            .iter()
            .copied()
            .filter(|n| n.kind == Kind::Country)
            .collect();
        match t.title.relation.as_str() {
            "head_of" => {
                if let Some(c) = countries.first() {
                    out.push(rel(
                        person,
                        c.key,
                        "head_of",
                        &t.title.role,
                        None,
                        &t.title_text,
                        0.85,
                    ));
                }
            }
            "ambassador_to" => {
                // `Duta Besar India untuk Indonesia`: the country after
                // `untuk` (or `to`) is where the ambassador is posted.
                let host = countries.iter().find(|c| {
                    c.first > 0
                        && matches!(
                            v.tokens[c.first - 1].folded.as_str(),
                            "untuk" | "to" | "in" | "di"
                        )
                });
                if let Some(h) = host {
                    out.push(rel(
                        person,
                        h.key,
                        "ambassador_to",
                        &t.title.role,
                        None,
                        &t.title_text,
                        0.85,
                    ));
                }
            }
            "holds_position" => {
                // `Menteri Kesehatan Vietnam`: a ministry of another
                // country than the one the words name is not this post.
                let org = organisation(v, t, &inside).filter(|&org| {
                    let NodeKey::Known(o) = org else { return true };
                    let Some(code) = (v.country_of)(o) else {
                        return true;
                    };
                    countries.iter().all(|c| match c.key {
                        NodeKey::Known(c) => (v.country_of)(c).is_none_or(|cc| cc == code),
                        NodeKey::New(_) => true,
                    })
                });
                if let Some(org) = org {
                    out.push(rel(
                        person,
                        org,
                        "holds_position",
                        &t.title.role,
                        None,
                        &t.title_text,
                        0.8,
                    ));
                }
            }
            _ => {}
        }
    }
    // `Kementerian … RI`, `MIC Jepang`: an organisation written with its
    // country is part of that country's state.
    for a in nodes.iter().filter(|n| n.kind == Kind::Organization) {
        if let Some(c) = nodes.iter().find(|c| {
            c.kind == Kind::Country
                && c.first == a.last + 1
                && matches!(sep(v.text, v.tokens, c.first).trim(), "" | ")")
        }) {
            let written = &v.text[v.tokens[a.first].start..v.tokens[c.last].end];
            out.push(rel(a.key, c.key, "part_of", "", None, written, 0.6));
        }
    }
    // Words that only describe a person's post are not parties.
    let in_title = |n: &Node| {
        v.titled.iter().any(|t| {
            n.first >= t.descriptor.0 && n.last < t.descriptor.1 && n.kind == Kind::Country
        })
    };
    let folded: Vec<&str> = v.tokens.iter().map(|t| t.folded.as_str()).collect();
    let mut cues: Vec<(usize, &str, String)> = Vec::new();
    let mut k = 0;
    while k < folded.len() {
        let hit = lex.cues.iter().find(|c| {
            let pat: Vec<&str> = c.folded.split(' ').collect();
            k + pat.len() <= folded.len() && folded[k..k + pat.len()] == pat[..]
        });
        match hit {
            Some(c) => {
                let n = c.folded.split(' ').count();
                let written = v.text[v.tokens[k].start..v.tokens[k + n - 1].end].to_string();
                if !cues.iter().any(|(_, t, _)| *t == c.rel_type) {
                    cues.push((k, &c.rel_type, written));
                }
                k += n;
            }
            None => k += 1,
        }
    }
    let has = |t: &str| cues.iter().any(|(_, c, _)| *c == t);
    let agreements: Vec<&Node> = nodes.iter().filter(|n| n.kind == Kind::Agreement).collect();
    let events: Vec<&Node> = nodes.iter().filter(|n| n.kind == Kind::Event).collect();
    for (at, cue, written) in &cues {
        let at = *at;
        let after = |n: &&Node| n.first > at;
        match *cue {
            "signed" => {
                // Whoever a sentence says witnessed the signing did not sign.
                let witnesses_from = cues
                    .iter()
                    .find(|(_, c, _)| *c == "witnessed")
                    .map_or(usize::MAX, |(w, _, _)| *w);
                for a in &agreements {
                    for n in nodes
                        .iter()
                        .filter(|n| n.first < a.first || n.first > a.last)
                        .filter(|n| n.first < witnesses_from)
                    {
                        match n.kind {
                            Kind::Person => {
                                out.push(rel(n.key, a.key, "signed", "", v.date, written, 0.65))
                            }
                            Kind::Organization | Kind::Company | Kind::Country if !in_title(n) => {
                                out.push(rel(n.key, a.key, "party_to", "", v.date, written, 0.6))
                            }
                            _ => {}
                        }
                    }
                }
            }
            "witnessed" => {
                let targets: Vec<&&Node> = agreements
                    .iter()
                    .chain(events.iter())
                    .filter(|n| n.first < at)
                    .collect();
                for w in nodes
                    .iter()
                    .filter(|n| n.kind == Kind::Person)
                    .filter(after)
                {
                    for t in &targets {
                        out.push(rel(w.key, t.key, "witnessed", "", v.date, written, 0.65));
                    }
                }
            }
            "attended" => {
                // `dihadiri oleh X` names them after the cue, `X
                // menghadiri` before it: every person of the sentence.
                for a in nodes.iter().filter(|n| n.kind == Kind::Person) {
                    for e in &events {
                        out.push(rel(a.key, e.key, "attended", "", v.date, written, 0.6));
                    }
                }
            }
            "met_with" if !has("attended") && !has("signed") && !has("witnessed") => {
                let persons: Vec<&Node> = nodes.iter().filter(|n| n.kind == Kind::Person).collect();
                for (i, a) in persons.iter().enumerate() {
                    for b in &persons[i + 1..] {
                        if a.key != b.key {
                            out.push(rel(a.key, b.key, "met_with", "", v.date, written, 0.6));
                        }
                    }
                }
            }
            "covers" => {
                for a in agreements.iter().filter(|a| a.first < at) {
                    for t in nodes.iter().filter(|n| n.kind == Kind::Topic).filter(after) {
                        out.push(rel(a.key, t.key, "covers", "", None, written, 0.6));
                    }
                }
            }
            _ => {}
        }
    }
    let mut seen = rustc_hash::FxHashSet::default();
    out.retain(|r| r.from != r.to && seen.insert((r.from, r.to, r.rel_type.clone())));
    out
}

fn rel(
    from: NodeKey,
    to: NodeKey,
    rel_type: &str,
    role: &str,
    date: Option<Date>,
    cue: &str,
    confidence: f32,
) -> Proposed {
    Proposed {
        from,
        to,
        rel_type: rel_type.to_string(),
        role: role.to_string(),
        date,
        cue: cue.to_string(),
        confidence,
    }
}

/// The organisation of a position a title names: the one the title
/// itself stands for (`Menkomdigi`), an organisation named in its words,
/// or a ministry whose name is `Kementerian` and the title's words
/// (`Menteri Luar Negeri India` → `Kementerian Luar Negeri India`), with
/// or without the country that ends them.
fn organisation(v: &SentenceView<'_>, t: &Titled<'_>, inside: &[&Node]) -> Option<NodeKey> {
    let known = |e: u32| NodeKey::Known(v.renamed.get(&e).copied().unwrap_or(e));
    if !t.title.org.is_empty() {
        return v
            .names
            .get(&crate::text::normalize(&t.title.org))
            .map(|&e| known(e));
    }
    if let Some(o) = inside
        .iter()
        .find(|n| matches!(n.kind, Kind::Organization | Kind::Company))
    {
        return Some(o.key);
    }
    let (d0, d1) = t.descriptor;
    if d1 <= d0 {
        return None;
    }
    let words: Vec<&str> = v.tokens[d0..d1].iter().map(|t| t.folded.as_str()).collect();
    let is_country = |k: usize| {
        inside
            .iter()
            .any(|n| n.kind == Kind::Country && n.first <= d0 + k && d0 + k <= n.last)
    };
    let mut n = words.len();
    for _ in 0..3 {
        if n == 0 {
            break;
        }
        let phrase = words[..n].join(" ");
        for key in [
            format!("kementerian {phrase}"),
            format!("ministry of {phrase}"),
            phrase,
        ] {
            if let Some(&e) = v.names.get(&key)
                && matches!((v.kinds)(e), Kind::Organization | Kind::Company)
            {
                return Some(known(e));
            }
        }
        if is_country(n - 1) {
            n -= 1;
        } else {
            break;
        }
    }
    None
}
