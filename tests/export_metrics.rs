//! `export --with-metrics`: degree, PageRank and component columns, checked
//! against hand counts on a small fixture (a star, a pair joined both
//! ways, an entity joined to itself, a loner, an extra column named
//! `degree`) and against networkx, which reads the GEXF and GraphML files
//! and counts degrees and components itself.
//!
//! The networkx checks need `python3` with networkx (`python3 -m pip
//! install networkx`); without it they fail with that command in the
//! message, never skip.

#[path = "common/networkx.rs"]
mod common_networkx;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/metrics")
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jejaring"))
        .args(args)
        .output()
        .unwrap()
}

/// Exports the fixture (or the embedded dataset, `data` None) with
/// metrics into a fresh folder; returns the folder and the path written.
fn export(data: Option<&Path>, format: &str, extra: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(format!("out.{format}"));
    let mut args: Vec<String> = Vec::new();
    if let Some(d) = data {
        args.extend(["--data".into(), d.display().to_string()]);
    }
    args.extend(
        [
            "export",
            "--format",
            format,
            "--with-metrics",
            "--out",
            out.to_str().unwrap(),
        ]
        .map(String::from),
    );
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = cli(&args);
    assert!(
        o.status.success(),
        "export {format} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (dir, out)
}

/// Hand counts on the whole fixture: (id, degree, component).
const WHOLE: &[(&str, u64, u64)] = &[
    ("h", 3, 0),
    ("a", 1, 0),
    ("b", 1, 0),
    ("c", 1, 0),
    ("x", 2, 1),
    ("y", 2, 1),
    // Components of one, in file order: z (joined to itself), then w.
    ("z", 1, 2),
    ("w", 0, 3),
];

fn json_entities(path: &Path) -> BTreeMap<String, Value> {
    let v: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_str().unwrap().to_string(), e.clone()))
        .collect()
}

#[test]
fn json_entities_carry_hand_counted_degrees_and_components() {
    let (_dir, out) = export(Some(&fixture()), "json", &[]);
    let ents = json_entities(&out);
    assert_eq!(ents.len(), WHOLE.len());
    for &(id, degree, component) in WHOLE {
        assert_eq!(ents[id]["degree"], degree, "degree of {id}");
        assert_eq!(ents[id]["component"], component, "component of {id}");
    }
    let pr = |id: &str| ents[id]["pagerank"].as_f64().unwrap();
    let sum: f64 = ents.keys().map(|id| pr(id)).sum();
    assert!((sum - 1.0).abs() < 1e-6, "PageRank sums to {sum}");
    assert!(pr("h") > pr("a"), "the hub leads its spokes");
    assert_eq!(pr("a"), pr("b"));
    // The dataset's own `degree` column is kept, under its own name among
    // the attributes.
    assert_eq!(ents["h"]["attributes"]["degree"], "not a number");
}

#[test]
fn a_time_slice_is_measured_as_exported() {
    // In 2024 the hub no longer works for C (2010): C stands alone.
    let (_dir, out) = export(Some(&fixture()), "json", &["--at", "2024"]);
    let ents = json_entities(&out);
    assert_eq!(ents["h"]["degree"], 2);
    assert_eq!(ents["c"]["degree"], 0);
    // {h a b} 3, {x y} 2, then the loners c, z, w in file order.
    for (id, component) in [("h", 0), ("x", 1), ("c", 2), ("z", 3), ("w", 4)] {
        assert_eq!(ents[id]["component"], component, "component of {id}");
    }
}

#[test]
fn gephi_nodes_end_with_the_metric_columns_and_keep_a_clashing_column() {
    let (_dir, out) = export(Some(&fixture()), "gephi", &[]);
    let mut r = csv::Reader::from_path(out.join("nodes.csv")).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let n = header.len();
    assert_eq!(header[n - 3..], ["degree", "pagerank", "component"]);
    // The dataset's `degree` is renamed so that it cannot be mistaken.
    let clash = header.iter().position(|h| h == "attr_degree").unwrap();
    let mut seen = BTreeSet::new();
    for row in r.records() {
        let row = row.unwrap();
        let id = &row[0];
        let &(_, degree, component) = WHOLE.iter().find(|w| w.0 == id).unwrap();
        assert_eq!(row[n - 3].parse::<u64>().unwrap(), degree, "degree of {id}");
        assert_eq!(row[n - 1].parse::<u64>().unwrap(), component, "of {id}");
        assert!(row[n - 2].parse::<f64>().unwrap() > 0.0);
        if id == "h" {
            assert_eq!(&row[clash], "not a number");
        }
        seen.insert(id.to_string());
    }
    assert_eq!(seen.len(), WHOLE.len());
    // edges.csv is as without metrics.
    let edges = std::fs::read_to_string(out.join("edges.csv")).unwrap();
    assert!(!edges.lines().next().unwrap().contains("pagerank"));
}

