//! Filters mean what they say: a neighbourhood's kind and type filters
//! choose what is shown, not where the walk goes, checked against a
//! brute-force oracle on random graphs; and time filters read a relation's
//! span within its entities' spans, point events on their date.

mod common;

use std::collections::{BTreeSet, VecDeque};

use jejaring::dataset::{self, DatasetSource, Quiet};
use jejaring::graph::Graph;
use jejaring::model::{Kind, TimeFilter};
use jejaring::query::{Filter, NeighbourhoodQuery, neighbourhood};
use proptest::prelude::*;

const KINDS: [&str; 3] = ["person", "agreement", "country"];
const TYPES: [&str; 3] = ["signed", "works_for", "located_in"];

/// A random small graph: each entity with a kind, each edge with a type.
fn arb_graph() -> impl Strategy<Value = (Vec<usize>, Vec<(usize, usize, usize)>)> {
    (2usize..10).prop_flat_map(|n| {
        let kinds = prop::collection::vec(0..KINDS.len(), n);
        let edges = prop::collection::vec((0..n, 0..n, 0..TYPES.len()), 0..(n * 2));
        (kinds, edges)
    })
}

fn build(kinds: &[usize], edges: &[(usize, usize, usize)]) -> Graph {
    let mut spec = kinds
        .iter()
        .enumerate()
        .map(|(i, &k)| format!("n{i}:{}", KINDS[k]))
        .collect::<Vec<_>>()
        .join(" ");
    spec.push('\n');
    for &(a, b, t) in edges {
        spec.push_str(&format!("n{a}>n{b}:{}\n", TYPES[t]));
    }
    common::graph(&spec)
}

/// Distances by a plain breadth-first search over every relation.
fn bfs(g: &Graph, from: u32, depth: u32) -> Vec<Option<u32>> {
    let mut dist = vec![None; g.entities.len()];
    dist[from as usize] = Some(0);
    let mut q = VecDeque::from([from]);
    while let Some(n) = q.pop_front() {
        let d = dist[n as usize].unwrap();
        if d == depth {
            continue;
        }
        for r in &g.relations {
            let m = if r.from == n {
                r.to
            } else if r.to == n {
                r.from
            } else {
                continue;
            };
            if dist[m as usize].is_none() {
                dist[m as usize] = Some(d + 1);
                q.push_back(m);
            }
        }
    }
    dist
}

proptest! {
    /// The shown neighbourhood is the unfiltered walk, then filtered: the
    /// centre, the entities of the shown kinds (touching a relation of a
    /// shown type, when types are named), the relations of the shown types
    /// among them.
    #[test]
    fn a_shown_filter_filters_the_unfiltered_walk(
        (kinds, edges) in arb_graph(),
        center in 0usize..10,
        depth in 1u32..4,
        kind_mask in 0usize..8,
        type_mask in 0usize..8,
    ) {
        let g = build(&kinds, &edges);
        let center = (center % kinds.len()) as u32;
        let shown_kinds: Vec<Kind> = (0..KINDS.len())
            .filter(|i| kind_mask & (1 << i) != 0)
            .map(|i| KINDS[i].parse().unwrap())
            .collect();
        let shown_types: Vec<_> = (0..TYPES.len())
            .filter(|i| type_mask & (1 << i) != 0)
            .filter_map(|i| g.type_sym(TYPES[i]))
            .collect();
        let q = NeighbourhoodQuery {
            depth,
            max_nodes: 0,
            filter: Filter {
                kinds: shown_kinds.clone(),
                types: shown_types.clone(),
                ..Filter::default()
            },
            ..NeighbourhoodQuery::default()
        };
        let n = neighbourhood(&g, center, &q);

        let dist = bfs(&g, center, depth);
        let reached = |e: u32| dist[e as usize].is_some();
        let typed: Vec<u32> = (0..g.relations.len() as u32)
            .filter(|&r| {
                let rel = g.relation(r);
                reached(rel.from)
                    && reached(rel.to)
                    && (shown_types.is_empty() || shown_types.contains(&rel.rel_type))
            })
            .collect();
        let expect_nodes: BTreeSet<(u32, u32)> = (0..g.entities.len() as u32)
            .filter(|&e| reached(e))
            .filter(|&e| {
                e == center
                    || (shown_kinds.is_empty() || shown_kinds.contains(&g.entity(e).kind))
                        && (shown_types.is_empty()
                            || typed.iter().any(|&r| {
                                let rel = g.relation(r);
                                rel.from == e || rel.to == e
                            }))
            })
            .map(|e| (e, dist[e as usize].unwrap()))
            .collect();
        let got_nodes: BTreeSet<(u32, u32)> = n.nodes.iter().copied().collect();
        prop_assert_eq!(&got_nodes, &expect_nodes);
        let kept = |e: u32| expect_nodes.iter().any(|&(x, _)| x == e);
        let expect_edges: Vec<u32> = typed
            .into_iter()
            .filter(|&r| kept(g.relation(r).from) && kept(g.relation(r).to))
            .collect();
        prop_assert_eq!(&n.edges, &expect_edges);
        prop_assert!(!n.truncated);
        let not_of_kind = (0..g.entities.len() as u32)
            .filter(|&e| e != center && reached(e))
            .filter(|&e| !shown_kinds.is_empty() && !shown_kinds.contains(&g.entity(e).kind))
            .count();
        prop_assert_eq!(n.removed.kind, not_of_kind);
    }
}

