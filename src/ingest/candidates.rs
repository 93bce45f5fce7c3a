//! New entities a text names that the data does not know: runs of
//! capitalised words with an organisation pattern at their head or tail
//! (`Kementerian …`, `PT …`, `… Networks`), agreements named by a
//! memorandum word, and persons written after a title.

use super::lexicon::Lexicon;
use super::mentions::Token;
use crate::model::Kind;

/// A proposed new entity: its name as written, its kind, its word range
/// in the sentence and the pattern that proposed it.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub name: String,
    pub kind: Kind,
    pub first: usize,
    pub last: usize,
    pub cue: String,
}

/// Lower-case words that may join the capitalised words of one name.
pub const JOINERS: &[&str] = &[
    "dan", "untuk", "of", "and", "for", "the", "de", "bin", "binti",
];

/// Whether the text between two tokens keeps them in one name: white
/// space, a hyphen or an ampersand; not a comma, a bracket or a stop.
pub fn joined(text: &str, a: &Token, b: &Token) -> bool {
    text[a.end..b.start]
        .chars()
        .all(|c| c.is_whitespace() || c == '-' || c == '&')
}

/// Runs of name words: capitalised tokens, with joiners inside, not
/// crossing punctuation, and not crossing `taken` words (known mentions).
pub fn name_runs(text: &str, tokens: &[Token], taken: &[bool]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if !tokens[i].cap || taken[i] {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        let mut j = i + 1;
        while j < tokens.len() && !taken[j] && joined(text, &tokens[j - 1], &tokens[j]) {
            if tokens[j].cap {
                end = j;
            } else if !JOINERS.contains(&tokens[j].folded.as_str()) {
                break;
            }
            j += 1;
        }
        runs.push((start, end));
        i = end + 1;
    }
    runs
}

/// Organisations, companies and agreements named by the lexicon's
/// patterns among the words not `taken`.
pub fn organisations(
    text: &str,
    tokens: &[Token],
    taken: &[bool],
    lex: &Lexicon,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for (first, last) in name_runs(text, tokens, taken) {
        // `Badan Riset … dan Lumina Networks` is two names when each part
        // has a pattern of its own.
        let mut parts = Vec::new();
        let mut start = first;
        for (k, t) in tokens.iter().enumerate().take(last + 1).skip(first) {
            if matches!(t.folded.as_str(), "dan" | "and") {
                parts.push((start, k - 1));
                start = k + 1;
            }
        }
        parts.push((start, last));
        let each: Vec<Option<Candidate>> = parts
            .iter()
            .map(|&(a, b)| pattern(text, tokens, a, b, lex))
            .collect();
        if parts.len() > 1 && each.iter().all(Option::is_some) {
            out.extend(each.into_iter().flatten());
        } else if let Some(c) = pattern(text, tokens, first, last, lex) {
            out.push(c);
        }
    }
    out
}

/// The words `first..=last` as a name of a lexicon pattern, if they are.
fn pattern(
    text: &str,
    tokens: &[Token],
    first: usize,
    last: usize,
    lex: &Lexicon,
) -> Option<Candidate> {
    if last <= first {
        return None;
    }
    let words: Vec<&str> = tokens[first..=last]
        .iter()
        .map(|t| t.folded.as_str())
        .collect();
    let w = lex.org_words.iter().find(|w| {
        let pat: Vec<String> = crate::text::normalize(&w.word)
            .split(' ')
            .map(str::to_string)
            .collect();
        let n = pat.len();
        n < words.len()
            && if w.head {
                words[..n] == pat[..]
            } else {
                words[words.len() - n..] == pat[..]
            }
    })?;
    if AGREEMENT_WORDS.contains(&words.join(" ").as_str()) {
        return None;
    }
    Some(Candidate {
        name: text[tokens[first].start..tokens[last].end].to_string(),
        kind: w.kind,
        first,
        last,
        cue: format!(
            "{} \"{}\"",
            if w.head {
                "name starts with"
            } else {
                "name ends with"
            },
            w.word
        ),
    })
}

/// The words that name an agreement in a signing sentence: `MoU`,
/// `nota kesepahaman`, `memorandum`, with `tentang …` (what it is about)
/// up to the next break or cue word. Only used where a cue of
/// signing, witnessing or covering is present.
const AGREEMENT_WORDS: &[&str] = &[
    "nota kesepahaman",
    "memorandum of understanding",
    "memorandum kerja sama",
    "memorandum of cooperation",
    "memorandum",
    "mou",
    "moc",
    "perjanjian",
    "agreement",
];

/// Words after which the subject of an agreement ends.
const AGREEMENT_BREAKS: &[&str] = &[
    "di", "pada", "dengan", "antara", "yang", "oleh", "dan", "in", "on", "by", "between", "with",
    "at", "which", "yakni", "yaitu",
];

/// An agreement a signing sentence names, where no known one is named.
pub fn agreement(text: &str, tokens: &[Token], taken: &[bool], lex: &Lexicon) -> Option<Candidate> {
    let folded: Vec<&str> = tokens.iter().map(|t| t.folded.as_str()).collect();
    for i in 0..tokens.len() {
        for w in AGREEMENT_WORDS {
            let pat: Vec<&str> = w.split(' ').collect();
            if i + pat.len() > tokens.len() || folded[i..i + pat.len()] != pat[..] {
                continue;
            }
            if taken[i..i + pat.len()].iter().any(|&t| t) {
                continue;
            }
            let mut last = i + pat.len() - 1;
            // Its acronym in parentheses, then what it is about.
            let mut j = last + 1;
            if j < tokens.len() && text[tokens[last].end..tokens[j].start].trim() == "(" {
                last = j;
                j += 1;
            }
            if j < tokens.len() && matches!(folded[j], "tentang" | "on" | "about" | "mengenai") {
                let mut k = j + 1;
                while k < tokens.len()
                    && k < j + 10
                    && !AGREEMENT_BREAKS.contains(&folded[k])
                    && !lex
                        .cues
                        .iter()
                        .any(|c| c.folded.split(' ').next() == Some(folded[k]))
                    && text[tokens[k - 1].end..tokens[k].start]
                        .chars()
                        .all(|c| c.is_whitespace() || c == '(' || c == ')')
                {
                    last = k;
                    k += 1;
                }
            }
            // A bare `MoU` names no agreement a curator could tell apart.
            if last == i + pat.len() - 1
                || (last == i + pat.len() && text[tokens[last].end..].starts_with(')'))
            {
                return None;
            }
            let mut end = tokens[last].end;
            if text[end..].starts_with(')') && text[tokens[i].start..end].contains('(') {
                end += 1;
            }
            return Some(Candidate {
                name: text[tokens[i].start..end].to_string(),
                kind: Kind::Agreement,
                first: i,
                last,
                cue: format!("agreement word \"{w}\""),
            });
        }
    }
    None
}

/// An id for a new entity: its folded name, words joined by hyphens, at
/// most eight words.
pub fn slug(name: &str) -> String {
    crate::text::normalize(name)
        .split(' ')
        .filter(|w| !w.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-")
}
