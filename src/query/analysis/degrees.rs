//! A summary of how connected entities are: the degree distribution's
//! minimum, median, mean, 90th and 99th percentiles and maximum.

use crate::graph::Graph;

/// The degree distribution of a graph, where an entity's degree is its
/// number of relations either way (a relation to itself counts once).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DegreeSummary {
    /// How many entities (0 for an empty graph, and then every figure 0).
    pub entities: usize,
    pub min: usize,
    /// The middle degree; for an even count, the mean of the two middle
    /// ones.
    pub median: f64,
    pub mean: f64,
    /// Nearest-rank percentiles: the smallest degree at least 90 (99) per
    /// cent of entities have at most.
    pub p90: usize,
    pub p99: usize,
    pub max: usize,
}

/// Summarises the degree distribution.
///
/// Arguments: the graph.
/// Returns: min, median, mean, p90, p99 and max of the entities' degrees.
/// Complexity: O(V log V) (a sort of the degrees).
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::degree_summary;
/// let g = jejaring::dataset::embedded::graph();
/// let d = degree_summary(&g);
/// assert!(d.min <= d.p90 && d.p90 <= d.p99 && d.p99 <= d.max);
/// ```
pub fn degree_summary(g: &Graph) -> DegreeSummary {
    let mut degrees: Vec<usize> = (0..g.entities.len() as u32).map(|e| g.degree(e)).collect();
    summarise(&mut degrees)
}

/// The summary of a list of degrees (sorted here).
pub(crate) fn summarise(degrees: &mut [usize]) -> DegreeSummary {
    let n = degrees.len();
    if n == 0 {
        return DegreeSummary {
            entities: 0,
            min: 0,
            median: 0.0,
            mean: 0.0,
            p90: 0,
            p99: 0,
            max: 0,
        };
    }
    degrees.sort_unstable();
    let median = if n % 2 == 1 {
        degrees[n / 2] as f64
    } else {
        (degrees[n / 2 - 1] + degrees[n / 2]) as f64 / 2.0
    };
    // Nearest rank: the ⌈p·n/100⌉-th smallest, 1-based.
    let pct = |p: usize| degrees[(p * n).div_ceil(100).max(1) - 1];
    DegreeSummary {
        entities: n,
        min: degrees[0],
        median,
        mean: degrees.iter().sum::<usize>() as f64 / n as f64,
        p90: pct(90),
        p99: pct(99),
        max: degrees[n - 1],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_hand_counted_degrees() {
        let mut d = vec![5, 1, 3, 2, 4, 0, 0, 10, 1, 4];
        let s = summarise(&mut d);
        // Sorted: 0 0 1 1 2 3 4 4 5 10.
        assert_eq!((s.min, s.max, s.entities), (0, 10, 10));
        assert_eq!(s.median, 2.5);
        assert_eq!(s.mean, 3.0);
        assert_eq!(s.p90, 5);
        assert_eq!(s.p99, 10);
        let odd = summarise(&mut [7, 1, 3]);
        assert_eq!((odd.median, odd.p90, odd.p99), (3.0, 7, 7));
        assert_eq!(summarise(&mut []).entities, 0);
    }
}
