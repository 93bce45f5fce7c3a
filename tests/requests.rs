//! One request, two front ends: the CLI's `--format json` (the built
//! binary) and the web API (in process) answer the same request with the
//! same bytes, because both fill the same request struct and write the
//! same view.

mod common;

use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use common::{code, jejaring, stderr, stdout};
use jejaring::dataset::embedded;
use jejaring::web::{AppState, create_app};

async fn api(uri: &str) -> (StatusCode, String) {
    let app = init_service(create_app(AppState::new(embedded::graph()))).await;
    let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
    let status = res.status();
    let body = String::from_utf8(read_body(res).await.to_vec()).unwrap();
    (status, body)
}

/// The CLI's JSON of a request; `want` is its exit code (1: found nothing).
fn cli(args: &[&str], want: i32) -> String {
    let out = jejaring(args);
    assert_eq!(code(&out), want, "{args:?}: {}", stderr(&out));
    stdout(&out)
}

async fn same(args: &[&str], uri: &str) -> serde_json::Value {
    let from_cli = cli(args, 0);
    let (status, from_web) = api(uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {from_web}");
    assert_eq!(from_cli, from_web, "{args:?} and {uri} differ");
    serde_json::from_str(&from_web).unwrap()
}

#[actix_web::test]
async fn neighbours_are_the_same_from_the_cli_and_the_api() {
    let v = same(
        &["neighbours", "komdigi", "--format", "json"],
        "/api/neighbours/komdigi",
    )
    .await;
    assert_eq!(v["center"]["id"], "komdigi");
    assert!(v["nodes"].as_array().unwrap().len() > 1);
    let v = same(
        &[
            "neighbours", "komdigi", "--depth", "2", "--kind", "person,organization", "--from",
            "2020", "--until", "2025", "--per-page", "3", "--page", "2", "--format", "json",
        ],
        "/api/neighbours/komdigi?depth=2&kind=person&kind=organization&from_date=2020&until=2025&per_page=3&page=2",
    )
    .await;
    assert_eq!(
        (v["page"].as_u64(), v["per_page"].as_u64()),
        (Some(2), Some(3))
    );
    assert!(v["edges"].as_array().unwrap().len() <= 3);
    let walked = same(
        &[
            "neighbours", "komdigi", "--depth", "2", "--kind", "person", "--through-kind",
            "organization", "--at", "2025", "--undated", "exclude", "--format", "json",
        ],
        "/api/neighbours/komdigi?depth=2&kind=person&through_kind=organization&at=2025&undated=exclude",
    )
    .await;
    assert!(walked["filtered"]["kind"].is_u64());
    for n in v["nodes"].as_array().unwrap() {
        let kind = n["kind"].as_str().unwrap();
        assert!(
            n["distance"] == 0 || kind == "person" || kind == "organization",
            "{n}"
        );
    }
}

#[actix_web::test]
async fn paths_are_the_same_from_the_cli_and_the_api_with_all_and_windows() {
    let v = same(
        &["path", "meutya-hafid", "tejas-networks", "--format", "json"],
        "/api/path?from=meutya-hafid&to=tejas-networks",
    )
    .await;
    assert_eq!(v["from"]["id"], "meutya-hafid");
    assert_eq!(v["paths"].as_array().unwrap().len(), 1);
    let all = same(
        &["path", "komdigi", "india", "--all", "--format", "json"],
        "/api/path?from=komdigi&to=india&all=1",
    )
    .await;
    let k = same(
        &["path", "komdigi", "india", "--k", "3", "--format", "json"],
        "/api/path?from=komdigi&to=india&k=3",
    )
    .await;
    assert!(!all["paths"].as_array().unwrap().is_empty());
    assert!(k["paths"].as_array().unwrap().len() <= 3);
    same(
        &[
            "path", "komdigi", "india", "--from", "2023", "--until", "2025", "--format", "json",
        ],
        "/api/path?from=komdigi&to=india&from_date=2023&until=2025",
    )
    .await;
    let plain = same(
        &[
            "path", "komdigi", "india", "--k", "3", "--plain", "--format", "json",
        ],
        "/api/path?from=komdigi&to=india&k=3&plain=1",
    )
    .await;
    assert_eq!(plain["ranking"], "plain");
    assert_eq!(k["ranking"], "specific");
}

#[actix_web::test]
async fn search_and_entity_are_the_same_from_the_cli_and_the_api() {
    let v = same(
        &["search", "tejas", "--limit", "5", "--format", "json"],
        "/api/search?q=tejas&limit=5",
    )
    .await;
    assert_eq!(v["hits"][0]["id"], "tejas-networks");
    let v = same(
        &["show", "komdigi", "--format", "json"],
        "/api/entity/komdigi",
    )
    .await;
    assert_eq!(v["id"], "komdigi");
    let total = v["total"].as_u64().unwrap();
    assert!(total > 2, "komdigi has relations: {v}");
    let page2 = same(
        &[
            "show",
            "komdigi",
            "--per-page",
            "2",
            "--page",
            "2",
            "--format",
            "json",
        ],
        "/api/entity/komdigi?per_page=2&page=2",
    )
    .await;
    let shown: usize = page2["relations"]
        .as_object()
        .unwrap()
        .values()
        .map(|g| g.as_array().unwrap().len())
        .sum();
    assert_eq!(shown, 2);
    assert_eq!(page2["pages"].as_u64().unwrap(), total.div_ceil(2));
}

#[actix_web::test]
async fn a_refused_request_is_refused_by_both_naming_the_same_parameter() {
    let out = jejaring(&["neighbours", "komdigi", "--per-page", "1", "--page", "9999"]);
    // The text output lists every relation; only JSON is paged.
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = jejaring(&[
        "neighbours",
        "komdigi",
        "--per-page",
        "1",
        "--page",
        "9999",
        "--format",
        "json",
    ]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("--page: there are"),
        "{}",
        stderr(&out)
    );
    let (status, body) = api("/api/neighbours/komdigi?per_page=1&page=9999").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("page: there are"), "{body}");
}

