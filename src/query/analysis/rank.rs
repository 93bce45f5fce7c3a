//! Entities ranked by a measure: degree, betweenness, or the sum of a
//! numeric extra column of their relations.

use std::fmt::Write as _;

use crate::error::QueryError;
use crate::graph::{Graph, Walk};
use crate::model::Sym;
use crate::query::Filter;

use super::{betweenness, competition_ranks, lists, sees, tidy};

/// Non-numeric values an error names before it only counts the rest.
const NAMED_BAD_VALUES: usize = 5;

/// What to rank entities by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RankBy {
    /// How many relations the filter sees at the entity, either way; a
    /// relation from an entity to itself counts once.
    Degree,
    /// PageRank of the undirected network
    /// ([`super::petgraph_algos::pagerank_scores`]).
    PageRank,
    /// Betweenness centrality ([`super::betweenness()`]): `samples` source
    /// entities drawn with `seed` (`None`: exact up to
    /// [`super::EXACT_BETWEENNESS_MAX`] entities).
    Betweenness { samples: Option<usize>, seed: u64 },
    /// The sum of a numeric extra column over the entity's relations
    /// (either end; a relation from an entity to itself counts once).
    /// Relations without a value add nothing.
    Sum(String),
}

impl RankBy {
    /// Parses `degree`, `pagerank`, `betweenness` or `sum:COLUMN` (betweenness with
    /// its defaults: exact up to the size limit, seed 1).
    ///
    /// Arguments: the parameter's name, for the error, and its value.
    /// Returns: the measure, or a `BadParameter` listing the measures.
    /// Complexity: O(length of the value).
    ///
    /// # Example
    ///
    /// ```
    /// use jejaring::query::analysis::RankBy;
    /// assert_eq!(RankBy::parse("by", "sum:amount").unwrap(), RankBy::Sum("amount".into()));
    /// assert!(RankBy::parse("by", "size").is_err());
    /// ```
    pub fn parse(param: &str, value: &str) -> Result<RankBy, QueryError> {
        let v = value.trim();
        match v {
            "degree" => Ok(RankBy::Degree),
            "pagerank" => Ok(RankBy::PageRank),
            "betweenness" => Ok(RankBy::Betweenness {
                samples: None,
                seed: 1,
            }),
            _ => match v.strip_prefix("sum:").map(str::trim) {
                Some(col) if !col.is_empty() => Ok(RankBy::Sum(col.to_string())),
                Some(_) => Err(QueryError::bad(
                    param,
                    "sum: needs a column name (sum:COLUMN)",
                )),
                None => Err(QueryError::bad(
                    param,
                    format!(
                        "unknown measure \"{v}\" (allowed: degree, pagerank, betweenness, sum:COLUMN)"
                    ),
                )),
            },
        }
    }
}

/// A ranking to compute.
#[derive(Debug, Clone)]
pub struct RankQuery {
    pub by: RankBy,
    /// Relation types and time window choose the relations measured;
    /// kinds (and the time window, on entities' own dates) choose the
    /// entities listed.
    pub filter: Filter,
    /// The most entities in the answer; 0 for all.
    pub limit: usize,
}

/// One ranked entity.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Ranked {
    pub entity: u32,
    /// Rounded to ten significant digits, so equal measures tie.
    pub score: f64,
    /// Competition rank, 1-based: equal scores share a rank.
    pub rank: usize,
    /// The standard error of an estimated score; `None` when exact.
    pub std_error: Option<f64>,
}

/// A ranking.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RankAnswer {
    /// Best first; ties in id order.
    pub entries: Vec<Ranked>,
    /// How many entities were ranked before the limit cut the list.
    pub total: usize,
    /// Whether the scores are exact (always, but for sampled betweenness).
    pub exact: bool,
    /// For sampled betweenness, how many sources were drawn.
    pub samples: Option<usize>,
}

/// Ranks entities by a measure.
///
/// Arguments: the graph and the query (measure, filter, limit).
/// Returns: the entities the filter lists, best first, with competition
/// ranks ("1, 2, 2, 4"); ties in id order; `total` counts them all.
/// Errors (`BadParameter`): a time window ending before it starts;
/// `samples` of 0; for `sum:`, a column no relation has (the message
/// lists those that exist) or values that are not numbers (the message
/// names the first few by `FILE:LINE` and counts the rest).
/// Complexity: O(V log V + E) for degree and sums; betweenness as
/// [`super::betweenness()`].
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::{rank, RankBy, RankQuery};
/// let g = jejaring::dataset::embedded::graph();
/// let q = RankQuery { by: RankBy::Degree, filter: Default::default(), limit: 3 };
/// let top = rank(&g, &q).unwrap();
/// assert_eq!(top.entries[0].rank, 1);
/// assert_eq!(top.entries[0].score as usize, g.degree(top.entries[0].entity));
/// ```
pub fn rank(g: &Graph, q: &RankQuery) -> Result<RankAnswer, QueryError> {
    super::check_time(&q.filter.time)?;
    let (scores, errors, samples) = match &q.by {
        RankBy::Degree => (degrees(g, &q.filter), None, None),
        RankBy::PageRank => (
            super::petgraph_algos::filtered_pagerank(g, &q.filter),
            None,
            None,
        ),
        RankBy::Sum(column) => (sums(g, &q.filter, column)?, None, None),
        RankBy::Betweenness { samples, seed } => {
            let b = betweenness(g, &q.filter, *samples, *seed)?;
            let drawn = (!b.is_exact()).then_some(b.sources);
            (b.scores, b.std_errors, drawn)
        }
    };
    let (entries, total) = rank_scores(g, &q.filter, &scores, errors.as_deref(), q.limit);
    Ok(RankAnswer {
        entries,
        total,
        exact: errors.is_none(),
        samples,
    })
}

