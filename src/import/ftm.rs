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
//! The file is streamed line by line; entities, addresses and relations
//! are held as compact rows until the end, since a relation may come
//! before the entities it names.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use rustc_hash::FxHashMap;
use serde::Deserialize;

use crate::error::DataError;
use crate::model::Kind;

use super::slug::Slugs;
use super::writer::{Staging, Written};

/// One FtM entity as a line holds it.
#[derive(Debug, Deserialize)]
struct Line {
    id: String,
    schema: String,
    #[serde(default)]
    caption: Option<String>,
    #[serde(default)]
    properties: BTreeMap<String, Vec<serde_json::Value>>,
    #[serde(default)]
    datasets: Vec<String>,
}

impl Line {
    fn all(&self, prop: &str) -> impl Iterator<Item = String> + '_ {
        self.properties
            .get(prop)
            .into_iter()
            .flatten()
            .filter_map(|v| match v {
                serde_json::Value::String(s) => Some(s.trim().to_string()),
                // Nested entities (`nested` exports) are referred to by id.
                serde_json::Value::Object(o) => o.get("id")?.as_str().map(String::from),
                _ => None,
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

struct Ent {
    id: String,
    kind: Kind,
    name: String,
    aliases: Vec<String>,
    country: String,
    start: String,
    end: String,
    description: String,
    ids: String,
    addresses: Vec<String>,
}

struct Rel {
    from: String,
    to: String,
    rel_type: &'static str,
    role: String,
    start: String,
    end: String,
    source: String,
    extras: [String; 4],
    line: u64,
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

/// Reads an FtM JSON-lines file into a new dataset folder.
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
    let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
    let mut errors = Vec::new();
    let mut ents: Vec<Ent> = Vec::new();
    let mut ent_index: FxHashMap<String, usize> = FxHashMap::default();
    let mut addresses: FxHashMap<String, String> = FxHashMap::default();
    let mut rels: Vec<Rel> = Vec::new();
    let mut slugs = Slugs::default();
    let mut sources: Vec<Vec<String>> = Vec::new();
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
        *report.schemata.entry(e.schema.clone()).or_default() += 1;
        let mut source = || {
            let url = e.first("sourceUrl");
            let publisher = e.first("publisher");
            let (key, title, url) = if !url.is_empty() {
                (url.clone(), url.clone(), url)
            } else if !publisher.is_empty() {
                (publisher.clone(), publisher, String::new())
            } else if let Some(d) = e.datasets.first() {
                (format!("dataset:{d}"), d.clone(), String::new())
            } else {
                (
                    "file".to_string(),
                    format!("{} (FtM import)", file_name(path)),
                    String::new(),
                )
            };
            source_index
                .entry(key.clone())
                .or_insert_with(|| {
                    let base = url.split_once("://").map_or(title.as_str(), |(_, r)| r);
                    let id = source_slugs.get(&key, base).to_string();
                    let mut row = vec![String::new(); crate::dataset::columns::SOURCES.len()];
                    row[0] = id.clone();
                    row[1] = title;
                    row[4] = url;
                    sources.push(row);
                    id
                })
                .clone()
        };
        if let Some(kind) = thing_kind(&e.schema) {
            let name = e.first("name");
            let name = if name.is_empty() {
                e.caption.clone().unwrap_or_else(|| e.id.clone())
            } else {
                name
            };
            let mut aliases: Vec<String> = Vec::new();
            for a in ["name", "alias", "weakAlias", "previousName"]
                .iter()
                .flat_map(|p| e.all(p))
            {
                if a != name && !aliases.contains(&a) {
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
            let mut ids = vec![format!("ftm:{}", e.id)];
            ids.extend(e.all("wikidataId").map(|q| format!("wikidata:{q}")));
            ids.extend(e.all("leiCode").map(|l| format!("lei:{l}")));
            let id = if super::is_slug(&e.id) {
                slugs.reserve(&e.id, &e.id)
            } else {
                slugs.get(&e.id, &name).to_string()
            };
            let mut addr: Vec<String> = e.all("address").collect();
            addr.extend(e.all("addressEntity").map(|a| format!("\u{0}{a}")));
            if ent_index.contains_key(&e.id) {
                errors.push(DataError::at(
                    name_of(path),
                    line_no,
                    format!("duplicate FtM id \"{}\"", e.id),
                ));
                continue;
            }
            ent_index.insert(e.id.clone(), ents.len());
            ents.push(Ent {
                id,
                kind,
                name,
                aliases,
                country,
                start,
                end,
                description: e.first_of(&["description", "summary", "notes"]),
                ids: ids.join("|"),
                addresses: addr,
            });
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
            rels.push(Rel {
                from: e.first(from),
                to: e.first(to),
                rel_type,
                role: e.first_of(roles),
                start,
                end,
                source: source(),
                extras: [
                    e.first("amount"),
                    e.first("currency"),
                    e.first("purpose"),
                    e.id.clone(),
                ],
                line: line_no,
            });
        } else if e.schema == "Address" {
            let full = e.first("full");
            let full = if full.is_empty() {
                e.caption.clone().unwrap_or_default()
            } else {
                full
            };
            addresses.insert(e.id.clone(), full);
        } else {
            *report.unknown.entry(e.schema.clone()).or_default() += 1;
        }
    }
    if report.lines == 0 && errors.is_empty() {
        errors.push(DataError::file(
            &name,
            "the file is empty: expected FtM entities, one JSON object a line",
        ));
    }
    let mut rel_header: Vec<String> = crate::dataset::columns::RELATIONS
        .iter()
        .map(|s| s.to_string())
        .collect();
    rel_header.extend(REL_EXTRAS.iter().map(|s| s.to_string()));
    let mut staging = match Staging::new(out, &rel_header) {
        Ok(s) => s,
        Err(e) => return (report, Err(vec![e])),
    };
    for r in &rels {
        let end = |fid: &str, prop: &str| -> Result<String, String> {
            match ent_index.get(fid) {
                Some(&i) => Ok(ents[i].id.clone()),
                None if fid.is_empty() => Err(format!("the {prop} end is missing")),
                None => Err(format!(
                    "the {prop} end \"{fid}\" is no entity of a known schema in the file"
                )),
            }
        };
        let (from, to) = match (end(&r.from, "first"), end(&r.to, "second")) {
            (Ok(f), Ok(t)) => (f, t),
            (Err(e), _) | (_, Err(e)) => {
                errors.push(DataError::at(
                    &name,
                    r.line,
                    format!("{} ({}): {e}", r.rel_type, r.extras[3]),
                ));
                continue;
            }
        };
        let mut row: Vec<&str> = vec![
            &from, &to, r.rel_type, &r.role, &r.start, &r.end, &r.source, "",
        ];
        row.extend(r.extras.iter().map(String::as_str));
        if let Err(e) = staging.relation(row) {
            return (report, Err(vec![e]));
        }
    }
    errors.sort_by_key(|e| e.line);
    if !errors.is_empty() && (!force || ents.is_empty()) {
        return (report, Err(errors));
    }
    let mut header: Vec<String> = crate::dataset::columns::ENTITIES
        .iter()
        .map(|s| s.to_string())
        .collect();
    header.extend(["ids".to_string(), "address".to_string()]);
    let rows = ents.into_iter().map(|e| {
        let address: Vec<String> = e
            .addresses
            .iter()
            .filter_map(|a| match a.strip_prefix('\u{0}') {
                Some(id) => addresses.get(id).cloned(),
                None => Some(a.clone()),
            })
            .filter(|a| !a.is_empty())
            .collect();
        vec![
            e.id,
            e.kind.as_str().to_string(),
            e.name,
            e.aliases.join("|"),
            e.country,
            e.start,
            e.end,
            e.description,
            e.ids,
            address.join(" | "),
        ]
    });
    (report, staging.finish(&sources, &header, rows, &errors))
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
