//! What a canvas needs to grow a picture in place: one entity's neighbours
//! grouped by relation type, each group most important first and paged,
//! and every relation between two entities.
//!
//! A hub may have tens of thousands of neighbours of one type; a picture
//! can show a few dozen. So a group is always paged, its members most
//! important first: by a score per entity the caller gives (the web gives
//! PageRank, computed once per graph), then by how many relations they
//! have (the neighbour with more ties orients a reader better than the
//! next row of the file), ties broken by id so the order is stable across
//! loads.

use rustc_hash::FxHashMap;

use crate::error::QueryError;
use crate::graph::{Graph, Walk};
use crate::model::Sym;
use crate::query::Filter;

/// The most members a group page may hold.
pub const MAX_PER_PAGE: usize = 100;
/// Members a group page holds unless asked otherwise; past this a canvas
/// shows the group as one node that opens page by page.
pub const DEFAULT_PER_PAGE: usize = 25;
/// The most relations listed between the centre and one member of a group,
/// and between two entities: enough for every real pair, bounded for any.
pub const MAX_RELATIONS: usize = 200;

#[derive(Debug, Clone)]
pub struct ExploreQuery {
    /// Only this relation type's group (absent: every group, each at its
    /// first page).
    pub rel_type: Option<Sym>,
    /// 1-based; with several groups it applies to each.
    pub page: usize,
    pub per_page: usize,
    /// Relations and neighbours kept (kinds, types, time).
    pub filter: Filter,
}

impl Default for ExploreQuery {
    fn default() -> Self {
        ExploreQuery {
            rel_type: None,
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            filter: Filter::default(),
        }
    }
}

/// One neighbour in a group.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub entity: u32,
    /// The neighbour's importance score (0 when none was given): the order.
    pub score: f64,
    /// How many relations the neighbour has in the whole graph: the order
    /// among equal scores.
    pub degree: usize,
    /// The relations of the group's type between the centre and this
    /// neighbour, in file order, at most [`MAX_RELATIONS`].
    pub relations: Vec<u32>,
}

/// The neighbours joined to the centre by one relation type.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub rel_type: Sym,
    /// Distinct neighbours in the group.
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    /// This page's members, most relations first, then by id.
    pub members: Vec<Member>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Explore {
    pub center: u32,
    /// Groups with most members first, then by type name.
    pub groups: Vec<Group>,
}

/// Checks a page request against [`MAX_PER_PAGE`].
pub fn check_paging(page: usize, per_page: usize) -> Result<(), QueryError> {
    if page == 0 {
        return Err(QueryError::bad("page", "pages are numbered from 1"));
    }
    if per_page == 0 || per_page > MAX_PER_PAGE {
        return Err(QueryError::bad(
            "per_page",
            format!("{per_page} is not allowed: give 1 to {MAX_PER_PAGE}"),
        ));
    }
    Ok(())
}

/// The centre's neighbours grouped by relation type.
///
/// Arguments: the centre, a query (type, page, filter) and a score per
/// entity index that orders each group, highest first (PageRank from
/// [`pagerank_scores`](crate::query::analysis::petgraph_algos::pagerank_scores);
/// an entity past its end scores 0, so an empty slice orders by relation
/// count alone).
/// Returns: the groups (only the asked type's when one is given), each
/// with its total and the asked page of members, by score, then relation
/// count, then id; a page past the last of the one asked group is an error
/// naming the last page.
/// Complexity: O(d log d) for a centre with d relations: one pass groups
/// them, each group is sorted once.
pub fn explore(
    g: &Graph,
    center: u32,
    q: &ExploreQuery,
    scores: &[f64],
) -> Result<Explore, QueryError> {
    check_paging(q.page, q.per_page)?;
    // Per type, per neighbour: the relations between them, in file order.
    let mut by_type: FxHashMap<Sym, FxHashMap<u32, Vec<u32>>> = FxHashMap::default();
    for step in g.steps(center, Walk::Both) {
        let r = g.relation(step.rel);
        if q.rel_type.is_some_and(|t| t != r.rel_type)
            || !q.filter.relation_ok(g, step.rel)
            || step.other == center
            || !q.filter.entity_ok(g, step.other)
        {
            continue;
        }
        let rels = by_type
            .entry(r.rel_type)
            .or_default()
            .entry(step.other)
            .or_default();
        // A relation between two entities shows twice in the centre's
        // adjacency only when it is a loop, skipped above; the check keeps
        // the list bounded.
        if rels.len() < MAX_RELATIONS {
            rels.push(step.rel);
        }
    }
    let mut groups: Vec<Group> = by_type
        .into_iter()
        .map(|(rel_type, members)| {
            let total = members.len();
            let mut members: Vec<Member> = members
                .into_iter()
                .map(|(entity, relations)| Member {
                    entity,
                    score: scores.get(entity as usize).copied().unwrap_or(0.0),
                    degree: g.degree(entity),
                    relations,
                })
                .collect();
            members.sort_unstable_by(|a, b| {
                b.score
                    .total_cmp(&a.score)
                    .then_with(|| b.degree.cmp(&a.degree))
                    .then_with(|| g.entity(a.entity).id().cmp(g.entity(b.entity).id()))
            });
            let pages = total.div_ceil(q.per_page).max(1);
            let start = (q.page - 1).saturating_mul(q.per_page).min(total);
            let end = start.saturating_add(q.per_page).min(total);
            members.truncate(end);
            members.drain(..start);
            Group {
                rel_type,
                total,
                page: q.page,
                pages,
                members,
            }
        })
        .collect();
    if q.rel_type.is_some()
        && let Some(group) = groups.first()
        && q.page > group.pages
    {
        return Err(QueryError::bad(
            "page",
            format!(
                "page {} is past the last page of {} ({})",
                q.page,
                g.str(group.rel_type),
                group.pages
            ),
        ));
    }
    groups.sort_by(|a, b| {
        b.total
            .cmp(&a.total)
            .then_with(|| g.str(a.rel_type).cmp(g.str(b.rel_type)))
    });
    Ok(Explore { center, groups })
}

