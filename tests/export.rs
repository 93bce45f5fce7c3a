//! Exports, checked by the readers that will open them: networkx reads our
//! GEXF and GraphML, the csv crate reads the Gephi and Neo4j files back
//! against the importers' rules, the JSON export is turned back into a
//! dataset and loaded again. Every check runs on the embedded dataset and
//! on a hostile fixture (formula-like cells, commas, quotes, newlines,
//! markup characters, Cyrillic, Japanese and Devanagari, partial dates,
//! extra columns, parallel edges, an isolated entity, an unused source).
//!
//! The networkx checks need `python3` with networkx (`python3 -m pip
//! install networkx`; `.ci/run` installs it). Without it they fail with
//! that command in the message, never skip.

#[path = "common/networkx.rs"]
mod common_networkx;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use jejaring::dataset::{self, DatasetSource, Quiet};
use jejaring::export::{
    self, ExportFormat, Subgraph, first_day_iso, last_day_iso, neo4j, safe_cell,
};
use jejaring::graph::Graph;
use jejaring::model::Date;
use jejaring::view::StatsView;
use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/export-hostile")
}

fn embedded() -> Graph {
    dataset::embedded::graph()
}

fn hostile() -> Graph {
    dataset::load(&[DatasetSource::Dir(fixture())], &Quiet)
        .expect("hostile fixture loads")
        .graph
}

/// Both test graphs, named for messages.
fn graphs() -> Vec<(&'static str, Graph)> {
    vec![("embedded", embedded()), ("hostile", hostile())]
}

fn render(g: &Graph, format: ExportFormat, name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    export::write_file(g, format, &Subgraph::whole(g), name, &mut out).unwrap();
    out
}

fn attr_map(g: &Graph, attrs: &jejaring::model::Attrs) -> BTreeMap<String, String> {
    attrs
        .iter()
        .map(|(k, v)| (g.str(*k).to_string(), v.to_string()))
        .collect()
}

fn opt_date(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

// ---------------------------------------------------------------- stability

#[test]
fn every_export_is_byte_identical_when_repeated() {
    for (label, g) in graphs() {
        for format in ExportFormat::ALL {
            let sub = Subgraph::whole(&g);
            let a = export::download(&g, format, &sub).unwrap();
            let b = export::download(&g, format, &sub).unwrap();
            assert!(!a.bytes.is_empty(), "{label} {format:?} is empty");
            assert!(
                a.bytes == b.bytes,
                "{label} {format:?} differs between runs"
            );
        }
    }
}

#[test]
fn zipped_downloads_hold_exactly_the_folder_files() {
    for (label, g) in graphs() {
        for format in [
            ExportFormat::Gephi,
            ExportFormat::Neo4j,
            ExportFormat::Parquet,
        ] {
            let sub = Subgraph::whole(&g);
            let d = export::download(&g, format, &sub).unwrap();
            assert_eq!(d.content_type, "application/zip");
            assert!(d.file_name.ends_with(".zip"), "{}", d.file_name);
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(d.bytes)).unwrap();
            let names = export::file_names(&g, format, &sub);
            assert_eq!(zip.len(), names.len(), "{label} {format:?}");
            for name in names {
                let mut inside = Vec::new();
                zip.by_name(&name)
                    .unwrap_or_else(|_| panic!("{label} {format:?}: {name} missing from zip"))
                    .read_to_end(&mut inside)
                    .unwrap();
                assert!(inside == render(&g, format, &name), "{label} {name}");
            }
        }
    }
}

// ---------------------------------------------------------------- networkx

/// Reads a GEXF or GraphML file with networkx and prints what arrived as
/// JSON: the graph's kind and mode, every node's data, every edge with its
/// key (the edge id) and data.
const NETWORKX: &str = r#"
import json, sys
import networkx as nx
fmt, path = sys.argv[1], sys.argv[2]
G = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
edges = []
if G.is_multigraph():
    for u, v, k, d in G.edges(keys=True, data=True):
        edges.append([u, v, str(k), d])
else:
    for u, v, d in G.edges(data=True):
        edges.append([u, v, str(d.get("id", "")), d])
print(json.dumps({
    "version": nx.__version__,
    "directed": G.is_directed(),
    "mode": G.graph.get("mode"),
    "nodes": {n: d for n, d in G.nodes(data=True)},
    "edges": edges,
}, default=str))
"#;

fn networkx(format: &str, path: &Path) -> Value {
    common_networkx::networkx(NETWORKX, format, path)
}

/// Whether an extra column arrived, under its name or its clash-avoiding
/// `attr_` form.
fn has_extra(data: &Value, name: &str, want: &str) -> bool {
    (0..4).any(|n| {
        data.get(format!("{}{name}", "attr_".repeat(n)))
            .and_then(Value::as_str)
            == Some(want)
    })
}

