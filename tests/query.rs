//! Query semantics on small graphs, one `check` helper per query.

mod common;

use common::{embedded, graph, ids};
use jejaring::model::{Kind, TimeFilter};
use jejaring::query::{
    Filter, NeighbourhoodQuery, PathMode, PathQuery, Ranking, neighbourhood, paths, resolve, search,
};

const DIAMOND: &str = "
    a b c d e:country
    a>b:met_with
    a>c:works_for
    b>d:works_for
    c>d:member_of
    a>e:represents
    e>d:part_of
";

/// Paths as `a b d | a c d`, in answer order.
fn check_paths(spec: &str, from: &str, to: &str, q: PathQuery, expect: &str) {
    let g = graph(spec);
    let f = g.entity_index(from).unwrap();
    let t = g.entity_index(to).unwrap();
    let answer = paths(&g, f, t, &q);
    let got: Vec<String> = answer
        .paths
        .iter()
        .map(|p| ids(&g, p.nodes.iter().copied()))
        .collect();
    assert_eq!(got.join(" | "), expect, "paths {from} → {to} with {q:?}");
    for p in &answer.paths {
        assert_eq!(p.hops.len() + 1, p.nodes.len());
        assert!(
            p.hops.iter().all(|h| !h.is_empty()),
            "every hop has a relation"
        );
    }
}

/// A query ranked by hop count, whose ties these tests pin down; the
/// specific ranking has its own test below and its oracles in
/// `tests/properties.rs`.
fn q(mode: PathMode) -> PathQuery {
    PathQuery {
        mode,
        ranking: Ranking::Plain,
        ..PathQuery::default()
    }
}

#[test]
fn specific_ranking_keeps_only_the_path_without_generic_hops() {
    // Three paths of two hops; a → c → d ends by member_of and a → e → d
    // by part_of, both generic, so only a → b → d is cheapest.
    let all = PathQuery {
        mode: PathMode::All,
        ..PathQuery::default()
    };
    check_paths(DIAMOND, "a", "d", all, "a b d");
}

#[test]
fn shortest_path_ignores_direction_by_default() {
    // Three paths of two hops; the one through the earliest relations wins.
    check_paths(DIAMOND, "d", "a", q(PathMode::Shortest), "d b a");
}

#[test]
fn all_shortest_paths_in_id_order() {
    check_paths(DIAMOND, "a", "d", q(PathMode::All), "a b d | a c d | a e d");
}

#[test]
fn k_shortest_paths_are_loopless_and_ordered() {
    let spec = "
        a b c d x
        a>b
        b>d
        a>c
        c>x
        x>d
        b>c
    ";
    check_paths(
        spec,
        "a",
        "d",
        q(PathMode::K(4)),
        "a b d | a c b d | a c x d | a b c x d",
    );
    check_paths(spec, "a", "d", q(PathMode::K(1)), "a b d");
}

#[test]
fn excluded_kinds_and_avoided_entities_are_not_passed_through() {
    let mut no_country = q(PathMode::All);
    no_country.exclude_kinds = vec![Kind::Country];
    check_paths(DIAMOND, "a", "d", no_country, "a b d | a c d");
    let g = graph(DIAMOND);
    let mut avoid = q(PathMode::All);
    avoid.avoid = vec![g.entity_index("b").unwrap(), g.entity_index("c").unwrap()];
    check_paths(DIAMOND, "a", "d", avoid, "a e d");
}

#[test]
fn an_excluded_kind_at_an_end_is_still_reachable() {
    let mut no_country = q(PathMode::Shortest);
    no_country.exclude_kinds = vec![Kind::Country];
    check_paths(DIAMOND, "a", "e", no_country, "a e");
}

#[test]
fn directed_paths_follow_edges_and_symmetric_types_both_ways() {
    let mut directed = q(PathMode::All);
    directed.directed = true;
    // d has no outgoing relations: nothing from d to a.
    check_paths(DIAMOND, "d", "a", directed.clone(), "");
    // met_with is symmetric: b reaches a through it.
    check_paths(DIAMOND, "b", "a", directed, "b a");
}

