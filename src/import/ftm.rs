//! FollowTheMoney entity streams (JSON lines, one entity a line, as
//! OpenSanctions publishes them) turned into a dataset folder.
//!
//! Things become entities: Person → person; Organization, LegalEntity,
//! PublicBody → organization; Company → company; Country → country;
//! Position → organization (the post, held through `holds_position`).
//! Interval schemata become relations: Ownership (owner → asset, `owns`),
//! Directorship (director → organization, `director_of`), Membership
//! (`member_of`), Employment (`works_for`), Representation (agent →
//! client, `represents`), Family (`family_of`), Associate
//! (`associate_of`), Occupancy (holder → post, `holds_position`), Payment
//! (payer → beneficiary, `paid`, amount, currency and purpose kept as
//! columns) and UnknownLink (subject → object, `linked_to`), with
//! `startDate`/`endDate`/`date` and their role or relationship.
//! Addresses become the `address` attribute of the entities that point at
//! them. Each relation cites its `sourceUrl`, else its `publisher`, else
//! its first dataset. Aliases come from `alias`, `weakAlias` and
//! `previousName`. Every FtM id is kept in the entity's `ids` column as
//! `ftm:ID` (and `wikidata:Q…` where the entity has one). Schemata with no
//! mapping are counted and reported, never dropped in silence.
//!
//! The file is streamed line by line, and entities and relations are
//! written as they come: a relation naming an entity not read yet waits
//! only as that id and its line. An FtM id that is a slug is kept as our
//! id; another is made a slug (of the id, so a relation met first gives the
//! same). Address texts stay in memory, and so do the entities naming an
//! Address not read yet, until the end.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::error::DataError;
use crate::model::Kind;

use super::slug::Slugs;
use super::writer::{Staging, Written};

/// One FtM entity as a line holds it, borrowed from the line where it
/// can be: only the properties read are turned into text.
#[derive(Debug, Deserialize)]
struct Line<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    schema: Cow<'a, str>,
    #[serde(default, borrow)]
    caption: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    properties: FxHashMap<Key<'a>, Vec<&'a RawValue>>,
    #[serde(default, borrow)]
    datasets: Vec<Key<'a>>,
}

/// A property name (or dataset), borrowed from the line.
#[derive(Debug, Deserialize, PartialEq, Eq, Hash)]
struct Key<'a>(#[serde(borrow)] Cow<'a, str>);

impl std::borrow::Borrow<str> for Key<'_> {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// A nested entity (`nested` exports), referred to by its id.
#[derive(Deserialize)]
struct Nested<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
}

impl Line<'_> {
    fn all(&self, prop: &str) -> impl Iterator<Item = String> + '_ {
        self.properties
            .get(prop)
            .into_iter()
            .flatten()
            .filter_map(|v| {
                let raw = v.get();
                match raw.as_bytes().first() {
                    Some(b'"') => serde_json::from_str::<Key<'_>>(raw)
                        .ok()
                        .map(|k| k.0.trim().to_string()),
                    Some(b'{') => serde_json::from_str::<Nested<'_>>(raw)
                        .ok()
                        .map(|n| n.id.into_owned()),
                    _ => None,
                }
            })
            .filter(|s| !s.is_empty())
    }
    fn first(&self, prop: &str) -> String {
        self.all(prop).next().unwrap_or_default()
    }
    fn first_of(&self, props: &[&str]) -> String {
        props
            .iter()
            .map(|p| self.first(p))
            .find(|s| !s.is_empty())
            .unwrap_or_default()
    }
}

/// Our kind for an FtM thing schema.
fn thing_kind(schema: &str) -> Option<Kind> {
    Some(match schema {
        "Person" => Kind::Person,
        "Organization" | "LegalEntity" | "PublicBody" | "Position" => Kind::Organization,
        "Company" => Kind::Company,
        "Country" => Kind::Country,
        _ => return None,
    })
}

