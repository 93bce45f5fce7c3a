//! Relation tables as a reader orders them: the relations of an entity
//! page or a neighbourhood, each seen from a viewpoint (the other party is
//! the "neighbour"), counted by type, narrowed to some types and sorted by
//! date, by the neighbour's name or by how connected the neighbour is.
//!
//! The pages only render what this returns; paging is the caller's, over
//! the sorted rows. Every order ends with the relation's position in the
//! data, so a table is the same on every load.

use std::cmp::Ordering;

use crate::error::QueryError;
use crate::graph::Graph;
use crate::model::Sym;

/// What a table is ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// By relation type (by name), then in file order: the order the data
    /// was written in, grouped.
    #[default]
    Type,
    /// By the relation's start (its first day for a partial date; the end
    /// when only that is known); the undated after the dated whichever
    /// the direction.
    Date,
    /// By the neighbour's name, ignoring case and accents.
    Name,
    /// By how many relations the neighbour has in the whole graph.
    Degree,
}

impl SortBy {
    pub const NAMES: &'static [&'static str] = &["type", "date", "name", "degree"];

    pub fn parse(value: &str) -> Result<SortBy, QueryError> {
        match value {
            "type" => Ok(SortBy::Type),
            "date" => Ok(SortBy::Date),
            "name" => Ok(SortBy::Name),
            "degree" => Ok(SortBy::Degree),
            other => Err(QueryError::bad(
                "sort",
                format!(
                    "\"{other}\" is not allowed: give {}",
                    SortBy::NAMES.join(", ")
                ),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SortBy::Type => "type",
            SortBy::Date => "date",
            SortBy::Name => "name",
            SortBy::Degree => "degree",
        }
    }

    /// The direction a reader expects first: most connected first, the
    /// rest from the start (oldest, A to Z).
    pub fn default_descending(self) -> bool {
        self == SortBy::Degree
    }
}

/// How a table is narrowed and ordered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableQuery {
    pub sort: SortBy,
    pub descending: bool,
    /// Only relations of these types (empty: all).
    pub types: Vec<Sym>,
}

/// A table request as the user gave it (`sort`, `order`, `rel_type`).
#[derive(Debug, Clone, Default)]
pub struct TableRequest {
    pub sort: Option<String>,
    pub order: Option<String>,
    pub types: Vec<String>,
}

impl TableRequest {
    /// Checks the request: a known sort, `asc` or `desc`, known types.
    pub fn validate(&self, g: &Graph) -> Result<TableQuery, QueryError> {
        let sort = match self.sort.as_deref() {
            None => SortBy::default(),
            Some(s) => SortBy::parse(s)?,
        };
        let descending = match self.order.as_deref() {
            None => sort.default_descending(),
            Some("asc") => false,
            Some("desc") => true,
            Some(other) => {
                return Err(QueryError::bad(
                    "order",
                    format!("\"{other}\" is not allowed: give asc or desc"),
                ));
            }
        };
        let types = crate::query::parse_types(g, "rel_type", &self.types)?;
        Ok(TableQuery {
            sort,
            descending,
            types,
        })
    }
}

/// One row: a relation and the party it is read towards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableRow {
    pub rel: u32,
    /// The neighbour: the end that is not the viewpoint (for a relation
    /// that does not touch it, the end farther from it).
    pub other: u32,
}

/// A table: the rows kept, in order, and how many relations of each type
/// there are before narrowing (so every type stays a link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Relation types by name, with their counts among every row given.
    pub type_counts: Vec<(Sym, usize)>,
    pub rows: Vec<TableRow>,
}

