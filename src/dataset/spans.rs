//! Relations dated outside the span of one of their entities: a post held
//! at a ministry before the ministry existed. Time filters already cut a
//! relation's span to its entities' (`query::relation_span`); this says so
//! when the data is validated, since such dates are usually a typo in one
//! of the rows (a load does not check: generated and imported data often
//! date ties loosely, and the filters handle them either way).

use crate::error::DataError;
use crate::graph::Graph;
use crate::model::{Date, Entity};

/// One warning per relation with a date outside an entity's span, at the
/// relation's row.
pub fn warnings(g: &Graph) -> Vec<DataError> {
    let mut out = Vec::new();
    for r in &g.relations {
        for e in [r.from, r.to] {
            let ent = g.entity(e);
            let outside = [r.start, r.end]
                .into_iter()
                .flatten()
                .any(|d| beyond(d, ent));
            if outside {
                out.push(DataError::at(
                    g.files[r.origin.file as usize].clone(),
                    u64::from(r.origin.line),
                    format!(
                        "relation dated {} falls outside the span of \"{}\" ({}); time filters use the overlap",
                        span(r.start, r.end),
                        ent.id(),
                        span(ent.start, ent.end)
                    ),
                ));
                break;
            }
        }
    }
    out
}

/// Whether a date lies wholly before an entity began or after it ended.
fn beyond(d: Date, ent: &Entity) -> bool {
    ent.start.is_some_and(|s| d.last_day() < s.first_day())
        || ent.end.is_some_and(|e| d.first_day() > e.last_day())
}

fn span(start: Option<Date>, end: Option<Date>) -> String {
    let show = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    format!("{}–{}", show(start), show(end))
}
