//! Every web answer is bounded, however connected the entity asked about:
//! a hub related to 50,000 others, all on one source, gives pages and
//! JSON of at most [`MAX_ANSWER`] bytes, paged with correct counts and
//! links, and exports around it capped at the web's node cap.

use std::collections::HashMap;
use std::fmt::Write as _;

use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use jejaring::dataset::{Quiet, load_dirs};
use jejaring::query::Limits;
use jejaring::web::{AppState, MAX_SOURCE_TEXT, create_app};

/// Relations of the hub.
const SPOKES: usize = 50_000;
/// The most bytes one page or API answer may have (README: "Limits"):
/// a neighbours page at the node cap draws and lists 2000 entities.
const MAX_ANSWER: usize = 2 * 1024 * 1024;
/// The most bytes an export around an entity may have at the node cap.
const MAX_EXPORT: usize = 4 * 1024 * 1024;

/// A dataset written to a temporary folder: `hub` related to `p0` …
/// `p49999`, every relation citing `src`, whose corpus text is longer than
/// a page shows and names the hub over and over.
fn hub_state() -> (tempfile::TempDir, AppState) {
    let dir = tempfile::tempdir().unwrap();
    let mut entities = String::from("id,kind,name,start,end\nhub,organization,Hub Ministry,,\n");
    let mut relations = String::from("from,to,type,start,end,source,evidence\n");
    for i in 0..SPOKES {
        writeln!(entities, "p{i},person,Person Number {i},,").unwrap();
        writeln!(
            relations,
            "hub,p{i},met_with,2020,2021,src,Hub Ministry met person {i}"
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("entities.csv"), entities).unwrap();
    std::fs::write(dir.path().join("relations.csv"), relations).unwrap();
    std::fs::write(
        dir.path().join("sources.csv"),
        "id,title\nsrc,The register of every meeting\n",
    )
    .unwrap();
    let g = load_dirs(&[dir.path().to_path_buf()], &Quiet)
        .unwrap()
        .graph;
    assert_eq!(g.relations.len(), SPOKES);
    let text = "The Hub Ministry met Person Number 7 again. ".repeat(2 * MAX_SOURCE_TEXT / 40);
    let corpus = HashMap::from([("src".to_string(), text)]);
    (dir, AppState::new(g).with_corpus(corpus))
}

async fn get(state: &AppState, uri: &str) -> (StatusCode, String) {
    let app = init_service(create_app(state.clone())).await;
    let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
    let status = res.status();
    let body = String::from_utf8(read_body(res).await.to_vec()).unwrap();
    (status, body)
}

async fn bounded(state: &AppState, uri: &str, max: usize) -> String {
    let (status, body) = get(state, uri).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "{uri}: {}",
        &body[..body.len().min(500)]
    );
    assert!(
        body.len() <= max,
        "{uri}: {} bytes, more than {max}",
        body.len()
    );
    body
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap()
}

#[actix_web::test]
async fn entity_answers_of_a_hub_are_paged_and_small() {
    let (_dir, state) = hub_state();
    let one = json(&bounded(&state, "/api/entity/hub", MAX_ANSWER).await);
    assert_eq!(one["total"], SPOKES);
    assert_eq!(one["per_page"], 100);
    assert_eq!(one["pages"], SPOKES / 100);
    let two = json(&bounded(&state, "/api/entity/hub?page=2", MAX_ANSWER).await);
    let first_to = |v: &serde_json::Value| v["relations"]["met_with"][0]["to"].clone();
    assert_eq!(first_to(&one), "p0");
    assert_eq!(first_to(&two), "p100");
    let most = json(&bounded(&state, "/api/entity/hub?per_page=0", MAX_ANSWER).await);
    assert_eq!(
        most["relations"]["met_with"].as_array().unwrap().len(),
        Limits::WEB.max_per_page.unwrap()
    );
    let (status, body) = get(&state, "/api/entity/hub?page=501").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("give a page from 1 to 500"), "{body}");

    let page1 = bounded(&state, "/entity/hub", MAX_ANSWER).await;
    let page2 = bounded(&state, "/entity/hub?page=2", MAX_ANSWER).await;
    assert!(page1.contains("page 1 of 500"), "the page says where it is");
    assert!(page1.contains("href=\"/entity/hub?page=2\""), "a next link");
    assert!(
        page2.contains("href=\"/entity/hub?page=1\""),
        "a previous link"
    );
    assert!(page2.contains("href=\"/entity/hub?page=3\""));
    assert!(page1.contains("met person 99<") && !page1.contains("met person 100<"));
    assert!(page2.contains("met person 100<") && !page2.contains("met person 99<"));
}