/// GEXF widens partial dates to full days and keeps the text as written;
/// GraphML carries the text only.
fn check_span(d: &Value, format: &str, start: Option<Date>, end: Option<Date>, who: &str) {
    if format == "gexf" {
        check_str(
            d,
            "start",
            &start.map(first_day_iso).unwrap_or_default(),
            who,
        );
        check_str(d, "end", &end.map(last_day_iso).unwrap_or_default(), who);
        check_str(d, "start_text", &opt_date(start), who);
        check_str(d, "end_text", &opt_date(end), who);
    } else {
        check_str(d, "start", &opt_date(start), who);
        check_str(d, "end", &opt_date(end), who);
    }
}

fn check_str(data: &Value, key: &str, want: &str, what: &str) {
    if want.is_empty() {
        assert!(
            data.get(key).is_none_or(|v| v == ""),
            "{what}: {key} should be absent, got {:?}",
            data.get(key)
        );
    } else {
        assert_eq!(
            data.get(key).and_then(Value::as_str),
            Some(want),
            "{what}: {key}"
        );
    }
}

fn check_networkx(label: &str, g: &Graph, format: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("g.{format}"));
    let f = if format == "gexf" {
        ExportFormat::Gexf
    } else {
        ExportFormat::Graphml
    };
    std::fs::write(&path, render(g, f, &format!("jejaring.{format}"))).unwrap();
    let got = networkx(format, &path);
    let what = format!("{label} {format}");
    let stats = StatsView::new(g);
    let nodes = got["nodes"].as_object().unwrap();
    let edges = got["edges"].as_array().unwrap();
    assert_eq!(nodes.len(), stats.entities, "{what}: node count");
    assert_eq!(edges.len(), stats.relations, "{what}: edge count");
    assert_eq!(got["directed"], true, "{what}");
    if format == "gexf" {
        assert_eq!(got["mode"], "dynamic", "{what}");
    }
    for e in &g.entities {
        let d = nodes
            .get(e.id())
            .unwrap_or_else(|| panic!("{what}: node {:?} missing", e.id()));
        let who = format!("{what} node {:?}", e.id());
        check_str(d, "label", e.name(), &who);
        check_str(d, "kind", e.kind.as_str(), &who);
        check_str(d, "country", e.country.map_or("", |c| g.str(c)), &who);
        check_str(d, "aliases", &e.aliases().join("|"), &who);
        check_str(d, "description", e.description(), &who);
        check_span(d, format, e.start, e.end, &who);
        for (k, v) in attr_map(g, &e.attrs) {
            assert!(has_extra(d, &k, &v), "{who}: extra column {k}");
        }
    }
    let by_id: HashMap<&str, &Value> = edges.iter().map(|e| (e[2].as_str().unwrap(), e)).collect();
    assert_eq!(by_id.len(), edges.len(), "{what}: edge ids are unique");
    for (i, r) in g.relations.iter().enumerate() {
        let id = format!("r{i}");
        let e = by_id
            .get(id.as_str())
            .unwrap_or_else(|| panic!("{what}: edge {id} missing"));
        let who = format!("{what} edge {id}");
        assert_eq!(e[0], *g.entity(r.from).id(), "{who}: source");
        assert_eq!(e[1], *g.entity(r.to).id(), "{who}: target");
        let d = &e[3];
        let src = g.source(r.source);
        check_str(d, "type", g.str(r.rel_type), &who);
        check_str(d, "role", r.role.map_or("", |s| g.str(s)), &who);
        check_str(d, "source_id", &src.id, &who);
        check_str(d, "source_title", &src.title, &who);
        check_str(d, "source_published", &opt_date(src.published), &who);
        check_str(d, "evidence", &g.evidence(i as u32), &who);
        assert_eq!(
            d["symmetric"],
            g.is_symmetric(r.rel_type),
            "{who}: symmetric"
        );
        assert_eq!(d["weight"], 1.0, "{who}: weight");
        check_span(d, format, r.start, r.end, &who);
        for (k, v) in attr_map(g, g.relation_attrs(i as u32)) {
            assert!(has_extra(d, &k, &v), "{who}: extra column {k}");
        }
    }
}

#[test]
fn networkx_reads_gexf_with_every_node_edge_attribute_and_time_bound() {
    for (label, g) in graphs() {
        check_networkx(label, &g, "gexf");
    }
}

#[test]
fn networkx_reads_graphml_with_every_node_edge_and_attribute() {
    for (label, g) in graphs() {
        check_networkx(label, &g, "graphml");
    }
}

