//! Which column means what: given on the command line, read from a TOML
//! mapping file, or guessed from the headers. The mapping used is always
//! printable as TOML ([`Mapping::to_toml`]), so a guessed one can be saved,
//! edited and passed back with `--mapping` for the next import.
//!
//! A table with a `from` and a `to` column is an edge table (one row a
//! relation); one with a name column and no such pair is a node table
//! (one row an entity).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Columns of edge tables. A kind (`from_kind`, `to_kind`) is a column
/// name when the table has such a column, else the kind itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edges {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub rel_type: Option<String>,
    /// The one relation type of every row, when no column says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub type_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_kind: Option<String>,
    /// A column of source URLs or texts: one source a distinct value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The one source of every row, when no column says it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_value: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// A point in time: start and end both.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

/// Columns of node tables.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Nodes {
    /// The id other tables use; entities get slug ids made from names
    /// when there is none (an id that is already a slug is kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A column name, or the kind of every row.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aliases: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The whole mapping, as a mapping file holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default, skip_serializing_if = "is_default")]
    pub edges: Edges,
    #[serde(default, skip_serializing_if = "is_default")]
    pub nodes: Nodes,
    /// Kinds as the data writes them → ours (`Org = "organization"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kind_map: BTreeMap<String, String>,
    /// Relation types as the data writes them → ours.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub type_map: BTreeMap<String, String>,
}

fn is_default<T: Default + PartialEq>(t: &T) -> bool {
    *t == T::default()
}

/// The kind given to entities when nothing says theirs.
pub const DEFAULT_KIND: &str = "organization";
/// The relation type given when nothing says one.
pub const DEFAULT_TYPE: &str = "related_to";

impl Mapping {
    pub fn from_toml(text: &str) -> Result<Mapping, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// Fills what is not given from the headers of the tables: the first
    /// edge table's header for edges, the first node table's for nodes.
    /// What was given (flags, a mapping file) is never replaced.
    pub fn guess(&mut self, headers: &[Vec<String>]) {
        let edge_header = headers.iter().find(|h| self.is_edges(h));
        if let Some(h) = edge_header {
            let e = &mut self.edges;
            let mut used: Vec<String> = [&e.from, &e.to].into_iter().flatten().cloned().collect();
            let mut pick = |slot: &mut Option<String>, names: &[&str]| {
                if slot.is_none() {
                    *slot = find(h, names, &used);
                    used.extend(slot.clone());
                }
            };
            pick(&mut e.from, FROM);
            pick(&mut e.to, TO);
            if e.type_value.is_none() {
                pick(&mut e.rel_type, TYPE);
            }
            pick(&mut e.from_kind, FROM_KIND);
            pick(&mut e.to_kind, TO_KIND);
            if e.source_value.is_none() {
                pick(&mut e.source, SOURCE);
            }
            pick(&mut e.role, ROLE);
            pick(&mut e.date, DATE);
            if e.date.is_none() {
                pick(&mut e.start, START);
                pick(&mut e.end, END);
            }
            pick(&mut e.evidence, EVIDENCE);
            if e.rel_type.is_none() && e.type_value.is_none() {
                e.type_value = Some(DEFAULT_TYPE.to_string());
            }
        }
        let node_header = headers.iter().find(|h| !self.is_edges(h));
        if let Some(h) = node_header {
            let n = &mut self.nodes;
            let mut used: Vec<String> = Vec::new();
            let mut pick = |slot: &mut Option<String>, names: &[&str]| {
                if slot.is_none() {
                    *slot = find(h, names, &used);
                    used.extend(slot.clone());
                }
            };
            pick(&mut n.id, ID);
            pick(&mut n.name, NAME);
            pick(&mut n.kind, KIND);
            pick(&mut n.aliases, ALIASES);
            pick(&mut n.country, COUNTRY);
            pick(&mut n.start, NODE_START);
            pick(&mut n.end, NODE_END);
            pick(&mut n.description, DESCRIPTION);
            if n.kind.is_none() {
                n.kind = Some(DEFAULT_KIND.to_string());
            }
        }
        // Kinds of edge-list entities: from the node tables when there are
        // any, else one kind for all, said in the mapping to be edited.
        if edge_header.is_some() && node_header.is_none() {
            let e = &mut self.edges;
            for k in [&mut e.from_kind, &mut e.to_kind] {
                if k.is_none() {
                    *k = Some(DEFAULT_KIND.to_string());
                }
            }
        }
    }

    /// Whether a table with this header is an edge table.
    pub fn is_edges(&self, header: &[String]) -> bool {
        let has = |slot: &Option<String>, names: &[&str]| match slot {
            Some(c) => column(header, c).is_some(),
            None => find(header, names, &[]).is_some(),
        };
        has(&self.edges.from, FROM) && has(&self.edges.to, TO)
    }
}

