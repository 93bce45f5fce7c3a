//! The query commands on the embedded dataset, as a researcher runs them.

mod common;

use common::{code, jejaring, stderr, stdout};
use serde_json::Value;

fn json(args: &[&str]) -> (i32, Value) {
    let out = jejaring(args);
    let v = serde_json::from_str(&stdout(&out))
        .unwrap_or_else(|e| panic!("{args:?}: {e}\n{}", stderr(&out)));
    (code(&out), v)
}

fn source_ids() -> Vec<String> {
    common::embedded()
        .sources
        .iter()
        .map(|s| s.id.to_string())
        .collect()
}

#[test]
fn search_finds_typos_prefixes_acronyms_and_scripts() {
    for (q, want) in [
        ("meutia hafid", "meutya-hafid"),
        ("tejas", "tejas-networks"),
        ("kominfo", "kominfo"),
        ("Путин", "vladimir-putin"),
    ] {
        let (c, v) = json(&["search", q, "--format", "json"]);
        assert_eq!(c, 0);
        assert_eq!(v["query"], q);
        assert_eq!(v["hits"][0]["id"], want, "{q}");
        for key in ["id", "name", "kind", "aliases", "score"] {
            assert!(v["hits"][0].get(key).is_some(), "hit has {key}");
        }
    }
    let out = jejaring(&["search", "xqzxqzxqz"]);
    assert_eq!(code(&out), 1, "no hit is exit 1");
    let (c, v) = json(&["search", "xqzxqzxqz", "--format", "json"]);
    assert_eq!((c, v["hits"].as_array().unwrap().len()), (1, 0));
}

