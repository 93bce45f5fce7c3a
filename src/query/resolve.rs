//! Turning what a user typed into one entity.

use crate::error::QueryError;
use crate::graph::{Graph, Variant};
use crate::query::search::{search, suggest};
use crate::text::normalize;

/// Resolves an entity argument: exact id, then exact name or alias
/// (ignoring case, accents and punctuation), then the best search hit.
///
/// Returns the entity, or an error: `Ambiguous` listing the candidates when
/// two match equally well, `NotFound` with the nearest names otherwise.
///
/// ```
/// let g = jejaring::dataset::load(&[jejaring::dataset::embedded::source()], &jejaring::dataset::Quiet).unwrap().graph;
/// let e = jejaring::query::resolve(&g, "MEUTYA HAFID").unwrap();
/// assert_eq!(&*g.entity(e).id, "meutya-hafid");
/// ```
pub fn resolve(g: &Graph, arg: &str) -> Result<u32, QueryError> {
    let arg = arg.trim();
    if let Some(e) = g.entity_index(arg) {
        return Ok(e);
    }
    let key = normalize(arg);
    if key.is_empty() {
        return Err(QueryError::NotFound {
            query: arg.to_string(),
            suggestions: Vec::new(),
        });
    }
    if let Some(i) = g.names.keys.get(&key) {
        let mut found: Vec<u32> = g
            .names
            .key_postings
            .get(i)
            .iter()
            .map(|&(e, _, _)| e)
            .collect();
        found.sort_unstable();
        found.dedup();
        // A name match beats an id that only folds to the same key.
        let by_name: Vec<u32> = g
            .names
            .key_postings
            .get(i)
            .iter()
            .filter(|(_, v, _)| *v != Variant::MAX)
            .map(|&(e, _, _)| e)
            .collect();
        let mut by_name = by_name;
        by_name.sort_unstable();
        by_name.dedup();
        let pick = if by_name.is_empty() { found } else { by_name };
        if pick.len() == 1 {
            return Ok(pick[0]);
        }
        return Err(ambiguous(g, arg, &pick));
    }
    let hits = search(g, arg, 8);
    match hits.as_slice() {
        [] => Err(QueryError::NotFound {
            query: arg.to_string(),
            suggestions: suggest(g, arg, 5)
                .into_iter()
                .map(|h| describe(g, h.entity))
                .collect(),
        }),
        [first, rest @ ..] => {
            let tied: Vec<u32> = std::iter::once(first)
                .chain(rest.iter().take_while(|h| h.score == first.score))
                .map(|h| h.entity)
                .collect();
            if tied.len() == 1 {
                Ok(first.entity)
            } else {
                Err(ambiguous(g, arg, &tied))
            }
        }
    }
}

fn ambiguous(g: &Graph, arg: &str, entities: &[u32]) -> QueryError {
    QueryError::Ambiguous {
        query: arg.to_string(),
        candidates: entities.iter().map(|&e| describe(g, e)).collect(),
    }
}

/// `Name (id, kind)`, as candidates are listed in messages.
pub fn describe(g: &Graph, e: u32) -> String {
    let ent = g.entity(e);
    format!("{} ({}, {})", ent.name, ent.id, ent.kind)
}