#[actix_web::test]
async fn rankings_are_the_same_from_the_cli_and_the_api() {
    let v = same(
        &["rank", "--limit", "5", "--format", "json"],
        "/api/rank?limit=5",
    )
    .await;
    assert_eq!(v["by"], "degree");
    assert_eq!(v["entries"].as_array().unwrap().len(), 5);
    assert_eq!(v["entries"][0]["rank"], 1);
    let v = same(
        &[
            "rank",
            "--by",
            "betweenness",
            "--samples",
            "10",
            "--seed",
            "3",
            "--kind",
            "person",
            "--format",
            "json",
        ],
        "/api/rank?by=betweenness&samples=10&seed=3&kind=person",
    )
    .await;
    assert_eq!(v["exact"], false);
    assert_eq!(v["samples"], 10);
    for e in v["entries"].as_array().unwrap() {
        assert_eq!(e["kind"], "person");
        assert!(e["std_error"].as_f64().is_some(), "{e}");
    }
    same(
        &[
            "rank",
            "--by",
            "pagerank",
            "--type",
            "signed,party_to",
            "--format",
            "json",
        ],
        "/api/rank?by=pagerank&type=signed&type=party_to",
    )
    .await;
}

#[actix_web::test]
async fn common_timeline_and_relations_are_the_same_from_the_cli_and_the_api() {
    let v = same(
        &["common", "komdigi", "india", "--format", "json"],
        "/api/common?entity=komdigi&entity=india",
    )
    .await;
    assert_eq!(v["hits"][0]["id"], "mou-indonesia-india-digital-2025");
    assert_eq!(v["resolved"].as_array().unwrap().len(), 2);
    same(
        &[
            "common", "komdigi", "india", "--depth", "2", "--kind", "person", "--format", "json",
        ],
        "/api/common?entity=komdigi,india&depth=2&kind=person",
    )
    .await;
    let v = same(
        &["timeline", "komdigi", "--format", "json"],
        "/api/timeline/komdigi",
    )
    .await;
    let dates: Vec<&str> = v["dated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["relation"]["start"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    let v = same(
        &[
            "relations",
            "--type",
            "signed",
            "--from",
            "2025",
            "--until",
            "2025",
            "--limit",
            "2",
            "--offset",
            "1",
            "--format",
            "json",
        ],
        "/api/relations?type=signed&from_date=2025&until=2025&limit=2&offset=1",
    )
    .await;
    assert_eq!(v["offset"], 1);
    assert!(v["relations"].as_array().unwrap().len() <= 2);
    for r in v["relations"].as_array().unwrap() {
        assert_eq!(r["type"], "signed");
    }
    let v = same(
        &[
            "path",
            "komdigi",
            "india",
            "--chronological",
            "--format",
            "json",
        ],
        "/api/path?from=komdigi&to=india&chronological=1",
    )
    .await;
    assert_eq!(v["chronological"], true);
    let hops = v["hops"].as_array().unwrap();
    assert!(!hops.is_empty());
    let dates: Vec<&str> = hops.iter().map(|h| h["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]), "{dates:?}");
    // The path form's options, as the web page sends them.
    let v = same(
        &[
            "path",
            "meutya-hafid",
            "tejas-networks",
            "--chronological",
            "--allow-undated",
            "--max-hops",
            "3",
            "--exclude-kind",
            "topic",
            "--format",
            "json",
        ],
        "/api/path?from=meutya-hafid&to=tejas-networks&chronological=1&allow_undated=1&max_hops=3&exclude_kind=topic",
    )
    .await;
    let hops = v["hops"].as_array().unwrap();
    assert!(!hops.is_empty() && hops.len() <= 3);
    assert_eq!(v["nodes"].as_array().unwrap().len(), hops.len() + 1);
}

#[actix_web::test]
async fn bad_analysis_requests_are_refused_by_both_front_ends_with_the_same_parameter() {
    for (args, uri, says) in [
        (
            &["rank", "--by", "sum:amount"][..],
            "/api/rank?by=sum:amount",
            "unknown column",
        ),
        (
            &["rank", "--by", "betweenness", "--samples", "0"][..],
            "/api/rank?by=betweenness&samples=0",
            "samples",
        ),
        (
            &["rank", "--from", "2025", "--until", "2024"][..],
            "/api/rank?from_date=2025&until=2024",
            "ends (2024) before it starts (2025)",
        ),
        (
            &["common", "komdigi"][..],
            "/api/common?entity=komdigi",
            "at least two entities",
        ),
        (
            &["relations", "--from", "2025-03", "--until", "2025-01"][..],
            "/api/relations?from_date=2025-03&until=2025-01",
            "before it starts",
        ),
    ] {
        let out = jejaring(args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
        let (status, body) = api(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.contains(says), "{uri}: {body}");
    }
}

/// Options a time-respecting path has no meaning for: the CLI's parser
/// refuses them together with `--chronological`, the API by the core, each
/// naming the option.
#[actix_web::test]
async fn chronological_paths_refuse_the_options_of_shortest_paths_in_both_front_ends() {
    for (args, cli_says, uri, api_says) in [
        (
            &["path", "komdigi", "india", "--chronological", "--k", "3"][..],
            "--k",
            "/api/path?from=komdigi&to=india&chronological=1&k=3",
            "k: a chronological path is one shortest time-respecting path",
        ),
        (
            &["path", "komdigi", "india", "--chronological", "--directed"][..],
            "--directed",
            "/api/path?from=komdigi&to=india&chronological=1&directed=1",
            "directed: a chronological path is one shortest time-respecting path",
        ),
        (
            &["path", "komdigi", "india", "--allow-undated"][..],
            "--chronological",
            "/api/path?from=komdigi&to=india&allow_undated=1",
            "allow_undated: applies to chronological paths only",
        ),
    ] {
        let out = jejaring(args);
        assert_eq!(code(&out), 2, "{args:?}");
        assert!(stdout(&out).is_empty(), "{args:?}");
        assert!(
            stderr(&out).contains(cli_says),
            "{args:?}: {}",
            stderr(&out)
        );
        let (status, body) = api(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.contains(api_says), "{uri}: {body}");
    }
}