#[test]
fn show_groups_relations_with_sources_and_evidence() {
    let out = jejaring(&["show", "MEUTYA HAFID"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("Meutya Hafid\n  id:       meutya-hafid\n  kind:     person\n"),
        "{text}"
    );
    assert!(text.contains("\nsigned ("), "{text}");
    assert!(text.contains("source: "), "{text}");
    let (_, v) = json(&["show", "meutya-hafid", "--format", "json"]);
    let rels = v["relations"].as_object().unwrap();
    assert!(rels.contains_key("holds_position") && rels.contains_key("signed"));
    for group in rels.values() {
        for r in group.as_array().unwrap() {
            assert!(source_ids().contains(&r["source"].as_str().unwrap().to_string()));
        }
    }
}

#[test]
fn the_question_from_the_issue_is_answered_hop_by_hop() {
    // "How is Meutya Hafid connected to Tejas Networks, and who says so?"
    let out = jejaring(&["path", "Meutya Hafid", "Tejas Networks"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("Path 1 of 1 — Meutya Hafid → Tejas Networks, "),
        "{text}"
    );
    assert!(text.contains("source: "), "{text}");
    let (c, v) = json(&["path", "Meutya Hafid", "Tejas Networks", "--format", "json"]);
    assert_eq!(c, 0);
    assert_eq!(v["from"]["id"], "meutya-hafid");
    assert_eq!(v["to"]["id"], "tejas-networks");
    let p = &v["paths"][0];
    let len = p["length"].as_u64().unwrap() as usize;
    assert_eq!(p["nodes"].as_array().unwrap().len(), len + 1);
    assert_eq!(p["edges"].as_array().unwrap().len(), len);
    for e in p["edges"].as_array().unwrap() {
        for key in [
            "from", "to", "type", "role", "start", "end", "source", "evidence",
        ] {
            assert!(e.get(key).is_some(), "REL has {key}");
        }
        assert!(source_ids().contains(&e["source"].as_str().unwrap().to_string()));
    }
}

#[test]
fn k_paths_come_shortest_first_and_exclusions_hold() {
    let (c, v) = json(&[
        "path",
        "meutya-hafid",
        "tejas-networks",
        "--k",
        "5",
        "--format",
        "json",
    ]);
    assert_eq!(c, 0);
    let lens: Vec<u64> = v["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["length"].as_u64().unwrap())
        .collect();
    assert!(
        lens.len() > 1 && lens.windows(2).all(|w| w[0] <= w[1]),
        "{lens:?}"
    );
    let (_, v) = json(&[
        "path",
        "meutya-hafid",
        "tejas-networks",
        "--k",
        "3",
        "--exclude-kind",
        "country,topic",
        "--format",
        "json",
    ]);
    for p in v["paths"].as_array().unwrap() {
        let nodes = p["nodes"].as_array().unwrap();
        for n in &nodes[1..nodes.len() - 1] {
            assert!(n["kind"] != "country" && n["kind"] != "topic", "{n}");
        }
    }
}

#[test]
fn no_path_is_exit_1_and_says_what_constrained_it() {
    let out = jejaring(&["path", "meutya-hafid", "tejas-networks", "--max-hops", "1"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert!(
        err.contains("no path from Meutya Hafid to Tejas Networks (at most 1 hops)"),
        "{err}"
    );
    assert!(
        err.contains("without these constraints there is a path of"),
        "{err}"
    );
    let (c, v) = json(&[
        "path",
        "meutya-hafid",
        "tejas-networks",
        "--max-hops",
        "1",
        "--format",
        "json",
    ]);
    assert_eq!(c, 1);
    assert_eq!(v["paths"].as_array().unwrap().len(), 0);
}

#[test]
fn neighbours_have_the_design_shape_and_cap() {
    let (c, v) = json(&["neighbours", "komdigi", "--depth", "2", "--format", "json"]);
    assert_eq!(c, 0);
    assert_eq!(v["center"]["id"], "komdigi");
    assert_eq!(v["depth"], 2);
    assert_eq!(v["truncated"], false);
    assert_eq!(v["nodes"][0]["id"], "komdigi");
    assert_eq!(v["nodes"][0]["distance"], 0);
    let (_, capped) = json(&[
        "neighbours",
        "komdigi",
        "--depth",
        "2",
        "--max-nodes",
        "4",
        "--format",
        "json",
    ]);
    assert_eq!(capped["truncated"], true);
    assert_eq!(capped["nodes"].as_array().unwrap().len(), 4);
    let (_, people) = json(&[
        "neighbours",
        "komdigi",
        "--kind",
        "person",
        "--format",
        "json",
    ]);
    for n in people["nodes"].as_array().unwrap().iter().skip(1) {
        assert_eq!(n["kind"], "person");
    }
    let csv = stdout(&jejaring(&["neighbours", "komdigi", "--format", "csv"]));
    assert!(csv.starts_with("from,from_name,to,to_name,type,role,start,end,source,source_title,source_published,evidence\n"));
    let dot = stdout(&jejaring(&["neighbours", "komdigi", "--format", "dot"]));
    assert!(dot.starts_with("digraph jejaring {") && dot.contains("\"komdigi\""));
}

#[test]
fn pairs_give_one_json_line_per_row_errors_included() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("pairs.csv");
    std::fs::write(
        &f,
        "from,to\nmeutya-hafid,tejas-networks\nnobody-at-all-xyz,komdigi\nkomdigi,kominfo\n",
    )
    .unwrap();
    let out = jejaring(&["path", "--pairs", f.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let lines: Vec<Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["row"], 1);
    assert!(lines[0]["paths"][0]["length"].as_u64().unwrap() >= 1);
    assert_eq!(lines[1]["row"], 2);
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("from: no entity matches")
    );
    assert_eq!(lines[2]["row"], 3);
    assert_eq!(lines[2]["paths"][0]["length"], 1);
    let missing = jejaring(&["path", "--pairs", "/nonexistent/pairs.csv"]);
    assert_eq!(code(&missing), 2);
}

#[test]
fn bad_usage_is_exit_2_with_what_is_allowed() {
    for (args, want) in [
        (
            vec!["neighbours", "komdigi", "--at", "2025-13"],
            "the month must be 01 to 12",
        ),
        (
            vec!["neighbours", "komdigi", "--kind", "persn"],
            "did you mean \"person\"",
        ),
        (
            vec!["neighbours", "komdigi", "--type", "signd"],
            "did you mean \"signed\"",
        ),
        (
            vec!["path", "komdigi", "kominfo", "--exclude-kind", "contry"],
            "allowed: person, organization",
        ),
        (vec!["show", "nobody-at-all-xyz"], "no entity matches"),
        (vec!["path", "komdigi"], "required"),
        (
            vec!["search", "x", "--format", "svg"],
            "possible values: text, json",
        ),
        (
            vec!["neighbours", "komdigi", "--at", "2025", "--from", "2024"],
            "not both",
        ),
    ] {
        let out = jejaring(&args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(stderr(&out).contains(want), "{args:?}: {}", stderr(&out));
    }
}

#[test]
fn text_output_reads_like_notes() {
    let out = stdout(&jejaring(&["path", "Meutya Hafid", "Tejas Networks"]));
    insta::assert_snapshot!("path_meutya_tejas", out);
    let out = stdout(&jejaring(&["show", "tejas-networks"]));
    insta::assert_snapshot!("show_tejas", out);
}

/// `--kind` chooses what is shown: the people two hops from Komdigi are
/// every person of the unfiltered two-hop answer, including those reached
/// through an agreement or a country; only `--through-kind` narrows the
/// walk, and the answer says what the filters removed.
#[test]
fn a_kind_filter_shows_every_person_within_reach() {
    let json = |args: &[&str]| -> serde_json::Value {
        let o = jejaring(args);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        serde_json::from_str(&stdout(&o)).unwrap()
    };
    let ids_of = |v: &serde_json::Value, kind: Option<&str>| -> Vec<String> {
        let mut ids: Vec<String> = v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| kind.is_none_or(|k| n["kind"] == k || n["distance"] == 0))
            .map(|n| n["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let base = ["neighbours", "komdigi", "--depth", "2", "--max-nodes", "0"];
    let all = json(&[&base[..], &["--format", "json"]].concat());
    let people = json(&[&base[..], &["--kind", "person", "--format", "json"]].concat());
    assert_eq!(ids_of(&people, None), ids_of(&all, Some("person")));
    assert!(people["filtered"]["kind"].as_u64().unwrap() > 0);
    let walked = json(
        &[
            &base[..],
            &[
                "--kind",
                "person",
                "--through-kind",
                "person",
                "--format",
                "json",
            ],
        ]
        .concat(),
    );
    assert!(
        ids_of(&walked, None).len() < ids_of(&people, None).len(),
        "walking only through people reaches fewer"
    );
    let text = stdout(&jejaring(&[&base[..], &["--kind", "person"]].concat()));
    assert!(text.contains("filtered out: "), "{text}");
    assert!(text.contains("by kind"), "{text}");
}

/// The same dataset folder given twice is one error, not one per id.
#[test]
fn the_same_data_folder_twice_is_one_error() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/good");
    let o = jejaring(&["--data", dir, "--data", &format!("{dir}/"), "stats"]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("given twice"), "{err}");
}

/// `validate` warns about relations dated outside an entity's span and
/// groups warnings of one shape: a few examples, then a count.
#[test]
fn validate_warns_about_dates_outside_an_entity_and_groups_them() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/spans");
    let o = jejaring(&["--data", dir, "validate"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("5 warnings"), "{}", stdout(&o));
    let err = stderr(&o);
    // Five relations dated outside an entity's span, whatever the
    // entity and the dates' precision, are one finding: three examples,
    // then a count.
    let examples = err
        .lines()
        .filter(|l| l.contains("falls outside the span of"))
        .count();
    assert_eq!(examples, 3, "three examples of five: {err}");
    assert!(
        err.contains(
            "relations.csv:2: relation dated 2019– falls outside the span of \"komdigi\" (2024-10–)"
        ),
        "{err}"
    );
    assert!(
        err.contains("… and 2 more like this (5 warnings in all)"),
        "{err}"
    );
    let strict = jejaring(&["--data", dir, "validate", "--strict"]);
    assert_eq!(code(&strict), 2);
}

/// Each command's `--help` lists only the formats it writes, and points to
/// the README rather than to a file outside the repository.
#[test]
fn help_lists_only_the_formats_a_command_writes() {
    for cmd in ["search", "show", "stats"] {
        let help = stdout(&jejaring(&[cmd, "--help"]));
        assert!(help.contains("json"), "{cmd}: {help}");
        let formats = help
            .lines()
            .skip_while(|l| !l.contains("--format"))
            .skip(1)
            .take_while(|l| {
                let l = l.trim_start();
                !l.starts_with("--") && !l.starts_with("-h")
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert!(formats.contains("json"), "{cmd}: {help}");
        for absent in ["csv", "svg", "dot"] {
            assert!(!formats.contains(absent), "{cmd} lists {absent}: {formats}");
        }
        assert!(!help.contains("DESIGN.md"), "{cmd}: {help}");
        let o = jejaring(&[cmd, "x", "--format", "csv"]);
        assert_eq!(code(&o), 2, "{cmd}");
    }
    let help = stdout(&jejaring(&["neighbours", "--help"]));
    for present in ["csv", "svg", "dot", "README"] {
        assert!(help.contains(present), "neighbours lacks {present}: {help}");
    }
}
