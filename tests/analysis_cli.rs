//! The analysis commands on the command line: answers, exit codes and
//! messages for bad input, and answers written as graph files that
//! networkx reads back.

mod common;

use std::process::Command;

use common::{code, jejaring, stderr, stdout};

/// Reads a GEXF or GraphML file with networkx; prints the node ids and
/// the number of edges as JSON.
const READ: &str = r#"
import json, sys
import networkx as nx
fmt, path = sys.argv[1], sys.argv[2]
g = nx.read_gexf(path) if fmt == "gexf" else nx.read_graphml(path)
print(json.dumps({"nodes": sorted(g.nodes()), "edges": g.number_of_edges()}))
"#;

fn networkx(fmt: &str, path: &std::path::Path) -> serde_json::Value {
    let out = Command::new("python3")
        .args(["-c", READ, fmt])
        .arg(path)
        .output()
        .expect("python3 with networkx (python3 -m pip install networkx)");
    assert!(
        out.status.success(),
        "networkx could not read {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn a_sum_over_a_column_with_words_names_the_lines() {
    let out = jejaring(&[
        "--data",
        "tests/fixtures/good",
        "rank",
        "--by",
        "sum:confidence",
    ]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(
        err.contains("--by: column \"confidence\" is not a number at"),
        "{err}"
    );
    assert!(err.contains("relations.csv:2 (\"high\")"), "{err}");
    let out = jejaring(&[
        "--data",
        "tests/fixtures/good",
        "rank",
        "--by",
        "sum:confidance",
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("confidence"), "{}", stderr(&out));
}

#[test]
fn rank_text_states_a_sampled_estimate_and_its_spread() {
    let out = jejaring(&[
        "rank",
        "--by",
        "betweenness",
        "--samples",
        "5",
        "--limit",
        "3",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("3 of 81 entities by betweenness (estimated from 5 sampled sources"),
        "{text}"
    );
    let spread = text.lines().skip(1).filter(|l| l.contains(" ± ")).count();
    assert_eq!(spread, 3, "every score gives its spread: {text}");
    let exact = stdout(&jejaring(&["rank", "--by", "betweenness", "--limit", "3"]));
    assert!(!exact.contains('±'), "{exact}");
}

#[test]
fn stats_gives_components_and_the_degree_distribution() {
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&jejaring(&["stats", "--format", "json"]))).unwrap();
    let n = v["entities"].as_u64().unwrap();
    assert!(v["components"]["count"].as_u64().unwrap() >= 1);
    assert!(v["components"]["largest"].as_u64().unwrap() <= n);
    let d = &v["degrees"];
    assert!(d["min"].as_u64() <= d["p90"].as_u64() && d["p90"].as_u64() <= d["max"].as_u64());
    // The mean degree is twice the relations over the entities, less
    // the relations of an entity to itself (counted once).
    let mean = d["mean"].as_f64().unwrap();
    let rels = v["relations"].as_f64().unwrap();
    assert!(mean <= 2.0 * rels / n as f64 + 1e-9, "{mean}");
    let text = stdout(&jejaring(&["stats"]));
    assert!(text.contains("connected components"), "{text}");
}

#[test]
fn chronological_paths_say_why_none_was_found() {
    let out = jejaring(&["path", "komdigi", "india", "--chronological"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Time-respecting path — "));
    let out = jejaring(&[
        "path",
        "komdigi",
        "india",
        "--chronological",
        "--until",
        "2020",
    ]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("no time-respecting path"),
        "{}",
        stderr(&out)
    );
    let out = jejaring(&["path", "komdigi", "india", "--allow-undated"]);
    assert_eq!(code(&out), 2, "--allow-undated needs --chronological");
}

#[test]
fn answers_open_as_graphs_in_networkx() {
    let dir = tempfile::tempdir().unwrap();
    // An interlock: the two given entities and what they share.
    let out = jejaring(&["common", "komdigi", "india", "--format", "gexf"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let gexf = dir.path().join("common.gexf");
    std::fs::write(&gexf, stdout(&out)).unwrap();
    let v = networkx("gexf", &gexf);
    let nodes: Vec<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    for id in ["komdigi", "india", "mou-indonesia-india-digital-2025"] {
        assert!(nodes.contains(&id), "{id} missing from {nodes:?}");
    }
    assert!(v["edges"].as_u64().unwrap() >= 2);
    // A path, with every relation of each hop.
    let graphml = dir.path().join("path.graphml");
    let out = jejaring(&[
        "path",
        "meutya-hafid",
        "tejas-networks",
        "--format",
        "graphml",
        "--out",
        graphml.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v = networkx("graphml", &graphml);
    let nodes = v["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 3, "a path of two hops: {nodes:?}");
    // A neighbourhood, as many entities as the text answer names.
    let gexf = dir.path().join("n.gexf");
    let out = jejaring(&[
        "neighbours",
        "komdigi",
        "--format",
        "gexf",
        "--out",
        gexf.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&jejaring(&[
        "neighbours",
        "komdigi",
        "--format",
        "json",
        "--per-page",
        "0",
    ])))
    .unwrap();
    assert_eq!(
        networkx("gexf", &gexf)["nodes"].as_array().unwrap().len(),
        json["nodes"].as_array().unwrap().len()
    );
    // Gephi's two files go to a folder; stdout cannot hold them.
    let out = jejaring(&["common", "komdigi", "india", "--format", "gephi"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--out DIR"), "{}", stderr(&out));
    let folder = dir.path().join("gephi");
    let out = jejaring(&[
        "common",
        "komdigi",
        "india",
        "--format",
        "gephi",
        "--out",
        folder.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(folder.join("nodes.csv").is_file() && folder.join("edges.csv").is_file());
}
