//! The server under hostile requests, in-process: every route with odd
//! and hostile parameter values never answers 5xx (so none reaches the
//! panic catcher), the request limits answer 414/413/405 with a message,
//! and parameter errors name the parameter.

use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use jejaring::dataset::embedded;
use jejaring::web::{AppState, CSP, MAX_URI, PARAMETERS, check_params, create_app};

fn state() -> AppState {
    AppState::new(embedded::graph())
}

/// Percent-encodes everything but unreserved characters.
fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Values as they appear in a URL: some are raw escapes on purpose.
fn hostile_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "",
        "0",
        "-1",
        "1",
        "4",
        "5",
        "21",
        "2001",
        "99999999999999999999999999",
        "18446744073709551616",
        "1e3",
        "1.5",
        "NaN",
        "+1",
        "0x10",
        "１",
        "indonesia",
        "india",
        "indonesia,india",
        ",,,",
        "person",
        "country,agreement",
        "signed",
        "2020",
        "2020-02-30",
        "0000",
        "9999-99-99",
        "-2020",
        "true",
        "../../etc/passwd",
        "<script>alert(1)</script>",
        "\"'><img src=x>",
        "🙂",
        "\u{202e}evil",
        "Ünïcödé",
        " ",
        "\t",
        "null",
        "json",
        "graphml",
        "zip",
    ]
    .iter()
    .map(|s| enc(s))
    .collect();
    for raw in [
        "%00",
        "%FF%FE",
        "%",
        "%zz",
        "%C3",
        "..%2F..%2F",
        "a+b",
        "&&&",
        "=",
        "==x",
    ] {
        v.push(raw.to_string());
    }
    // Long, but under the URI limit: these reach the parsers.
    v.push("x".repeat(3000));
    v.push(enc(&"é".repeat(500)));
    v
}

const QUERY_ROUTES: &[&str] = &[
    "/",
    "/search",
    "/api/search",
    "/path",
    "/api/path",
    "/neighbours/indonesia",
    "/api/neighbours/indonesia",
    "/entity/indonesia",
    "/api/entity/indonesia",
    "/sources",
    "/export/json",
    "/export/dot",
    "/api/stats",
    "/rank",
    "/api/rank",
    "/common",
    "/api/common",
    "/export/common/gexf",
    "/export/path/gexf",
    "/export/timeline/indonesia/gexf",
    "/export/relations/gexf",
    "/relations",
    "/api/relations",
    "/timeline/indonesia",
    "/api/timeline/indonesia",
];

const ID_ROUTES: &[&str] = &[
    "/entity/",
    "/neighbours/",
    "/neighbors/",
    "/api/entity/",
    "/api/neighbours/",
    "/source/",
    "/timeline/",
    "/api/timeline/",
    "/export/",
    "/assets/",
];

#[actix_web::test]
async fn no_route_answers_5xx_to_hostile_parameters() {
    let app = init_service(create_app(state())).await;
    let params: Vec<&str> = PARAMETERS
        .iter()
        .copied()
        .filter(|p| *p != "query string")
        .chain(["directed", "all", "unknown", "kind[]"])
        .collect();
    let mut uris = Vec::new();
    let values = hostile_values();
    for v in &values {
        for r in ID_ROUTES {
            uris.push(format!("{r}{v}"));
            uris.push(format!("{r}{v}?depth={v}&k={v}"));
        }
        for r in QUERY_ROUTES {
            for p in &params {
                uris.push(format!("{r}?{p}={v}"));
            }
            // Everything at once, and repeated parameters.
            let all: Vec<String> = params.iter().map(|p| format!("{p}={v}")).collect();
            uris.push(format!("{r}?{}", all.join("&")));
            uris.push(format!("{r}?from=indonesia&to=india&k={v}&k=2&k={v}"));
            uris.push(format!("{r}?around=indonesia&depth={v}&depth=1"));
            uris.push(format!("{r}?{v}"));
            uris.push(format!("{r}?{v}={v}"));
        }
    }
    let mut statuses = std::collections::BTreeMap::new();
    for uri in &uris {
        let Ok(req) = std::panic::catch_unwind(|| TestRequest::get().uri(uri).to_request()) else {
            continue; // not a URI a client could send
        };
        let res = call_service(&app, req).await;
        let status = res.status();
        assert_eq!(
            res.headers().get("content-security-policy").unwrap(),
            CSP,
            "{uri}"
        );
        let body = read_body(res).await;
        assert!(
            !status.is_server_error(),
            "{uri} answered {status}: {}",
            String::from_utf8_lossy(&body)
        );
        *statuses.entry(status.as_u16()).or_insert(0) += 1;
    }
    // The sweep reached the parsers: it saw answers and refusals.
    assert!(uris.len() > 5000, "{}", uris.len());
    assert!(statuses.get(&200).is_some_and(|&n| n > 100), "{statuses:?}");
    assert!(statuses.get(&400).is_some_and(|&n| n > 100), "{statuses:?}");
    assert!(statuses.contains_key(&404), "{statuses:?}");
}

#[test]
fn parameter_errors_name_the_parameter() {
    let g = embedded::graph();
    for v in hostile_values() {
        for p in PARAMETERS {
            let q = format!("{}={v}", enc(p));
            for r in check_params(&g, &q) {
                if let Err(e) = r {
                    assert!(
                        PARAMETERS
                            .iter()
                            .any(|name| e.message.starts_with(&format!("{name}: "))),
                        "{q}: {}",
                        e.message
                    );
                }
            }
        }
    }
}

async fn status_of(req: TestRequest) -> (StatusCode, String) {
    let app = init_service(create_app(state())).await;
    let res = call_service(&app, req.to_request()).await;
    let status = res.status();
    let body = String::from_utf8(read_body(res).await.to_vec()).unwrap();
    (status, body)
}

#[actix_web::test]
async fn a_long_address_is_414_with_the_limit() {
    let uri = format!("/search?q={}", "a".repeat(MAX_URI));
    let (status, body) = status_of(TestRequest::get().uri(&uri)).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    assert!(body.contains("at most 8192 bytes"), "{body}");
    let uri = format!("/api/path?from={}", "a".repeat(MAX_URI));
    let (status, body) = status_of(TestRequest::get().uri(&uri)).await;
    assert_eq!(status, StatusCode::URI_TOO_LONG);
    assert!(body.starts_with("{\"error\""), "{body}");
}

#[actix_web::test]
async fn a_request_body_is_refused_and_nothing_but_get_is_served() {
    let (status, body) = status_of(
        TestRequest::get()
            .uri("/search?q=india")
            .set_payload(vec![b'x'; 100_000]),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body.contains("no request body"), "{body}");
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let m = actix_web::http::Method::from_bytes(method.as_bytes()).unwrap();
        let (status, _) = status_of(TestRequest::default().method(m).uri("/entity/india")).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{method}");
    }
}

#[actix_web::test]
async fn assets_never_leave_the_embedded_files() {
    for uri in [
        "/assets/..%2F..%2FCargo.toml",
        "/assets/..%2fsrc%2flib.rs",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/style.css%00.js",
        "/assets/",
        "/assets/../Cargo.toml",
        "/assets/..\\Cargo.toml",
    ] {
        let Ok(req) = std::panic::catch_unwind(|| TestRequest::get().uri(uri)) else {
            continue;
        };
        let (status, body) = status_of(req).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!body.contains("[package]"), "{uri}");
    }
}