#[test]
fn neo4j_node_files_end_with_typed_metric_properties() {
    let (_dir, out) = export(Some(&fixture()), "neo4j", &[]);
    let mut seen = 0;
    for kind in ["person", "company"] {
        let mut r = csv::Reader::from_path(out.join(format!("nodes_{kind}.csv"))).unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        let n = header.len();
        assert_eq!(
            header[n - 3..],
            ["degree:int", "pagerank:double", "component:int"]
        );
        // The dataset's own `degree` (given for the hub, a person) keeps
        // its place under another name.
        if kind == "person" {
            assert!(header.contains(&"attr_degree".to_string()), "{header:?}");
        }
        for row in r.records() {
            let row = row.unwrap();
            let &(_, degree, component) = WHOLE.iter().find(|w| w.0 == &row[0]).unwrap();
            assert_eq!(row[n - 3].parse::<u64>().unwrap(), degree, "{}", &row[0]);
            assert_eq!(row[n - 1].parse::<u64>().unwrap(), component, "{}", &row[0]);
            seen += 1;
        }
    }
    assert_eq!(seen, WHOLE.len());
    let rels = std::fs::read_to_string(out.join("relationships.csv")).unwrap();
    assert!(!rels.lines().next().unwrap().contains("pagerank"));
}

#[test]
fn formats_without_entity_columns_refuse_metrics_and_plain_exports_have_none() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["dot", "ftm"] {
        let out = dir.path().join(format);
        let o = cli(&[
            "export",
            "--format",
            format,
            "--with-metrics",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2), "{format}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--with-metrics"), "{format}: {err}");
        assert!(
            err.contains("gexf, graphml, gephi, json and neo4j"),
            "{err}"
        );
        assert!(!out.exists(), "{format}: nothing is written");
    }
    let out = dir.path().join("plain.gexf");
    let o = cli(&["export", "--format", "gexf", "--out", out.to_str().unwrap()]);
    assert!(o.status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(!text.contains("pagerank") && !text.contains("title=\"component\""));
}

// ---------------------------------------------------------------- networkx

/// Reads a GEXF or GraphML file with networkx; prints every node's metric
/// attributes with their Python types, networkx's own degree and
/// self-loop count per node, and its connected components.
const NETWORKX: &str = r#"
import json, sys
import networkx as nx
fmt, path = sys.argv[1], sys.argv[2]
G = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
loops = {}
for u, v in nx.selfloop_edges(G):
    loops[u] = loops.get(u, 0) + 1
nodes = {}
for n, d in G.nodes(data=True):
    nodes[n] = {
        "degree": d.get("degree"),
        "pagerank": d.get("pagerank"),
        "component": d.get("component"),
        "types": [type(d.get(k)).__name__ for k in ("degree", "pagerank", "component")],
        "nx_degree": G.degree(n),
        "loops": loops.get(n, 0),
    }
components = [sorted(c) for c in nx.connected_components(G.to_undirected())]
print(json.dumps({"nodes": nodes, "components": components}))
"#;

fn networkx(format: &str, path: &Path) -> Value {
    common_networkx::networkx(NETWORKX, format, path)
}

/// networkx reads the metric attributes as numbers; its degrees agree with
/// ours (a relation to itself it counts twice, we once); its components
/// are ours, numbered largest first.
fn check_networkx(label: &str, data: Option<&Path>, format: &str) {
    let (_dir, out) = export(data, format, &[]);
    let got = networkx(format, &out);
    let nodes = got["nodes"].as_object().unwrap();
    assert!(!nodes.is_empty());
    let mut sum = 0.0;
    for (id, d) in nodes {
        assert_eq!(
            d["types"],
            serde_json::json!(["int", "float", "int"]),
            "{label} {format} {id}"
        );
        let ours = d["degree"].as_u64().unwrap();
        let theirs = d["nx_degree"].as_u64().unwrap() - d["loops"].as_u64().unwrap();
        assert_eq!(ours, theirs, "{label} {format}: degree of {id}");
        sum += d["pagerank"].as_f64().unwrap();
    }
    assert!(
        (sum - 1.0).abs() < 1e-6,
        "{label} {format}: PageRank sums to {sum}"
    );
    let mut components: Vec<(usize, u64)> = got["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let members = c.as_array().unwrap();
            let numbers: BTreeSet<u64> = members
                .iter()
                .map(|m| nodes[m.as_str().unwrap()]["component"].as_u64().unwrap())
                .collect();
            assert_eq!(
                numbers.len(),
                1,
                "{label} {format}: {c} split across {numbers:?}"
            );
            (members.len(), *numbers.first().unwrap())
        })
        .collect();
    components.sort_by_key(|&(_, number)| number);
    let numbers: Vec<u64> = components.iter().map(|c| c.1).collect();
    assert_eq!(
        numbers,
        (0..components.len() as u64).collect::<Vec<_>>(),
        "{label} {format}: one number per component, from 0"
    );
    assert!(
        components.windows(2).all(|w| w[0].0 >= w[1].0),
        "{label} {format}: largest first: {components:?}"
    );
}

#[test]
fn networkx_reads_metrics_from_gexf_and_agrees_on_degrees_and_components() {
    check_networkx("fixture", Some(&fixture()), "gexf");
    check_networkx("embedded", None, "gexf");
}

#[test]
fn networkx_reads_metrics_from_graphml_and_agrees_on_degrees_and_components() {
    check_networkx("fixture", Some(&fixture()), "graphml");
    check_networkx("embedded", None, "graphml");
}
