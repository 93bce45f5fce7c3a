//! Candidate pairs of one entity in two datasets, for a person to review:
//! the same folded name (or alias) and kind, countries that do not differ,
//! and lifetimes that do not exclude each other. Each pair comes as a
//! `same_as` relation row whose evidence says why it was proposed.

use rustc_hash::FxHashMap;

use crate::graph::Graph;
use crate::model::{Entity, Kind};
use crate::text::normalize;

/// One proposed pair: an entity of the first dataset, one of the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub a: String,
    pub b: String,
    pub reason: String,
}

/// The source id the review rows cite: add it to `sources.csv` (who
/// reviewed, when) before loading accepted rows.
pub const REVIEW_SOURCE: &str = "link-review";

/// Pairs of entities of `a` and `b` that may be the same, in `a`'s entity
/// order, then `b`'s.
///
/// Complexity: linear in the names and aliases of both, plus the pairs.
pub fn propose(a: &Graph, b: &Graph) -> Vec<Candidate> {
    let mut index: FxHashMap<(String, Kind), Vec<u32>> = FxHashMap::default();
    for (i, e) in b.entities.iter().enumerate() {
        for n in names(e) {
            let list = index.entry((n, e.kind)).or_default();
            if list.last() != Some(&(i as u32)) {
                list.push(i as u32);
            }
        }
    }
    let mut out = Vec::new();
    for ea in &a.entities {
        let mut seen: Vec<u32> = Vec::new();
        for n in names(ea) {
            let Some(list) = index.get(&(n.clone(), ea.kind)) else {
                continue;
            };
            for &j in list {
                if seen.contains(&j) {
                    continue;
                }
                seen.push(j);
                let eb = &b.entities[j as usize];
                let (ca, cb) = (country(a, ea), country(b, eb));
                if let (Some(x), Some(y)) = (ca, cb)
                    && x != y
                {
                    continue;
                }
                if !overlap(ea, eb) {
                    continue;
                }
                let mut reason = format!("same name \"{n}\" (folded) and kind {}", ea.kind);
                if let (Some(x), Some(_)) = (ca, cb) {
                    reason.push_str(&format!(", both {x}"));
                }
                if (ea.start.is_some() || ea.end.is_some())
                    && (eb.start.is_some() || eb.end.is_some())
                {
                    reason.push_str(", dates overlap");
                }
                out.push(Candidate {
                    a: ea.id().to_string(),
                    b: eb.id().to_string(),
                    reason,
                });
            }
        }
    }
    out
}

fn names(e: &Entity) -> Vec<String> {
    let mut out: Vec<String> = std::iter::once(e.name())
        .chain(e.aliases().iter())
        .map(normalize)
        .filter(|n| !n.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

fn country<'g>(g: &'g Graph, e: &Entity) -> Option<&'g str> {
    e.country.map(|c| g.strings.resolve(c))
}

/// Whether two lifetimes can be one: an unknown end leaves it open.
fn overlap(a: &Entity, b: &Entity) -> bool {
    let before = |end: Option<crate::model::Date>, start: Option<crate::model::Date>| matches!((end, start), (Some(e), Some(s)) if e.last_day() < s.first_day());
    !before(a.end, b.start) && !before(b.end, a.start)
}

/// The candidates as a review CSV in the relations file's columns: each
/// row a `same_as` relation citing [`REVIEW_SOURCE`], its reason as the
/// evidence. Keep the rows that are right, delete the others.
pub fn review_csv(candidates: &[Candidate]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(crate::dataset::columns::RELATIONS);
    for c in candidates {
        let _ = w.write_record([
            c.a.as_str(),
            c.b.as_str(),
            "same_as",
            "",
            "",
            "",
            REVIEW_SOURCE,
            c.reason.as_str(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
