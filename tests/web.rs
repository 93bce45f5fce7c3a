//! In-process tests of every route of the browser explorer: status,
//! content type, security headers, the names and evidence that must
//! appear, the JSON shapes, and escaping of hostile data.

use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use jejaring::dataset::{Quiet, embedded, load_dirs};
use jejaring::web::{AppState, CSP, create_app, load_corpus};

fn embedded_state() -> AppState {
    AppState::new(embedded::graph())
}

fn hostile_state() -> AppState {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile");
    let g = load_dirs(&[dir], &Quiet).unwrap().graph;
    let corpus_dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile-corpus");
    let (texts, warnings) = load_corpus(&g, &corpus_dir);
    assert_eq!(texts.len(), 1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("missing.txt"));
    AppState::new(g).with_corpus(texts)
}

struct Got {
    status: StatusCode,
    content_type: String,
    body: String,
}

/// One GET through the whole app; checks the security headers every
/// response must carry.
async fn get(state: AppState, uri: &str) -> Got {
    let app = init_service(create_app(state)).await;
    let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
    let h = res.headers();
    assert_eq!(h.get("content-security-policy").unwrap(), CSP, "{uri}");
    assert!(!CSP.contains("unsafe-inline"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer");
    let status = res.status();
    let content_type = h
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = String::from_utf8(read_body(res).await.to_vec()).unwrap();
    Got {
        status,
        content_type,
        body,
    }
}

/// A page: 200, HTML, containing every expected text.
async fn check_page(state: AppState, uri: &str, expect: &[&str]) -> String {
    let g = get(state, uri).await;
    assert_eq!(g.status, StatusCode::OK, "{uri}: {}", g.body);
    assert_eq!(g.content_type, "text/html; charset=utf-8", "{uri}");
    for e in expect {
        assert!(g.body.contains(e), "{uri} lacks {e:?}");
    }
    assert!(!g.body.contains("style=\""), "{uri} has an inline style");
    assert!(!g.body.contains("<script>"), "{uri} has an inline script");
    g.body
}

async fn check_status(state: AppState, uri: &str, status: StatusCode, expect: &[&str]) {
    let g = get(state, uri).await;
    assert_eq!(g.status, status, "{uri}: {}", g.body);
    for e in expect {
        assert!(g.body.contains(e), "{uri} lacks {e:?}: {}", g.body);
    }
}

async fn json(state: AppState, uri: &str) -> serde_json::Value {
    let g = get(state, uri).await;
    assert_eq!(g.status, StatusCode::OK, "{uri}: {}", g.body);
    assert_eq!(g.content_type, "application/json", "{uri}");
    serde_json::from_str(&g.body).unwrap()
}

#[actix_web::test]
async fn home_has_search_counts_agreements_and_starting_points() {
    let body = check_page(
        embedded_state(),
        "/",
        &[
            "autofocus",
            "action=\"/search\"",
            "Agreements by date",
            "Indonesia-India MoU on Digital Cooperation (2025)",
            "Most connected people",
            "href=\"/entity/meutya-hafid\"",
            "/assets/app.js",
            "/assets/style.css",
        ],
    )
    .await;
    assert!(body.contains("person"));
}

#[actix_web::test]
async fn search_ranks_and_shows_the_alias_that_matched() {
    check_page(
        embedded_state(),
        "/search?q=Meutia+Hafid",
        &["href=\"/entity/meutya-hafid\"", "Meutya Hafid"],
    )
    .await;
    check_page(
        embedded_state(),
        "/search?q=kominfo",
        &["matched alias", "Kominfo"],
    )
    .await;
    check_page(embedded_state(), "/search?q=zzzzqqq", &["0 hits"]).await;
    check_page(embedded_state(), "/search", &["Name or alias"]).await;
}

#[actix_web::test]
async fn entity_page_has_details_relations_evidence_sources_and_picture() {
    check_page(
        embedded_state(),
        "/entity/meutya-hafid",
        &[
            "<h1>Meutya Hafid</h1>",
            "holds_position",
            "Minister of Communication and Digital Affairs",
            "Meutya Hafid is introduced as Indonesia&#39;s Minister",
            "href=\"/source/inlens-2025-indonesia-india-digital-alliance\"",
            "Indonesia dan India Jalin Aliansi Strategis Digital",
            "<svg",
            "class=\"legend\"",
            "href=\"/entity/komdigi\"",
            "/neighbours/meutya-hafid",
            "name=\"from\" value=\"meutya-hafid\"",
        ],
    )
    .await;
}

#[actix_web::test]
async fn unknown_entity_is_a_404_page_with_suggestions() {
    check_status(
        embedded_state(),
        "/entity/meutya-hafidz",
        StatusCode::NOT_FOUND,
        &["no entity has the id", "href=\"/entity/meutya-hafid\""],
    )
    .await;
    check_status(
        embedded_state(),
        "/no/such/page",
        StatusCode::NOT_FOUND,
        &["no page at"],
    )
    .await;
}

#[actix_web::test]
async fn neighbours_page_filters_and_notes_truncation() {
    let body = check_page(
        embedded_state(),
        "/neighbours/komdigi?depth=2&kind=person&kind=organization",
        &[
            "Neighbours of",
            "<svg",
            "value=\"person\" checked",
            "Entities",
            "Relations",
        ],
    )
    .await;
    assert!(!body.contains("Truncated:"));
    check_page(
        embedded_state(),
        "/neighbours/komdigi?depth=2&max_nodes=3",
        &["Truncated:", "the nearest are shown"],
    )
    .await;
    check_page(
        embedded_state(),
        "/neighbours/komdigi?type=holds_position&at=2025-06",
        &["holds_position", "Meutya Hafid"],
    )
    .await;
}

#[actix_web::test]
async fn bad_parameters_are_400_naming_the_parameter() {
    let cases = [
        (
            "/neighbours/komdigi?depth=9",
            "depth: &#34;9&#34; is not allowed",
        ),
        ("/neighbours/komdigi?depth=abc", "depth:"),
        // 0 asks for as many as the server allows; more is refused.
        ("/neighbours/komdigi?max_nodes=5000", "max_nodes:"),
        // A neighbourhood's page holds 4 relations per entity of its node
        // cap (200 by default), at least 500.
        ("/neighbours/komdigi?per_page=801", "per_page:"),
        (
            "/neighbours/komdigi?max_nodes=100&per_page=501",
            "per_page:",
        ),
        ("/entity/komdigi?per_page=501", "per_page:"),
        ("/entity/komdigi?page=0", "page:"),
        ("/entity/komdigi?page=99", "page:"),
        ("/neighbours/komdigi?from_date=2025&until=2024", "until:"),
        ("/path?from=komdigi&to=india&all=1&k=3", "k:"),
        ("/neighbours/komdigi?kind=planet", "kind:"),
        ("/neighbours/komdigi?type=likes", "type:"),
        ("/neighbours/komdigi?at=2025-13", "at:"),
        ("/path?from=komdigi&to=india&k=21", "k:"),
        ("/path?from=komdigi&to=india&k=0", "k:"),
        (
            "/path?from=komdigi&to=india&exclude_kind=planet",
            "exclude_kind:",
        ),
        ("/path?from=komdigi&to=india&max_hops=99", "max_hops:"),
        ("/sources?page=999", "page:"),
        ("/export/pdf", "format:"),
    ];
    for (uri, msg) in cases {
        check_status(embedded_state(), uri, StatusCode::BAD_REQUEST, &[msg]).await;
    }
    check_status(
        embedded_state(),
        "/path?from=nobody+at+all+xyz&to=india",
        StatusCode::NOT_FOUND,
        &["from: no entity matches"],
    )
    .await;
}

#[actix_web::test]
async fn path_page_shows_k_paths_hops_evidence_and_citation() {
    let body = check_page(
        embedded_state(),
        "/path?from=meutya+hafid&to=tejas+networks&k=3",
        &[
            "3 paths, most specific first",
            "Path 1 — 2 hops, cost ",
            "Path 3",
            "class=\"graph paths\"",
            "Citation (plain text)",
            "Meutya Hafid → ",
            "Source:",
            "Meutya Hafid met the Indian ambassador",
        ],
    )
    .await;
    assert_eq!(body.matches("class=\"path-block\"").count(), 3);
    // Ranked by hop count, the page says so, keeps the box ticked and
    // shows no weighted cost.
    let plain = check_page(
        embedded_state(),
        "/path?from=meutya+hafid&to=tejas+networks&k=3&plain=1",
        &[
            "3 paths, fewest hops first",
            "name=\"plain\" value=\"1\" checked",
        ],
    )
    .await;
    assert!(!plain.contains(", cost "));
    // The form alone, without ends.
    check_page(
        embedded_state(),
        "/path",
        &["More options", "name=\"from\""],
    )
    .await;
}

#[actix_web::test]
async fn empty_path_says_which_constraint_emptied_it_and_offers_to_lift_it() {
    check_page(
        embedded_state(),
        "/path?from=meutya+hafid&to=tejas+networks&max_hops=1",
        &[
            "no path from Meutya Hafid to Tejas Networks",
            "at most 1 hops",
            "Search again without the constraints",
        ],
    )
    .await;
}

#[actix_web::test]
async fn sources_pages_list_documents_and_the_relations_they_support() {
    check_page(
        embedded_state(),
        "/sources",
        &[
            "Indonesia dan India Jalin Aliansi Strategis Digital",
            "/source/",
        ],
    )
    .await;
    check_page(
        embedded_state(),
        "/source/inlens-2025-indonesia-india-digital-alliance",
        &[
            "Relations this source supports",
            "holds_position",
            "Meutya Hafid",
        ],
    )
    .await;
    check_status(
        embedded_state(),
        "/source/nope",
        StatusCode::NOT_FOUND,
        &["no source has the id"],
    )
    .await;
}

#[actix_web::test]
async fn api_answers_in_the_cli_shapes() {
    let v = json(embedded_state(), "/api/search?q=tejas").await;
    assert_eq!(v["query"], "tejas");
    let hit = &v["hits"][0];
    assert_eq!(hit["id"], "tejas-networks");
    for key in ["id", "name", "kind", "aliases", "score"] {
        assert!(hit.get(key).is_some(), "{key}");
    }
    let v = json(embedded_state(), "/api/entity/komdigi").await;
    assert_eq!(v["id"], "komdigi");
    assert_eq!(v["kind"], "organization");
    assert!(v["relations"]["holds_position"].as_array().unwrap().len() >= 2);
    let v = json(embedded_state(), "/api/neighbours/komdigi?depth=2").await;
    assert_eq!(v["center"]["id"], "komdigi");
    assert_eq!(v["depth"], 2);
    assert_eq!(v["truncated"], false);
    assert_eq!(v["nodes"][0]["distance"], 0);
    let rel = &v["edges"][0];
    for key in [
        "from", "to", "type", "role", "start", "end", "source", "evidence",
    ] {
        assert!(rel.get(key).is_some(), "{key}");
    }
    let v = json(
        embedded_state(),
        "/api/path?from=meutya+hafid&to=tejas+networks&k=3",
    )
    .await;
    assert_eq!(v["from"]["id"], "meutya-hafid");
    assert_eq!(v["to"]["id"], "tejas-networks");
    let paths = v["paths"].as_array().unwrap();
    assert_eq!(paths.len(), 3);
    assert_eq!(paths[0]["length"], 2);
    assert_eq!(paths[0]["nodes"].as_array().unwrap().len(), 3);
    assert_eq!(paths[0]["edges"].as_array().unwrap().len(), 2);
    assert_eq!(v["ranking"], "specific");
    assert!(paths[0]["cost"].as_f64().unwrap() > 2.0);
    let v = json(
        embedded_state(),
        "/api/path?from=meutya+hafid&to=tejas+networks&plain=1",
    )
    .await;
    assert_eq!(v["ranking"], "plain");
    assert_eq!(v["paths"][0]["cost"], 2.0);
    let v = json(embedded_state(), "/api/stats").await;
    assert!(v["entities"].as_u64().unwrap() > 10);
}

#[actix_web::test]
async fn api_errors_are_json() {
    let g = get(embedded_state(), "/api/neighbours/komdigi?depth=5").await;
    assert_eq!(g.status, StatusCode::BAD_REQUEST);
    assert_eq!(g.content_type, "application/json");
    let v: serde_json::Value = serde_json::from_str(&g.body).unwrap();
    assert!(v["error"].as_str().unwrap().starts_with("depth:"));
    let g = get(embedded_state(), "/api/entity/nope").await;
    assert_eq!(g.status, StatusCode::NOT_FOUND);
    assert_eq!(g.content_type, "application/json");
    let g = get(embedded_state(), "/api/path?to=india").await;
    assert_eq!(g.status, StatusCode::BAD_REQUEST);
    assert!(g.body.contains("from: missing"));
}

#[actix_web::test]
async fn assets_are_embedded_typed_cached_and_nothing_else_is_served() {
    let g = get(embedded_state(), "/assets/style.css").await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.content_type, "text/css; charset=utf-8");
    assert!(g.body.contains("prefers-color-scheme: dark"));
    assert!(g.body.contains("@media print"));
    let g = get(embedded_state(), "/assets/app.js").await;
    assert_eq!(g.content_type, "text/javascript; charset=utf-8");
    for uri in [
        "/assets/..%2FCargo.toml",
        "/assets/../Cargo.toml",
        "/assets/%2e%2e%2fsrc%2flib.rs",
        "/assets/nope.js",
    ] {
        let g = get(embedded_state(), uri).await;
        assert_eq!(g.status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!g.body.contains("[package]"));
    }
}

#[actix_web::test]
async fn the_explorer_is_read_only() {
    let app = init_service(create_app(embedded_state())).await;
    let res = call_service(&app, TestRequest::post().uri("/").to_request()).await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    let res = call_service(
        &app,
        TestRequest::delete().uri("/entity/komdigi").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
}

#[actix_web::test]
async fn export_downloads_a_neighbourhood() {
    let g = get(embedded_state(), "/export/dot?around=komdigi&depth=1").await;
    assert_eq!(g.status, StatusCode::OK);
    assert!(g.content_type.starts_with("text/vnd.graphviz"));
    assert!(g.body.contains("komdigi"));
}

#[actix_web::test]
async fn hostile_names_aliases_and_evidence_are_shown_as_text() {
    let pages = [
        "/",
        "/search?q=smith",
        "/search?q=O%27Brien",
        "/entity/evil-person",
        "/entity/acme",
        "/neighbours/evil-person?depth=2",
        "/path?from=evil-person&to=acme&k=2",
        "/sources",
        "/source/src-one",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
    ];
    for uri in pages {
        let body = check_page(hostile_state(), uri, &[]).await;
        for bad in [
            "<script>alert",
            "<img src=x",
            "<b>bold",
            "<i>2025",
            "javascript:alert",
        ] {
            let in_link = bad == "javascript:alert" && body.contains("href=\"javascript:");
            assert!(
                !body.contains(bad) || (bad == "javascript:alert" && !in_link),
                "{uri} contains {bad}"
            );
        }
        assert!(!body.contains("href=\"javascript:"), "{uri}");
    }
    check_page(
        hostile_state(),
        "/entity/evil-person",
        &[
            "&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; Smith",
            "O&#39;Brien &#38; Sons",
            "&#60;img src=x onerror=alert(1)&#62;",
            "He said &#34;&#60;script&#62;alert(1)&#60;/script&#62;&#34; &#38; left",
            "Minister &#60;script&#62;x&#60;/script&#62;",
        ],
    )
    .await;
    check_page(
        hostile_state(),
        "/search?q=O%27Brien",
        &["matched alias", "O&#39;Brien &#38; Sons"],
    )
    .await;
    // The canvas's data block is JSON no name can close or break out
    // of: no `<` at all inside it, and the names read back whole.
    let body = check_page(hostile_state(), "/neighbours/evil-person?depth=2", &[]).await;
    let start = "<script type=\"application/json\" id=\"explorer-data\">";
    let at = body.find(start).unwrap() + start.len();
    let block = &body[at..at + body[at..].find("</script>").unwrap()];
    assert!(!block.contains('<') && !block.contains('>') && !block.contains('&'));
    let data: serde_json::Value = serde_json::from_str(block).unwrap();
    let evil = &data["nodes"][0];
    assert_eq!(evil["name"], "<script>alert(\"x\")</script> Smith");
    assert_eq!(evil["aliases"][1], "<img src=x onerror=alert(1)>");
    // Pictures escape too (their own escaper).
    check_page(
        hostile_state(),
        "/neighbours/evil-person",
        &["&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Smith (person)"],
    )
    .await;
}

#[actix_web::test]
async fn corpus_text_is_escaped_with_names_highlighted_and_linked() {
    let body = check_page(
        hostile_state(),
        "/source/src-one",
        &[
            "class=\"source-text\"",
            "<a class=\"mention k-organization\" href=\"/entity/ministry\"",
            ">Ministry of Tests</a>",
            ">ACME</a>",
            ">O&#39;Brien &#38; Sons</a>",
            "&#60;script&#62;alert(&#34;corpus&#34;)&#60;/script&#62;",
        ],
    )
    .await;
    // `MoTx` is not the alias `MoT`: matches stop at word boundaries.
    assert!(!body.contains(">MoT</a>"));
    // Without a corpus there is no text section.
    let body = check_page(
        embedded_state(),
        "/source/inlens-2025-indonesia-india-digital-alliance",
        &[],
    )
    .await;
    assert!(!body.contains("source-text"));
}

/// The downloads of a filtered neighbours page keep its filters: a CSV of
/// `type=holds_position` lists only that type, and the page links to it.
#[actix_web::test]
async fn neighbours_downloads_keep_the_filters() {
    let uri = "/neighbours/komdigi?depth=2&type=holds_position";
    let body = check_page(embedded_state(), uri, &["filtered out: ", "by type"]).await;
    assert!(
        body.contains("/neighbours/komdigi?depth=2&#38;type=holds_position&#38;format=csv"),
        "{body}"
    );
    let csv = get(embedded_state(), &format!("{uri}&format=csv")).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(csv.content_type.starts_with("text/csv"));
    let rows: Vec<&str> = csv.body.lines().skip(1).collect();
    assert!(!rows.is_empty());
    assert!(
        rows.iter().all(|r| r.contains(",holds_position,")),
        "{}",
        csv.body
    );
    let svg = get(embedded_state(), &format!("{uri}&format=svg")).await;
    assert_eq!(svg.content_type, "image/svg+xml");
    check_status(
        embedded_state(),
        &format!("{uri}&format=pdf"),
        StatusCode::BAD_REQUEST,
        &["format"],
    )
    .await;
    let v = json(
        embedded_state(),
        "/api/neighbours/komdigi?depth=2&kind=person",
    )
    .await;
    assert!(v["filtered"]["kind"].as_u64().unwrap() > 0, "{v}");
}

fn resolve_state() -> AppState {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/resolve");
    AppState::new(load_dirs(&[dir], &Quiet).unwrap().graph)
}

/// A path end matched by search says so, with links re-running the query
/// with each alternative; an ambiguous end is a page of candidates, each a
/// link to the same query with its id.
#[actix_web::test]
async fn path_ends_matched_by_search_are_noticed_and_ambiguous_ones_chosen() {
    let body = check_page(
        resolve_state(),
        "/path?from=Budi+Santosa&to=trade-ministry&k=2",
        &["“Budi Santosa” matched", "by search", "Budi Santoso"],
    )
    .await;
    assert!(
        body.contains("href=\"/path?to=trade-ministry&#38;k=2&#38;from=budi-santoso-wijaya\""),
        "{body}"
    );
    let body = check_page(
        resolve_state(),
        "/path?from=Agus+Salem&to=trade-ministry&k=2",
        &["Which “Agus Salem”?", "1884", "Leiden foundation", "NL"],
    )
    .await;
    for id in ["agus-salim", "agus-salim-foundation"] {
        let href = format!("href=\"/path?to=trade-ministry&#38;k=2&#38;from={id}\"");
        assert!(body.contains(&href), "{href} in {body}");
    }
}

#[actix_web::test]
async fn the_analysis_pages_answer_and_link_their_exports() {
    let body = check_page(
        embedded_state(),
        "/rank?by=degree&limit=3",
        &[
            "Rank entities",
            "3 of 81 entities by degree",
            "/api/rank?by=degree&#38;limit=3",
        ],
    )
    .await;
    assert_eq!(
        body.matches("<td class=\"num\">").count(),
        6,
        "3 rows of rank and score"
    );
    check_page(
        embedded_state(),
        "/common?entity=komdigi&entity=india",
        &[
            "Indonesia-India MoU on Digital Cooperation (2025)",
            "/export/common/gexf?entity=komdigi&#38;entity=india",
        ],
    )
    .await;
    check_page(embedded_state(), "/common", &["Entities (two or more"]).await;
    check_page(
        embedded_state(),
        "/timeline/komdigi",
        &["Timeline of", "timeline-axis", "In date order", "Undated"],
    )
    .await;
    check_page(
        embedded_state(),
        "/relations?type=signed&limit=2",
        &["4 relations match; 1 to 2 shown", "rel=\"next\""],
    )
    .await;
    let got = get(
        embedded_state(),
        "/export/common/gexf?entity=komdigi&entity=india",
    )
    .await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.body.contains("<gexf"), "{}", got.body);
    let app = init_service(create_app(embedded_state())).await;
    let res = call_service(
        &app,
        TestRequest::get()
            .uri("/export/common/graphml?entity=komdigi,india")
            .to_request(),
    )
    .await;
    assert_eq!(
        res.headers().get("content-disposition").unwrap(),
        "attachment; filename=\"jejaring-common-komdigi-india.graphml\""
    );
}

#[actix_web::test]
async fn refused_analysis_forms_come_back_filled_in_with_a_400() {
    for (uri, kept, says) in [
        (
            "/rank?by=sum:amount",
            "value=\"sum:amount\"",
            "unknown column",
        ),
        (
            "/rank?by=betweenness&samples=0",
            "value=\"betweenness\"",
            "samples: must be at least 1",
        ),
        (
            "/rank?from_date=2025&until=2024",
            "value=\"2024\"",
            "before it starts",
        ),
        (
            "/common?entity=komdigi",
            "value=\"komdigi\"",
            "at least two entities",
        ),
        (
            "/relations?role=sign&from_date=2025-03&until=2025-01",
            "value=\"sign\"",
            "before it starts",
        ),
        ("/timeline/komdigi?at=20x5", "value=\"20x5\"", "at:"),
    ] {
        let got = get(embedded_state(), uri).await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{uri}: {}", got.body);
        assert!(
            got.body.contains("<form class=\"filters\""),
            "{uri}: no form"
        );
        assert!(got.body.contains(kept), "{uri}: lost {kept}");
        assert!(got.body.contains(says), "{uri}: {}", got.body);
    }
    check_status(
        embedded_state(),
        "/export/common/dot?entity=komdigi&entity=india",
        StatusCode::BAD_REQUEST,
        &["gexf, graphml or gephi"],
    )
    .await;
    check_status(
        embedded_state(),
        "/timeline/nobody-xyz",
        StatusCode::NOT_FOUND,
        &["no entity has the id"],
    )
    .await;
}
