//! Turning what a user typed into one entity, and saying how.
//!
//! An argument is tried as an exact id, then as an exact name or alias
//! (ignoring case, accents and punctuation), then by [`mod@crate::query::search`]. Only the
//! first two are certain; a search match is a guess, so the answer carries
//! how it was found ([`ResolvedBy`]), its score and the runners-up, and the
//! front ends say so. A guess is refused as ambiguous when the runner-up is
//! close: its score within [`CLOSE_SCORE_GAP`] of the best.

use crate::error::{Candidate, QueryError};
use crate::graph::{Graph, Variant};
use crate::query::search::{SearchQuery, find};
use crate::text::normalize;

/// A search runner-up scoring within this of the best hit makes the
/// argument ambiguous. A gap rather than a ratio, because scores are not
/// spread evenly: names the query starts all score between 0.9 and 0.99.
/// A typo more, or a word more in one name than in the other, separates
/// two candidates by more than this; two names matched the same way (the
/// same words, prefixes of the same length, the same typo count) by less.
pub const CLOSE_SCORE_GAP: f64 = 0.02;
/// How many runners-up a search match lists as alternatives.
pub const MAX_ALTERNATIVES: usize = 4;
/// How many candidates a search is asked for, to tell closeness and list
/// the alternatives and ambiguous candidates.
const RESOLVE_SEARCH_LIMIT: usize = 20;
/// Descriptions in candidate lists are cut to this many characters.
const DESCRIPTION_CHARS: usize = 80;

/// How an argument was matched to its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ResolvedBy {
    /// The argument is the entity's id.
    Id,
    /// The argument is the entity's name (folded).
    Name,
    /// The argument is one of the entity's aliases (folded).
    Alias,
    /// The argument matched no id, name or alias exactly; search ranked
    /// this entity first, clearly ahead of the next.
    Search,
}

impl ResolvedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            ResolvedBy::Id => "id",
            ResolvedBy::Name => "name",
            ResolvedBy::Alias => "alias",
            ResolvedBy::Search => "search",
        }
    }
}

/// An argument resolved to one entity, with how.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The argument as given (trimmed).
    pub query: String,
    pub entity: u32,
    pub by: ResolvedBy,
    /// 1 for an exact id, name or alias; the search score otherwise.
    pub score: f64,
    /// For a search match, the next best hits, best first (at most
    /// [`MAX_ALTERNATIVES`]); empty for exact matches.
    pub alternatives: Vec<u32>,
}

impl Resolved {
    /// Whether the match was a guess the user should be told about.
    pub fn is_guess(&self) -> bool {
        self.by == ResolvedBy::Search
    }
}

/// Resolves an entity argument to its index; [`resolve_arg`] also says how.
///
/// ```
/// let g = jejaring::dataset::load(&[jejaring::dataset::embedded::source()], &jejaring::dataset::Quiet).unwrap().graph;
/// let e = jejaring::query::resolve(&g, "MEUTYA HAFID").unwrap();
/// assert_eq!(g.entity(e).id(), "meutya-hafid");
/// ```
pub fn resolve(g: &Graph, arg: &str) -> Result<u32, QueryError> {
    resolve_arg(g, arg).map(|r| r.entity)
}