#[actix_web::test]
async fn neighbourhoods_of_a_hub_are_capped_and_their_relations_paged() {
    let (_dir, state) = hub_state();
    let max_nodes = Limits::WEB.max_nodes.unwrap();
    let uri = "/api/neighbours/hub?max_nodes=0";
    let one = json(&bounded(&state, uri, MAX_ANSWER).await);
    assert_eq!(one["nodes"].as_array().unwrap().len(), max_nodes);
    assert_eq!(one["truncated"], true);
    assert_eq!(
        one["total"],
        max_nodes - 1,
        "the hub's relations to the kept"
    );
    assert_eq!(one["pages"], (max_nodes - 1).div_ceil(100));
    let two = json(&bounded(&state, &format!("{uri}&page=2"), MAX_ANSWER).await);
    assert_eq!(two["edges"].as_array().unwrap().len(), 100);
    assert_ne!(one["edges"][0], two["edges"][0]);

    let page1 = bounded(&state, "/neighbours/hub?max_nodes=2000", MAX_ANSWER).await;
    let page2 = bounded(&state, "/neighbours/hub?max_nodes=2000&page=2", MAX_ANSWER).await;
    assert!(page1.contains("page 1 of 20"), "page count on the page");
    // The next link keeps the other parameters (askama escapes `&`).
    assert!(page1.contains("href=\"/neighbours/hub?max_nodes=2000&#38;page=2\""));
    assert_ne!(page1, page2);
}

#[actix_web::test]
async fn a_source_of_every_relation_is_paged_and_its_text_cut() {
    let (_dir, state) = hub_state();
    let page1 = bounded(&state, "/source/src", MAX_ANSWER).await;
    let page2 = bounded(&state, "/source/src?page=2", MAX_ANSWER).await;
    assert!(page1.contains("page 1 of 500"));
    assert!(page1.contains("met person 99<") && !page1.contains("met person 100<"));
    assert!(page2.contains("met person 100<") && !page2.contains("met person 99<"));
    assert!(page1.contains("more bytes, not shown here"));
    assert!(
        page1.contains("class=\"mention k-organization\" href=\"/entity/hub\""),
        "names in the text are linked"
    );
}

