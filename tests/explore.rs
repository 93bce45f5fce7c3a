//! The canvas explorer's JSON routes, in-process: `/api/explore/{id}`
//! groups, orders and pages an entity's neighbours; `/api/relations-between`
//! lists every relation of a pair with its evidence and source; bad
//! parameters are 400 JSON naming the parameter; the pages carry the
//! canvas hook and the assets are served.

use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use jejaring::dataset::embedded;
use jejaring::graph::{Graph, Walk};
use jejaring::query::analysis::petgraph_algos::pagerank_scores;
use jejaring::web::{AppState, create_app};
use serde_json::Value;

async fn get(g: Graph, uri: &str) -> (StatusCode, Value) {
    let app = init_service(create_app(AppState::new(g))).await;
    let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
    let status = res.status();
    let body = read_body(res).await;
    let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
    (status, json)
}

async fn get_text(g: Graph, uri: &str) -> (StatusCode, String) {
    let app = init_service(create_app(AppState::new(g))).await;
    let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
    let status = res.status();
    let body = read_body(res).await;
    (status, String::from_utf8_lossy(&body).into_owned())
}

/// Distinct neighbours of `e` by relation type, counted from the adjacency.
fn neighbours_by_type(g: &Graph, e: u32) -> std::collections::BTreeMap<String, Vec<u32>> {
    let mut out: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
    for s in g.steps(e, Walk::Both) {
        if s.other == e {
            continue;
        }
        let v = out.entry(g.rel_type(s.rel).to_string()).or_default();
        if !v.contains(&s.other) {
            v.push(s.other);
        }
    }
    out
}

#[actix_web::test]
async fn groups_carry_every_type_with_its_true_total() {
    let g = embedded::graph();
    let e = g.entity_index("komdigi").unwrap();
    let expected = neighbours_by_type(&g, e);
    let pagerank = pagerank_scores(&g);
    let (status, x) = get(embedded::graph(), "/api/explore/komdigi?per_page=100").await;
    assert_eq!(status, StatusCode::OK, "{x}");
    assert_eq!(x["center"]["id"], "komdigi");
    assert_eq!(x["center"]["degree"], g.degree(e));
    let groups = x["groups"].as_array().unwrap();
    assert_eq!(groups.len(), expected.len());
    for grp in groups {
        let t = grp["type"].as_str().unwrap();
        let want = &expected[t];
        assert_eq!(grp["total"], want.len(), "{t}");
        let ids: Vec<&str> = grp["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap())
            .collect();
        let mut want_ids: Vec<&str> = want.iter().map(|&o| g.entity(o).id()).collect();
        want_ids.sort_unstable();
        let mut got = ids.clone();
        got.sort_unstable();
        assert_eq!(got, want_ids, "{t}");
        // Highest PageRank first, then most relations, then by id.
        let keys: Vec<(std::cmp::Reverse<u64>, i64, &str)> = grp["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                let rank = m["rank"].as_f64().unwrap();
                assert!(rank > 0.0);
                (
                    std::cmp::Reverse(rank.to_bits()),
                    -m["degree"].as_i64().unwrap(),
                    m["id"].as_str().unwrap(),
                )
            })
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "{t}");
        for m in grp["members"].as_array().unwrap() {
            let other = g.entity_index(m["id"].as_str().unwrap()).unwrap();
            assert_eq!(m["degree"], g.degree(other));
            // JSON's decimal text parses back to within a unit in the last
            // place, not always to the same bits.
            let (got, want) = (m["rank"].as_f64().unwrap(), pagerank[other as usize]);
            assert!((got - want).abs() <= want * 1e-12, "{got} vs {want}");
            for r in m["relations"].as_array().unwrap() {
                assert_eq!(r["type"], t);
                let ends = [r["from"].as_str().unwrap(), r["to"].as_str().unwrap()];
                assert!(ends.contains(&"komdigi") && ends.contains(&m["id"].as_str().unwrap()));
            }
        }
    }
}