/// A header name folded for comparison: lower case, punctuation and
/// spaces as `_`, so `Start Date`, `start-date` and `START_DATE` match.
pub fn fold(h: &str) -> String {
    let mut out = String::with_capacity(h.len());
    for c in h.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// The index of the column named `name` (folded) in `header`.
pub fn column(header: &[String], name: &str) -> Option<usize> {
    let want = fold(name);
    header.iter().position(|h| fold(h) == want)
}

/// The first header name among `names` (already folded), skipping those
/// taken by another role.
fn find(header: &[String], names: &[&str], used: &[String]) -> Option<String> {
    names.iter().find_map(|n| {
        header
            .iter()
            .find(|h| fold(h) == *n && !used.iter().any(|u| fold(u) == fold(h)))
            .cloned()
    })
}

// What columns are commonly called, most telling first. `source` and
// `target` are Gephi's edge-list ends; a source document is then found
// under another name (url, citation, …).
const FROM: &[&str] = &[
    "from",
    "source",
    "subject",
    "from_name",
    "from_id",
    "src",
    "head",
    "entity_1",
    "party_1",
    "party_a",
    "person",
    "a",
];
const TO: &[&str] = &[
    "to",
    "target",
    "object",
    "to_name",
    "to_id",
    "dst",
    "tail",
    "entity_2",
    "party_2",
    "party_b",
    "organization",
    "organisation",
    "b",
];
const TYPE: &[&str] = &[
    "type",
    "relation",
    "relationship",
    "relation_type",
    "rel",
    "predicate",
    "edge_type",
    "label",
    "link",
];
const FROM_KIND: &[&str] = &[
    "from_kind",
    "source_kind",
    "from_type",
    "source_type",
    "subject_kind",
    "subject_type",
];
const TO_KIND: &[&str] = &[
    "to_kind",
    "target_kind",
    "to_type",
    "target_type",
    "object_kind",
    "object_type",
];
const SOURCE: &[&str] = &[
    "source",
    "source_url",
    "url",
    "link",
    "citation",
    "reference",
    "ref",
    "document",
    "sources",
    "evidence_url",
];
const ROLE: &[&str] = &["role", "position", "title", "capacity"];
const DATE: &[&str] = &["date", "when", "on", "event_date"];
const START: &[&str] = &[
    "start",
    "start_date",
    "from_date",
    "since",
    "begin",
    "started",
];
const END: &[&str] = &["end", "end_date", "to_date", "until", "ended"];
const EVIDENCE: &[&str] = &[
    "evidence", "quote", "excerpt", "snippet", "extract", "notes",
];
const ID: &[&str] = &[
    "id",
    "key",
    "identifier",
    "node_id",
    "entity_id",
    "entity_key",
    "code",
];
const NAME: &[&str] = &["name", "label", "full_name", "entity", "title", "node"];
const KIND: &[&str] = &["kind", "type", "category", "schema", "entity_type", "class"];
const ALIASES: &[&str] = &["aliases", "alias", "other_names", "aka", "also_known_as"];
const COUNTRY: &[&str] = &[
    "country",
    "country_code",
    "iso_country",
    "nationality",
    "jurisdiction",
];
const NODE_START: &[&str] = &[
    "start",
    "start_date",
    "born",
    "birth_date",
    "founded",
    "incorporation_date",
    "since",
];
const NODE_END: &[&str] = &[
    "end",
    "end_date",
    "died",
    "death_date",
    "dissolved",
    "until",
];
const DESCRIPTION: &[&str] = &["description", "notes", "about", "summary", "comment"];

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cols: &[&str]) -> Vec<String> {
        cols.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_gephi_edge_list_is_guessed_with_its_source_column_elsewhere() {
        let mut m = Mapping::default();
        m.guess(&[h(&[
            "Source",
            "Target",
            "Relationship",
            "URL",
            "Start Date",
        ])]);
        assert_eq!(m.edges.from.as_deref(), Some("Source"));
        assert_eq!(m.edges.to.as_deref(), Some("Target"));
        assert_eq!(m.edges.rel_type.as_deref(), Some("Relationship"));
        assert_eq!(m.edges.source.as_deref(), Some("URL"));
        assert_eq!(m.edges.start.as_deref(), Some("Start Date"));
        assert_eq!(m.edges.from_kind.as_deref(), Some(DEFAULT_KIND));
    }

    #[test]
    fn given_columns_are_kept_and_the_printed_mapping_reads_back() {
        let mut m = Mapping::default();
        m.edges.rel_type = Some("Kind of tie".into());
        m.guess(&[h(&["from", "to", "Kind of tie"]), h(&["Name", "Type"])]);
        assert_eq!(m.edges.rel_type.as_deref(), Some("Kind of tie"));
        assert_eq!(m.nodes.name.as_deref(), Some("Name"));
        assert_eq!(m.nodes.kind.as_deref(), Some("Type"));
        assert_eq!(m.edges.from_kind, None);
        let back = Mapping::from_toml(&m.to_toml()).unwrap();
        assert_eq!(back, m);
    }

    #[test]
    fn a_misspelt_key_in_a_mapping_file_is_refused() {
        let e = Mapping::from_toml("[edges]\nfrmo = \"A\"\n").unwrap_err();
        assert!(e.contains("frmo"), "{e}");
    }
}
