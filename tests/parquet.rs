//! `export --format parquet` read back by the tools it is for: DuckDB
//! (column types, values, a join that answers a neighbour query) and
//! Apache Spark, through the shipped example `tests/spark/components.py`,
//! whose connected components and breadth-first distances must equal
//! jejaring's own answers on a generated dataset.
//!
//! Both need Python packages `.ci/run` installs (duckdb, pyspark; Spark
//! also needs Java). When one is missing the test fails and says so.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::{code, jejaring, stderr, stdout};
use serde_json::{Value, json};

/// Fails with a clear message when a Python module is missing.
fn require(module: &str) {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "python3 cannot import {module}: run `bash .ci/run` once, which installs the test \
         tools (or `python3 -m pip install duckdb==1.4.2 pyspark==3.5.7`, and Java)"
    );
}

/// Runs a Python program with arguments; its standard output as JSON.
fn python(args: &[&str]) -> Value {
    let out = Command::new("python3")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "python3 {:?} failed:\n{}",
        &args[..args.len().min(2)],
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

/// `jejaring ARGS --format json`, parsed.
fn answer(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let out = jejaring(&all);
    assert_eq!(code(&out), 0, "{all:?}: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn export(data: &str, out: &Path) {
    let o = jejaring(&[
        "--data",
        data,
        "export",
        "--format",
        "parquet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stderr(&o).contains("nodes.parquet, edges.parquet, sources.parquet"));
}

/// The generated dataset of the Spark and DuckDB checks, exported.
fn generated(dir: &Path) -> (String, std::path::PathBuf) {
    let data = dir.join("data");
    let o = jejaring(&[
        "generate",
        "--entities",
        "2000",
        "--relations",
        "8000",
        "--seed",
        "1",
        "--out",
        data.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let data = data.to_str().unwrap().to_string();
    let out = dir.join("parquet");
    export(&data, &out);
    (data, out)
}

/// Reads an export with DuckDB: every column's type, row counts, and the
/// rows asked for (dates as ISO text).
const DUCKDB_READ: &str = r#"
import json, sys
import duckdb
d = sys.argv[1]
con = duckdb.connect()
out = {"types": {}, "counts": {}, "rows": {}}
for t in ["nodes", "edges", "sources"]:
    con.execute(f"create view {t} as select * from read_parquet('{d}/{t}.parquet')")
    out["types"][t] = {r[0]: r[1] for r in con.execute(f"describe {t}").fetchall()}
    out["counts"][t] = con.execute(f"select count(*) from {t}").fetchone()[0]
    cur = con.execute(f"select * from {t} order by id")
    names = [c[0] for c in cur.description]
    out["rows"][t] = {r[0]: dict(zip(names, r)) for r in cur.fetchall()}
print(json.dumps(out, default=str))
"#;

#[test]
fn duckdb_reads_every_column_typed_with_dates_and_nulls() {
    require("duckdb");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pq");
    export("tests/fixtures/good", &out);
    let v = python(&["-c", DUCKDB_READ, out.to_str().unwrap()]);

    let stats = answer(&["--data", "tests/fixtures/good", "stats"]);
    assert_eq!(v["counts"]["nodes"], stats["entities"]);
    assert_eq!(v["counts"]["edges"], stats["relations"]);
    assert_eq!(v["counts"]["sources"], stats["sources"]);

    // Every column, typed; the dataset's extra columns too.
    let types = &v["types"];
    for (table, column, ty) in [
        ("nodes", "id", "VARCHAR"),
        ("nodes", "aliases", "VARCHAR[]"),
        ("nodes", "start", "DATE"),
        ("nodes", "end", "DATE"),
        ("nodes", "start_text", "VARCHAR"),
        ("nodes", "description", "VARCHAR"),
        ("nodes", "wikidata", "VARCHAR"),
        ("edges", "src", "VARCHAR"),
        ("edges", "dst", "VARCHAR"),
        ("edges", "symmetric", "BOOLEAN"),
        ("edges", "start", "DATE"),
        ("edges", "source_id", "VARCHAR"),
        ("edges", "evidence", "VARCHAR"),
        ("edges", "confidence", "VARCHAR"),
        ("sources", "published", "DATE"),
        ("sources", "published_text", "VARCHAR"),
        ("sources", "file", "VARCHAR"),
    ] {
        assert_eq!(types[table][column], ty, "{table}.{column}: {types}");
    }

    let alice = &v["rows"]["nodes"]["alice"];
    assert_eq!(
        alice["aliases"],
        json!(["Alisa", "Алиса", "アリス", "ऐलिस"])
    );
    assert_eq!(alice["description"], "A minister, \"quoted\", with a comma");
    assert_eq!(alice["wikidata"], "Q1");
    assert_eq!(alice["start"], Value::Null, "empty cells are null");
    // A partial start is widened to its first day, the text kept.
    let min = &v["rows"]["nodes"]["min"];
    assert_eq!(min["start"], "2020-01-01");
    assert_eq!(min["start_text"], "2020");
    assert_eq!(min["end"], Value::Null);

    // Relations are r{index} in file order; an end is widened to its last day.
    let r0 = &v["rows"]["edges"]["r0"];
    assert_eq!(
        (&r0["src"], &r0["dst"], &r0["type"]),
        (&json!("alice"), &json!("min"), &json!("holds_position"))
    );
    assert_eq!(r0["start"], "2024-10-01");
    assert_eq!(r0["start_text"], "2024-10");
    assert_eq!(r0["confidence"], "high");
    assert_eq!(r0["symmetric"], false);
    let r1 = &v["rows"]["edges"]["r1"];
    assert_eq!(r1["end"], "2025-01-31");
    assert_eq!(r1["confidence"], Value::Null);
    assert_eq!(r1["evidence"], "She signed it, in person.");

    let s1 = &v["rows"]["sources"]["s1"];
    assert_eq!(s1["published"], "2025-04-15");
    let s2 = &v["rows"]["sources"]["s2"];
    assert_eq!(s2["published"], "2025-01-01");
    assert_eq!(s2["published_text"], "2025");
    assert_eq!(s2["publisher"], Value::Null);
}

/// The entities within two hops of one, by SQL joins on the export, each
/// with its distance: what `jejaring neighbours --depth 2` answers.
const DUCKDB_NEIGHBOURS: &str = r#"
import json, sys
import duckdb
d, start = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"create view edges as select * from read_parquet('{d}/edges.parquet')")
# Relations both ways, as jejaring walks them.
con.execute("create view links as select src as a, dst as b from edges union select dst, src from edges")
rows = con.execute("""
  with one as (select distinct b as id from links where a = ?),
       two as (select distinct l.b as id from one join links l on l.a = one.id)
  select id, 1 from one where id <> ?
  union all
  select id, 2 from two where id <> ? and id not in (select id from one)
""", [start, start, start]).fetchall()
print(json.dumps({id: dist for id, dist in rows}))
"#;

/// Every entity's distance from `start` by `jejaring neighbours`.
fn jejaring_distances(data: &str, start: &str, depth: &str) -> BTreeMap<String, u64> {
    let v = answer(&[
        "--data",
        data,
        "neighbours",
        start,
        "--depth",
        depth,
        "--max-nodes",
        "0",
        "--per-page",
        "1",
    ]);
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["id"].as_str().unwrap().to_string(),
                n["distance"].as_u64().unwrap(),
            )
        })
        .collect()
}

const START: &str = "oho-orikeba-dm";

#[test]
fn a_duckdb_join_answers_a_neighbour_query_as_jejaring_does() {
    require("duckdb");
    let dir = tempfile::tempdir().unwrap();
    let (data, out) = generated(dir.path());
    let v = python(&["-c", DUCKDB_NEIGHBOURS, out.to_str().unwrap(), START]);
    let sql: BTreeMap<String, u64> = serde_json::from_value(v).unwrap();
    let mut ours = jejaring_distances(&data, START, "2");
    assert_eq!(ours.remove(START), Some(0));
    assert!(ours.len() > 100, "a real neighbourhood: {}", ours.len());
    assert_eq!(sql, ours);
}

#[test]
fn the_spark_example_finds_jejarings_components_and_distances() {
    require("pyspark");
    let java = Command::new("java").arg("-version").output();
    assert!(
        java.is_ok_and(|o| o.status.success()),
        "Spark needs Java: run `bash .ci/run` once (it installs default-jre-headless)"
    );
    let dir = tempfile::tempdir().unwrap();
    let (data, out) = generated(dir.path());
    let spark = python(&[
        "tests/spark/components.py",
        out.to_str().unwrap(),
        "--from",
        START,
        "--master",
        "local[1]",
        "--json",
    ]);

    let stats = answer(&["--data", &data, "stats"]);
    assert_eq!(spark["entities"], stats["entities"]);
    assert_eq!(spark["relations"], stats["relations"]);
    assert_eq!(spark["components"], stats["components"]);

    // Distances from one entity to every other, by breadth-first search.
    let spark_dist: BTreeMap<String, u64> =
        serde_json::from_value(spark["distances"].clone()).unwrap();
    let ours = jejaring_distances(&data, START, "100");
    assert_eq!(spark_dist.len(), 2000);
    assert_eq!(spark_dist, ours);

    // The farthest entity: its shortest path has as many hops.
    let (far, hops) = ours.iter().max_by_key(|(_, d)| **d).unwrap();
    assert!(*hops >= 3, "{far} at {hops}");
    let path = answer(&["--data", &data, "path", START, far, "--plain"]);
    assert_eq!(path["paths"][0]["length"].as_u64(), Some(*hops), "{path}");
}

/// The web serves the three files as one zip, each a Parquet file that
/// DuckDB reads with the entities of the neighbourhood asked for.
#[actix_web::test]
async fn the_web_serves_the_parquet_files_as_a_zip() {
    use actix_web::http::StatusCode;
    use actix_web::test::{TestRequest, call_service, init_service, read_body};
    use std::io::Read;

    require("duckdb");
    let state = jejaring::web::AppState::new(jejaring::dataset::embedded::graph());
    let app = init_service(jejaring::web::create_app(state)).await;
    let res = call_service(
        &app,
        TestRequest::get()
            .uri("/export/parquet?around=komdigi&depth=1")
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers().get("content-type").unwrap(),
        "application/zip"
    );
    let bytes = read_body(res).await.to_vec();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for name in ["nodes.parquet", "edges.parquet", "sources.parquet"] {
        let mut inside = Vec::new();
        zip.by_name(name)
            .unwrap_or_else(|_| panic!("{name} missing from the zip"))
            .read_to_end(&mut inside)
            .unwrap();
        assert!(inside.starts_with(b"PAR1") && inside.ends_with(b"PAR1"));
        std::fs::write(dir.path().join(name), inside).unwrap();
    }
    assert_eq!(zip.len(), 3);
    let v = python(&["-c", DUCKDB_READ, dir.path().to_str().unwrap()]);
    let ours = jejaring_distances("embedded", "komdigi", "1");
    let nodes: Vec<&String> = v["rows"]["nodes"].as_object().unwrap().keys().collect();
    assert_eq!(nodes, ours.keys().collect::<Vec<_>>());
}