#[actix_web::test]
async fn a_hub_group_opens_page_by_page_most_important_first() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jejaring"))
        .args([
            "generate",
            "--entities",
            "2000",
            "--relations",
            "10000",
            "--out",
        ])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let load = || {
        jejaring::dataset::load_dirs(&[dir.path().to_path_buf()], &jejaring::dataset::Quiet)
            .unwrap()
            .graph
    };
    let g = load();
    // The entity and type with the most distinct neighbours.
    let (hub, t, members) = (0..g.entities.len() as u32)
        .flat_map(|e| {
            neighbours_by_type(&g, e)
                .into_iter()
                .map(move |(t, m)| (e, t, m))
        })
        .max_by_key(|(_, _, m)| m.len())
        .unwrap();
    assert!(members.len() > 25, "the generated data has a hub");
    let hub_id = g.entity(hub).id().to_string();
    // The oracle: PageRank of the whole graph, highest first (non-negative
    // floats order as their bits), then relation count, then id.
    let pagerank = pagerank_scores(&g);
    let mut by_importance: Vec<(std::cmp::Reverse<u64>, std::cmp::Reverse<usize>, String)> =
        members
            .iter()
            .map(|&m| {
                (
                    std::cmp::Reverse(pagerank[m as usize].to_bits()),
                    std::cmp::Reverse(g.degree(m)),
                    g.entity(m).id().to_string(),
                )
            })
            .collect();
    by_importance.sort();
    let by_degree = {
        let mut v = by_importance.clone();
        v.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.2.cmp(&b.2)));
        v.into_iter().map(|(_, _, id)| id).collect::<Vec<_>>()
    };
    let pages = members.len().div_ceil(25);
    let mut seen = Vec::new();
    for page in 1..=pages {
        let (status, x) = get(
            load(),
            &format!("/api/explore/{hub_id}?type={t}&per_page=25&page={page}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{x}");
        let grp = &x["groups"][0];
        assert_eq!(x["groups"].as_array().unwrap().len(), 1);
        assert_eq!(grp["total"], members.len());
        assert_eq!(grp["pages"], pages);
        seen.extend(
            grp["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m["id"].as_str().unwrap().to_string()),
        );
    }
    let want: Vec<String> = by_importance.into_iter().map(|(_, _, id)| id).collect();
    assert_eq!(seen, want);
    assert_ne!(
        want, by_degree,
        "on this hub PageRank is not relation count"
    );
    let (status, x) = get(
        load(),
        &format!(
            "/api/explore/{hub_id}?type={t}&per_page=25&page={}",
            pages + 1
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(x["error"].as_str().unwrap().starts_with("page"), "{x}");
}

#[actix_web::test]
async fn bad_parameters_are_400_naming_them() {
    for (uri, param) in [
        ("/api/explore/komdigi?per_page=101", "per_page"),
        ("/api/explore/komdigi?per_page=0", "per_page"),
        ("/api/explore/komdigi?page=0", "page"),
        ("/api/explore/komdigi?page=x", "page"),
        ("/api/explore/komdigi?type=nonsense", "type"),
        ("/api/explore/komdigi?kind=planet", "kind"),
        ("/api/explore/komdigi?at=2024-13-40", "at"),
        ("/api/relations-between?a=komdigi", "b"),
        ("/api/relations-between?b=komdigi", "a"),
    ] {
        let (status, x) = get(embedded::graph(), uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {x}");
        let msg = x["error"].as_str().unwrap();
        assert!(msg.starts_with(param), "{uri}: {msg}");
    }
    let (status, x) = get(embedded::graph(), "/api/explore/no-such-entity").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{x}");
    let (status, _) = get(
        embedded::graph(),
        "/api/relations-between?a=komdigi&b=no-such-entity",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[actix_web::test]
async fn relations_between_carry_evidence_and_source() {
    let g = embedded::graph();
    let (a, b) = (
        g.entity_index("komdigi").unwrap(),
        g.entity_index("meutya-hafid").unwrap(),
    );
    let want: Vec<u32> = (0..g.relations.len() as u32)
        .filter(|&r| {
            let rel = g.relation(r);
            (rel.from == a && rel.to == b) || (rel.from == b && rel.to == a)
        })
        .collect();
    assert!(!want.is_empty());
    let (status, x) = get(
        embedded::graph(),
        "/api/relations-between?a=komdigi&b=meutya-hafid",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{x}");
    assert_eq!(x["total"], want.len());
    let rels = x["relations"].as_array().unwrap();
    assert_eq!(rels.len(), want.len());
    for (r, &i) in rels.iter().zip(&want) {
        let rel = g.relation(i);
        let s = g.source(rel.source);
        assert_eq!(r["type"], g.rel_type(i));
        assert_eq!(r["evidence"], g.evidence(i));
        assert_eq!(r["source"], &*s.id);
        assert_eq!(r["source_title"], &*s.title);
        assert_eq!(r["publisher"], &*s.publisher);
        assert_eq!(r["url"].as_str(), s.link());
    }
    // The same pair asked the other way round gives the same list.
    let (_, back) = get(
        embedded::graph(),
        "/api/relations-between?a=meutya-hafid&b=komdigi",
    )
    .await;
    assert_eq!(back["relations"], x["relations"]);
}

#[actix_web::test]
async fn pages_carry_the_canvas_hook_and_the_assets_are_served() {
    for (uri, mode) in [
        ("/entity/komdigi", "entity"),
        ("/neighbours/komdigi?depth=2", "neighbours"),
        ("/path?from=meutya-hafid&to=tejas-networks&k=3", "path"),
    ] {
        let (status, body) = get_text(embedded::graph(), uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(
            body.contains(&format!(
                "<div id=\"explorer\" class=\"explorer\" data-mode=\"{mode}\""
            )),
            "{uri}"
        );
        // The server picture stays in the page for readers without
        // JavaScript, inside <noscript>: a browser running scripts keeps
        // it as text and never builds its shapes.
        assert!(
            body.contains("<figure class=\"picture\"><noscript><svg"),
            "{uri}"
        );
        // The stylesheet carries the id that keeps the library from
        // injecting a <style> element the CSP would refuse.
        assert!(body.contains("id=\"__________cytoscape_stylesheet\""));
        // The force layout's scripts are in the page only where the first
        // picture uses them; the explorer loads them elsewhere on demand.
        for name in ["layout-base.js", "cose-base.js", "cytoscape-fcose.js"] {
            assert_eq!(
                body.contains(&format!("/assets/{name}")),
                mode == "entity",
                "{uri}: {name}"
            );
        }
        assert!(body.contains("/assets/cytoscape.min.js"), "{uri}");
        // Only the neighbourhood page carries its canvas's data.
        assert_eq!(
            body.contains("<script type=\"application/json\" id=\"explorer-data\">"),
            mode == "neighbours",
            "{uri}"
        );
    }
    for name in [
        "explorer.js",
        "explorer.css",
        "cytoscape.min.js",
        "cytoscape-fcose.js",
        "cose-base.js",
        "layout-base.js",
    ] {
        let (status, body) = get_text(embedded::graph(), &format!("/assets/{name}")).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        assert!(body.len() > 1000, "{name}");
    }
}

/// The data block of a neighbourhood page, parsed.
fn canvas_data(body: &str) -> serde_json::Value {
    let start = "<script type=\"application/json\" id=\"explorer-data\">";
    let at = body.find(start).expect("a data block") + start.len();
    let len = body[at..].find("</script>").expect("the block ends");
    serde_json::from_str(&body[at..at + len]).expect("the block is JSON")
}

/// The neighbourhood page hands its canvas the same entities and relations
/// as `/api/neighbours` (evidence left out), placed as the server's picture
/// places them: one ring per distance around the centre.
#[actix_web::test]
async fn the_neighbourhood_page_carries_its_canvas_data() {
    let uri = "/neighbours/komdigi?depth=2";
    let (status, body) = get_text(embedded::graph(), uri).await;
    assert_eq!(status, StatusCode::OK);
    let data = canvas_data(&body);
    let (_, api) = get(
        embedded::graph(),
        "/api/neighbours/komdigi?depth=2&per_page=0",
    )
    .await;
    assert_eq!(data["center"], "komdigi");
    let ids = |v: &serde_json::Value, key: &str| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n[key].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&data["nodes"], "id"), ids(&api["nodes"], "id"));
    for (n, a) in data["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .zip(api["nodes"].as_array().unwrap())
    {
        assert_eq!(n["distance"], a["distance"]);
        assert_eq!(n["name"], a["name"]);
    }
    assert_eq!(data["total"], api["total"]);
    let edges = data["edges"].as_array().unwrap();
    let api_edges = api["edges"].as_array().unwrap();
    assert_eq!(edges.len(), api_edges.len());
    for (e, a) in edges.iter().zip(api_edges) {
        for key in ["from", "to", "type", "start", "end"] {
            assert_eq!(e[key], a[key], "{key}");
        }
        assert!(e.get("evidence").is_none(), "no evidence in the page");
    }
    // Rings: every entity at one distance sits at one radius, further
    // rings outside nearer ones, the centre in the middle.
    let mut radii: std::collections::BTreeMap<u64, (f64, f64)> = Default::default();
    for n in data["nodes"].as_array().unwrap() {
        let r = n["x"].as_f64().unwrap().hypot(n["y"].as_f64().unwrap());
        let e = radii
            .entry(n["distance"].as_u64().unwrap())
            .or_insert((f64::MAX, f64::MIN));
        *e = (e.0.min(r), e.1.max(r));
    }
    assert_eq!(radii[&0], (0.0, 0.0));
    assert_eq!(radii.len(), 3, "{radii:?}");
    let mut last = 0.0;
    for (d, (lo, hi)) in radii.iter().skip(1) {
        assert!(hi - lo < 0.2, "distance {d}: {lo}..{hi}");
        assert!(*lo > last, "rings grow outwards");
        last = *hi;
    }
}
