//! Text folding for matching names: case, accents and punctuation.
//!
//! `normalize("Méutya  HAFID!")` is `"meutya hafid"`. Every index key and
//! every query goes through the same function, so matching is symmetric.
//! Scripts without case (Japanese, Devanagari) pass through unchanged,
//! apart from compatibility forms (full-width letters) folded by NFKD.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds case, accents and punctuation: lower case, Latin diacritics
/// dropped, every run of punctuation or white space one space, trimmed.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`], appended to `out`: what `out` already holds is kept and
/// does not change what is appended. Lets many names share one buffer.
pub fn normalize_into(s: &str, out: &mut String) {
    fold_into(s, out, fold_char);
}

/// [`normalize_into`] for many names in a row, with the same results:
/// remembers how the characters it met last fold, as looking a character
/// up in Unicode's tables (alphanumeric? lower case?) costs more than the
/// rest of folding, and a list of names uses few scripts.
pub struct CaseFold {
    /// Slot `c % MEMO` holds the last such character and its [`Folded`]
    /// as [`CaseFold::encode`] writes it; `u32::MAX` is no character.
    memo: Box<[(u32, u32)]>,
}

/// How many characters a [`CaseFold`] remembers: enough for a few scripts.
const MEMO: usize = 1024;

impl Default for CaseFold {
    fn default() -> CaseFold {
        CaseFold {
            memo: vec![(u32::MAX, 0); MEMO].into_boxed_slice(),
        }
    }
}

impl CaseFold {
    /// As [`normalize_into`].
    pub fn normalize_into(&mut self, s: &str, out: &mut String) {
        fold_into(s, out, |c| self.fold(c));
    }

    fn fold(&mut self, c: char) -> Folded {
        if c.is_ascii() {
            return fold_char(c);
        }
        let slot = &mut self.memo[c as usize % MEMO];
        if slot.0 == c as u32 {
            return CaseFold::decode(slot.1);
        }
        let folded = fold_char(c);
        *slot = (c as u32, CaseFold::encode(folded));
        folded
    }

    // Codes above the last character, for what is not one character.
    const DROP: u32 = 0x11_0000;
    const SPACE: u32 = 0x11_0001;
    const LOWER: u32 = 0x11_0002;

    fn encode(folded: Folded) -> u32 {
        match folded {
            Folded::Drop => CaseFold::DROP,
            Folded::Space => CaseFold::SPACE,
            Folded::Lower => CaseFold::LOWER,
            Folded::Keep(c) => c as u32,
        }
    }

    fn decode(code: u32) -> Folded {
        match code {
            CaseFold::DROP => Folded::Drop,
            CaseFold::SPACE => Folded::Space,
            CaseFold::LOWER => Folded::Lower,
            // Only `encode` writes codes, from characters.
            c => char::from_u32(c).map_or(Folded::Lower, Folded::Keep),
        }
    }
}

/// What folding does with one character of the decomposed text.
#[derive(Debug, Clone, Copy)]
enum Folded {
    /// Left out (a Latin diacritic, an apostrophe).
    Drop,
    /// A separator: punctuation or white space.
    Space,
    /// Kept as this lower-case character.
    Keep(char),
    /// Kept as its lower case, which is more than one character.
    Lower,
}

fn fold_char(c: char) -> Folded {
    // Diacritics of Latin, Greek and Cyrillic letters are folded away;
    // marks of other scripts (Devanagari vowel signs, kana voicing)
    // carry meaning and are kept.
    if ('\u{0300}'..='\u{036f}').contains(&c) || c == '\'' || c == '\u{2019}' {
        Folded::Drop
    } else if c.is_alphanumeric() || is_combining_mark(c) {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.len()) {
            (Some(l), 0) => Folded::Keep(l),
            _ => Folded::Lower,
        }
    } else {
        Folded::Space
    }
}

/// Appends the folded `s` to `out`, folding characters with `fold`.
fn fold_into(s: &str, out: &mut String, mut fold: impl FnMut(char) -> Folded) {
    if s.is_ascii() {
        return normalize_ascii(s, out);
    }
    let start = out.len();
    let mut pending_space = false;
    for c in s.nfkd() {
        let folded = fold(c);
        match folded {
            Folded::Drop => {}
            Folded::Space => pending_space = true,
            Folded::Keep(_) | Folded::Lower => {
                if pending_space && out.len() > start {
                    out.push(' ');
                }
                pending_space = false;
                match folded {
                    Folded::Keep(l) => out.push(l),
                    _ => out.extend(c.to_lowercase()),
                }
            }
        }
    }
}

