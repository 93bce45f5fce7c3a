//! The word lists ingest reads text with: titles before names, cue words
//! of relations, page-furniture patterns and organisation-name patterns.
//! They are CSV files under `datasets/lexicon/`, compiled in, so that a
//! curator extends them by editing data, not code.

use crate::model::Kind;
use crate::text::normalize;

const TITLES: &str = include_str!("../../datasets/lexicon/titles.csv");
const CUES: &str = include_str!("../../datasets/lexicon/cues.csv");
const FURNITURE: &str = include_str!("../../datasets/lexicon/furniture.csv");
const ORG_PATTERNS: &str = include_str!("../../datasets/lexicon/org_patterns.csv");
const REFERENCES: &str = include_str!("../../datasets/lexicon/references.csv");

/// A title or honorific written before a name (`Wakil Menteri`).
#[derive(Debug, Clone)]
pub struct Title {
    /// The title folded, as words separated by single spaces.
    pub folded: String,
    /// The English role it gives (empty for honorifics such as `Bapak`).
    pub role: String,
    /// The relation it proposes between the person and what follows:
    /// `holds_position`, `head_of`, `ambassador_to`, or empty.
    pub relation: String,
    /// A name of the organisation the title itself names (`Menkomdigi`
    /// names Komdigi), to look up among the known entities.
    pub org: String,
}

/// A cue word of a relation (`menandatangani` → `signed`).
#[derive(Debug, Clone)]
pub struct Cue {
    pub folded: String,
    pub rel_type: String,
}

/// Where in a line a furniture pattern is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Starts,
    Ends,
    Contains,
}

/// A word that marks a name as an organisation's, a company's or an
/// agreement's, at its head (`Kementerian …`) or its tail (`… Networks`).
#[derive(Debug, Clone)]
pub struct OrgWord {
    pub word: String,
    pub head: bool,
    pub kind: Kind,
}

/// All the lists, loaded once.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub titles: Vec<Title>,
    pub cues: Vec<Cue>,
    furniture: Vec<(Place, String)>,
    pub org_words: Vec<OrgWord>,
    /// Common nouns that refer back to an agreement or an event (`MoU`,
    /// `pertemuan`), folded, with the kind they refer to.
    pub references: Vec<(String, Kind)>,
}

fn rows(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split(',').map(str::trim).collect())
}

impl Lexicon {
    /// The lexicon compiled into the program. Its files are checked by
    /// the tests, so a malformed row is a build-time mistake, and any row
    /// that does not parse is skipped rather than aborting a run.
    pub fn embedded() -> &'static Lexicon {
        static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        LEXICON.get_or_init(Lexicon::parse)
    }

    fn parse() -> Lexicon {
        let mut titles: Vec<Title> = rows(TITLES)
            .filter(|r| !r[0].is_empty())
            .map(|r| Title {
                folded: normalize(r[0]),
                role: r.get(1).unwrap_or(&"").to_string(),
                relation: r.get(2).unwrap_or(&"").to_string(),
                org: r.get(3).unwrap_or(&"").to_string(),
            })
            .collect();
        // Longest first, so `Wakil Menteri` is tried before `Menteri`.
        titles.sort_by_key(|t| std::cmp::Reverse(t.folded.len()));
        let mut cues: Vec<Cue> = rows(CUES)
            .filter(|r| r.len() >= 2)
            .map(|r| Cue {
                folded: normalize(r[0]),
                rel_type: r[1].to_string(),
            })
            .collect();
        cues.sort_by_key(|c| std::cmp::Reverse(c.folded.len()));
        let furniture = rows(FURNITURE)
            .filter(|r| r.len() >= 2)
            .filter_map(|r| {
                let place = match r[0] {
                    "line_starts" => Place::Starts,
                    "line_ends" => Place::Ends,
                    "line_contains" => Place::Contains,
                    _ => return None,
                };
                Some((place, r[1].to_lowercase()))
            })
            .collect();
        let org_words = rows(ORG_PATTERNS)
            .filter(|r| r.len() >= 3)
            .filter_map(|r| {
                Some(OrgWord {
                    head: r[0] == "head",
                    word: r[1].to_string(),
                    kind: r[2].parse().ok()?,
                })
            })
            .collect();
        let references = rows(REFERENCES)
            .filter(|r| r.len() >= 2)
            .filter_map(|r| Some((normalize(r[0]), r[1].parse().ok()?)))
            .collect();
        Lexicon {
            titles,
            cues,
            furniture,
            org_words,
            references,
        }
    }

    /// Whether a line of the page is furniture: a read-also link, a
    /// credit, a caption, a share bar.
    pub fn is_furniture(&self, line: &str) -> bool {
        let line = line.trim().to_lowercase();
        if line.is_empty() {
            return false;
        }
        self.furniture.iter().any(|(place, p)| match place {
            Place::Starts => line.starts_with(p.as_str()),
            Place::Ends => line.ends_with(p.as_str()),
            Place::Contains => line.contains(p.as_str()),
        })
    }

    /// The longest title whose folded words end exactly at the end of
    /// `folded_words` (the folded words before a name), with how many
    /// words it takes.
    pub fn title_ending(&self, folded_words: &[String]) -> Option<(&Title, usize)> {
        self.titles.iter().find_map(|t| {
            let n = t.folded.split(' ').count();
            (n <= folded_words.len()
                && folded_words[folded_words.len() - n..].join(" ") == t.folded)
                .then_some((t, n))
        })
    }

    /// The title that starts `folded_words`, longest first.
    pub fn title_starting(&self, folded_words: &[String]) -> Option<(&Title, usize)> {
        self.titles.iter().find_map(|t| {
            let n = t.folded.split(' ').count();
            (n <= folded_words.len() && folded_words[..n].join(" ") == t.folded).then_some((t, n))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lexicon_row_parses() {
        for (text, cols) in [
            (TITLES, 4),
            (CUES, 3),
            (FURNITURE, 2),
            (ORG_PATTERNS, 3),
            (REFERENCES, 2),
        ] {
            for (i, row) in rows(text).enumerate() {
                assert_eq!(row.len(), cols, "row {} of a lexicon: {row:?}", i + 2);
            }
        }
        let lex = Lexicon::parse();
        assert_eq!(lex.org_words.len(), rows(ORG_PATTERNS).count());
        assert_eq!(lex.references.len(), rows(REFERENCES).count());
        assert!(
            lex.cues
                .iter()
                .all(|c| crate::model::in_vocabulary(&c.rel_type))
        );
        assert!(
            lex.titles
                .iter()
                .all(|t| t.relation.is_empty() || crate::model::in_vocabulary(&t.relation))
        );
    }

    #[test]
    fn furniture_lines_are_known_and_article_lines_are_not() {
        let lex = Lexicon::embedded();
        assert!(lex.is_furniture("Baca juga: Menteri meresmikan jembatan"));
        assert!(lex.is_furniture("Editor: Budi"));
        assert!(!lex.is_furniture("Menteri Budi Santoso meresmikan jembatan baru."));
    }
}