/// Orders and narrows relations seen from `center`.
///
/// Arguments: the graph, the viewpoint, the relations (each once), the
/// hop distance of an entity from the viewpoint where known (for a
/// relation between two others, its farther end is the neighbour; ties go
/// to its object), and the query.
/// Returns: the counts by type over every relation given, and the rows of
/// the asked types in the asked order, ties in file order.
/// Complexity: O(n log n) for n relations; a name sort folds each name
/// once.
///
/// # Example
///
/// ```
/// use jejaring::query::table::{SortBy, TableQuery, table};
/// let g = jejaring::dataset::embedded::graph();
/// let e = g.entity_index("komdigi").unwrap();
/// let rels: Vec<u32> = g.relations_by_type(e).into_values().flatten().collect();
/// let q = TableQuery { sort: SortBy::Degree, descending: true, types: vec![] };
/// let t = table(&g, e, &rels, |_| None, &q);
/// assert_eq!(t.rows.len(), rels.len());
/// assert!(g.degree(t.rows[0].other) >= g.degree(t.rows[1].other));
/// ```
pub fn table(
    g: &Graph,
    center: u32,
    rels: &[u32],
    distance: impl Fn(u32) -> Option<u32>,
    q: &TableQuery,
) -> Table {
    let mut counts: std::collections::BTreeMap<&str, (Sym, usize)> = Default::default();
    let mut rows = Vec::new();
    for &rel in rels {
        let r = g.relation(rel);
        counts.entry(g.str(r.rel_type)).or_insert((r.rel_type, 0)).1 += 1;
        if !q.types.is_empty() && !q.types.contains(&r.rel_type) {
            continue;
        }
        let other = if r.from == center || (r.to != center && distance(r.to) >= distance(r.from)) {
            r.to
        } else {
            r.from
        };
        rows.push(TableRow { rel, other });
    }
    let dir = |o: Ordering| if q.descending { o.reverse() } else { o };
    match q.sort {
        SortBy::Type => rows
            .sort_by(|a, b| dir(g.rel_type(a.rel).cmp(g.rel_type(b.rel))).then(a.rel.cmp(&b.rel))),
        SortBy::Date => rows.sort_by_cached_key(|row| {
            let r = g.relation(row.rel);
            // A relation known only to have ended sorts by its end.
            let start = r.start.or(r.end).map(|d| d.first_day());
            // Undated last in either direction.
            let key = match start {
                Some(d) if q.descending => (false, u32::MAX - d),
                Some(d) => (false, d),
                None => (true, 0),
            };
            (key, row.rel)
        }),
        SortBy::Name => {
            let mut fold = crate::text::CaseFold::default();
            rows.sort_by_cached_key(|row| {
                let mut key = String::new();
                fold.normalize_into(g.entity(row.other).name(), &mut key);
                (key, row.other, row.rel)
            });
            if q.descending {
                // Reverse the names, keep file order within one neighbour.
                rows.reverse();
                rows.chunk_by_mut(|a, b| a.other == b.other)
                    .for_each(|c| c.reverse());
            }
        }
        SortBy::Degree => rows.sort_by(|a, b| {
            dir(g.degree(a.other).cmp(&g.degree(b.other)))
                .then_with(|| g.entity(a.other).name().cmp(g.entity(b.other).name()))
                .then(a.other.cmp(&b.other))
                .then(a.rel.cmp(&b.rel))
        }),
    }
    Table {
        type_counts: counts.into_values().collect(),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup() -> (Graph, u32, Vec<u32>) {
        let g = crate::dataset::embedded::graph();
        let e = (0..g.entities.len() as u32)
            .max_by_key(|&e| (g.degree(e), std::cmp::Reverse(e)))
            .unwrap();
        let rels: Vec<u32> = g.relations_by_type(e).into_values().flatten().collect();
        (g, e, rels)
    }

    fn query(sort: SortBy, descending: bool) -> TableQuery {
        TableQuery {
            sort,
            descending,
            types: Vec::new(),
        }
    }

    #[test]
    fn names_descend_with_file_order_kept_within_one_neighbour() {
        let (g, e, rels) = setup();
        let up = table(&g, e, &rels, |_| None, &query(SortBy::Name, false)).rows;
        let down = table(&g, e, &rels, |_| None, &query(SortBy::Name, true)).rows;
        let name = |r: &TableRow| crate::text::normalize(g.entity(r.other).name());
        assert!(up.windows(2).all(|w| name(&w[0]) <= name(&w[1])));
        assert!(down.windows(2).all(|w| name(&w[0]) >= name(&w[1])));
        for rows in [&up, &down] {
            for w in rows.windows(2) {
                if w[0].other == w[1].other {
                    assert!(w[0].rel < w[1].rel, "file order within a neighbour");
                }
            }
        }
        let mut a = up.clone();
        let mut b = down.clone();
        a.sort_by_key(|r| r.rel);
        b.sort_by_key(|r| r.rel);
        assert_eq!(a, b);
    }

    #[test]
    fn types_narrow_the_rows_but_not_the_counts() {
        let (g, e, rels) = setup();
        let all = table(&g, e, &rels, |_| None, &TableQuery::default());
        let (sym, n) = all.type_counts[0];
        let one = table(
            &g,
            e,
            &rels,
            |_| None,
            &TableQuery {
                types: vec![sym],
                ..TableQuery::default()
            },
        );
        assert_eq!(one.type_counts, all.type_counts);
        assert_eq!(one.rows.len(), n);
        assert!(one.rows.iter().all(|r| g.relation(r.rel).rel_type == sym));
        assert_eq!(
            all.type_counts.iter().map(|&(_, n)| n).sum::<usize>(),
            rels.len()
        );
    }

    #[test]
    fn a_relation_between_two_others_reads_towards_the_farther_end() {
        let (g, e, _) = setup();
        let r = (0..g.relations.len() as u32)
            .find(|&r| {
                let x = g.relation(r);
                x.from != e && x.to != e && x.from != x.to
            })
            .unwrap();
        let (from, to) = (g.relation(r).from, g.relation(r).to);
        let q = TableQuery::default();
        let far_from = table(&g, e, &[r], |x| Some(if x == from { 2 } else { 1 }), &q);
        assert_eq!(far_from.rows[0].other, from);
        let far_to = table(&g, e, &[r], |x| Some(if x == to { 2 } else { 1 }), &q);
        assert_eq!(far_to.rows[0].other, to);
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let (g, ..) = setup();
        for (req, param) in [
            (
                TableRequest {
                    sort: Some("size".into()),
                    ..Default::default()
                },
                "sort",
            ),
            (
                TableRequest {
                    order: Some("up".into()),
                    ..Default::default()
                },
                "order",
            ),
            (
                TableRequest {
                    types: vec!["nope".into()],
                    ..Default::default()
                },
                "rel_type",
            ),
        ] {
            let err = req.validate(&g).unwrap_err();
            assert!(
                matches!(err, QueryError::BadParameter { param: ref p, .. } if p == param),
                "{err}"
            );
        }
        let q = TableRequest {
            sort: Some("degree".into()),
            ..Default::default()
        }
        .validate(&g)
        .unwrap();
        assert!(q.descending, "most connected first by default");
    }
}
