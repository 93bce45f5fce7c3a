//! The analysis pages' answers on the web: the chronological option of
//! `/path` (with its refusals as the filled-in form and a 400), and the
//! graph files every answer page links — path, timeline, relations,
//! common, and the rank page's graph with metrics — each holding exactly
//! the answer the core gives, named after what it holds.

use std::collections::BTreeSet;

use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use jejaring::dataset::embedded;
use jejaring::graph::Graph;
use jejaring::model::TimeFilter;
use jejaring::query::Limits;
use jejaring::query::analysis::graphs::{chrono_subgraph, paths_subgraph};
use jejaring::query::analysis::{
    RelationsRequest, TimelineRequest, chrono_path, metrics, relations, timeline,
};
use jejaring::query::paths;
use jejaring::query::request::{PathRequest, bound_paths};
use jejaring::query::subgraph::Subgraph;
use jejaring::web::{AppState, create_app};

struct Got {
    status: StatusCode,
    content_type: String,
    disposition: String,
    body: String,
}

async fn get(uri: &str) -> Got {
    let app = init_service(create_app(AppState::new(embedded::graph()))).await;
    let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    };
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    let status = res.status();
    let body = String::from_utf8_lossy(&read_body(res).await).into_owned();
    Got {
        status,
        content_type,
        disposition,
        body,
    }
}

/// The values of `attr="…"` on every `<tag …>` of an XML text.
fn ids(xml: &str, tag: &str, attr: &str) -> BTreeSet<String> {
    let open = format!("<{tag} ");
    let key = format!("{attr}=\"");
    xml.split(&open)
        .skip(1)
        .filter_map(|rest| {
            let head = &rest[..rest.find('>').unwrap()];
            let at = head.find(&key)? + key.len();
            Some(head[at..at + head[at..].find('"').unwrap()].to_string())
        })
        .collect()
}

/// A subgraph as the ids a GEXF file of it holds: entity ids, `r{index}`.
fn expected(g: &Graph, sub: &Subgraph) -> (BTreeSet<String>, BTreeSet<String>) {
    (
        sub.nodes
            .iter()
            .map(|&n| g.entity(n).id().to_string())
            .collect(),
        sub.relations.iter().map(|r| format!("r{r}")).collect(),
    )
}

/// A GEXF download: 200, its file name, and exactly these entities and
/// relations.
async fn check_gexf(uri: &str, file_name: &str, g: &Graph, sub: &Subgraph) {
    let got = get(uri).await;
    assert_eq!(got.status, StatusCode::OK, "{uri}: {}", got.body);
    assert!(
        got.content_type.starts_with("application/gexf+xml"),
        "{uri}"
    );
    assert_eq!(
        got.disposition,
        format!("attachment; filename=\"{file_name}\""),
        "{uri}"
    );
    let (nodes, edges) = expected(g, sub);
    assert!(!edges.is_empty(), "{uri}: the answer has relations");
    assert_eq!(ids(&got.body, "node", "id"), nodes, "{uri}: entities");
    assert_eq!(ids(&got.body, "edge", "id"), edges, "{uri}: relations");
}

fn chrono(g: &Graph, r: &PathRequest) -> Subgraph {
    let q = r.chrono_with(g, &Limits::WEB, "from_date").unwrap();
    let ends = r.validate_with(g, &Limits::WEB, "from_date").unwrap();
    let p = chrono_path(g, ends.from, ends.to, &q).unwrap().unwrap();
    chrono_subgraph(&p)
}

#[actix_web::test]
async fn the_path_page_answers_a_chronological_request_with_its_downloads() {
    let g = embedded::graph();
    let uri = "/path?from=meutya-hafid&to=tejas-networks&chronological=1";
    let got = get(uri).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    let body = &got.body;
    assert!(body.contains("time-respecting: every hop dated no earlier than the one before"));
    assert_eq!(body.matches("class=\"path-block\"").count(), 1);
    assert!(body.contains("name=\"chronological\" value=\"1\" checked"));
    assert!(!body.contains("name=\"allow_undated\" value=\"1\" checked"));
    // The hops shown are the core's, in order, each a dated relation.
    let r = PathRequest {
        from: "meutya-hafid".into(),
        to: "tejas-networks".into(),
        chronological: true,
        ..PathRequest::default()
    };
    let sub = chrono(&g, &r);
    for &n in &sub.nodes {
        assert!(body.contains(&format!("href=\"/entity/{}\"", g.entity(n).id())));
    }
    // The picture, the download links and the JSON twin.
    assert!(body.contains("class=\"graph paths\""));
    let export = "/export/path/gexf?from=meutya-hafid&#38;to=tejas-networks&#38;chronological=1";
    assert!(body.contains(export), "{body}");
    assert!(body.contains("/api/path?from=meutya-hafid&#38;to=tejas-networks&#38;chronological=1"));
    check_gexf(
        &export.replace("&#38;", "&"),
        "jejaring-path-meutya-hafid-tejas-networks-chronological.gexf",
        &g,
        &sub,
    )
    .await;

    // Undated hops allowed: the core's path again, the box ticked.
    let uri = "/path?from=komdigi&to=tejas-networks&chronological=1&allow_undated=1";
    let got = get(uri).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    assert!(
        got.body
            .contains("name=\"allow_undated\" value=\"1\" checked")
    );
    let r = PathRequest {
        from: "komdigi".into(),
        to: "tejas-networks".into(),
        chronological: true,
        allow_undated: true,
        ..PathRequest::default()
    };
    check_gexf(
        "/export/path/gexf?from=komdigi&to=tejas-networks&chronological=1&allow_undated=1",
        "jejaring-path-komdigi-tejas-networks-chronological.gexf",
        &g,
        &chrono(&g, &r),
    )
    .await;
}