/// Our relation type and the properties naming its two ends, for an FtM
/// interval schema; then the properties that give its role.
fn link(
    schema: &str,
) -> Option<(
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
)> {
    Some(match schema {
        "Ownership" => ("owns", "owner", "asset", &["ownershipType", "role"]),
        "Directorship" => ("director_of", "director", "organization", &["role"]),
        "Membership" => ("member_of", "member", "organization", &["role"]),
        "Employment" => ("works_for", "employee", "employer", &["role"]),
        "Representation" => ("represents", "agent", "client", &["role"]),
        "Family" => ("family_of", "person", "relative", &["relationship"]),
        "Associate" => ("associate_of", "person", "associate", &["relationship"]),
        "Occupancy" => ("holds_position", "holder", "post", &["status"]),
        "Payment" => ("paid", "payer", "beneficiary", &["purpose"]),
        "UnknownLink" => ("linked_to", "subject", "object", &["role"]),
        _ => return None,
    })
}

/// Extra relation columns FtM gives, kept as they are.
const REL_EXTRAS: [&str; 4] = ["amount", "currency", "purpose", "ftm_id"];

/// An entity that names an Address entity not read yet: written once
/// the addresses are all known, at the end.
struct Held {
    line: u64,
    row: Vec<String>,
    addresses: Vec<String>,
}

/// What an FtM import read, beside what it wrote.
#[derive(Debug, Default)]
pub struct FtmReport {
    /// Entities of each schema read.
    pub schemata: BTreeMap<String, u64>,
    /// Schemata with no mapping and how many entities had them.
    pub unknown: BTreeMap<String, u64>,
    pub lines: u64,
}

/// Our id for an FtM id, the same wherever it is met (an entity's own
/// line, or a relation naming it before or after): the FtM id itself when
/// it is a slug already (numbered only if taken), else a slug made from
/// it.
fn our_id(slugs: &mut Slugs, ftm_id: &str) -> String {
    // Most ids are met again (each relation names two): one lookup then.
    if let Some(id) = slugs.known(ftm_id) {
        return id.to_string();
    }
    if super::is_slug(ftm_id) {
        slugs.keep(ftm_id, ftm_id).to_string()
    } else {
        slugs.get(ftm_id, ftm_id).to_string()
    }
}

/// The address cell of an entity: its own addresses and those of the
/// Address entities it names (marked by a leading NUL).
fn address_cell(addresses: &[String], known: &FxHashMap<String, String>) -> String {
    let all: Vec<&str> = addresses
        .iter()
        .filter_map(|a| match a.strip_prefix('\u{0}') {
            Some(id) => known.get(id).map(String::as_str),
            None => Some(a.as_str()),
        })
        .filter(|a| !a.is_empty())
        .collect();
    all.join(" | ")
}