#[test]
fn gexf_declares_attributes_before_data_in_the_1_3_namespace() {
    let g = hostile();
    let s = String::from_utf8(render(&g, ExportFormat::Gexf, "jejaring.gexf")).unwrap();
    assert!(
        s.contains(r#"<gexf xmlns="http://gexf.net/1.3""#),
        "namespace"
    );
    assert!(s.contains(r#"version="1.3""#));
    assert!(s.contains(
        r#"<graph mode="dynamic" defaultedgetype="directed" timeformat="date" timerepresentation="interval">"#
    ));
    let last_decl = s.rfind("<attribute ").unwrap();
    assert!(last_decl < s.find("<nodes>").unwrap());
    // A partial end is widened to its last day, leap years included.
    assert!(
        s.contains(r#"end="2024-02-29""#),
        "2024-02 ends on the 29th"
    );
}

#[test]
fn graphml_keys_come_before_the_graph_and_are_all_typed() {
    let g = hostile();
    let s = String::from_utf8(render(&g, ExportFormat::Graphml, "jejaring.graphml")).unwrap();
    let graph_at = s.find("<graph ").unwrap();
    assert!(s.rfind("<key ").unwrap() < graph_at);
    for line in s.lines().filter(|l| l.contains("<key ")) {
        assert!(line.contains("attr.type=\""), "untyped key: {line}");
        assert!(!line.contains("attr.name=\"id\""), "a key named id: {line}");
    }
    assert!(s.contains(r#"edgedefault="directed""#));
}

// ---------------------------------------------------------------- gephi

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// A cell as typed, undoing the formula neutralising.
fn unneutralise(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if safe_cell(rest) != rest => rest,
        _ => s,
    }
}

/// Parses Gephi's `<[start, end]>` with ISO dates and infinite bounds.
fn timeset(s: &str) -> Option<(String, String)> {
    let inner = s.strip_prefix("<[")?.strip_suffix("]>")?;
    let (a, b) = inner.split_once(", ")?;
    let iso = |d: &str| d.len() == 10 && d.parse::<Date>().is_ok();
    (a == "-Infinity" || iso(a)).then_some(())?;
    (b == "Infinity" || iso(b)).then_some(())?;
    Some((a.to_string(), b.to_string()))
}

fn check_timeset(cell: &str, start: Option<Date>, end: Option<Date>, what: &str) {
    if start.is_none() && end.is_none() {
        assert_eq!(cell, "", "{what}: no dates, no timeset");
        return;
    }
    let (a, b) = timeset(cell).unwrap_or_else(|| panic!("{what}: bad timeset {cell:?}"));
    assert_eq!(a, start.map_or("-Infinity".into(), first_day_iso), "{what}");
    assert_eq!(b, end.map_or("Infinity".into(), last_day_iso), "{what}");
}

fn no_formula(cells: &[String], what: &str) {
    for c in cells {
        assert!(
            !matches!(c.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@')),
            "{what}: cell {c:?} would run as a formula"
        );
    }
}

#[test]
fn gephi_csvs_follow_the_spreadsheet_importer_rules() {
    for (label, g) in graphs() {
        let (nh, nodes) = read_csv(&render(&g, ExportFormat::Gephi, "nodes.csv"));
        let (eh, edges) = read_csv(&render(&g, ExportFormat::Gephi, "edges.csv"));
        assert_eq!(nh[..2], ["Id", "Label"], "{label}: node columns");
        assert_eq!(
            eh[..7],
            ["Source", "Target", "Type", "Kind", "Id", "Label", "Weight"],
            "{label}: edge columns"
        );
        for col in ["kind", "country", "aliases", "description", "timeset"] {
            assert!(nh.iter().any(|h| h == col), "{label}: nodes lack {col}");
        }
        for col in [
            "timeset",
            "role",
            "source_id",
            "source_title",
            "source_published",
            "evidence",
        ] {
            assert!(eh.iter().any(|h| h == col), "{label}: edges lack {col}");
        }
        // Gephi matches its own column names ignoring case: ours must not clash.
        for h in [&nh, &eh] {
            let lower: BTreeSet<String> = h.iter().map(|c| c.to_lowercase()).collect();
            assert_eq!(
                lower.len(),
                h.len(),
                "{label}: columns equal but for case: {h:?}"
            );
        }
        let col = |h: &[String], name: &str| h.iter().position(|c| c == name).unwrap();
        assert_eq!(nodes.len(), g.entities.len(), "{label}: node rows");
        assert_eq!(edges.len(), g.relations.len(), "{label}: edge rows");
        let mut ids = BTreeSet::new();
        for (row, e) in nodes.iter().zip(&g.entities) {
            no_formula(row, label);
            assert_eq!(row.len(), nh.len());
            assert_eq!(unneutralise(&row[0]), e.id(), "{label}");
            assert_eq!(unneutralise(&row[1]), e.name(), "{label}");
            assert_eq!(row[col(&nh, "kind")], e.kind.as_str());
            assert_eq!(
                unneutralise(&row[col(&nh, "aliases")]),
                e.aliases().join("|")
            );
            assert_eq!(unneutralise(&row[col(&nh, "description")]), e.description());
            check_timeset(&row[col(&nh, "timeset")], e.start, e.end, e.id());
            for (k, v) in attr_map(&g, &e.attrs) {
                let i = nh
                    .iter()
                    .position(|h| h == &k || h == &format!("attr_{k}"))
                    .unwrap_or_else(|| panic!("{label}: extra column {k} missing"));
                assert_eq!(unneutralise(&row[i]), v);
            }
            ids.insert(row[0].clone());
        }
        assert_eq!(ids.len(), nodes.len(), "{label}: node ids unique");
        let mut edge_ids = BTreeSet::new();
        for (i, (row, r)) in edges.iter().zip(&g.relations).enumerate() {
            no_formula(row, label);
            assert!(
                ids.contains(&row[0]) && ids.contains(&row[1]),
                "{label}: dangling edge"
            );
            assert_eq!(unneutralise(&row[0]), g.entity(r.from).id());
            assert_eq!(unneutralise(&row[1]), g.entity(r.to).id());
            let ty = g.str(r.rel_type);
            let want = if g.is_symmetric(r.rel_type) {
                "Undirected"
            } else {
                "Directed"
            };
            assert_eq!(row[2], want, "{label}: Type of a {ty} edge");
            assert_eq!(row[3], ty, "{label}: Kind");
            assert_eq!(row[4], format!("r{i}"));
            assert!(
                row[6].parse::<f64>().is_ok(),
                "{label}: Weight {:?}",
                row[6]
            );
            check_timeset(&row[col(&eh, "timeset")], r.start, r.end, &row[4]);
            assert_eq!(
                unneutralise(&row[col(&eh, "evidence")]),
                g.evidence(i as u32)
            );
            assert_eq!(
                unneutralise(&row[col(&eh, "role")]),
                r.role.map_or("", |s| g.str(s))
            );
            assert_eq!(
                unneutralise(&row[col(&eh, "source_id")]),
                &*g.source(r.source).id
            );
            edge_ids.insert(row[4].clone());
        }
        assert_eq!(edge_ids.len(), edges.len(), "{label}: edge ids unique");
    }
}

#[test]
fn gephi_timesets_use_widened_iso_dates_and_infinite_open_ends() {
    let g = hostile();
    let (h, nodes) = read_csv(&render(&g, ExportFormat::Gephi, "nodes.csv"));
    let ts = h.iter().position(|c| c == "timeset").unwrap();
    let find = |id: &str| nodes.iter().find(|r| unneutralise(&r[0]) == id).unwrap()[ts].clone();
    assert_eq!(find("=2+3"), "<[2019-01-01, 2024-02-29]>");
    assert_eq!(find("a,b&c"), "<[2020-02-01, Infinity]>");
    assert_eq!(find("-minus"), "<[-Infinity, 2023-12-31]>");
    assert_eq!(find("@handle"), "");
}

// ---------------------------------------------------------------- neo4j

const NEO4J_TYPES: &[&str] = &[
    "int",
    "long",
    "float",
    "double",
    "boolean",
    "byte",
    "short",
    "char",
    "string",
    "point",
    "date",
    "localtime",
    "time",
    "localdatetime",
    "datetime",
    "duration",
];

/// One header field in neo4j-admin's grammar: `name:TYPE`, `:ID`/`name:ID`
/// (optionally `(group)`), `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`,
/// `:IGNORE`. Returns (property name, type).
fn neo4j_field(f: &str) -> Result<(String, String), String> {
    let (name, ty) = match f.split_once(':') {
        None => (f, "string"),
        Some((n, t)) => (n, t),
    };
    if ty.contains(':') {
        return Err(format!("{f:?}: more than one ':'"));
    }
    if name.trim() != name {
        return Err(format!("{f:?}: space around the name"));
    }
    let ty = match ty.split_once('(') {
        Some((t, group)) if group.ends_with(')') && matches!(t, "ID" | "START_ID" | "END_ID") => t,
        Some(_) => return Err(format!("{f:?}: bad id group")),
        None => ty,
    };
    match ty {
        "ID" => {}
        "LABEL" | "START_ID" | "END_ID" | "TYPE" | "IGNORE" => {
            if !name.is_empty() {
                return Err(format!("{f:?}: {ty} takes no property name"));
            }
        }
        t => {
            let base = t.strip_suffix("[]").unwrap_or(t);
            if !NEO4J_TYPES.contains(&base) {
                return Err(format!("{f:?}: unknown type {t:?}"));
            }
            if name.is_empty() {
                return Err(format!("{f:?}: a property needs a name"));
            }
        }
    }
    Ok((name.to_string(), ty.to_string()))
}

fn neo4j_value_ok(ty: &str, v: &str) -> bool {
    if v.is_empty() {
        return true;
    }
    match ty {
        "date" => v.len() == 10 && v.parse::<Date>().is_ok(),
        "boolean" => v == "true" || v == "false",
        _ => true,
    }
}

#[test]
fn neo4j_files_follow_the_import_header_grammar() {
    for (label, g) in graphs() {
        let sub = Subgraph::whole(&g);
        let files = neo4j::files(&g, &sub);
        let mut node_ids = BTreeSet::new();
        let mut node_rows = 0;
        let mut rel_rows = 0;
        for f in &files {
            let name = f.name();
            let bytes = render(&g, ExportFormat::Neo4j, &name);
            if name == "README.txt" {
                let readme = String::from_utf8(bytes).unwrap();
                let cmd = neo4j::import_command(&g, &sub);
                assert!(readme.contains(&cmd), "{label}: README lacks the command");
                assert!(cmd.starts_with("neo4j-admin database import full "));
                for other in files
                    .iter()
                    .map(|f| f.name())
                    .filter(|n| n.ends_with(".csv"))
                {
                    assert!(
                        cmd.contains(&format!("={other}")),
                        "{label}: {other} not imported"
                    );
                }
                continue;
            }
            let (header, rows) = read_csv(&bytes);
            let fields: Vec<(String, String)> = header
                .iter()
                .map(|h| neo4j_field(h).unwrap_or_else(|e| panic!("{label} {name}: {e}")))
                .collect();
            let count = |t: &str| fields.iter().filter(|(_, ty)| ty == t).count();
            let names: BTreeSet<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(
                names.len(),
                fields.iter().filter(|(n, _)| !n.is_empty()).count() + 1,
                "{label} {name}: duplicate property names"
            );
            if name.starts_with("nodes_") {
                assert_eq!((count("ID"), count("LABEL")), (1, 1), "{label} {name}");
                node_rows += rows.len();
                let id = fields.iter().position(|(_, t)| t == "ID").unwrap();
                for row in &rows {
                    assert!(node_ids.insert(row[id].clone()), "{label}: duplicate id");
                }
            } else {
                assert_eq!(name, "relationships.csv");
                for t in ["START_ID", "END_ID", "TYPE"] {
                    assert_eq!(count(t), 1, "{label} {name}: {t}");
                }
                rel_rows += rows.len();
            }
            for row in &rows {
                assert_eq!(row.len(), fields.len());
                for ((_, ty), v) in fields.iter().zip(row) {
                    assert!(neo4j_value_ok(ty, v), "{label} {name}: {v:?} is no {ty}");
                }
            }
        }
        assert_eq!(node_rows, g.entities.len(), "{label}: nodes");
        assert_eq!(rel_rows, g.relations.len(), "{label}: relationships");
        let (_, rels) = read_csv(&render(&g, ExportFormat::Neo4j, "relationships.csv"));
        for (row, r) in rels.iter().zip(&g.relations) {
            assert!(node_ids.contains(&row[0]) && node_ids.contains(&row[1]));
            assert_eq!(
                row[0],
                *g.entity(r.from).id(),
                "{label}: values are not neutralised"
            );
            assert_eq!(row[2], g.str(r.rel_type));
        }
    }
}

#[test]
fn neo4j_aliases_split_on_the_array_delimiter_to_the_aliases() {
    let g = hostile();
    let (h, rows) = read_csv(&render(&g, ExportFormat::Neo4j, "nodes_organization.csv"));
    let a = h.iter().position(|c| c == "aliases:string[]").unwrap();
    let row = rows.iter().find(|r| r[0] == "a,b&c").unwrap();
    let got: Vec<&str> = row[a].split(neo4j::ARRAY_DELIMITER).collect();
    assert_eq!(got, ["A; B", "C, D"]);
    let (h, _) = read_csv(&render(&g, ExportFormat::Neo4j, "nodes_person.csv"));
    assert!(
        h.contains(&"note_x".to_string()),
        "':' in a column name: {h:?}"
    );
}

// ---------------------------------------------------------------- json

fn s(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Writes one CSV file of a dataset from JSON objects: the fixed columns,
/// then every attribute name seen.
fn write_dataset_file(
    path: &Path,
    fixed: &[&str],
    items: &[Value],
    cell: impl Fn(&Value, &str) -> String,
) {
    let extras: BTreeSet<String> = items
        .iter()
        .flat_map(|i| i["attributes"].as_object().unwrap().keys().cloned())
        .collect();
    let mut w = csv::Writer::from_path(path).unwrap();
    let header: Vec<String> = fixed
        .iter()
        .map(|s| s.to_string())
        .chain(extras.iter().cloned())
        .collect();
    w.write_record(&header).unwrap();
    for item in items {
        let mut row: Vec<String> = fixed.iter().map(|c| cell(item, c)).collect();
        row.extend(extras.iter().map(|k| s(&item["attributes"][k])));
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
}

fn json_to_dataset(json: &Value, dir: &Path) {
    write_dataset_file(
        &dir.join("sources.csv"),
        jejaring::dataset::columns::SOURCES,
        json["sources"].as_array().unwrap(),
        |v, c| s(&v[c]),
    );
    write_dataset_file(
        &dir.join("entities.csv"),
        jejaring::dataset::columns::ENTITIES,
        json["entities"].as_array().unwrap(),
        |v, c| match c {
            "aliases" => v[c]
                .as_array()
                .unwrap()
                .iter()
                .map(s)
                .collect::<Vec<_>>()
                .join("|"),
            _ => s(&v[c]),
        },
    );
    write_dataset_file(
        &dir.join("relations.csv"),
        jejaring::dataset::columns::RELATIONS,
        json["relations"].as_array().unwrap(),
        |v, c| s(&v[c]),
    );
}

fn assert_same_graph(label: &str, a: &Graph, b: &Graph) {
    assert_eq!(a.entities.len(), b.entities.len(), "{label}");
    assert_eq!(a.relations.len(), b.relations.len(), "{label}");
    assert_eq!(a.sources.len(), b.sources.len(), "{label}");
    for (x, y) in a.entities.iter().zip(&b.entities) {
        assert_eq!(
            (
                &x.id(),
                &x.name(),
                x.kind,
                &x.aliases(),
                x.start,
                x.end,
                &x.description()
            ),
            (
                &y.id(),
                &y.name(),
                y.kind,
                &y.aliases(),
                y.start,
                y.end,
                &y.description()
            ),
            "{label}"
        );
        assert_eq!(x.country.map(|c| a.str(c)), y.country.map(|c| b.str(c)));
        assert_eq!(
            attr_map(a, &x.attrs),
            attr_map(b, &y.attrs),
            "{label} {}",
            x.id()
        );
    }
    for (i, (x, y)) in a.relations.iter().zip(&b.relations).enumerate() {
        let i = i as u32;
        assert_eq!(a.entity(x.from).id(), b.entity(y.from).id(), "{label}");
        assert_eq!(a.entity(x.to).id(), b.entity(y.to).id(), "{label}");
        assert_eq!(a.str(x.rel_type), b.str(y.rel_type));
        assert_eq!(x.role.map(|r| a.str(r)), y.role.map(|r| b.str(r)));
        assert_eq!((x.start, x.end), (y.start, y.end));
        assert_eq!(a.source(x.source).id, b.source(y.source).id);
        assert_eq!(a.evidence(i), b.evidence(i), "{label}");
        assert_eq!(
            attr_map(a, a.relation_attrs(i)),
            attr_map(b, b.relation_attrs(i)),
            "{label}"
        );
    }
    for (x, y) in a.sources.iter().zip(&b.sources) {
        assert_eq!(
            (
                &x.id,
                &x.title,
                &x.publisher,
                x.published,
                &x.url,
                &x.language,
                &x.file
            ),
            (
                &y.id,
                &y.title,
                &y.publisher,
                y.published,
                &y.url,
                &y.language,
                &y.file
            ),
            "{label}"
        );
        assert_eq!(attr_map(a, &x.attrs), attr_map(b, &y.attrs), "{label}");
    }
}

#[test]
fn json_export_turned_back_into_csv_loads_to_the_same_graph() {
    for (label, g) in graphs() {
        let json: Value =
            serde_json::from_slice(&render(&g, ExportFormat::Json, "jejaring.json")).unwrap();
        let stats = StatsView::new(&g);
        assert_eq!(json["entities"].as_array().unwrap().len(), stats.entities);
        assert_eq!(json["relations"].as_array().unwrap().len(), stats.relations);
        assert_eq!(json["sources"].as_array().unwrap().len(), stats.sources);
        let rel = &json["relations"][0];
        for key in jejaring::dataset::columns::RELATIONS {
            assert!(rel.get(key).is_some(), "{label}: REL lacks {key}");
        }
        let dir = tempfile::tempdir().unwrap();
        json_to_dataset(&json, dir.path());
        let back = dataset::load(&[DatasetSource::Dir(dir.path().to_path_buf())], &Quiet)
            .unwrap_or_else(|e| panic!("{label}: the round trip does not load: {e:?}"))
            .graph;
        assert_same_graph(label, &g, &back);
    }
}

// ---------------------------------------------------------------- subgraphs

#[test]
fn a_neighbourhood_export_holds_only_its_part_and_the_sources_it_cites() {
    let g = embedded();
    let center = jejaring::query::resolve(&g, "meutya-hafid").unwrap();
    let q = jejaring::query::NeighbourhoodQuery {
        depth: 1,
        max_nodes: 0,
        ..Default::default()
    };
    let sub = Subgraph::of(&jejaring::query::neighbourhood(&g, center, &q));
    assert!(sub.nodes.len() < g.entities.len());
    let mut out = Vec::new();
    export::json::write(&g, &sub, &mut out).unwrap();
    let json: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["entities"].as_array().unwrap().len(), sub.nodes.len());
    assert_eq!(
        json["relations"].as_array().unwrap().len(),
        sub.relations.len()
    );
    let cited: BTreeSet<String> = json["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| s(&r["source"]))
        .collect();
    let listed: BTreeSet<String> = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| s(&r["id"]))
        .collect();
    assert_eq!(cited, listed);
}

// ---------------------------------------------------------------- CLI

fn cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_jejaring"))
        .args(args)
        .output()
        .unwrap()
}

fn leftovers(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walk(dir) {
        let name = e.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with(".jejaring-export-") {
            out.push(name);
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn cli_exports_every_format_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = fixture();
    let data = data.to_str().unwrap();
    for format in ExportFormat::ALL {
        let name = format.as_str();
        let out = dir.path().join(if format.is_folder() {
            name.to_string()
        } else {
            format!("out.{}", format.extension())
        });
        let o = cli(&[
            "--data",
            data,
            "export",
            "--format",
            name,
            "--out",
            out.to_str().unwrap(),
        ]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(0), "{name}: {stderr}");
        assert!(o.stdout.is_empty(), "{name}: nothing on stdout");
        assert!(
            stderr.contains("wrote 9 entities, 8 relations to"),
            "{name}: {stderr}"
        );
        let g = hostile();
        for file in export::file_names(&g, format, &Subgraph::whole(&g)) {
            let path = if format.is_folder() {
                out.join(&file)
            } else {
                out.clone()
            };
            let bytes =
                std::fs::read(&path).unwrap_or_else(|_| panic!("{} missing", path.display()));
            assert!(bytes == render(&g, format, &file), "{name}: {file} differs");
        }
    }
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn cli_exports_a_neighbourhood_at_a_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("n.json");
    let o = cli(&[
        "export",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
        "--around",
        "Meutya Hafid",
        "--depth",
        "1",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let json: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let n = json["entities"].as_array().unwrap().len();
    assert!(n > 1 && n < 80, "{n} entities around Meutya Hafid");
    assert!(
        json["entities"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == "meutya-hafid")
    );

    let out = dir.path().join("at.gexf");
    let o = cli(&[
        "export",
        "--format",
        "gexf",
        "--out",
        out.to_str().unwrap(),
        "--at",
        "2023-10",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let g = embedded();
    let sub = Subgraph::at(
        &g,
        jejaring::model::TimeFilter::At("2023-10".parse().unwrap()),
    );
    assert!(sub.relations.len() < g.relations.len());
    let mut want = Vec::new();
    export::gexf::write(&g, &sub, &mut want).unwrap();
    assert!(std::fs::read(&out).unwrap() == want);
}

/// One refused export: what to run, and what must come of it.
struct Refusal {
    what: &'static str,
    format: &'static str,
    /// The target, relative to the test's folder ("" for the folder).
    out: &'static str,
    extra: &'static [&'static str],
    /// Must appear on stderr.
    says: &'static str,
}

#[test]
fn cli_refuses_bad_targets_and_keeps_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keep.gexf");
    std::fs::write(&file, "previous").unwrap();
    let refusals = [
        Refusal {
            what: "a folder format onto a file",
            format: "gephi",
            out: "keep.gexf",
            extra: &[],
            says: "is a file",
        },
        Refusal {
            what: "a file format onto a folder",
            format: "gexf",
            out: "",
            extra: &[],
            says: "is a folder",
        },
        Refusal {
            what: "into a folder that does not exist",
            format: "json",
            out: "no/such/dir/out.json",
            extra: &[],
            says: "no folder",
        },
        Refusal {
            what: "an unknown format",
            format: "excel",
            out: "x",
            extra: &[],
            says: "allowed: gephi, gexf",
        },
        Refusal {
            what: "an unknown entity",
            format: "json",
            out: "x.json",
            extra: &["--around", "zzzzqqq"],
            says: "zzzzqqq",
        },
    ];
    for r in &refusals {
        let out = dir.path().join(r.out);
        let mut args = vec![
            "export",
            "--format",
            r.format,
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(r.extra);
        let o = cli(&args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{}: {stderr}", r.what);
        assert!(stderr.contains(r.says), "{}: {stderr}", r.what);
        assert!(
            out == file || out == dir.path() || !out.exists(),
            "{}: {} was written",
            r.what,
            out.display()
        );
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "previous",
            "{}",
            r.what
        );
        assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "{}", r.what);
    }
    // A good export replaces the old file whole.
    let o = cli(&[
        "export",
        "--format",
        "gexf",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("<?xml"));
}

/// Evidence is read back from `relations.csv` when exported. A file
/// replaced by a new one is still read as loaded; a file changed in place
/// makes every export fail with a message, never write wrong evidence.
#[test]
fn exports_read_evidence_as_loaded_or_fail() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["sources.csv", "entities.csv", "relations.csv"] {
        std::fs::copy(fixture().join(f), dir.path().join(f)).unwrap();
    }
    let g = dataset::load(&[DatasetSource::Dir(dir.path().to_path_buf())], &Quiet)
        .unwrap()
        .graph;
    let before = render(&g, ExportFormat::Json, "jejaring.json");
    let relations = dir.path().join("relations.csv");
    let text = std::fs::read_to_string(&relations).unwrap();
    // Replaced: the graph still holds the file it loaded.
    let fresh = dir.path().join("fresh.csv");
    std::fs::write(&fresh, text.replace(',', ";")).unwrap();
    std::fs::rename(&fresh, &relations).unwrap();
    assert_eq!(render(&g, ExportFormat::Json, "jejaring.json"), before);
    // Changed in place: said, for every format that writes evidence.
    let g_fixture = dataset::load(&[DatasetSource::Dir(fixture())], &Quiet)
        .unwrap()
        .graph;
    let copy = dataset::load(&[DatasetSource::Dir(dir.path().to_path_buf())], &Quiet);
    assert!(copy.is_err(), "the replaced file is not a dataset any more");
    std::fs::write(&relations, &text).unwrap();
    let g2 = dataset::load(&[DatasetSource::Dir(dir.path().to_path_buf())], &Quiet)
        .unwrap()
        .graph;
    std::fs::OpenOptions::new()
        .append(true)
        .open(&relations)
        .and_then(|mut f| std::io::Write::write_all(&mut f, b"\n"))
        .unwrap();
    for (format, name) in [
        (ExportFormat::Json, "jejaring.json"),
        (ExportFormat::Gexf, "jejaring.gexf"),
        (ExportFormat::Graphml, "jejaring.graphml"),
        (ExportFormat::Gephi, "edges.csv"),
        (ExportFormat::Neo4j, "relationships.csv"),
        (ExportFormat::Parquet, "edges.parquet"),
    ] {
        let mut out = Vec::new();
        let err = export::write_file(&g2, format, &Subgraph::whole(&g2), name, &mut out)
            .expect_err("an export of changed evidence fails");
        assert!(
            err.to_string().contains("changed since it was loaded"),
            "{format:?}: {err}"
        );
    }
    // A failed Parquet export over an earlier one leaves the earlier files
    // as they were (nodes.parquet, written before the failure, included)
    // and no temporary file.
    let out = dir.path().join("pq");
    export::save(&g, ExportFormat::Parquet, &Subgraph::whole(&g), &out).unwrap();
    let earlier: Vec<Vec<u8>> = ["nodes.parquet", "edges.parquet", "sources.parquet"]
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    let err = export::save(&g2, ExportFormat::Parquet, &Subgraph::whole(&g2), &out)
        .expect_err("changed evidence fails the export");
    assert!(err.to_string().contains("edges.parquet"), "{err}");
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["edges.parquet", "nodes.parquet", "sources.parquet"]);
    for (n, bytes) in ["nodes.parquet", "edges.parquet", "sources.parquet"]
        .iter()
        .zip(&earlier)
    {
        assert!(&std::fs::read(out.join(n)).unwrap() == bytes, "{n} changed");
    }
    assert!(!g2.relations.is_empty());
    assert!(
        g2.evidence(0).starts_with("[evidence unavailable:"),
        "{}",
        g2.evidence(0)
    );
    // The untouched fixture's graph is unaffected.
    assert_eq!(
        render(&g_fixture, ExportFormat::Json, "jejaring.json"),
        before
    );
}
