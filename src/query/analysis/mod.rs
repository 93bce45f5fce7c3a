//! Analyses over the whole graph or a few entities: ranking entities by
//! a measure, the entities several given ones have in common,
//! time-respecting paths, an entity's timeline, relation listings,
//! summaries of the degree distribution and the per-entity measures an
//! export writes as columns (`metrics`).
//!
//! Every function here is pure: it takes the graph and a query, returns
//! entity and relation indexes with scores, and reports bad arguments as
//! [`QueryError::BadParameter`]. Results are plain structs, serialisable
//! as they are; turning them into the answer shapes the front ends print
//! is the business of [`crate::view`].
//!
//! Shared conventions:
//!
//! - Relations are walked both ways (`Walk::Both`): an analysis asks who
//!   is connected, not who points at whom.
//! - A [`Filter`]'s relation types and time window choose the relations
//!   an analysis sees; its kinds choose which entities are listed in an
//!   answer, not which ones a walk may pass through, so "the people who
//!   broker most" is measured on the whole network and lists only people.
//! - A time window that ends before it starts is an error, whoever built
//!   it ([`check_time`]).
//! - Rankings use competition ranking ("1, 2, 2, 4"): entities of equal
//!   score share a rank, listed by id, and the next rank skips as many
//!   places as were shared ([`competition_ranks`]).

pub mod betweenness;
pub mod chrono;
pub mod common;
pub mod degrees;
pub mod graphs;
pub mod metrics;
pub mod petgraph_algos;
pub mod rank;
pub mod relations;
pub mod request;
pub mod timeline;

pub use betweenness::{Betweenness, EXACT_BETWEENNESS_MAX, betweenness};
pub use chrono::{ChronoHop, ChronoPath, ChronoQuery, chrono_path};
pub use common::{CommonAnswer, CommonHit, CommonLink, CommonQuery, common};
pub use degrees::{DegreeSummary, degree_summary};
pub use metrics::{Metrics, metrics};
pub use petgraph_algos::{Components, components, pagerank};
pub use rank::{RankAnswer, RankBy, RankQuery, Ranked, rank};
pub use relations::{RelationList, RelationsQuery, relations};
pub use request::{
    CommonChecked, CommonRequest, RankRequest, RelationsRequest, TimelineChecked, TimelineRequest,
};
pub use timeline::{Timeline, TimelineEntry, timeline};

use crate::error::QueryError;
use crate::graph::Graph;
use crate::model::TimeFilter;
use crate::query::Filter;

/// Refuses a time window that ends before it starts, which no relation
/// could fall in: an empty answer would hide the mistake.
///
/// Arguments: the time filter of a query.
/// Returns: `Ok(())`, or a `BadParameter` for `until` naming both dates.
/// Complexity: O(1).
///
/// # Example
///
/// ```
/// use jejaring::model::TimeFilter;
/// use jejaring::query::analysis::check_time;
/// let bad = TimeFilter::Window { from: "2020".parse().ok(), until: "2019-12".parse().ok() };
/// assert!(check_time(&bad).is_err());
/// assert!(check_time(&TimeFilter::Always).is_ok());
/// ```
pub fn check_time(time: &TimeFilter) -> Result<(), QueryError> {
    if let TimeFilter::Window {
        from: Some(f),
        until: Some(u),
    } = *time
        && u.last_day() < f.first_day()
    {
        return Err(QueryError::bad(
            "until",
            format!("the window ends ({u}) before it starts ({f})"),
        ));
    }
    Ok(())
}

/// Whether relation `rel` is seen under `filter`: its type and time, not
/// its ends' kinds (see the module documentation).
pub(crate) fn sees(g: &Graph, filter: &Filter, rel: u32) -> bool {
    (filter.types.is_empty() && filter.time.is_always()) || filter.relation_ok(g, rel)
}

/// Whether entity `e` may be listed in an answer under `filter`: its kind
/// and the time it existed.
pub(crate) fn lists(g: &Graph, filter: &Filter, e: u32) -> bool {
    (filter.kinds.is_empty() && filter.time.is_always()) || filter.entity_ok(g, e)
}

/// Competition ranks of scores already sorted best first: equal scores
/// share the rank of the first of them, and the next different score is
/// ranked by its position ("1, 2, 2, 4").
///
/// Arguments: scores in ranking order (best first).
/// Returns: the 1-based rank of each.
/// Complexity: O(n).
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::competition_ranks;
/// assert_eq!(competition_ranks(&[9.0, 5.0, 5.0, 1.0]), [1, 2, 2, 4]);
/// ```
pub fn competition_ranks(sorted: &[f64]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted.len());
    for (i, s) in sorted.iter().enumerate() {
        if i > 0 && sorted[i - 1] == *s {
            out.push(out[i - 1]);
        } else {
            out.push(i + 1);
        }
    }
    out
}

/// A score rounded to ten significant digits, so that values equal in
/// exact arithmetic but summed in a different order compare equal and
/// tie as they should.
pub(crate) fn tidy(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(9 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// SplitMix64 (Steele, Lea, Flood 2014): a seeded stream of our own, so a
/// sampled estimate is the same on every machine and in every version.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix(u64);

impl SplitMix {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number below `n` (`n > 0`), by Lemire's multiply-shift: the bias
    /// is below 2^-32 for every `n` a graph can have.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn competition_ranking_shares_and_skips() {
        assert_eq!(competition_ranks(&[]), Vec::<usize>::new());
        assert_eq!(competition_ranks(&[3.0, 3.0, 3.0]), [1, 1, 1]);
        assert_eq!(
            competition_ranks(&[4.0, 3.0, 3.0, 2.0, 2.0, 1.0]),
            [1, 2, 2, 4, 4, 6]
        );
    }

    #[test]
    fn tidy_makes_sums_in_another_order_equal() {
        let a = 0.1 + 0.2 + 0.3;
        let b = 0.3 + 0.2 + 0.1;
        assert_ne!(a, b);
        assert_eq!(tidy(a), tidy(b));
        assert_eq!(tidy(0.0), 0.0);
        assert_eq!(tidy(1234.5), 1234.5);
    }

    #[test]
    fn the_stream_is_seeded_and_bounded() {
        let mut a = SplitMix::new(5);
        let mut b = SplitMix::new(5);
        let xs: Vec<usize> = (0..100).map(|_| a.below(7)).collect();
        let ys: Vec<usize> = (0..100).map(|_| b.below(7)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|&x| x < 7));
        // Every value comes up in a hundred draws of seven.
        assert!((0..7).all(|v| xs.contains(&v)));
    }
}