#[test]
fn max_hops_limits_and_no_path_explains_itself() {
    let mut short = q(PathMode::Shortest);
    short.max_hops = Some(1);
    check_paths(DIAMOND, "a", "d", short.clone(), "");
    let g = graph(DIAMOND);
    let a = paths(
        &g,
        g.entity_index("a").unwrap(),
        g.entity_index("d").unwrap(),
        &short,
    );
    assert_eq!(a.unconstrained_length, Some(2));
    let msg = jejaring::render::text::no_path_reason(&g, &a, &short);
    assert!(msg.contains("at most 1 hops"), "{msg}");
    assert!(
        msg.contains("without these constraints there is a path of 2 hops"),
        "{msg}"
    );
}

#[test]
fn time_filter_drops_relations_that_did_not_hold() {
    let spec = "
        a b c
        a>b:works_for@2020..2021
        b>c:works_for@2024
        a>c:works_for@2025-06..
    ";
    let mut at = q(PathMode::All);
    at.time = TimeFilter::At("2025-07".parse().unwrap());
    check_paths(spec, "a", "c", at.clone(), "a c");
    // A meeting in June 2025 happened then; it does not still hold in July.
    let met = spec.replace("a>c:works_for", "a>c:met_with");
    check_paths(&met, "a", "c", at.clone(), "");
    at.time = TimeFilter::At("2025-06".parse().unwrap());
    check_paths(&met, "a", "c", at.clone(), "a c");
    at.time = TimeFilter::At("2020-05-01".parse().unwrap());
    check_paths(spec, "a", "c", at, "");
}

#[test]
fn parallel_relations_are_all_kept_on_the_hop() {
    let spec = "
        a b
        a>b:met_with
        a>b:works_for
    ";
    let g = graph(spec);
    let ans = paths(&g, 0, 1, &q(PathMode::Shortest));
    assert_eq!(ans.paths[0].hops[0].len(), 2);
}

/// A neighbourhood as `id:distance …`, plus whether it was truncated.
fn check_neighbourhood(
    spec: &str,
    center: &str,
    nq: NeighbourhoodQuery,
    expect: &str,
    truncated: bool,
) {
    let g = graph(spec);
    let n = neighbourhood(&g, g.entity_index(center).unwrap(), &nq);
    let got: Vec<String> = n
        .nodes
        .iter()
        .map(|&(e, d)| format!("{}:{d}", g.entity(e).id()))
        .collect();
    assert_eq!(got.join(" "), expect);
    assert_eq!(n.truncated, truncated);
    for &r in &n.edges {
        let rel = g.relation(r);
        assert!(
            n.nodes.iter().any(|&(e, _)| e == rel.from)
                && n.nodes.iter().any(|&(e, _)| e == rel.to)
        );
    }
}

fn nq(depth: u32, max_nodes: usize) -> NeighbourhoodQuery {
    NeighbourhoodQuery {
        depth,
        max_nodes,
        filter: Filter::default(),
        through: Filter::default(),
    }
}

#[test]
fn neighbourhood_by_distance() {
    check_neighbourhood(DIAMOND, "a", nq(1, 0), "a:0 b:1 c:1 e:1", false);
    check_neighbourhood(DIAMOND, "a", nq(2, 0), "a:0 b:1 c:1 e:1 d:2", false);
    check_neighbourhood(DIAMOND, "d", nq(0, 0), "d:0", false);
}

#[test]
fn neighbourhood_cap_keeps_the_nearest_and_says_so() {
    check_neighbourhood(DIAMOND, "d", nq(2, 3), "d:0 b:1 c:1", true);
    check_neighbourhood(DIAMOND, "a", nq(2, 5), "a:0 b:1 c:1 e:1 d:2", false);
}

#[test]
fn neighbourhood_filters_kinds_and_types() {
    let g = graph(DIAMOND);
    let mut people = nq(2, 0);
    people.filter.kinds = vec![Kind::Person];
    check_neighbourhood(DIAMOND, "a", people, "a:0 b:1 c:1 d:2", false);
    // Shown types keep the entities their relations touch among those
    // within reach: b is reached by met_with but works for d.
    let mut works = nq(2, 0);
    works.filter.types = vec![g.strings.get("works_for").unwrap()];
    check_neighbourhood(DIAMOND, "a", works, "a:0 b:1 c:1 d:2", false);
    // Walking only along works_for reaches c, and d not (c is a member).
    let mut along = nq(2, 0);
    along.through.types = vec![g.strings.get("works_for").unwrap()];
    check_neighbourhood(DIAMOND, "a", along, "a:0 c:1", false);
}