#[actix_web::test]
async fn bad_chronological_combinations_come_back_as_the_filled_in_form() {
    for (query, param) in [
        ("chronological=1&k=3", "k:"),
        ("chronological=1&all=1", "all:"),
        ("chronological=1&directed=1", "directed:"),
        ("chronological=1&avoid=india", "avoid:"),
        ("chronological=1&max_hops=99", "max_hops:"),
        ("chronological=1&from_date=2025&until=2024", "until:"),
        ("allow_undated=1", "allow_undated:"),
    ] {
        let uri = format!("/path?from=meutya-hafid&to=tejas-networks&{query}");
        let got = get(&uri).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{uri}: {}", got.body);
        assert!(got.content_type.starts_with("text/html"), "{uri}");
        assert!(
            got.body.contains(&format!("role=\"alert\">{param}")),
            "{uri}: {}",
            got.body
        );
        // The form is kept as filled in.
        assert!(got.body.contains("value=\"meutya-hafid\""), "{uri}");
        assert!(got.body.contains("value=\"tejas-networks\""), "{uri}");
        assert!(got.body.contains("class=\"path-form\""), "{uri}");
        // The download of a refused request is refused too.
        let export = format!("/export/path/gexf?from=meutya-hafid&to=tejas-networks&{query}");
        assert_eq!(
            get(&export).await.status,
            StatusCode::BAD_REQUEST,
            "{export}"
        );
    }
    // The API refuses undated hops without a chronological path rather
    // than ignore them.
    let got = get("/api/path?from=komdigi&to=india&allow_undated=1").await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST, "{}", got.body);
    assert!(got.body.contains("allow_undated"), "{}", got.body);
}

#[actix_web::test]
async fn path_downloads_hold_every_relation_of_every_path_shown() {
    let g = embedded::graph();
    let uri = "/path?from=meutya+hafid&to=tejas+networks&k=3";
    let got = get(uri).await;
    assert_eq!(got.status, StatusCode::OK);
    // The links name the ends by id, whatever was typed.
    let link = "/export/path/graphml?from=meutya-hafid&#38;to=tejas-networks&#38;k=3";
    assert!(got.body.contains(link), "{}", got.body);
    let r = PathRequest {
        from: "meutya-hafid".into(),
        to: "tejas-networks".into(),
        k: Some(3),
        ..PathRequest::default()
    };
    let q = r.validate_with(&g, &Limits::WEB, "from_date").unwrap();
    let mut answer = paths(&g, q.from, q.to, &q.query);
    bound_paths(&mut answer, &Limits::WEB);
    assert_eq!(answer.paths.len(), 3);
    let sub = paths_subgraph(&answer);
    check_gexf(
        "/export/path/gexf?from=meutya+hafid&to=tejas+networks&k=3",
        "jejaring-path-meutya-hafid-tejas-networks.gexf",
        &g,
        &sub,
    )
    .await;
    let graphml = get(&link.replace("&#38;", "&")).await;
    assert_eq!(graphml.status, StatusCode::OK);
    assert_eq!(
        graphml.disposition,
        "attachment; filename=\"jejaring-path-meutya-hafid-tejas-networks.graphml\""
    );
    assert_eq!(ids(&graphml.body, "edge", "id"), expected(&g, &sub).1);
    let gephi = get("/export/path/gephi?from=meutya-hafid&to=tejas-networks&k=3").await;
    assert_eq!(gephi.status, StatusCode::OK);
    assert_eq!(gephi.content_type, "application/zip");
    assert!(
        gephi
            .disposition
            .contains("jejaring-path-meutya-hafid-tejas-networks.zip")
    );
    // Formats that are not graph files of an answer, and no path at all.
    let got = get("/export/path/dot?from=komdigi&to=india").await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
    assert!(got.body.contains("gexf, graphml or gephi"));
    let got = get("/export/path/gexf?from=meutya-hafid&to=tejas-networks&max_hops=1").await;
    assert_eq!(got.status, StatusCode::NOT_FOUND, "{}", got.body);
    assert!(got.body.contains("no path"), "{}", got.body);
}