/// Every relation between two entities, either direction, in file order,
/// at most [`MAX_RELATIONS`]; and how many there are in all.
///
/// Complexity: O(min(deg a, deg b)): it walks the end with fewer relations.
pub fn between(g: &Graph, a: u32, b: u32) -> (Vec<u32>, usize) {
    let (from, to) = if g.degree(a) <= g.degree(b) {
        (a, b)
    } else {
        (b, a)
    };
    let mut rels = Vec::new();
    let mut total = 0;
    let mut last = None;
    for step in g.steps(from, Walk::Both) {
        // A loop (from == to) is listed at both of its ends, one after the
        // other; it is one relation.
        if step.other != to || last == Some(step.rel) {
            continue;
        }
        last = Some(step.rel);
        total += 1;
        if rels.len() < MAX_RELATIONS {
            rels.push(step.rel);
        }
    }
    (rels, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph() -> Graph {
        crate::dataset::embedded::graph()
    }

    fn index(g: &Graph, id: &str) -> u32 {
        g.entity_index(id)
            .unwrap_or_else(|| panic!("no entity {id}"))
    }

    /// The entity with the most relations: a hub with several groups.
    fn hub(g: &Graph) -> u32 {
        (0..g.entities.len() as u32)
            .max_by_key(|&e| (g.degree(e), std::cmp::Reverse(e)))
            .unwrap()
    }

    #[test]
    fn groups_hold_every_neighbour_once_most_connected_first() {
        let g = graph();
        let c = hub(&g);
        let q = ExploreQuery {
            per_page: MAX_PER_PAGE,
            ..Default::default()
        };
        let x = explore(&g, c, &q, &[]).unwrap();
        assert!(x.groups.len() > 1, "the hub has several relation types");
        for w in x.groups.windows(2) {
            assert!(w[0].total >= w[1].total);
        }
        let mut seen_rels = Vec::new();
        for grp in &x.groups {
            assert_eq!(grp.members.len(), grp.total.min(MAX_PER_PAGE));
            for w in grp.members.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                assert!(
                    a.degree > b.degree
                        || (a.degree == b.degree
                            && g.entity(a.entity).id() < g.entity(b.entity).id()),
                    "order broken in {}",
                    g.str(grp.rel_type)
                );
            }
            for m in &grp.members {
                assert_eq!(m.degree, g.degree(m.entity));
                for &r in &m.relations {
                    let rel = g.relation(r);
                    assert_eq!(rel.rel_type, grp.rel_type);
                    assert!(
                        (rel.from == c && rel.to == m.entity)
                            || (rel.to == c && rel.from == m.entity)
                    );
                    seen_rels.push(r);
                }
            }
        }
        // Every non-loop relation of the centre is in exactly one member.
        let mut expected: Vec<u32> = g
            .steps(c, Walk::Both)
            .filter(|s| s.other != c)
            .map(|s| s.rel)
            .collect();
        expected.sort_unstable();
        seen_rels.sort_unstable();
        assert_eq!(seen_rels, expected);
    }

    #[test]
    fn pages_split_a_group_without_overlap() {
        let g = graph();
        let c = hub(&g);
        let all = explore(&g, c, &ExploreQuery::default(), &[]).unwrap();
        let big = &all.groups[0];
        let whole = explore(
            &g,
            c,
            &ExploreQuery {
                rel_type: Some(big.rel_type),
                per_page: MAX_PER_PAGE,
                ..Default::default()
            },
            &[],
        )
        .unwrap();
        assert_eq!(whole.groups.len(), 1);
        let mut paged = Vec::new();
        let per_page = 2;
        let pages = big.total.div_ceil(per_page);
        for page in 1..=pages {
            let x = explore(
                &g,
                c,
                &ExploreQuery {
                    rel_type: Some(big.rel_type),
                    page,
                    per_page,
                    ..Default::default()
                },
                &[],
            )
            .unwrap();
            assert_eq!(x.groups[0].pages, pages);
            paged.extend(x.groups[0].members.iter().map(|m| m.entity));
        }
        let expected: Vec<u32> = whole.groups[0].members.iter().map(|m| m.entity).collect();
        assert_eq!(paged, expected);
        let past = explore(
            &g,
            c,
            &ExploreQuery {
                rel_type: Some(big.rel_type),
                page: pages + 1,
                per_page,
                ..Default::default()
            },
            &[],
        );
        assert!(matches!(past, Err(QueryError::BadParameter { ref param, .. }) if param == "page"));
    }

    #[test]
    fn pagerank_orders_a_group_relation_count_breaks_ties() {
        let g = graph();
        let scores = crate::query::analysis::petgraph_algos::pagerank_scores(&g);
        let q = ExploreQuery {
            per_page: MAX_PER_PAGE,
            ..Default::default()
        };
        let mut reordered = 0;
        for c in 0..g.entities.len() as u32 {
            let x = explore(&g, c, &q, &scores).unwrap();
            let plain = explore(&g, c, &q, &[]).unwrap();
            for (grp, by_degree) in x.groups.iter().zip(&plain.groups) {
                for m in &grp.members {
                    assert_eq!(m.score, scores[m.entity as usize]);
                }
                for w in grp.members.windows(2) {
                    let (a, b) = (&w[0], &w[1]);
                    assert!(
                        a.score > b.score
                            || (a.score == b.score
                                && (a.degree > b.degree
                                    || (a.degree == b.degree
                                        && g.entity(a.entity).id() < g.entity(b.entity).id()))),
                        "order broken in {}",
                        g.str(grp.rel_type)
                    );
                }
                let ids = |g: &Group| g.members.iter().map(|m| m.entity).collect::<Vec<_>>();
                let (mut a, mut b) = (ids(grp), ids(by_degree));
                reordered += usize::from(a != b);
                a.sort_unstable();
                b.sort_unstable();
                assert_eq!(a, b, "the same members either way");
            }
        }
        assert!(
            reordered > 0,
            "PageRank orders some group otherwise than degree"
        );
    }

    #[test]
    fn bad_paging_is_refused() {
        let g = graph();
        let c = hub(&g);
        for (page, per_page, param) in [(0, 10, "page"), (1, 0, "per_page"), (1, 101, "per_page")] {
            let e = explore(
                &g,
                c,
                &ExploreQuery {
                    page,
                    per_page,
                    ..Default::default()
                },
                &[],
            )
            .unwrap_err();
            assert!(
                matches!(e, QueryError::BadParameter { param: ref p, .. } if p == param),
                "{e}"
            );
        }
    }

    #[test]
    fn between_lists_both_directions_in_file_order() {
        let g = graph();
        let c = hub(&g);
        let other = g.steps(c, Walk::Both).find(|s| s.other != c).unwrap().other;
        let (rels, total) = between(&g, c, other);
        let (back, back_total) = between(&g, other, c);
        assert_eq!(rels, back);
        assert_eq!(total, back_total);
        let expected: Vec<u32> = (0..g.relations.len() as u32)
            .filter(|&r| {
                let rel = g.relation(r);
                (rel.from == c && rel.to == other) || (rel.from == other && rel.to == c)
            })
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(rels, expected);
        assert_eq!(total, expected.len());
        let meutya = index(&g, "meutya-hafid");
        let nobody = (0..g.entities.len() as u32)
            .find(|&e| e != meutya && g.others(meutya).all(|o| o != e))
            .unwrap();
        assert_eq!(between(&g, meutya, nobody), (Vec::new(), 0));
    }
}
