//! `serve --edit` in-process: the edit routes exist only when editing is
//! on, every POST needs the form token and a same-origin page, the rest of
//! the site stays GET-only, and an article goes from the form through
//! review to rows in the dataset folder (a temporary copy of a fixture),
//! applying twice changing nothing the second time.

use std::path::{Path, PathBuf};

use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use jejaring::dataset::{Quiet, load_dirs};
use jejaring::web::edit::Editing;
use jejaring::web::{AppState, create_app};

/// The host in-process requests are made to.
const ORIGIN: &str = "http://localhost:8080";

/// An article written for these tests.
const ARTICLE: &str = "Menkes Bertemu Dubes Norwegia\n\n\
Menteri Kesehatan Budi Santika bertemu dengan Duta Besar Norwegia Lars Berg di Jakarta pada 3 Maret 2025.\n\
Keduanya membahas kerja sama vaksin dan telemedisin antara Indonesia dan Norwegia.\n";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ingest/data")
}

/// A copy of the fixture dataset in a temporary folder.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["sources.csv", "entities.csv", "relations.csv"] {
        std::fs::copy(fixture().join(f), dir.path().join(f)).unwrap();
    }
    dir
}

fn state(dir: &Path) -> (AppState, String) {
    let g = load_dirs(&[dir.to_path_buf()], &Quiet).unwrap().graph;
    let ed = Editing::new(dir.to_path_buf(), false).unwrap();
    let token = ed.token().to_string();
    (AppState::new(g).with_edit(ed), token)
}

fn files(dir: &Path) -> Vec<String> {
    ["sources.csv", "entities.csv", "relations.csv"]
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).unwrap())
        .collect()
}

const BOUNDARY: &str = "----jejaring-test-boundary";

/// A multipart body of text fields.
fn multipart(fields: &[(&str, &str)]) -> Vec<u8> {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body.into_bytes()
}

fn article_form(token: Option<&str>) -> Vec<u8> {
    let mut fields = vec![
        ("text", ARTICLE),
        ("source_id", "warta-2025-uji"),
        ("title", "Menkes bertemu Dubes Norwegia"),
        ("published", "2025-03-03"),
        ("language", "id"),
    ];
    if let Some(t) = token {
        fields.push(("csrf", t));
    }
    multipart(&fields)
}

fn post_review(body: Vec<u8>) -> TestRequest {
    TestRequest::post()
        .uri("/edit/review")
        .insert_header(("Origin", ORIGIN))
        .insert_header((
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        ))
        .set_payload(body)
}

fn post_apply(body: String) -> TestRequest {
    TestRequest::post()
        .uri("/edit/apply")
        .insert_header(("Origin", ORIGIN))
        .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
        .set_payload(body)
}

async fn answer(state: &AppState, req: TestRequest) -> (StatusCode, String) {
    let app = init_service(create_app(state.clone())).await;
    let res = call_service(&app, req.to_request()).await;
    let status = res.status();
    let body = String::from_utf8(read_body(res).await.to_vec()).unwrap();
    (status, body)
}

fn unescape(s: &str) -> String {
    s.replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[at..].find('"')?;
    Some(unescape(&tag[at..at + end]))
}

/// The fields a browser would send from a page's form, radios left out
/// (the test picks them), `select`s as their selected option.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let form = &html[html.find("<form class=\"edit-form\"").unwrap()..];
    let mut rest = form;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').unwrap();
        let tag = &rest[..=end];
        if tag.starts_with("<input") && !tag.contains("type=\"radio\"") {
            if let Some(n) = attr(tag, "name") {
                out.push((n, attr(tag, "value").unwrap_or_default()));
            }
        } else if tag.starts_with("<select") {
            let n = attr(tag, "name").unwrap();
            let close = rest.find("</select>").unwrap();
            let inner = &rest[..close];
            let chosen = inner
                .find("<option selected>")
                .map(|i| {
                    let s = &inner[i + "<option selected>".len()..];
                    unescape(&s[..s.find('<').unwrap()])
                })
                .unwrap_or_default();
            out.push((n, chosen));
        } else if tag.starts_with("</form") {
            break;
        }
        rest = &rest[end + 1..];
    }
    out
}

