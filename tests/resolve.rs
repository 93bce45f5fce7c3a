//! Resolution never guesses in silence, and search finds what a person
//! types: on a small dataset of people with shared and near names
//! (tests/fixtures/resolve).

mod common;

use common::{code, stderr, stdout};
use jejaring::dataset::{Quiet, load_dirs};
use jejaring::error::QueryError;
use jejaring::graph::Graph;
use jejaring::model::Kind;
use jejaring::query::resolve::{CLOSE_SCORE_GAP, ResolvedBy, resolve_arg};
use jejaring::query::search::{SearchQuery, find, search};
use serde_json::Value;

const DATA: &str = "tests/fixtures/resolve";

fn graph() -> Graph {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(DATA);
    load_dirs(&[dir], &Quiet).expect("the fixture loads").graph
}

fn id(g: &Graph, e: u32) -> &str {
    g.entity(e).id()
}

fn run(args: &[&str]) -> std::process::Output {
    let mut all = vec!["--data", DATA];
    all.extend_from_slice(args);
    common::jejaring(&all)
}

#[test]
fn exact_ids_names_and_aliases_say_so() {
    let g = graph();
    for (arg, by) in [
        ("budi-santoso", ResolvedBy::Id),
        ("BUDI SANTOSO", ResolvedBy::Name),
        ("pak budi", ResolvedBy::Alias),
    ] {
        let r = resolve_arg(&g, arg).unwrap();
        assert_eq!((id(&g, r.entity), r.by), ("budi-santoso", by), "{arg}");
        assert_eq!(r.score, 1.0);
        assert!(r.alternatives.is_empty() && !r.is_guess());
    }
}

