//! The loader on fixture datasets: every error class reported as
//! `PATH:LINE: message`, all in one run, exit 2, nothing on stdout.

mod common;

use common::{code, jejaring, stderr, stdout};

/// Each folder under `tests/fixtures/bad/` holds a dataset with one kind of
/// problem and an `expected` file: the lines stderr must hold, each after
/// the folder's path (`{dir}` stands for that path inside a line).
#[test]
fn every_bad_fixture_fails_with_its_file_and_line() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 15, "fixtures are missing");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let dir = format!("tests/fixtures/bad/{name}");
        let expected = std::fs::read_to_string(case.join("expected")).unwrap();
        for cmd in ["validate", "stats"] {
            let out = jejaring(&["--data", &dir, cmd]);
            assert_eq!(code(&out), 2, "{name} {cmd}: exit code");
            assert_eq!(stdout(&out), "", "{name} {cmd}: nothing on stdout");
            let err = stderr(&out);
            assert!(!err.contains("panicked"), "{name}: {err}");
            for want in expected.lines().filter(|l| !l.is_empty()) {
                let want = format!("{dir}/{}", want.replace("{dir}", &dir));
                assert!(
                    err.lines().any(|l| l.starts_with(&want)),
                    "{name} {cmd}: expected a line starting\n  {want}\nin\n{err}"
                );
            }
        }
    }
}

#[test]
fn all_problems_are_reported_in_one_run_in_file_order() {
    let out = jejaring(&["--data", "tests/fixtures/bad/many-errors", "validate"]);
    let err = stderr(&out);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(".csv:")).collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        lines[0].contains("entities.csv:4:") && lines[3].contains("relations.csv:5:"),
        "{err}"
    );
    assert!(err.ends_with("4 errors; nothing was loaded\n"), "{err}");
}

#[test]
fn awkward_but_valid_data_loads() {
    let out = jejaring(&["--data", "tests/fixtures/good", "validate"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "ok: 4 entities, 5 relations, 2 sources; 0 warnings\n"
    );
    // BOM, CRLF, quoted commas and newlines, extra columns, any script.
    let show = jejaring(&[
        "--data",
        "tests/fixtures/good",
        "show",
        "acme",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&show)).unwrap();
    assert_eq!(v["name"], "Acme, Corp");
    assert_eq!(v["start"], "2001-02-03");
    assert_eq!(v["attributes"]["wikidata"], "Q3");
    let alice = jejaring(&[
        "--data",
        "tests/fixtures/good",
        "show",
        "アリス",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&alice)).unwrap();
    assert_eq!(v["id"], "alice");
    assert_eq!(v["country"], "ID", "country codes are upper-cased");
    assert_eq!(v["description"], "A minister, \"quoted\", with a comma");
    assert_eq!(
        v["relations"]["signed"][0]["evidence"],
        "She signed it, in person."
    );
    let min = jejaring(&[
        "--data",
        "tests/fixtures/good",
        "show",
        "min",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&min)).unwrap();
    assert_eq!(
        v["kind"], "organization",
        "Organisation is read as organization"
    );
    assert_eq!(v["description"], "Two\nlines");
}

#[test]
fn datasets_merge_and_clashing_ids_name_both_files() {
    let out = jejaring(&[
        "--data",
        "tests/fixtures/good",
        "--data",
        "tests/fixtures/merge-extra",
        "stats",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        (
            v["entities"].as_u64(),
            v["relations"].as_u64(),
            v["sources"].as_u64()
        ),
        (Some(5), Some(7), Some(3))
    );
    let clash = jejaring(&[
        "--data",
        "tests/fixtures/good",
        "--data",
        "tests/fixtures/merge-clash",
        "validate",
    ]);
    assert_eq!(code(&clash), 2);
    assert!(stderr(&clash).contains(
        "tests/fixtures/merge-clash/entities.csv:3: duplicate entity id \"alice\" (already defined at tests/fixtures/good/entities.csv:2)"
    ), "{}", stderr(&clash));
}

#[test]
fn a_folder_that_is_not_there_or_a_file_is_a_clear_error() {
    let out = jejaring(&["--data", "tests/fixtures/nope", "validate"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out).lines().next().unwrap(),
        "tests/fixtures/nope: no such dataset folder"
    );
    let out = jejaring(&[
        "--data",
        "tests/fixtures/bad/many-errors/expected",
        "validate",
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("is a file, expected a dataset folder"));
}

#[test]
fn the_embedded_dataset_validates_without_errors_or_warnings() {
    let out = jejaring(&["validate"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "no warnings");
    let g = common::embedded();
    assert!(g.entities.len() >= 50, "about 60 entities");
    assert!(g.relations.len() >= 100, "100+ relations");
    assert_eq!(g.sources.len(), 5, "one source per article");
    // Every relation cites one of the five articles, and every source is a seed file.
    for s in &g.sources {
        assert!(
            s.file.ends_with(".txt") && s.language.as_ref() == "id",
            "{s:?}"
        );
    }
}

#[test]
fn stats_json_has_the_design_shape() {
    let out = jejaring(&["stats", "--format", "json"]);
    assert_eq!(code(&out), 0);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let g = common::embedded();
    assert_eq!(v["entities"].as_u64().unwrap() as usize, g.entities.len());
    assert_eq!(v["relations"].as_u64().unwrap() as usize, g.relations.len());
    let by_kind: u64 = v["by_kind"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    let by_type: u64 = v["by_type"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(by_kind as usize, g.entities.len());
    assert_eq!(by_type as usize, g.relations.len());
}

#[test]
fn warnings_name_file_and_line_and_strict_fails_on_them() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sources.csv"),
        "id,title\ns1,One\ns2,Unused\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("entities.csv"),
        "id,kind,name\na,person,A\nb,person,B\nlonely,person,L\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("relations.csv"),
        "from,to,type,source\na,b,befriended,s1\n",
    )
    .unwrap();
    let d = dir.path().to_str().unwrap();
    let out = jejaring(&["--data", d, "validate"]);
    assert_eq!(code(&out), 0);
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{d}/relations.csv:2: relation type \"befriended\" is not in the vocabulary"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{d}/entities.csv:4: entity \"lonely\" has no relation (warning)"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{d}/sources.csv:3: source \"s2\" supports no relation (warning)"
        )),
        "{err}"
    );
    assert_eq!(code(&jejaring(&["--data", d, "validate", "--strict"])), 2);
}
