//! An entity's relations in the order they happened.

use crate::graph::{Graph, Walk};
use crate::model::Date;
use crate::query::Filter;

use super::sees;

use crate::error::QueryError;
use crate::query::request::{Paging, RequestError};

/// One relation on an entity's timeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TimelineEntry {
    pub relation: u32,
    /// The entity at the other end (the entity itself for a relation to
    /// itself).
    pub other: u32,
    /// Whether the relation points away from the entity.
    pub outgoing: bool,
    pub start: Option<Date>,
    pub end: Option<Date>,
    /// The source the relation cites.
    pub source: u32,
}

/// An entity's timeline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Timeline {
    pub entity: u32,
    /// Dated relations by start date (the first day it may mean), then by
    /// end date (open ends last), then in file order.
    pub dated: Vec<TimelineEntry>,
    /// Relations with no start date, in file order: they cannot be placed
    /// on the line, yet are part of the record, so they come after it
    /// rather than being dropped. A relation with only an end date is
    /// here too.
    pub undated: Vec<TimelineEntry>,
}

impl Timeline {
    /// How many relations the timeline holds, dated and undated.
    pub fn len(&self) -> usize {
        self.dated.len() + self.undated.len()
    }

    /// Whether the timeline holds no relation.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// One page of the timeline read as one list (the dated relations in
    /// date order, then the undated), keeping the split: a hub's timeline
    /// is shown a page at a time.
    ///
    /// Errors: a page past the last, naming the last.
    pub fn page(&self, paging: &Paging) -> Result<Timeline, RequestError> {
        let range = paging.range(self.len())?;
        let d = self.dated.len();
        let dated = self.dated[range.start.min(d)..range.end.min(d)].to_vec();
        let undated = self.undated[range.start.max(d) - d..range.end.max(d) - d].to_vec();
        Ok(Timeline {
            entity: self.entity,
            dated,
            undated,
        })
    }
}

/// The relations at an entity, in date order.
///
/// Arguments: the graph, the entity, and a filter whose relation types
/// and time window choose the relations (its kinds choose the entities at
/// the other end).
/// Returns: the dated relations in date order and the undated ones after,
/// each with its other end, dates and source.
/// Errors (`BadParameter`): a time window ending before it starts.
/// Complexity: O(d log d) for an entity of `d` relations.
///
/// # Example
///
/// ```
/// use jejaring::query::analysis::timeline;
/// let g = jejaring::dataset::embedded::graph();
/// let e = g.entity_index("komdigi").unwrap();
/// let t = timeline(&g, e, &Default::default()).unwrap();
/// assert_eq!(t.dated.len() + t.undated.len(), g.degree(e));
/// ```
pub fn timeline(g: &Graph, entity: u32, filter: &Filter) -> Result<Timeline, QueryError> {
    super::check_time(&filter.time)?;
    let (mut dated, undated): (Vec<TimelineEntry>, Vec<TimelineEntry>) = g
        .steps(entity, Walk::Both)
        .filter(|s| {
            sees(g, filter, s.rel)
                && (filter.kinds.is_empty() || filter.kinds.contains(&g.entity(s.other).kind))
        })
        .map(|s| {
            let r = g.relation(s.rel);
            TimelineEntry {
                relation: s.rel,
                other: s.other,
                outgoing: s.outgoing,
                start: r.start,
                end: r.end,
                source: r.source,
            }
        })
        .partition(|e| e.start.is_some());
    dated.sort_by_key(|e| {
        (
            e.start.map_or(0, Date::first_day),
            e.end.map_or(u32::MAX, Date::first_day),
            e.relation,
        )
    });
    Ok(Timeline {
        entity,
        dated,
        undated,
    })
}