#[test]
fn a_search_match_says_it_was_a_search_and_names_the_runners_up() {
    let g = graph();
    // "Santosa" is one letter off: both Budis match, the longer name less.
    let r = resolve_arg(&g, "Budi Santosa").unwrap();
    assert_eq!(id(&g, r.entity), "budi-santoso");
    assert_eq!(r.by, ResolvedBy::Search);
    assert!(r.score < 1.0);
    assert_eq!(id(&g, r.alternatives[0]), "budi-santoso-wijaya");

    let out = run(&["show", "Budi Santosa"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Budi Santoso\n"));
    let err = stderr(&out);
    assert!(
        err.contains("\"Budi Santosa\" matched Budi Santoso (budi-santoso) by search")
            && err.contains("also: Budi Santoso Wijaya (budi-santoso-wijaya)"),
        "{err}"
    );

    let out = run(&["show", "Budi Santosa", "--format", "json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let r = &v["resolved"]["entity"];
    assert_eq!(r["query"], "Budi Santosa");
    assert_eq!(r["by"], "search");
    assert_eq!(r["entity"]["id"], "budi-santoso");
    assert_eq!(r["alternatives"][0]["id"], "budi-santoso-wijaya");
    assert!(r["score"].as_f64().unwrap() < 1.0);

    // An exact name needs no notice.
    let out = run(&["show", "Budi Santoso"]);
    assert_eq!(code(&out), 0);
    assert!(!stderr(&out).contains("matched"), "{}", stderr(&out));
}

#[test]
fn path_answers_carry_how_each_end_was_resolved() {
    let out = run(&["path", "rina-hartono", "Budi Santosa", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["resolved"]["from"]["by"], "id");
    assert_eq!(v["resolved"]["to"]["by"], "search");
    assert_eq!(v["resolved"]["to"]["entity"]["id"], "budi-santoso");
    let out = run(&["neighbours", "Budi Santosa"]);
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).contains("by search"), "{}", stderr(&out));
}

#[test]
fn close_candidates_are_ambiguous_and_listed_in_full() {
    let g = graph();
    // Two entities named alike, and a typo that fits both the same way.
    for arg in ["Agus Salim", "Agus Salem"] {
        let Err(QueryError::Ambiguous { candidates, .. }) = resolve_arg(&g, arg) else {
            panic!("{arg} is ambiguous");
        };
        let ids: Vec<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), 2, "{arg}: {ids:?}");
        let person = candidates.iter().find(|c| c.id == "agus-salim").unwrap();
        assert_eq!(person.kind, "person");
        assert_eq!(person.country.as_deref(), Some("ID"));
        assert!(person.dates.contains("1884") && person.dates.contains("1954"));
        assert!(person.description.starts_with("Diplomat"));
        assert_eq!(
            person.relations,
            g.degree(g.entity_index("agus-salim").unwrap())
        );
    }
    let out = run(&["show", "Agus Salem"]);
    assert_eq!(code(&out), 2, "ambiguity is a usage error");
    let err = stderr(&out);
    for want in [
        "ambiguous",
        "agus-salim, person, ID, 1884 – 1954, 1 relation",
        "agus-salim-foundation, organization, NL, 2001 –, 1 relation",
        "Leiden foundation",
    ] {
        assert!(err.contains(want), "{want:?} in {err}");
    }
}

#[test]
fn a_clear_leader_is_not_ambiguous_but_a_close_one_is() {
    let g = graph();
    let hits = search(&g, "Budi Santosa", 2);
    assert!(hits[0].score - hits[1].score >= CLOSE_SCORE_GAP);
    let hits = search(&g, "Rina Hart", 2);
    assert!(hits[0].score - hits[1].score < CLOSE_SCORE_GAP);
    assert!(matches!(
        resolve_arg(&g, "Rina Hart"),
        Err(QueryError::Ambiguous { .. })
    ));
}

#[test]
fn ties_break_by_relations_not_by_name() {
    let g = graph();
    // Same length, same prefix: only the relation count tells them apart,
    // and alphabetically "hartana" would come first.
    let hits = search(&g, "rina hart", 5);
    assert_eq!(hits[0].score, hits[1].score);
    let first = hits[0].entity;
    let second = hits[1].entity;
    assert_eq!(id(&g, first), "rina-hartono");
    assert!(g.degree(first) > g.degree(second));
}

#[test]
fn every_word_is_typo_tolerant_including_old_spellings() {
    let g = graph();
    for q in ["Boedi Santoso", "budi santoso", "Budi Santoso"] {
        let hits = search(&g, q, 3);
        assert_eq!(id(&g, hits[0].entity), "budi-santoso", "{q}");
    }
    let r = resolve_arg(&g, "Boedi Santoso").unwrap();
    assert_eq!(
        (id(&g, r.entity), r.by),
        ("budi-santoso", ResolvedBy::Search)
    );
}

#[test]
fn a_word_more_or_less_still_finds_the_company_ranked_lower() {
    let g = graph();
    let exact = search(&g, "PT Tejas Networks Indonesia", 1)[0].score;
    for q in ["Tejas Networks", "PT Tejas Networks Indonesia Tbk"] {
        let hits = search(&g, q, 3);
        assert_eq!(id(&g, hits[0].entity), "pt-tejas", "{q}");
        assert!(hits[0].score < exact, "{q} ranks below the exact name");
    }
}

#[test]
fn kinds_filter_and_the_total_counts_every_match() {
    let g = graph();
    let all = find(
        &g,
        &SearchQuery {
            text: "budi".into(),
            kinds: Vec::new(),
            limit: 1,
        },
    );
    assert_eq!(all.hits.len(), 1);
    let every = search(&g, "budi", 100);
    assert!(every.len() > 1);
    assert_eq!(all.total, every.len());
    let orgs = find(
        &g,
        &SearchQuery {
            text: "budi".into(),
            kinds: vec![Kind::Organization],
            limit: 10,
        },
    );
    assert!(!orgs.hits.is_empty());
    assert!(
        orgs.hits
            .iter()
            .all(|h| g.entity(h.entity).kind == Kind::Organization)
    );
    assert_eq!(orgs.total, orgs.hits.len());
    assert!(orgs.total < all.total);

    let out = run(&["search", "budi", "--limit", "1"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(
        text.starts_with(&format!("{} hits, showing 1\n", every.len())),
        "{text}"
    );
    let out = run(&[
        "search",
        "budi",
        "--kind",
        "organization",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["total"], orgs.total);
    assert_eq!(v["hits"][0]["kind"], "organization");
    let out = run(&["search", "budi", "--kind", "planet"]);
    assert_eq!(code(&out), 2, "an unknown kind is a usage error");
}

#[test]
fn no_hit_offers_the_nearest_names() {
    let g = graph();
    let a = find(
        &g,
        &SearchQuery {
            text: "Hartxyo".into(),
            kinds: Vec::new(),
            limit: 10,
        },
    );
    assert_eq!((a.hits.len(), a.total), (0, 0));
    assert_eq!(id(&g, a.nearest[0].entity), "rina-hartono");
    let out = run(&["search", "Hartxyo"]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("did you mean Rina Hartono (rina-hartono"),
        "{}",
        stderr(&out)
    );
}
