//! Interlocks: the entities several given entities have in common, one
//! hop away from each (a shared director, a common member) or, at depth
//! two, within two hops of each.

use rustc_hash::FxHashMap;

use crate::error::QueryError;
use crate::graph::{Graph, Walk};
use crate::query::Filter;

use super::{lists, sees};

/// The most intermediate entities a depth-two link names; `via_total`
/// counts them all.
pub const MAX_VIA: usize = 20;

/// What to look for.
#[derive(Debug, Clone)]
pub struct CommonQuery {
    /// The given entities: at least two, all different.
    pub entities: Vec<u32>,
    /// 1: entities joined directly to every given one; 2: within two hops
    /// of every given one. Other values are an error.
    pub depth: u32,
    /// Relation types and time choose the relations walked; kinds (and
    /// time, on the entities' own dates) choose the entities listed.
    pub filter: Filter,
    /// The most entities in the answer; 0 for all.
    pub limit: usize,
}

impl Default for CommonQuery {
    fn default() -> Self {
        CommonQuery {
            entities: Vec::new(),
            depth: 1,
            filter: Filter::default(),
            limit: 100,
        }
    }
}

/// How a found entity reaches one of the given entities.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommonLink {
    /// 1 or 2 hops.
    pub distance: u32,
    /// At distance 1, every relation joining the two, in file order.
    pub relations: Vec<u32>,
    /// At distance 2, the entities in between (at most [`MAX_VIA`], in
    /// index order).
    pub via: Vec<u32>,
    /// At distance 2, how many entities are in between.
    pub via_total: usize,
}

/// One entity the given ones have in common.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommonHit {
    pub entity: u32,
    /// One link per given entity, in the order they were given.
    pub links: Vec<CommonLink>,
    /// The hops to all the given entities, summed: nearer first.
    pub distance: u32,
    /// The entity's relations the filter sees: a hub joined to everything
    /// says less about the given entities than a rare common tie, so
    /// fewer comes first.
    pub relations: usize,
}

/// The entities several given ones have in common.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CommonAnswer {
    pub entities: Vec<u32>,
    /// Nearest first (summed distance), then most specific (fewest
    /// relations), then by id.
    pub hits: Vec<CommonHit>,
    /// How many hits there were before the limit.
    pub total: usize,
}

/// Finds the entities connected to all of the given ones.
///
/// Arguments: the graph and the query (entities, depth, filter, limit).
/// The given entities themselves are never hits.
/// Returns: the hits with, for each given entity, the relations joining
/// them (depth 1) or the entities in between (depth 2); ordered nearest
/// first, then by fewest relations, then by id; `total` before `limit`.
/// Errors (`BadParameter`): fewer than two entities, one given twice, a
/// depth other than 1 or 2, a time window ending before it starts.
/// Complexity: O(Σ d(x)) over the given entities' relations at depth 1;
/// at depth 2, O(Σ d(y)) over their neighbours' relations too, the same
/// work as a two-hop neighbourhood of each.
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::{common, CommonQuery};
/// let g = jejaring::dataset::embedded::graph();
/// let q = CommonQuery { entities: vec![0], ..Default::default() };
/// assert!(common(&g, &q).is_err());
/// ```
pub fn common(g: &Graph, q: &CommonQuery) -> Result<CommonAnswer, QueryError> {
    super::check_time(&q.filter.time)?;
    if q.entities.len() < 2 {
        return Err(QueryError::bad(
            "entities",
            "give at least two entities to find what they have in common",
        ));
    }
    for (i, e) in q.entities.iter().enumerate() {
        if q.entities[..i].contains(e) {
            return Err(QueryError::bad(
                "entities",
                format!("\"{}\" is given twice", g.entity(*e).id()),
            ));
        }
    }
    if !(1..=2).contains(&q.depth) {
        return Err(QueryError::bad("depth", "must be 1 or 2"));
    }
    // Per given entity: what it reaches, with the link. The entity with
    // the fewest relations goes first, and the others record only what it
    // reached: two hubs of a hundred thousand relations each then build
    // one small map, not two big ones.
    let first = (0..q.entities.len())
        .min_by_key(|&i| g.degree(q.entities[i]))
        .unwrap_or(0);
    let candidates = reached(g, &q.filter, q.entities[first], q.depth, None);
    let reach: Vec<FxHashMap<u32, CommonLink>> = q
        .entities
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            if i == first {
                candidates.clone()
            } else {
                reached(g, &q.filter, x, q.depth, Some(&candidates))
            }
        })
        .collect();
    let smallest = first;
    let mut hits: Vec<CommonHit> = Vec::new();
    for &y in reach[smallest].keys() {
        if q.entities.contains(&y) || !lists(g, &q.filter, y) {
            continue;
        }
        let Some(links) = reach
            .iter()
            .map(|m| m.get(&y).cloned())
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        let distance = links.iter().map(|l| l.distance).sum();
        let relations = g
            .steps(y, Walk::Both)
            .filter(|s| sees(g, &q.filter, s.rel))
            .count();
        hits.push(CommonHit {
            entity: y,
            links,
            distance,
            relations,
        });
    }
    hits.sort_by(|a, b| {
        a.distance
            .cmp(&b.distance)
            .then(a.relations.cmp(&b.relations))
            .then_with(|| g.entity(a.entity).id().cmp(g.entity(b.entity).id()))
    });
    let total = hits.len();
    if q.limit > 0 {
        hits.truncate(q.limit);
    }
    Ok(CommonAnswer {
        entities: q.entities.clone(),
        hits,
        total,
    })
}

/// The entities within `depth` hops of `x` (not `x` itself), each with
/// its link to `x`: direct relations at distance 1, entities in between
/// at distance 2.
fn reached(
    g: &Graph,
    filter: &Filter,
    x: u32,
    depth: u32,
    only: Option<&FxHashMap<u32, CommonLink>>,
) -> FxHashMap<u32, CommonLink> {
    let wanted = |e: u32| only.is_none_or(|m| m.contains_key(&e));
    let mut out: FxHashMap<u32, CommonLink> = FxHashMap::default();
    let mut near: Vec<u32> = Vec::new();
    for s in g.steps(x, Walk::Both) {
        if s.other == x || !sees(g, filter, s.rel) {
            continue;
        }
        if depth >= 2 {
            near.push(s.other);
        }
        if !wanted(s.other) {
            continue;
        }
        out.entry(s.other)
            .or_insert_with(|| CommonLink {
                distance: 1,
                relations: Vec::new(),
                via: Vec::new(),
                via_total: 0,
            })
            .relations
            .push(s.rel);
    }
    if depth < 2 {
        return out;
    }
    near.sort_unstable();
    near.dedup();
    for y in near {
        let mut seen_from_y: Vec<u32> = g
            .steps(y, Walk::Both)
            .filter(|s| s.other != x && s.other != y && sees(g, filter, s.rel))
            .map(|s| s.other)
            .collect();
        seen_from_y.sort_unstable();
        seen_from_y.dedup();
        for z in seen_from_y {
            if !wanted(z) || out.get(&z).is_some_and(|l| l.distance == 1) {
                continue;
            }
            let link = out.entry(z).or_insert_with(|| CommonLink {
                distance: 2,
                relations: Vec::new(),
                via: Vec::new(),
                via_total: 0,
            });
            link.via_total += 1;
            if link.via.len() < MAX_VIA {
                link.via.push(y);
            }
        }
    }
    out
}