/// Ranks the entities `filter` lists by `scores` (indexed by entity), best
/// first, ties by id, with competition ranks; keeps the first `limit` (0:
/// all). Returns them and how many there were before the cut.
///
/// Complexity: O(V log V).
pub(crate) fn rank_scores(
    g: &Graph,
    filter: &Filter,
    scores: &[f64],
    errors: Option<&[f64]>,
    limit: usize,
) -> (Vec<Ranked>, usize) {
    let mut kept: Vec<(f64, u32)> = (0..scores.len() as u32)
        .filter(|&e| lists(g, filter, e))
        .map(|e| (tidy(scores[e as usize]), e))
        .collect();
    let total = kept.len();
    // Only the first `limit` need their full order. The score at the cut
    // is found by selection on the numbers alone; everything above it and
    // every tie at it (which the id order decides between) is sorted, not
    // the million entities below.
    if limit > 0 && limit < total {
        kept.select_nth_unstable_by(limit - 1, |a, b| b.0.total_cmp(&a.0));
        let cut_score = kept[limit - 1].0;
        kept.retain(|k| k.0 >= cut_score);
    }
    kept.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| g.entity(a.1).id().cmp(g.entity(b.1).id()))
    });
    let sorted: Vec<f64> = kept.iter().map(|k| k.0).collect();
    let ranks = competition_ranks(&sorted);
    let cut = if limit == 0 { total } else { limit.min(total) };
    let entries = kept[..cut]
        .iter()
        .zip(ranks)
        .map(|(&(score, entity), rank)| Ranked {
            entity,
            score,
            rank,
            std_error: errors.map(|e| e[entity as usize]),
        })
        .collect();
    (entries, total)
}

/// Each entity's count of relations the filter sees.
fn degrees(g: &Graph, filter: &Filter) -> Vec<f64> {
    (0..g.entities.len() as u32)
        .map(|e| {
            g.steps(e, Walk::Both)
                .filter(|s| sees(g, filter, s.rel))
                .count() as f64
        })
        .collect()
}

/// Each entity's sum of `column` over the relations the filter sees.
fn sums(g: &Graph, filter: &Filter, column: &str) -> Result<Vec<f64>, QueryError> {
    let mut columns: Vec<Sym> = Vec::new();
    for rel in 0..g.relations.len() as u32 {
        for (name, _) in g.relation_attrs(rel).iter() {
            if !columns.contains(name) {
                columns.push(*name);
            }
        }
    }
    let Some(col) = g.strings.get(column).filter(|s| columns.contains(s)) else {
        let mut names: Vec<&str> = columns.iter().map(|&s| g.str(s)).collect();
        names.sort_unstable();
        let have = if names.is_empty() {
            "the relations have no extra columns".to_string()
        } else {
            format!("the relations have: {}", names.join(", "))
        };
        let hint = crate::text::did_you_mean_hint(column, names.iter().copied());
        return Err(QueryError::bad(
            "by",
            format!("unknown column \"{column}\"{hint} ({have})"),
        ));
    };
    let mut out = vec![0.0f64; g.entities.len()];
    let mut bad: Vec<u32> = Vec::new();
    let mut bad_count = 0usize;
    for rel in 0..g.relations.len() as u32 {
        let Some((_, value)) = g.relation_attrs(rel).iter().find(|(n, _)| *n == col) else {
            continue;
        };
        if !sees(g, filter, rel) {
            continue;
        }
        match value.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => {
                let r = g.relation(rel);
                out[r.from as usize] += x;
                if r.to != r.from {
                    out[r.to as usize] += x;
                }
            }
            _ => {
                bad_count += 1;
                if bad.len() < NAMED_BAD_VALUES {
                    bad.push(rel);
                }
            }
        }
    }
    if bad_count > 0 {
        let mut msg = format!("column \"{column}\" is not a number at");
        for (i, &rel) in bad.iter().enumerate() {
            let value = g
                .relation_attrs(rel)
                .iter()
                .find(|(n, _)| *n == col)
                .map_or("", |(_, v)| v);
            let sep = if i == 0 { " " } else { ", " };
            let at = g.origin_of(g.relation(rel).origin);
            let _ = write!(msg, "{sep}{at} (\"{value}\")");
        }
        if bad_count > bad.len() {
            let _ = write!(msg, " and {} more", bad_count - bad.len());
        }
        return Err(QueryError::bad("by", msg));
    }
    Ok(out)
}