#[actix_web::test]
async fn timeline_and_relations_pages_download_the_page_shown() {
    let g = embedded::graph();
    let got = get("/timeline/komdigi?per_page=5&page=2").await;
    assert_eq!(got.status, StatusCode::OK);
    let link = "/export/timeline/komdigi/gexf?page=2&#38;per_page=5";
    assert!(got.body.contains(link), "{}", got.body);
    let q = TimelineRequest {
        entity: "komdigi".into(),
        page: 2,
        per_page: 5,
        ..TimelineRequest::default()
    }
    .validate_with(&g, &Limits::WEB, "from_date")
    .unwrap();
    let t = timeline(&g, q.entity, &q.filter)
        .unwrap()
        .page(&q.paging)
        .unwrap();
    let rels: Vec<u32> = t
        .dated
        .iter()
        .chain(&t.undated)
        .map(|x| x.relation)
        .collect();
    assert_eq!(rels.len(), 5);
    let mut nodes: Vec<u32> = vec![q.entity];
    for &r in &rels {
        nodes.extend([g.relation(r).from, g.relation(r).to]);
    }
    nodes.sort_unstable();
    nodes.dedup();
    let mut sorted = rels.clone();
    sorted.sort_unstable();
    let sub = Subgraph {
        nodes,
        relations: sorted,
    };
    check_gexf(
        &link.replace("&#38;", "&"),
        "jejaring-timeline-komdigi.gexf",
        &g,
        &sub,
    )
    .await;

    let got = get("/relations?type=signed&limit=2&offset=1").await;
    assert_eq!(got.status, StatusCode::OK);
    let link = "/export/relations/gexf?type=signed&#38;limit=2&#38;offset=1";
    assert!(got.body.contains(link), "{}", got.body);
    let q = RelationsRequest {
        types: vec!["signed".into()],
        limit: 2,
        offset: 1,
        ..RelationsRequest::default()
    }
    .validate_with(&g, &Limits::WEB, "from_date")
    .unwrap();
    let list = relations(&g, &q).unwrap();
    assert_eq!(list.relations.len(), 2);
    let mut nodes: Vec<u32> = list
        .relations
        .iter()
        .flat_map(|&r| [g.relation(r).from, g.relation(r).to])
        .collect();
    nodes.sort_unstable();
    nodes.dedup();
    let sub = Subgraph {
        nodes,
        relations: list.relations.clone(),
    };
    check_gexf(
        &link.replace("&#38;", "&"),
        "jejaring-relations-signed.gexf",
        &g,
        &sub,
    )
    .await;
    // A refused listing refuses its download too.
    let got = get("/export/relations/gexf?from_date=2025-03&until=2025-01").await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
}

#[actix_web::test]
async fn the_rank_page_links_the_graph_with_metrics_at_its_time() {
    let g = embedded::graph();
    let got = get("/rank?by=pagerank&at=2025").await;
    assert_eq!(got.status, StatusCode::OK);
    for f in ["gexf", "graphml", "gephi", "json"] {
        let link = format!("/export/{f}?with_metrics=1&#38;at=2025");
        assert!(got.body.contains(&link), "{link}");
    }
    // The download's metrics are the core's, on the slice at that date.
    let got = get("/export/json?with_metrics=1&at=2025").await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.body);
    let v: serde_json::Value = serde_json::from_str(&got.body).unwrap();
    let sub = Subgraph::at(&g, TimeFilter::At("2025".parse().unwrap()));
    let m = metrics(&g, &sub);
    let ents = v["entities"].as_array().unwrap();
    assert_eq!(ents.len(), sub.nodes.len());
    for (i, e) in ents.iter().enumerate() {
        assert_eq!(e["id"], g.entity(sub.nodes[i]).id());
        assert_eq!(e["degree"], m.degree[i]);
        assert_eq!(e["component"], m.component[i]);
        assert_eq!(e["pagerank"].as_f64().unwrap(), m.pagerank[i]);
    }
    let gexf = get("/export/gexf?with_metrics=1").await;
    assert_eq!(gexf.status, StatusCode::OK);
    assert!(gexf.body.contains("title=\"pagerank\" type=\"double\""));
    assert!(gexf.body.contains("title=\"degree\" type=\"integer\""));
    // Without the flag, no metric columns; with a format that has no
    // place for them, a 400 that says which formats do.
    let plain = get("/export/graphml").await;
    assert!(!plain.body.contains("attr.name=\"pagerank\""));
    let got = get("/export/dot?with_metrics=1").await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
    assert!(got.body.contains("with_metrics"), "{}", got.body);
    assert!(
        got.body.contains("gexf, graphml, gephi, json and neo4j"),
        "{}",
        got.body
    );
}

#[actix_web::test]
async fn the_common_page_still_links_its_downloads() {
    let got = get("/common?entity=komdigi&entity=india").await;
    assert_eq!(got.status, StatusCode::OK);
    for f in ["gexf", "graphml", "gephi"] {
        assert!(
            got.body.contains(&format!(
                "/export/common/{f}?entity=komdigi&#38;entity=india"
            )),
            "{f}"
        );
    }
}