/// Reads an FtM JSON-lines file into a new dataset folder.
///
/// Streamed: entities and relations are written as their lines are read
/// (a relation naming an entity not read yet waits only as that id and
/// the line, see `writer`); what stays in memory is the id table, the
/// Address entities' texts, and the entities naming an address not read
/// yet.
pub fn import_ftm(
    path: &Path,
    out: &Path,
    force: bool,
) -> (FtmReport, Result<Written, Vec<DataError>>) {
    let mut report = FtmReport::default();
    let name = path.display().to_string();
    if let Err(e) = super::check_target(out) {
        return (report, Err(vec![e]));
    }
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return (
                report,
                Err(vec![DataError::file(&name, format!("cannot open: {e}"))]),
            );
        }
    };
    let mut rel_header: Vec<String> = crate::dataset::columns::RELATIONS
        .iter()
        .map(|s| s.to_string())
        .collect();
    rel_header.extend(REL_EXTRAS.iter().map(|s| s.to_string()));
    let mut ent_header: Vec<String> = crate::dataset::columns::ENTITIES
        .iter()
        .map(|s| s.to_string())
        .collect();
    ent_header.extend(["ids".to_string(), "address".to_string()]);
    let mut staging = match Staging::new(out, &rel_header, &ent_header) {
        Ok(s) => s,
        Err(e) => return (report, Err(vec![e])),
    };
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut errors = Vec::new();
    let mut defined: FxHashSet<Box<str>> = FxHashSet::default();
    let mut addresses: FxHashMap<String, String> = FxHashMap::default();
    let mut held: Vec<Held> = Vec::new();
    let mut slugs = Slugs::default();
    let mut source_index: FxHashMap<String, String> = FxHashMap::default();
    let mut source_slugs = Slugs::default();
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        // Bounded like any record: a line longer than the record limit is
        // refused, not held.
        let read = std::io::Read::take(&mut reader, crate::store::MAX_RECORD_BYTES + 1)
            .read_until(b'\n', &mut buf);
        match read {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                errors.push(DataError::at(
                    &name,
                    line_no + 1,
                    format!("cannot read: {e}"),
                ));
                break;
            }
        }
        line_no += 1;
        if buf.len() as u64 > crate::store::MAX_RECORD_BYTES {
            errors.push(DataError::at(
                &name,
                line_no,
                format!(
                    "a line longer than {} MiB",
                    crate::store::MAX_RECORD_BYTES >> 20
                ),
            ));
            break;
        }
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t.trim(),
            Err(_) => {
                errors.push(DataError::at(
                    &name,
                    line_no,
                    "not UTF-8: FtM files are UTF-8 JSON",
                ));
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        report.lines += 1;
        let e: Line = match serde_json::from_str(text) {
            Ok(e) => e,
            Err(err) => {
                errors.push(DataError::at(
                    &name,
                    line_no,
                    format!("not an FtM entity (one JSON object a line with id, schema and properties): {err}"),
                ));
                continue;
            }
        };
        match report.schemata.get_mut(e.schema.as_ref()) {
            Some(n) => *n += 1,
            None => {
                report.schemata.insert(e.schema.to_string(), 1);
            }
        }
        if let Some(kind) = thing_kind(&e.schema) {
            let ent_name = e.first("name");
            let ent_name = if ent_name.is_empty() {
                e.caption.as_deref().unwrap_or(&e.id).trim().to_string()
            } else {
                ent_name
            };
            let mut aliases: Vec<String> = Vec::new();
            for a in ["name", "alias", "weakAlias", "previousName"]
                .iter()
                .flat_map(|p| e.all(p))
            {
                if a != ent_name && !aliases.contains(&a) {
                    aliases.push(a.replace('|', "/"));
                }
            }
            let country = if e.schema == "Country" {
                e.first("code")
            } else {
                e.first_of(&["country", "jurisdiction", "nationality", "citizenship"])
            };
            let country = if country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic())
            {
                country.to_ascii_uppercase()
            } else {
                String::new()
            };
            let date = |props: &[&str]| iso_day(&e.first_of(props));
            let mut start = date(&[
                "birthDate",
                "incorporationDate",
                "foundingDate",
                "inceptionDate",
            ]);
            let mut end = date(&["deathDate", "dissolutionDate"]);
            if let (Ok(s), Ok(en)) = (
                start.parse::<crate::model::Date>(),
                end.parse::<crate::model::Date>(),
            ) && en.last_day() < s.first_day()
            {
                start.clear();
                end.clear();
            }
            let mut ids = format!("ftm:{}", e.id);
            for q in e.all("wikidataId") {
                ids.push_str("|wikidata:");
                ids.push_str(&q);
            }
            for l in e.all("leiCode") {
                ids.push_str("|lei:");
                ids.push_str(&l);
            }
            if !defined.insert(Box::from(&*e.id)) {
                errors.push(DataError::at(
                    name_of(path),
                    line_no,
                    format!("duplicate FtM id \"{}\"", e.id),
                ));
                continue;
            }
            let id = our_id(&mut slugs, &e.id);
            let mut addr: Vec<String> = e.all("address").collect();
            addr.extend(e.all("addressEntity").map(|a| format!("\u{0}{a}")));
            let mut row = vec![
                id,
                kind.as_str().to_string(),
                ent_name,
                aliases.join("|"),
                country,
                start,
                end,
                e.first_of(&["description", "summary", "notes"]),
                ids,
                String::new(),
            ];
            let waits = addr.iter().any(|a| {
                a.strip_prefix('\u{0}')
                    .is_some_and(|id| !addresses.contains_key(id))
            });
            if waits {
                held.push(Held {
                    line: line_no,
                    row,
                    addresses: addr,
                });
                continue;
            }
            row[9] = address_cell(&addr, &addresses);
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            match staging.entity(&cells) {
                Ok(Ok(())) => {}
                Ok(Err(problem)) => errors.push(DataError::at(&name, line_no, problem)),
                Err(e) => return (report, Err(vec![e])),
            }
        } else if let Some((rel_type, from, to, roles)) = link(&e.schema) {
            let (start, end) = {
                let date = iso_day(&e.first("date"));
                let s = iso_day(&e.first("startDate"));
                let en = iso_day(&e.first("endDate"));
                if s.is_empty() && en.is_empty() {
                    (date.clone(), date)
                } else {
                    (s, en)
                }
            };
            let (from_fid, to_fid) = (e.first(from), e.first(to));
            let missing = [(&from_fid, "first"), (&to_fid, "second")]
                .into_iter()
                .find(|(f, _)| f.is_empty());
            if let Some((_, prop)) = missing {
                errors.push(DataError::at(
                    &name,
                    line_no,
                    format!("{rel_type} ({}): the {prop} end is missing", e.id),
                ));
                continue;
            }
            let source = {
                let url = e.first("sourceUrl");
                let publisher = e.first("publisher");
                let (key, title, url) = if !url.is_empty() {
                    (url.clone(), url.clone(), url)
                } else if !publisher.is_empty() {
                    (publisher.clone(), publisher, String::new())
                } else if let Some(d) = e.datasets.first() {
                    (format!("dataset:{}", d.0), d.0.to_string(), String::new())
                } else {
                    (
                        "file".to_string(),
                        format!("{} (FtM import)", file_name(path)),
                        String::new(),
                    )
                };
                match source_index.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let base = url.split_once("://").map_or(title.as_str(), |(_, r)| r);
                        let id = source_slugs.get(&key, base).to_string();
                        let mut row = [""; 7];
                        row[0] = &id;
                        row[1] = &title;
                        row[4] = &url;
                        if let Err(e) = staging.source(&row) {
                            return (report, Err(vec![e]));
                        }
                        source_index.insert(key, id.clone());
                        id
                    }
                }
            };
            let from_id = our_id(&mut slugs, &from_fid);
            let to_id = our_id(&mut slugs, &to_fid);
            let role = e.first_of(roles);
            let extras = [e.first("amount"), e.first("currency"), e.first("purpose")];
            let row: [&str; 12] = [
                &from_id, &to_id, rel_type, &role, &start, &end, &source, "", &extras[0],
                &extras[1], &extras[2], &e.id,
            ];
            let dangling = |end: usize| {
                let (prop, fid) = if end == 0 {
                    ("first", &from_fid)
                } else {
                    ("second", &to_fid)
                };
                format!(
                    "{rel_type} ({}): the {prop} end \"{fid}\" is no entity of a known schema in the file",
                    e.id
                )
            };
            match staging.relation(&name, line_no, &row, dangling) {
                Ok(Ok(())) => {}
                Ok(Err(problem)) => errors.push(DataError::at(
                    &name,
                    line_no,
                    format!("{rel_type} ({}): {problem}", e.id),
                )),
                Err(e) => return (report, Err(vec![e])),
            }
        } else if e.schema == "Address" {
            let full = e.first("full");
            let full = if full.is_empty() {
                e.caption.as_deref().unwrap_or_default().trim().to_string()
            } else {
                full
            };
            addresses.insert(e.id.to_string(), full);
        } else {
            *report.unknown.entry(e.schema.to_string()).or_default() += 1;
        }
    }
    for mut h in held {
        h.row[9] = address_cell(&h.addresses, &addresses);
        let cells: Vec<&str> = h.row.iter().map(String::as_str).collect();
        match staging.entity(&cells) {
            Ok(Ok(())) => {}
            Ok(Err(problem)) => errors.push(DataError::at(&name, h.line, problem)),
            Err(e) => return (report, Err(vec![e])),
        }
    }
    if report.lines == 0 && errors.is_empty() {
        errors.push(DataError::file(
            &name,
            "the file is empty: expected FtM entities, one JSON object a line",
        ));
    }
    errors.sort_by_key(|e| e.line);
    (report, staging.finish(errors, force))
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default()
}

fn name_of(path: &Path) -> String {
    path.display().to_string()
}

/// An FtM date (`2005`, `2005-04-03`, `2005-04-03T10:00:00`) as ours: the
/// day at most; anything else is dropped (FtM dates are already ISO).
fn iso_day(s: &str) -> String {
    let day: String = s.chars().take(10).collect();
    if day.parse::<crate::model::Date>().is_ok() {
        day
    } else {
        let year: String = s.chars().take(7).collect();
        if year.parse::<crate::model::Date>().is_ok() {
            year
        } else {
            String::new()
        }
    }
}