/// Resolves an entity argument: exact id, then exact name or alias, then
/// the best search hit when it is clearly ahead of the next.
///
/// Returns the entity and how it was found, or an error: `Ambiguous`
/// listing the candidates (with kind, country, dates, description and
/// relation count) when several match exactly or the best two search hits
/// are close, `NotFound` with the nearest names otherwise.
///
/// ```
/// use jejaring::query::resolve::{resolve_arg, ResolvedBy};
/// let g = jejaring::dataset::load(&[jejaring::dataset::embedded::source()], &jejaring::dataset::Quiet).unwrap().graph;
/// let r = resolve_arg(&g, "meutia hafid").unwrap();
/// assert_eq!((g.entity(r.entity).id(), r.by), ("meutya-hafid", ResolvedBy::Search));
/// ```
pub fn resolve_arg(g: &Graph, arg: &str) -> Result<Resolved, QueryError> {
    let arg = arg.trim();
    let exact = |entity, by| Resolved {
        query: arg.to_string(),
        entity,
        by,
        score: 1.0,
        alternatives: Vec::new(),
    };
    if let Some(e) = g.entity_index(arg) {
        return Ok(exact(e, ResolvedBy::Id));
    }
    let key = normalize(arg);
    if key.is_empty() {
        return Err(QueryError::NotFound {
            query: arg.to_string(),
            suggestions: Vec::new(),
        });
    }
    if let Some(i) = g.names.keys.get(&key) {
        let postings = g.names.key_postings.get(i);
        // A name or alias match beats an id that only folds to the same key.
        let mut by_name: Vec<(u32, Variant)> = postings
            .iter()
            .filter(|(_, v, _)| *v != Variant::MAX)
            .map(|&(e, v, _)| (e, v))
            .collect();
        if by_name.is_empty() {
            by_name = postings.iter().map(|&(e, v, _)| (e, v)).collect();
        }
        // The main name (variant 0) before aliases, so one entity matched
        // both ways counts once, by name.
        by_name.sort_unstable_by_key(|&(e, v)| (e, v));
        by_name.dedup_by_key(|(e, _)| *e);
        if let [(e, v)] = by_name[..] {
            let by = match v {
                0 => ResolvedBy::Name,
                Variant::MAX => ResolvedBy::Id,
                _ => ResolvedBy::Alias,
            };
            return Ok(exact(e, by));
        }
        let mut pick: Vec<u32> = by_name.into_iter().map(|(e, _)| e).collect();
        pick.sort_by_key(|&e| (std::cmp::Reverse(g.degree(e)), e));
        return Err(ambiguous(g, arg, &pick));
    }
    let answer = find(
        g,
        &SearchQuery {
            text: arg.to_string(),
            kinds: Vec::new(),
            limit: RESOLVE_SEARCH_LIMIT,
        },
    );
    let hits = answer.hits;
    let Some(first) = hits.first() else {
        return Err(QueryError::NotFound {
            query: arg.to_string(),
            suggestions: answer
                .nearest
                .iter()
                .take(5)
                .map(|h| describe(g, h.entity))
                .collect(),
        });
    };
    let close: Vec<u32> = hits
        .iter()
        .take_while(|h| first.score - h.score < CLOSE_SCORE_GAP)
        .map(|h| h.entity)
        .collect();
    if close.len() > 1 {
        return Err(ambiguous(g, arg, &close));
    }
    Ok(Resolved {
        query: arg.to_string(),
        entity: first.entity,
        by: ResolvedBy::Search,
        score: first.score,
        alternatives: hits[1..]
            .iter()
            .take(MAX_ALTERNATIVES)
            .map(|h| h.entity)
            .collect(),
    })
}

fn ambiguous(g: &Graph, arg: &str, entities: &[u32]) -> QueryError {
    QueryError::Ambiguous {
        query: arg.to_string(),
        candidates: entities.iter().map(|&e| candidate(g, e)).collect(),
    }
}

/// An entity as an ambiguous argument lists it.
pub fn candidate(g: &Graph, e: u32) -> Candidate {
    let ent = g.entity(e);
    let dates = match (ent.start, ent.end) {
        (Some(s), Some(e)) if s == e => s.to_string(),
        (Some(s), Some(e)) => format!("{s} – {e}"),
        (Some(s), None) => format!("{s} –"),
        (None, Some(e)) => format!("– {e}"),
        (None, None) => String::new(),
    };
    let mut description: String = ent.description().chars().take(DESCRIPTION_CHARS).collect();
    if description.len() < ent.description().len() {
        description.push('…');
    }
    Candidate {
        id: ent.id().to_string(),
        name: ent.name().to_string(),
        kind: ent.kind.to_string(),
        country: ent.country.map(|c| g.str(c).to_string()),
        dates,
        description,
        relations: g.degree(e),
    }
}

/// `Name (id, kind)`, as candidates are listed in messages.
pub fn describe(g: &Graph, e: u32) -> String {
    let ent = g.entity(e);
    format!("{} ({}, {})", ent.name(), ent.id(), ent.kind)
}
