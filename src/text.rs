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
    if s.is_ascii() {
        return normalize_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfkd() {
        // Diacritics of Latin, Greek and Cyrillic letters are folded away;
        // marks of other scripts (Devanagari vowel signs, kana voicing)
        // carry meaning and are kept.
        if ('\u{0300}'..='\u{036f}').contains(&c) {
            continue;
        }
        if c == '\'' || c == '\u{2019}' {
            continue;
        }
        if c.is_alphanumeric() || is_combining_mark(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

/// [`normalize`] for ASCII text, which needs no decomposition: most names
/// in most datasets, so it is worth a loop of its own.
fn normalize_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for b in s.bytes() {
        if b == b'\'' {
            continue;
        }
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            pending_space = true;
        }
    }
    out
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
    fn suggests_near_words_only() {
        assert_eq!(
            did_you_mean("komdigi2", ["kominfo", "komdigi"]),
            Some("komdigi")
        );
        assert_eq!(did_you_mean("zzzzzz", ["kominfo", "komdigi"]), None);
    }
}
