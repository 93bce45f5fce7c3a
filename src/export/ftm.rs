//! The graph (or a part) as FollowTheMoney entities, one JSON object a
//! line, the shape `jejaring import ftm` reads: exporting an import and
//! importing the export gives the same dataset (tested).
//!
//! Kinds: person → Person, organization → Organization, company →
//! Company, country → Country (its code as `code`), agreement → Contract,
//! event → Event, place → Address, topic → Thing. Relation types: owns →
//! Ownership, director_of → Directorship, member_of → Membership,
//! works_for → Employment, represents → Representation, family_of →
//! Family, associate_of → Associate, holds_position → Occupancy, paid →
//! Payment; any other type → UnknownLink with the type as its role. Each
//! relation carries its source's URL as `sourceUrl`, else its title as
//! `publisher`. Entity ids are ours; a relation's id is its `ftm_id`
//! attribute when it has one (an imported relation), else `r{index}`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::Subgraph;
use crate::graph::Graph;
use crate::model::Kind;

#[derive(Serialize)]
struct Line<'a> {
    id: String,
    schema: &'a str,
    properties: BTreeMap<&'static str, Vec<String>>,
}

fn schema(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "Person",
        Kind::Organization => "Organization",
        Kind::Company => "Company",
        Kind::Country => "Country",
        Kind::Agreement => "Contract",
        Kind::Event => "Event",
        Kind::Place => "Address",
        Kind::Topic => "Thing",
    }
}

/// The FtM schema of a relation type, the properties of its two ends, and
/// the property its role goes in.
fn link(rel_type: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match rel_type {
        "owns" => ("Ownership", "owner", "asset", "ownershipType"),
        "director_of" => ("Directorship", "director", "organization", "role"),
        "member_of" => ("Membership", "member", "organization", "role"),
        "works_for" => ("Employment", "employee", "employer", "role"),
        "represents" => ("Representation", "agent", "client", "role"),
        "family_of" => ("Family", "person", "relative", "relationship"),
        "associate_of" => ("Associate", "person", "associate", "relationship"),
        "holds_position" => ("Occupancy", "holder", "post", "status"),
        "paid" => ("Payment", "payer", "beneficiary", "purpose"),
        _ => ("UnknownLink", "subject", "object", "role"),
    }
}

fn put(props: &mut BTreeMap<&'static str, Vec<String>>, key: &'static str, value: &str) {
    if !value.is_empty() {
        props.entry(key).or_default().push(value.to_string());
    }
}

/// Writes a subgraph as FtM JSON lines: its entities, then its relations.
pub fn write(g: &Graph, sub: &Subgraph, w: &mut impl Write) -> io::Result<()> {
    let mut w = io::BufWriter::new(w);
    let attr = |attrs: &crate::model::Attrs, name: &str| -> String {
        attrs
            .iter()
            .find(|(k, _)| g.str(*k) == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_default()
    };
    for &n in &sub.nodes {
        let e = g.entity(n);
        let mut p = BTreeMap::new();
        let name_key = if e.kind == Kind::Place {
            "full"
        } else {
            "name"
        };
        put(&mut p, name_key, e.name());
        for a in e.aliases().iter() {
            put(&mut p, "alias", a);
        }
        if let Some(c) = e.country {
            let key = if e.kind == Kind::Country {
                "code"
            } else {
                "country"
            };
            put(&mut p, key, &g.str(c).to_ascii_lowercase());
        }
        let (start_key, end_key) = match e.kind {
            Kind::Person => ("birthDate", "deathDate"),
            _ => ("incorporationDate", "dissolutionDate"),
        };
        put(
            &mut p,
            start_key,
            &e.start.map(|d| d.to_string()).unwrap_or_default(),
        );
        put(
            &mut p,
            end_key,
            &e.end.map(|d| d.to_string()).unwrap_or_default(),
        );
        put(&mut p, "description", e.description());
        for id in attr(&e.attrs, "ids").split('|').map(str::trim) {
            if let Some(q) = id.strip_prefix("wikidata:") {
                put(&mut p, "wikidataId", q);
            } else if let Some(l) = id.strip_prefix("lei:") {
                put(&mut p, "leiCode", l);
            }
        }
        put(&mut p, "address", &attr(&e.attrs, "address"));
        line(&mut w, e.id().to_string(), schema(e.kind), p)?;
    }
    for &r in &sub.relations {
        let rel = g.relation(r);
        let attrs = g.relation_attrs(r);
        let rel_type = g.rel_type(r);
        let (schema, from, to, role) = link(rel_type);
        let mut p = BTreeMap::new();
        put(&mut p, from, g.entity(rel.from).id());
        put(&mut p, to, g.entity(rel.to).id());
        let role_value = rel.role.map(|s| g.str(s)).unwrap_or("");
        if schema == "UnknownLink" && role_value.is_empty() {
            put(&mut p, role, rel_type);
        }
        if schema != "Payment" {
            put(&mut p, role, role_value);
        }
        let (start, end) = (
            rel.start.map(|d| d.to_string()).unwrap_or_default(),
            rel.end.map(|d| d.to_string()).unwrap_or_default(),
        );
        if !start.is_empty() && start == end {
            put(&mut p, "date", &start);
        } else {
            put(&mut p, "startDate", &start);
            put(&mut p, "endDate", &end);
        }
        for key in ["amount", "currency", "purpose"] {
            put(&mut p, key, &attr(attrs, key));
        }
        let source = g.source(rel.source);
        if source.url.is_empty() {
            put(&mut p, "publisher", &source.title);
        } else {
            put(&mut p, "sourceUrl", &source.url);
        }
        let id = match attr(attrs, "ftm_id") {
            id if id.is_empty() => format!("r{r}"),
            id => id,
        };
        line(&mut w, id, schema, p)?;
    }
    w.flush()
}

fn line(
    w: &mut impl Write,
    id: String,
    schema: &str,
    properties: BTreeMap<&'static str, Vec<String>>,
) -> io::Result<()> {
    serde_json::to_writer(
        &mut *w,
        &Line {
            id,
            schema,
            properties,
        },
    )
    .map_err(io::Error::other)?;
    w.write_all(b"\n")
}