#[actix_web::test]
async fn an_export_around_a_hub_stops_at_the_node_cap() {
    let (_dir, state) = hub_state();
    let max_nodes = Limits::WEB.max_nodes.unwrap();
    let dot = bounded(&state, "/export/dot?around=hub", MAX_EXPORT).await;
    assert_eq!(
        dot.matches(" -> ").count(),
        max_nodes - 1,
        "one edge per kept spoke"
    );
    let graphml = bounded(&state, "/export/graphml?around=hub&depth=2", MAX_EXPORT).await;
    assert_eq!(graphml.matches("<node ").count(), max_nodes);
    let (status, body) = get(&state, "/export/dot?around=hub&max_nodes=2001").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[actix_web::test]
async fn all_shortest_paths_stop_at_the_web_s_cap() {
    // 300 entities between a and b: 300 shortest paths of two hops.
    let mut entities = String::from("id,kind,name,start,end\na,person,Alpha,,\nb,person,Beta,,\n");
    let mut relations = String::from("from,to,type,start,end,source,evidence\n");
    for i in 0..300 {
        writeln!(entities, "m{i},person,Middle {i},,").unwrap();
        writeln!(relations, "a,m{i},met_with,,,src,\nm{i},b,met_with,,,src,").unwrap();
    }
    let ds = jejaring::dataset::DatasetSource::memory(
        "diamond",
        "id,title\nsrc,S\n",
        &entities,
        &relations,
    );
    let g = jejaring::dataset::load(&[ds], &Quiet).unwrap().graph;
    let state = AppState::new(g);
    let cap = Limits::WEB.max_paths;
    let v = json(&bounded(&state, "/api/path?from=a&to=b&all=1", MAX_ANSWER).await);
    assert_eq!(v["paths"].as_array().unwrap().len(), cap);
    assert_eq!(v["truncated"], true);
    let page = bounded(&state, "/path?from=a&to=b&all=1", MAX_ANSWER).await;
    assert_eq!(page.matches("class=\"path-block\"").count(), cap);
    assert!(page.contains("more paths of this length than are shown"));
    let v = json(&bounded(&state, "/api/path?from=a&to=b&k=3", MAX_ANSWER).await);
    assert_eq!(
        (v["paths"].as_array().unwrap().len(), &v["truncated"]),
        (3, &serde_json::Value::Bool(false))
    );
}

/// The analysis pages and the canvas explorer's routes stay small around
/// the hub too: rankings and relation lists are limited, a timeline is a
/// page of its relations, common ties list a bounded number of entities,
/// and the explorer's groups are paged.
#[actix_web::test]
async fn analysis_and_explorer_answers_around_a_hub_are_bounded() {
    let (_dir, state) = hub_state();
    for uri in [
        "/rank?by=degree&limit=500",
        "/api/rank?by=degree&limit=500",
        "/rank?by=pagerank&limit=500",
        "/relations?limit=500",
        "/api/relations?limit=500",
        "/timeline/hub",
        "/api/timeline/hub",
        "/common?entity=p1&entity=p2",
        "/api/common?entity=p1&entity=p2&depth=2",
        "/api/explore/hub",
        "/api/explore/hub?type=met_with&page=3&per_page=100",
        "/api/relations-between?a=hub&b=p7",
    ] {
        bounded(&state, uri, MAX_ANSWER).await;
    }
    let v = json(&bounded(&state, "/api/timeline/hub", MAX_ANSWER).await);
    let listed = v.to_string().matches("\"evidence\"").count();
    assert!(
        listed < SPOKES,
        "/api/timeline/hub lists {listed} relations of {SPOKES}"
    );
}

/// A page of a neighbourhood's relations holds up to the web's page size
/// (500) or 4 per entity the node cap keeps, whichever is more: a dense
/// neighbourhood comes to the canvas in one answer, and every answer
/// stays bounded. Here 200 entities hold 1,194 relations (6 from each
/// person to the hub).
#[actix_web::test]
async fn a_dense_neighbourhood_s_relations_come_in_pages_scaled_to_the_node_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut entities = String::from("id,kind,name,start,end\nhub,organization,Hub Ministry,,\n");
    let mut relations = String::from("from,to,type,start,end,source,evidence\n");
    for i in 0..199 {
        writeln!(entities, "p{i},person,Person Number {i},,").unwrap();
        for y in 0..6 {
            let year = 2010 + y;
            writeln!(
                relations,
                "hub,p{i},met_with,{year},{year},src,met in {year}"
            )
            .unwrap();
        }
    }
    std::fs::write(dir.path().join("entities.csv"), entities).unwrap();
    std::fs::write(dir.path().join("relations.csv"), relations).unwrap();
    std::fs::write(dir.path().join("sources.csv"), "id,title\nsrc,Minutes\n").unwrap();
    let g = load_dirs(&[dir.path().to_path_buf()], &Quiet)
        .unwrap()
        .graph;
    let state = AppState::new(g);
    let all = 199 * 6;

    // 200 entities: 800 relations a page at most.
    let one = json(
        &bounded(
            &state,
            "/api/neighbours/hub?max_nodes=200&per_page=0",
            MAX_ANSWER,
        )
        .await,
    );
    assert_eq!(one["nodes"].as_array().unwrap().len(), 200);
    assert_eq!(one["edges"].as_array().unwrap().len(), 800);
    assert_eq!(
        (one["total"].clone(), one["pages"].clone()),
        (all.into(), 2.into())
    );
    let two = json(
        &bounded(
            &state,
            "/api/neighbours/hub?max_nodes=200&per_page=0&page=2",
            MAX_ANSWER,
        )
        .await,
    );
    assert_eq!(two["edges"].as_array().unwrap().len(), all - 800);
    let (status, body) = get(&state, "/api/neighbours/hub?max_nodes=200&per_page=801").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("give 1 to 800"), "{body}");
    // 100 entities: 4 × 100 is less than the web's page of 500.
    let (status, body) = get(&state, "/api/neighbours/hub?max_nodes=100&per_page=501").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("give 1 to 500"), "{body}");
    // The whole graph at the node cap: every relation in one page.
    let max_nodes = Limits::WEB.max_nodes.unwrap();
    let whole = json(
        &bounded(
            &state,
            "/api/neighbours/hub?max_nodes=0&per_page=0",
            MAX_ANSWER,
        )
        .await,
    );
    assert_eq!(whole["edges"].as_array().unwrap().len(), all);
    assert_eq!(whole["per_page"], 4 * max_nodes);

    // The page hands its canvas the same first page, without evidence.
    let page = bounded(&state, "/neighbours/hub?max_nodes=200", MAX_ANSWER).await;
    let start = "<script type=\"application/json\" id=\"explorer-data\">";
    let at = page.find(start).unwrap() + start.len();
    let data = json(&page[at..at + page[at..].find("</script>").unwrap()]);
    assert_eq!(data["nodes"].as_array().unwrap().len(), 200);
    assert_eq!(data["edges"].as_array().unwrap().len(), 800);
    assert_eq!(
        (data["total"].clone(), data["per_page"].clone()),
        (all.into(), 800.into())
    );
    assert_eq!(data["edges"][0]["from"], one["edges"][0]["from"]);
    assert_eq!(data["edges"][799]["to"], one["edges"][799]["to"]);
}