/// Two people who signed the same agreement are two hops apart: a filter
/// on the kind shown must not stop the walk at the agreement.
#[test]
fn a_kind_filter_shows_people_reached_through_other_kinds() {
    let spec = "
        a b c:topic x:agreement
        a>x:signed
        b>x:signed
        x>c:covers
    ";
    let mut people = nq(2, 0);
    people.filter.kinds = vec![Kind::Person];
    check_neighbourhood(spec, "a", people.clone(), "a:0 b:2", false);
    let g = graph(spec);
    let n = neighbourhood(&g, g.entity_index("a").unwrap(), &people);
    assert_eq!(
        n.removed.kind, 2,
        "the agreement and topic are within reach"
    );
    assert!(
        n.edges.is_empty(),
        "no relation joins the two people directly"
    );
    // Walking only through people stops at the agreement.
    people.through.kinds = vec![Kind::Person];
    check_neighbourhood(spec, "a", people, "a:0", false);
}

#[test]
fn neighbourhood_edges_are_induced() {
    let g = graph(DIAMOND);
    let n = neighbourhood(&g, g.entity_index("a").unwrap(), &nq(1, 0));
    // a-b, a-c, a-e; b, c, e are not joined to each other.
    assert_eq!(n.edges.len(), 3);
}

fn check_search(query: &str, expect_first: &str) {
    let g = embedded();
    let hits = search::search(&g, query, 5);
    assert!(!hits.is_empty(), "no hit for {query:?}");
    assert_eq!(
        g.entity(hits[0].entity).id(),
        expect_first,
        "first hit for {query:?}"
    );
}

#[test]
fn search_is_typo_tolerant_prefix_and_alias_aware() {
    check_search("meutia hafid", "meutya-hafid");
    check_search("Meutya Hafid", "meutya-hafid");
    check_search("MEUTYA", "meutya-hafid");
    check_search("tejas", "tejas-networks");
    check_search("kominfo", "kominfo");
    check_search("komdigi", "komdigi");
    check_search("Владимир Путин", "vladimir-putin");
    check_search("jaishankar", "s-jaishankar");
}

/// A typo is one in every script, and two letters swapped are one typo:
/// a one-word query with either still finds its entity, and in a longer
/// query the misspelt word scores as a typo, above a word left unmatched.
#[test]
fn typos_in_any_script_and_swapped_letters_are_typos() {
    let g = embedded();
    check_search("Zarnein", "andrey-zarenin");
    check_search("Заренинн", "andrey-zarenin");
    let score = |q: &str| search::search(&g, q, 1)[0].score;
    let unmatched = score("Андрей Qqqqqqq");
    for q in ["Андрей Зарении", "Андрей Заренн", "Andrey Zarnein"] {
        let hits = search::search(&g, q, 1);
        assert_eq!(g.entity(hits[0].entity).id(), "andrey-zarenin", "{q}");
        assert!(
            hits[0].score > unmatched,
            "{q}: {} > {unmatched}",
            hits[0].score
        );
    }
}

#[test]
fn search_ranking_is_deterministic() {
    let g = embedded();
    let a = search::search(&g, "indonesia", 20);
    let b = search::search(&g, "indonesia", 20);
    assert_eq!(a, b);
    for w in a.windows(2) {
        assert!(w[0].score >= w[1].score);
    }
}

#[test]
fn resolve_by_id_name_alias_and_fuzzy() {
    let g = embedded();
    let id = |e| g.entity(e).id().to_string();
    assert_eq!(id(resolve(&g, "meutya-hafid").unwrap()), "meutya-hafid");
    assert_eq!(id(resolve(&g, "MEUTYA HAFID").unwrap()), "meutya-hafid");
    assert_eq!(
        id(resolve(&g, "  Meutya   Hafid ").unwrap()),
        "meutya-hafid"
    );
    assert_eq!(
        id(resolve(&g, "Kementerian Komunikasi dan Digital").unwrap()),
        "komdigi"
    );
    assert_eq!(id(resolve(&g, "meutia hafid").unwrap()), "meutya-hafid");
    let err = resolve(&g, "zzzqqq").unwrap_err().to_string();
    assert!(err.contains("no entity matches"), "{err}");
}

#[test]
fn resolve_reports_ambiguity() {
    let g = graph(
        "
        a b
        a>b
    ",
    );
    // Both are called "Name a"/"Name b": "name" alone is a prefix of both.
    let err = resolve(&g, "name").unwrap_err().to_string();
    assert!(
        err.contains("ambiguous") && err.contains("(a, person, ") && err.contains("(b, person, "),
        "{err}"
    );
}
