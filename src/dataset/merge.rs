//! One node for one entity named in several datasets. Entities whose
//! `ids` columns share an external identifier (`wikidata:Q…`, `ftm:…`,
//! `lei:…`, `|`-separated), and the two ends of every `same_as` relation,
//! become one entity: the first of the group in file order stands for it,
//! the others' ids all map to it, their relations are re-pointed to it
//! (each still citing its own source), their names become its aliases, and
//! its `merged` attribute lists every member id with the file and line it
//! came from. A `same_as` relation is kept as a loop on the merged entity,
//! so it is still shown with its source but costs no hop.
//!
//! This runs on checked rows, before the graph is built; when nothing
//! merges, nothing changes.

use rustc_hash::FxHashMap;

use super::checks::CheckedRows;
use crate::ids::IdMap;

/// The column of external identifiers, and the attribute listing members.
pub(super) const IDS: &str = "ids";
pub(super) const MERGED: &str = "merged";
pub(super) const SAME_AS: &str = "same_as";

fn find(parent: &mut [u32], mut i: u32) -> u32 {
    while parent[i as usize] != i {
        let up = parent[parent[i as usize] as usize];
        parent[i as usize] = up;
        i = up;
    }
    i
}

fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    // The earlier entity stands for the group.
    let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[hi as usize] = lo;
}

/// Merges entities as the module says. Returns whether any merged (the
/// name and traversal indexes built beside loading are then stale).
pub(super) fn merge(st: &mut CheckedRows) -> bool {
    let ids_sym = st.strings.get(IDS);
    let same_sym = st.strings.get(SAME_AS);
    if ids_sym.is_none() && same_sym.is_none() {
        return false;
    }
    let n = st.entities.len();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut merged_any = false;
    if let Some(ids_sym) = ids_sym {
        let mut first: FxHashMap<&str, u32> = FxHashMap::default();
        for (i, e) in st.entities.iter().enumerate() {
            for (k, v) in e.attrs.iter() {
                if *k != ids_sym {
                    continue;
                }
                for token in v.split('|').map(str::trim).filter(|t| !t.is_empty()) {
                    match first.get(token) {
                        Some(&j) => {
                            union(&mut parent, j, i as u32);
                            merged_any = true;
                        }
                        None => {
                            first.insert(token, i as u32);
                        }
                    }
                }
            }
        }
    }
    if let Some(same) = same_sym {
        for r in st.relations.iter().flatten() {
            if r.rel_type == same && r.from != r.to {
                union(&mut parent, r.from, r.to);
                merged_any = true;
            }
        }
    }
    if !merged_any {
        return false;
    }
    // New indexes: representatives keep their order, members go.
    let roots: Vec<u32> = (0..n as u32).map(|i| find(&mut parent, i)).collect();
    let mut new_index = vec![u32::MAX; n];
    let mut next = 0u32;
    for i in 0..n {
        if roots[i] == i as u32 {
            new_index[i] = next;
            next += 1;
        }
    }
    for i in 0..n {
        new_index[i] = new_index[roots[i] as usize];
    }
    // Members' names, aliases and origins go to their representative.
    let merged_sym = st.strings.intern(MERGED);
    let mut members: FxHashMap<u32, Vec<usize>> = FxHashMap::default();
    for (i, &root) in roots.iter().enumerate() {
        if root != i as u32 {
            members.entry(root).or_default().push(i);
        }
    }
    let mut entity_ids = IdMap::with_capacity(n);
    for (i, e) in st.entities.iter().enumerate() {
        // Ids were unique when checked, so inserting them again cannot
        // clash or fill a map sized for them.
        let _ = entity_ids.insert(e.id(), new_index[i]);
    }
    let mut kept = Vec::with_capacity(next as usize);
    let mut taken: Vec<Option<crate::model::Entity>> = std::mem::take(&mut st.entities)
        .into_iter()
        .map(Some)
        .collect();
    for i in 0..n {
        if roots[i] != i as u32 {
            continue;
        }
        let mut rep = taken[i].take().expect("each entity is taken once");
        if let Some(list) = members.get(&(i as u32)) {
            let mut aliases: Vec<String> = rep.aliases().iter().map(String::from).collect();
            let mut description = rep.description().to_string();
            let mut origins = vec![origin_of(st, &rep)];
            for &m in list {
                let e = taken[m].take().expect("each entity is taken once");
                origins.push(origin_of(st, &e));
                for a in std::iter::once(e.name()).chain(e.aliases().iter()) {
                    if a != rep.name() && !aliases.iter().any(|x| x == a) {
                        aliases.push(a.to_string());
                    }
                }
                rep.country = rep.country.or(e.country);
                rep.start = rep.start.or(e.start);
                rep.end = rep.end.or(e.end);
                if description.is_empty() {
                    description = e.description().to_string();
                }
            }
            rep.texts = crate::model::EntityTexts::new(
                rep.id(),
                rep.name(),
                aliases.iter().map(String::as_str),
                &description,
            );
            let mut attrs = rep.attrs.to_vec();
            attrs.push((merged_sym, origins.join(" | ").into_boxed_str()));
            rep.attrs = attrs.into_boxed_slice();
        }
        kept.push(rep);
    }
    st.entities = kept;
    st.entity_ids = entity_ids;
    for piece in &mut st.relations {
        for r in piece.iter_mut() {
            r.from = new_index[r.from as usize];
            r.to = new_index[r.to as usize];
        }
    }
    true
}

/// `id (file:line)`: where a member of a merged entity was defined.
fn origin_of(st: &CheckedRows, e: &crate::model::Entity) -> String {
    let file = st
        .files
        .get(e.origin.file as usize)
        .map(String::as_str)
        .unwrap_or("?");
    format!("{} ({file}:{})", e.id(), e.origin.line)
}