/// [`normalize`] for ASCII text, which needs no decomposition: most names
/// in most datasets, so it is worth a loop of its own.
fn normalize_ascii(s: &str, out: &mut String) {
    let start = out.len();
    let mut pending_space = false;
    for b in s.bytes() {
        if b == b'\'' {
            continue;
        }
        if b.is_ascii_alphanumeric() {
            if pending_space && out.len() > start {
                out.push(' ');
            }
            pending_space = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            pending_space = true;
        }
    }
}

/// Damerau–Levenshtein distance on characters (optimal string alignment).
pub fn edit_distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// How many edits a word of this many characters may be off by and still
/// count as a typo of another.
pub fn typo_budget(chars: usize) -> usize {
    match chars {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The candidate closest to `given`, when one is close enough to be a
/// likely typo. Ties go to the smallest candidate, so the answer does not
/// depend on the order candidates come in.
pub fn did_you_mean<'a>(
    given: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let given = given.to_lowercase();
    let budget = typo_budget(given.chars().count()).max(2);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&given, &c.to_lowercase());
        if d <= budget && best.is_none_or(|(bd, bc)| (d, c) < (bd, bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// [`did_you_mean`] as it ends an error message: ` — did you mean "x"?`,
/// or nothing when no candidate is close.
pub fn did_you_mean_hint<'a>(given: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(given, candidates)
        .map(|m| format!(" — did you mean \"{m}\"?"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expect: &str) {
        assert_eq!(normalize(input), expect, "normalize({input:?})");
    }

    #[test]
    fn folds_case_accents_punctuation() {
        check("Meutya Hafid", "meutya hafid");
        check("MEUTYA  HAFID", "meutya hafid");
        check("  Méutya-Hafid! ", "meutya hafid");
        check("S. Jaishankar", "s jaishankar");
        check("People's Bank", "peoples bank");
        check("Владимир Путин", "владимир путин");
        check("Ёлка", "елка");
        check("総務省", "総務省");
        check("नरेन्द्र मोदी", "नरेन्द्र मोदी");
        check("ＡＢＣ", "abc");
        check("", "");
        check("!!!", "");
    }

    #[test]
    fn the_ascii_path_agrees_with_the_general_one() {
        for s in [
            "Meutya Hafid",
            "  S. Jaishankar!! ",
            "People's Bank",
            "a--b__c",
            "",
            "  ",
            "X1 y2",
        ] {
            let mut general = String::new();
            // Force the general path by appending a non-ASCII space-like
            // char, which folds to a separator and is trimmed.
            general.push_str(s);
            general.push('\u{2003}');
            assert_eq!(normalize(s), normalize(&general), "{s:?}");
        }
    }

    #[test]
    fn normalize_into_appends_what_normalize_returns() {
        let mut buf = String::from("kept ");
        for s in [
            "  Méutya-Hafid! ",
            "!!!",
            "People's Bank",
            "Ёлка",
            "  x",
            "",
        ] {
            let before = buf.clone();
            normalize_into(s, &mut buf);
            assert_eq!(buf, before + &normalize(s), "{s:?}");
        }
    }

    #[test]
    fn a_case_fold_folds_every_character_as_normalize_does() {
        let mut fold = CaseFold::default();
        let chars: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .collect();
        // Twice, so the second round meets remembered characters, and
        // characters 1024 apart that share a slot in between.
        for round in 0..2 {
            for chunk in chars.chunks(61) {
                let mut s: String = chunk.iter().flat_map(|&c| ['x', c]).collect();
                s.push('é');
                let mut folded = String::from("kept");
                fold.normalize_into(&s, &mut folded);
                assert_eq!(
                    folded,
                    format!("kept{}", normalize(&s)),
                    "round {round}: {s:?}"
                );
            }
        }
    }

    #[test]
    fn suggests_near_words_only() {
        assert_eq!(
            did_you_mean("komdigi2", ["kominfo", "komdigi"]),
            Some("komdigi")
        );
        assert_eq!(did_you_mean("zzzzzz", ["kominfo", "komdigi"]), None);
    }
}