/// A small dataset with entity dates, from CSV text.
fn dated(entities: &str, relations: &str) -> Graph {
    let ds = DatasetSource::memory(
        "dated",
        "id,title\nsrc,Test source\n",
        &format!("id,kind,name,start,end\n{entities}"),
        &format!("from,to,type,start,end,source,evidence\n{relations}"),
    );
    match dataset::load(&[ds], &Quiet) {
        Ok(l) => l.graph,
        Err(e) => panic!("does not load:\n{e}"),
    }
}

fn window(from: &str, until: &str) -> Filter {
    Filter {
        time: TimeFilter::Window {
            from: Some(from.parse().unwrap()),
            until: Some(until.parse().unwrap()),
        },
        ..Filter::default()
    }
}

/// The ids of the relations a filter keeps, as `from>to`.
fn kept(g: &Graph, f: &Filter) -> Vec<String> {
    (0..g.relations.len() as u32)
        .filter(|&r| f.relation_ok(g, r))
        .map(|r| {
            let rel = g.relation(r);
            format!("{}>{}", g.entity(rel.from).id(), g.entity(rel.to).id())
        })
        .collect()
}

#[test]
fn a_point_event_happens_on_its_date() {
    let g = dated(
        "ri,country,Indonesia,,\nin,country,India,,\nag,agreement,Pact,,\nmin,person,Minister,,\n",
        "ri,ag,signed,1990,,src,e\nin,ag,signed,1992,,src,e\nmin,ri,works_for,1990,,src,e\n",
    );
    // Signed in 1990 is not signed in 1992; a post held since 1990 is.
    assert_eq!(kept(&g, &window("1992", "1992")), ["in>ag", "min>ri"]);
    assert_eq!(kept(&g, &window("1990", "1990")), ["ri>ag", "min>ri"]);
}

#[test]
fn an_entity_span_bounds_its_relations() {
    let g = dated(
        "komdigi,organization,Komdigi,2024-10,\nmeutya,person,Meutya,,\nold,organization,Old Ministry,2001,2024-10\n",
        "meutya,komdigi,holds_position,,,src,e\nmeutya,old,holds_position,2020,,src,e\n",
    );
    // Nobody held a post at Komdigi before it existed, nor at the old
    // ministry after it ended, whatever the relation's own dates say.
    assert_eq!(kept(&g, &window("2022", "2022")), ["meutya>old"]);
    assert_eq!(kept(&g, &window("2025", "2025")), ["meutya>komdigi"]);
    let exclude = Filter {
        exclude_undated: true,
        ..window("2025", "2025")
    };
    assert!(
        kept(&g, &exclude).is_empty(),
        "the Komdigi post has no date of its own"
    );
}

/// Undated relations are drawn dashed in DOT and SVG, dated ones solid.
#[test]
fn undated_relations_are_dashed_in_pictures() {
    let g = dated(
        "a,person,A,,\nb,person,B,,\nc,person,C,,\n",
        "a,b,met_with,,,src,e\na,c,met_with,2020,,src,e\n",
    );
    let n = neighbourhood(&g, 0, &NeighbourhoodQuery::default());
    let nodes: Vec<u32> = n.nodes.iter().map(|&(e, _)| e).collect();
    let dot = jejaring::render::dot(&g, &nodes, &n.edges).unwrap();
    let dashed: Vec<&str> = dot.lines().filter(|l| l.contains("style=dashed")).collect();
    assert_eq!(dashed.len(), 1, "{dot}");
    assert!(dashed[0].contains("\"a\" -> \"b\""), "{dot}");
    let svg = jejaring::render::svg::neighbourhood(&g, &n);
    assert_eq!(svg.matches("stroke-dasharray=\"5 4\"").count(), 1, "{svg}");
}

/// Paths take `undated` like the other time-filtered queries, on the API.
#[actix_web::test]
async fn paths_take_undated_exclude_on_the_api() {
    use actix_web::test::{TestRequest, call_service, init_service, read_body};
    let g = jejaring::dataset::embedded::graph();
    let app = init_service(jejaring::web::create_app(jejaring::web::AppState::new(g))).await;
    for undated in ["include", "exclude"] {
        let uri =
            format!("/api/path?from=meutya-hafid&to=tejas-networks&at=2025&undated={undated}");
        let res = call_service(&app, TestRequest::get().uri(&uri).to_request()).await;
        assert!(res.status().is_success(), "{uri}: {}", res.status());
        let body: serde_json::Value = serde_json::from_slice(&read_body(res).await).unwrap();
        if undated == "exclude" {
            for p in body["paths"].as_array().unwrap() {
                for e in p["edges"].as_array().unwrap() {
                    assert_eq!(e["dated"], true, "{uri}: {e}");
                }
            }
        }
    }
    let res = call_service(
        &app,
        TestRequest::get()
            .uri("/api/path?from=meutya-hafid&to=tejas-networks&undated=maybe")
            .to_request(),
    )
    .await;
    assert_eq!(res.status(), 400);
}