fn encode(fields: &[(String, String)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", pct(k), pct(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn pct(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[actix_web::test]
async fn an_article_goes_from_the_form_through_review_into_the_dataset() {
    let dir = scratch();
    let (state, token) = state(dir.path());
    let before = files(dir.path());

    let (status, form) = answer(&state, TestRequest::get().uri("/edit")).await;
    assert_eq!(status, StatusCode::OK, "{form}");
    assert!(form.contains(&format!("name=\"csrf\" value=\"{token}\"")));
    assert!(form.contains("enctype=\"multipart/form-data\""));

    let (status, review) = answer(&state, post_review(article_form(Some(&token)))).await;
    assert_eq!(status, StatusCode::OK, "{review}");
    // The names found are marked in the article, linked to their pages.
    assert!(
        review.contains("href=\"/entity/budi-santika\" title=\"Budi Santika (person, budi-santika)\">Budi Santika</a>"),
        "{review}"
    );
    assert!(review.contains(">Lars Berg</a>"));
    let fields = form_fields(&review);
    let value = |k: &str| {
        fields
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(value("proposal.0"), "source");
    assert_eq!(value("id.0"), "warta-2025-uji");
    // Two proposals to accept: the minister's post and the meeting.
    let row_of = |rel: &str, to: &str| {
        (1..)
            .take_while(|i| !value(&format!("proposal.{i}")).is_empty())
            .find(|i| value(&format!("type.{i}")) == rel && value(&format!("to.{i}")) == to)
            .unwrap_or_else(|| panic!("no {rel} to {to} proposed: {fields:?}"))
    };
    let post = row_of("holds_position", "kemenkes");
    let met = row_of("met_with", "lars-berg");
    assert_eq!(value(&format!("from.{met}")), "budi-santika");
    assert_eq!(value(&format!("start.{met}")), "2025-03-03");

    let mut sent = fields.clone();
    sent.push(("accept.0".into(), "yes".into()));
    sent.push((format!("accept.{post}"), "yes".into()));
    sent.push((format!("accept.{met}"), "yes".into()));
    // An edited cell is written as edited.
    for (k, v) in &mut sent {
        if *k == format!("role.{post}") {
            *v = "Minister of Health".into();
        }
    }
    let body = encode(&sent);
    let (status, done) = answer(&state, post_apply(body.clone())).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(
        done.contains("Appended 1 source, 0 entities and 2 relations"),
        "{done}"
    );
    let after = files(dir.path());
    assert!(after[0].contains("warta-2025-uji,Menkes bertemu Dubes Norwegia"));
    assert!(after[2].contains(
        "budi-santika,kemenkes,holds_position,Minister of Health,,,warta-2025-uji,Menteri Kesehatan Budi Santika"
    ));
    assert!(
        after[2].contains("budi-santika,lars-berg,met_with,,2025-03-03,2025-03-03,warta-2025-uji")
    );
    assert_eq!(after[1], before[1], "no entity was accepted");
    let loaded = load_dirs(&[dir.path().to_path_buf()], &Quiet).unwrap();
    let s = loaded.graph.source_index("warta-2025-uji").unwrap();
    assert_eq!(loaded.graph.relations_of_source(s).len(), 2);

    // Applying the same review again writes nothing.
    let (status, again) = answer(&state, post_apply(body)).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert!(again.contains("Nothing new"), "{again}");
    assert!(again.contains("3 already there"), "{again}");
    assert_eq!(files(dir.path()), after);
}

#[actix_web::test]
async fn a_missing_or_wrong_token_is_403_and_writes_nothing() {
    let dir = scratch();
    let (state, token) = state(dir.path());
    let before = files(dir.path());
    for t in [None, Some("0".repeat(64)), Some(token[..63].to_string())] {
        let (status, body) = answer(&state, post_review(article_form(t.as_deref()))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{t:?}: {body}");
        assert!(body.contains("token is missing or wrong"), "{body}");
        let csrf = t.map(|t| format!("csrf={t}&")).unwrap_or_default();
        let apply = format!("{csrf}proposal.0=source&accept.0=yes&id.0=x-2025&name.0=X");
        let (status, body) = answer(&state, post_apply(apply)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    assert_eq!(files(dir.path()), before);
}

#[actix_web::test]
async fn a_post_from_another_site_or_host_is_403() {
    let dir = scratch();
    let (state, token) = state(dir.path());
    let body = format!("csrf={token}&proposal.0=source&accept.0=yes&id.0=x-2025&name.0=X");
    let apply = || {
        TestRequest::post()
            .uri("/edit/apply")
            .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
            .set_payload(body.clone())
    };
    // No Origin and no Referer.
    let (status, _) = answer(&state, apply()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Another site's page.
    let (status, page) = answer(
        &state,
        apply().insert_header(("Origin", "http://evil.example")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(
        page.contains("not sent from a page of this server"),
        "{page}"
    );
    // A page of ours, named by its Referer (Origin null).
    let (status, page) = answer(
        &state,
        apply()
            .insert_header(("Origin", "null"))
            .insert_header(("Referer", "http://localhost:8080/edit/review")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    // A name that resolves here but is not a loopback one (rebinding).
    let (status, page) = answer(
        &state,
        TestRequest::get()
            .uri("/edit")
            .insert_header(("Host", "evil.example:8080")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!page.contains(&token));
}

#[actix_web::test]
async fn only_the_edit_routes_take_a_post() {
    let dir = scratch();
    let (edit_on, token) = state(dir.path());
    let g = load_dirs(&[dir.path().to_path_buf()], &Quiet)
        .unwrap()
        .graph;
    let edit_off = AppState::new(g);
    for state in [&edit_on, &edit_off] {
        for uri in [
            "/",
            "/search?q=budi",
            "/entity/budi-santika",
            "/api/stats",
            "/nowhere",
            "/edit",
        ] {
            let (status, _) = answer(state, TestRequest::post().uri(uri)).await;
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "POST {uri}");
            let with_body = TestRequest::post()
                .uri(uri)
                .insert_header(("Content-Type", "application/x-www-form-urlencoded"))
                .set_payload(format!("csrf={token}"));
            let (status, _) = answer(state, with_body).await;
            assert_eq!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "POST {uri} with a body"
            );
        }
        // A body on a GET is still refused.
        let (status, _) = answer(state, TestRequest::get().uri("/").set_payload("x")).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    }
    // Editing off: no edit pages, and their POSTs are 405.
    let (status, _) = answer(&edit_off, TestRequest::get().uri("/edit")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = answer(&edit_off, post_review(article_form(Some(&token)))).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (_, home) = answer(&edit_off, TestRequest::get().uri("/")).await;
    assert!(!home.contains("href=\"/edit\""));
    let (_, home) = answer(&edit_on, TestRequest::get().uri("/")).await;
    assert!(home.contains("href=\"/edit\""));
}

#[actix_web::test]
async fn an_oversized_form_is_413_before_it_is_read() {
    let dir = scratch();
    let (state, token) = state(dir.path());
    let big = "a".repeat(jejaring::web::edit::MAX_ARTICLE_FORM + 1);
    let (status, _) = answer(
        &state,
        post_review(multipart(&[("csrf", &token), ("text", &big)])),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[actix_web::test]
async fn a_refused_review_says_which_row_and_writes_nothing() {
    let dir = scratch();
    let (state, token) = state(dir.path());
    let before = files(dir.path());
    let body = format!(
        "csrf={token}&proposal.0=source&accept.0=yes&id.0=warta-2025-uji&name.0=Uji\
         &proposal.1=relation&accept.1=yes&from.1=budi-santika&type.1=met_with&to.1=nobody-here&source.1=warta-2025-uji\
         &proposal.2=relation&accept.2=maybe&from.2=budi-santika&type.2=met_with&to.2=lars-berg"
    );
    let (status, page) = answer(&state, post_apply(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
    assert!(page.contains("nothing was written"), "{page}");
    assert!(page.contains("row 3: accept is"), "{page}");
    assert_eq!(files(dir.path()), before);
}

#[test]
fn serve_edit_refuses_a_non_loopback_address_and_the_embedded_data() {
    let dir = scratch();
    let data = dir.path().to_str().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_jejaring"))
            .args(args)
            .output()
            .unwrap()
    };
    let o = run(&["--data", data, "serve", "--edit", "--addr", "0.0.0.0:0"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("--edit serves only on a loopback address"),
        "{err}"
    );
    let o = run(&[
        "--data",
        data,
        "serve",
        "--edit",
        "--addr",
        "192.0.2.1:8080",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["serve", "--edit", "--addr", "127.0.0.1:0"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--edit needs --data DIR"), "{err}");
    let o = run(&[
        "--data",
        "embedded",
        "serve",
        "--edit",
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
