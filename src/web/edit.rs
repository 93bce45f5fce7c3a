//! `serve --edit`: ingest an article in the browser. `/edit` is a form
//! (text or an uploaded file, and what the source is); `/edit/review`
//! shows the article with the names it found marked and every proposal in
//! a table to accept, reject or correct; `/edit/apply` hands the reviewed
//! rows to the same core as `ingest --apply` ([`crate::ingest::review`]:
//! checked, loaded, written atomically, rows already there skipped) and
//! shows what was written. With `--watch` the graph then reloads.
//!
//! These are the only routes that take a POST, and they exist only when
//! editing is on. Every POST carries the process's random token in a
//! hidden field (compared in constant time) and must come from a page of
//! this server (`Origin`, else `Referer`); every edit request must name a
//! loopback host (`Host`), so a page elsewhere can neither post here nor,
//! through DNS rebinding, read the token. Bodies are bounded (the
//! `limits` middleware and the per-field limits below). Plain forms: no
//! script is needed.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

use actix_multipart::Multipart;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use futures_util::StreamExt;
use subtle::ConstantTimeEq;

use super::AppState;
use super::error::WebError;
use super::pages::{EntLink, Layout};
use super::pool::{Reply, heavy};
use crate::ingest::relations::NodeKey;
use crate::ingest::review::{self, Applied, ReviewRow};
use crate::ingest::{self, Article, IngestError};
use crate::model::Date;

/// The routes that accept a POST when editing is on (the `limits`
/// middleware lets a body through to these only).
pub const POST_ROUTES: &[&str] = &["/edit/review", "/edit/apply"];
/// The largest article form: the largest article and its details.
pub const MAX_ARTICLE_FORM: usize = ingest::text::MAX_ARTICLE_BYTES + 64 * 1024;
/// The largest review form (its rows carry their sentences as evidence).
pub const MAX_REVIEW_FORM: usize = 8 << 20;
/// The most rows a review form may have.
pub const MAX_ROWS: usize = 20_000;
/// The longest short field of the article form (ids, title, url …).
const MAX_FIELD: usize = 4096;
/// The most fields an article form may have.
const MAX_FIELDS: usize = 32;

/// The largest body any edit route takes.
pub(super) fn body_limit(path: &str) -> Option<usize> {
    match path {
        "/edit/review" => Some(MAX_ARTICLE_FORM),
        "/edit/apply" => Some(MAX_REVIEW_FORM),
        _ => None,
    }
}

/// Editing is on: where accepted rows are written, and the token.
pub struct Editing {
    /// The dataset folder the rows are appended to.
    pub dir: PathBuf,
    /// Whether `serve --watch` reloads the graph after a write.
    pub watching: bool,
    token: String,
    /// One apply at a time: two at once would both append to the files
    /// as they were before either.
    writing: Mutex<()>,
}

impl Editing {
    /// Editing into `dir`, with a fresh random token.
    pub fn new(dir: PathBuf, watching: bool) -> Result<Editing, String> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| format!("no random numbers for the form token: {e}"))?;
        let token = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Editing {
            dir,
            watching,
            token,
            writing: Mutex::new(()),
        })
    }

    /// The token every edit form carries.
    pub fn token(&self) -> &str {
        &self.token
    }

    fn token_ok(&self, given: Option<&str>) -> bool {
        given.is_some_and(|g| bool::from(g.as_bytes().ct_eq(self.token.as_bytes())))
    }
}

/// Registers the edit routes (only called when editing is on).
pub(super) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/edit")
            .route(web::get().to(form_page))
            .default_service(web::to(super::fallback)),
    )
    .service(
        web::resource("/edit/review")
            .route(web::post().to(review_page))
            .route(web::get().to(back_to_form))
            .default_service(web::to(super::fallback)),
    )
    .service(
        web::resource("/edit/apply")
            .app_data(web::PayloadConfig::new(MAX_REVIEW_FORM))
            .route(web::post().to(apply_page))
            .route(web::get().to(back_to_form))
            .default_service(web::to(super::fallback)),
    );
}

fn editing(state: &AppState) -> Result<&Editing, WebError> {
    state
        .edit
        .as_deref()
        .ok_or_else(|| WebError::not_found("editing is off (serve --edit)", Vec::new()))
}

fn forbidden(message: impl Into<String>) -> WebError {
    WebError::status(StatusCode::FORBIDDEN, message)
}

/// The host part of a `Host` value: `127.0.0.1:8080` → `127.0.0.1`,
/// `[::1]:8080` → `::1`.
fn host_name(host: &str) -> &str {
    if let Some(rest) = host.strip_prefix('[') {
        return rest.split(']').next().unwrap_or("");
    }
    host.rsplit_once(':').map_or(host, |(h, _)| h)
}

fn loopback_host(host: &str) -> bool {
    let h = host_name(host);
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The request names a loopback host: a page of another site that made
/// its name resolve here (DNS rebinding) is refused.
fn check_host(req: &HttpRequest) -> Result<(), WebError> {
    let info = req.connection_info();
    if loopback_host(info.host()) {
        Ok(())
    } else {
        Err(forbidden(format!(
            "editing answers only requests to this machine (127.0.0.1 or localhost), not to \"{}\"",
            info.host()
        )))
    }
}

/// The request comes from a page of this server: its `Origin`, or when
/// the browser sends none (or `null`) its `Referer`, is ours.
fn check_origin(req: &HttpRequest) -> Result<(), WebError> {
    check_host(req)?;
    let info = req.connection_info();
    let ours = format!("{}://{}", info.scheme(), info.host());
    let h = req.headers();
    let text = |name| {
        h.get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
    };
    let same = match text(header::ORIGIN) {
        Some(o) if o != "null" => o.eq_ignore_ascii_case(&ours),
        _ => text(header::REFERER).is_some_and(|r| {
            r.eq_ignore_ascii_case(&ours)
                || r.get(..ours.len() + 1)
                    .is_some_and(|p| p.eq_ignore_ascii_case(&format!("{ours}/")))
        }),
    };
    if same {
        Ok(())
    } else {
        Err(forbidden(
            "this form was not sent from a page of this server (its Origin or Referer is missing or foreign); open /edit and send it from there",
        ))
    }
}

fn check_token(ed: &Editing, given: Option<&str>) -> Result<(), WebError> {
    if ed.token_ok(given) {
        Ok(())
    } else {
        Err(forbidden(
            "the form's token is missing or wrong (is the form from before the server restarted?); open /edit again",
        ))
    }
}

/// An edit page: HTML, and the `Referer`/`Origin` of the form it holds
/// are sent back to us (the rest of the site sends none).
fn edit_reply(html: String) -> Reply {
    let mut r = Reply::html(html);
    r.headers
        .push((header::REFERRER_POLICY, "same-origin".to_string()));
    r
}

fn render(t: &impl Template) -> Result<Reply, WebError> {
    t.render()
        .map(edit_reply)
        .map_err(|e| WebError::internal(format!("the page could not be rendered: {e}")))
}

// ---- /edit ---------------------------------------------------------------

/// What the article form holds (kept when it comes back with an error).
#[derive(Debug, Default, Clone)]
struct ArticleForm {
    text: String,
    file_name: String,
    file: Vec<u8>,
    source_id: String,
    title: String,
    publisher: String,
    published: String,
    url: String,
    language: String,
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "edit.html")]
struct FormPage<'a> {
    layout: Layout,
    token: &'a str,
    dir: String,
    f: ArticleForm,
    error: Option<String>,
}

async fn form_page(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, WebError> {
    let ed = editing(&state)?;
    check_host(&req)?;
    let f = ArticleForm {
        language: "id".into(),
        ..ArticleForm::default()
    };
    Ok(form_reply(&state, ed, f, None)?.into_response())
}

fn form_reply(
    state: &AppState,
    ed: &Editing,
    f: ArticleForm,
    error: Option<String>,
) -> Result<Reply, WebError> {
    render(&FormPage {
        layout: Layout::new(state, "Add an article"),
        token: ed.token(),
        dir: ed.dir.display().to_string(),
        f,
        error,
    })
}

async fn back_to_form() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/edit"))
        .finish()
}

/// Reads the article form, each field bounded.
async fn read_article_form(mut mp: Multipart) -> Result<ArticleForm, WebError> {
    let bad = |m: String| WebError::bad("form", m);
    let mut f = ArticleForm::default();
    let mut fields = 0;
    while let Some(field) = mp.next().await {
        let mut field = field.map_err(|e| bad(format!("the form could not be read: {e}")))?;
        fields += 1;
        if fields > MAX_FIELDS {
            return Err(bad(format!("more than {MAX_FIELDS} fields")));
        }
        let name = field.name().unwrap_or("").to_string();
        let limit = match name.as_str() {
            "text" | "file" => ingest::text::MAX_ARTICLE_BYTES,
            _ => MAX_FIELD,
        };
        let file_name = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        let bytes = field
            .bytes(limit)
            .await
            .map_err(|_| {
                WebError::status(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    format!("{name}: longer than {limit} bytes"),
                )
            })?
            .map_err(|e| bad(format!("{name}: {e}")))?;
        if name == "file" {
            f.file = bytes.to_vec();
            f.file_name = file_name.unwrap_or_default();
            continue;
        }
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| WebError::bad(&name, "not UTF-8 text"))?;
        match name.as_str() {
            "text" => f.text = text,
            "source_id" => f.source_id = text.trim().to_string(),
            "title" => f.title = text.trim().to_string(),
            "publisher" => f.publisher = text.trim().to_string(),
            "published" => f.published = text.trim().to_string(),
            "url" => f.url = text.trim().to_string(),
            "language" => f.language = text.trim().to_string(),
            "csrf" => f.token = Some(text),
            _ => {}
        }
    }
    Ok(f)
}

// ---- /edit/review ---------------------------------------------------------

/// A piece of the article: plain, or a name it found.
struct Segment {
    text: String,
    mark: Option<Mark>,
}

struct Mark {
    /// `k-person` …, or `new` for a name the data does not know.
    class: String,
    label: String,
    href: Option<String>,
}

/// A proposal row of the review form: its number there and its cells.
struct RowView {
    i: usize,
    r: ReviewRow,
    yes: bool,
    no: bool,
}

#[derive(Template)]
#[template(path = "edit_review.html")]
struct ReviewPage<'a> {
    layout: Layout,
    token: &'a str,
    dir: String,
    segments: Vec<Segment>,
    mentions: Vec<(EntLink, String)>,
    source: RowView,
    entities: Vec<RowView>,
    relations: Vec<RowView>,
    kinds: Vec<&'static str>,
}

async fn review_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    mp: Multipart,
) -> Result<HttpResponse, WebError> {
    let ed = editing(&state)?;
    check_origin(&req)?;
    let f = read_article_form(mp).await?;
    check_token(ed, f.token.as_deref())?;
    let published = if f.published.is_empty() {
        None
    } else {
        match f.published.parse::<Date>() {
            Ok(d) => Some(d),
            Err(e) => return refused(&state, ed, f.clone(), format!("published: {e}")),
        }
    };
    if f.source_id.is_empty() {
        return refused(
            &state,
            ed,
            f,
            "source id: give the id the article gets".into(),
        );
    }
    let (bytes, file) = if f.file.is_empty() {
        (f.text.clone().into_bytes(), String::new())
    } else {
        (f.file.clone(), f.file_name.clone())
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return refused(
            &state,
            ed,
            f,
            "article: paste its text or choose a file".into(),
        );
    }
    let article = Article {
        source_id: f.source_id.clone(),
        title: f.title.clone(),
        publisher: f.publisher.clone(),
        published,
        url: f.url.clone(),
        language: f.language.clone(),
        file,
    };
    let st = state.get_ref().clone();
    heavy(&state, false, "edit review", move || {
        let ed = editing(&st)?;
        let g = st.graph();
        let a = ingest::ingest(&g, &bytes, &article).map_err(|e| WebError::bad("article", e))?;
        render(&review_view(&st, ed, &g, &a, &article))
    })
    .await
}

fn refused(
    state: &AppState,
    ed: &Editing,
    f: ArticleForm,
    message: String,
) -> Result<HttpResponse, WebError> {
    let mut res = form_reply(state, ed, f, Some(message))?.into_response();
    *res.status_mut() = StatusCode::BAD_REQUEST;
    Ok(res)
}

fn review_view<'a>(
    state: &AppState,
    ed: &'a Editing,
    g: &crate::graph::Graph,
    a: &ingest::Analysis,
    article: &Article,
) -> ReviewPage<'a> {
    let mut segments = Vec::new();
    let mut at = 0;
    for s in &a.spans {
        if s.start < at {
            continue;
        }
        if s.start > at {
            segments.push(Segment {
                text: a.text[at..s.start].to_string(),
                mark: None,
            });
        }
        let mark = match s.key {
            NodeKey::Known(e) => {
                let l = EntLink::new(g, e);
                Mark {
                    class: format!("k-{}", l.kind),
                    label: format!("{} ({}, {})", l.name, l.kind, l.id),
                    href: Some(l.href),
                }
            }
            NodeKey::New(c) => {
                let n = &a.entities[c];
                Mark {
                    class: "new".into(),
                    label: format!("new {}: {}", n.kind, n.id),
                    href: None,
                }
            }
        };
        segments.push(Segment {
            text: a.text[s.start..s.end].to_string(),
            mark: Some(mark),
        });
        at = s.end;
    }
    if at < a.text.len() {
        segments.push(Segment {
            text: a.text[at..].to_string(),
            mark: None,
        });
    }
    let mentions = a
        .mentions
        .iter()
        .map(|m| {
            let times = if m.count == 1 {
                "once".to_string()
            } else {
                format!("{} times", m.count)
            };
            (EntLink::new(g, m.entity), times)
        })
        .collect();
    let mut source = None;
    let mut entities = Vec::new();
    let mut relations = Vec::new();
    let mut i = 0;
    for r in review::rows(g, a, article) {
        let view = |i, r: ReviewRow, yes| RowView {
            i,
            r,
            yes,
            no: false,
        };
        match r.proposal.as_str() {
            "mention" => continue,
            "source" => source = Some(view(i, r, true)),
            "entity" => entities.push(view(i, r, false)),
            _ => relations.push(view(i, r, false)),
        }
        i += 1;
    }
    ReviewPage {
        layout: Layout::new(state, "Review an article"),
        token: ed.token(),
        dir: ed.dir.display().to_string(),
        segments,
        mentions,
        source: source.expect("the rows start with the source"),
        entities,
        relations,
        kinds: crate::model::Kind::ALL.iter().map(|k| k.as_str()).collect(),
    }
}

// ---- /edit/apply ------------------------------------------------------------

/// The columns a review form may send, as `COLUMN.ROW`.
const COLUMNS: &[&str] = &[
    "accept",
    "proposal",
    "id",
    "kind",
    "name",
    "aliases",
    "from",
    "type",
    "to",
    "role",
    "start",
    "end",
    "source",
    "text",
    "publisher",
    "published",
    "url",
    "language",
    "file",
];

fn set(r: &mut ReviewRow, column: &str, value: String) {
    let cell = match column {
        "accept" => &mut r.accept,
        "proposal" => &mut r.proposal,
        "id" => &mut r.id,
        "kind" => &mut r.kind,
        "name" => &mut r.name,
        "aliases" => &mut r.aliases,
        "from" => &mut r.from,
        "type" => &mut r.rel_type,
        "to" => &mut r.to,
        "role" => &mut r.role,
        "start" => &mut r.start,
        "end" => &mut r.end,
        "source" => &mut r.source,
        "text" => &mut r.text,
        "publisher" => &mut r.publisher,
        "published" => &mut r.published,
        "url" => &mut r.url,
        "language" => &mut r.language,
        _ => &mut r.file,
    };
    *cell = value;
}

/// The review form's rows in their order, and its token.
fn read_review_form(body: &[u8]) -> Result<(Vec<ReviewRow>, Option<String>), WebError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body)
        .map_err(|e| WebError::bad("form", format!("the form could not be read: {e}")))?;
    let mut rows: BTreeMap<usize, ReviewRow> = BTreeMap::new();
    let mut token = None;
    for (key, value) in pairs {
        if key == "csrf" {
            token = Some(value);
            continue;
        }
        let Some((column, n)) = key.rsplit_once('.') else {
            return Err(WebError::bad(&key, "not a field of the review form"));
        };
        let (Some(column), Ok(n)) = (COLUMNS.iter().find(|c| **c == column), n.parse::<usize>())
        else {
            return Err(WebError::bad(&key, "not a field of the review form"));
        };
        if n >= MAX_ROWS {
            return Err(WebError::bad(&key, format!("at most {MAX_ROWS} rows")));
        }
        set(rows.entry(n).or_default(), column, value.trim().to_string());
    }
    Ok((rows.into_values().collect(), token))
}

#[derive(Template)]
#[template(path = "edit_applied.html")]
struct AppliedPage {
    layout: Layout,
    dir: String,
    done: Applied,
    watching: bool,
    source: Option<(String, String)>,
    entities: Vec<ReviewRow>,
    relations: Vec<ReviewRow>,
    problems: Vec<String>,
}

async fn apply_page(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let ed = editing(&state)?;
    check_origin(&req)?;
    let (rows, token) = read_review_form(&body)?;
    check_token(ed, token.as_deref())?;
    let mut csv = Vec::new();
    review::write(&rows, &mut csv)
        .map_err(|e| WebError::internal(format!("the review could not be written: {e}")))?;
    let st = state.get_ref().clone();
    let result = web::block(move || {
        let ed = editing(&st)?;
        let _one = ed
            .writing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        Ok::<_, WebError>(review::apply("review", &csv, &ed.dir))
    })
    .await
    .map_err(|_| WebError::internal("applying the review failed unexpectedly"))??;
    let accepted = |p: &str| -> Vec<ReviewRow> {
        rows.iter()
            .filter(|r| r.proposal == p && r.accept == "yes")
            .cloned()
            .collect()
    };
    let mut page = AppliedPage {
        layout: Layout::new(&state, "Article applied"),
        dir: ed.dir.display().to_string(),
        done: Applied::default(),
        watching: ed.watching,
        source: None,
        entities: Vec::new(),
        relations: Vec::new(),
        problems: Vec::new(),
    };
    let status = match result {
        Ok(done) => {
            page.done = done;
            page.source = accepted("source").first().map(|s| {
                (
                    s.id.clone(),
                    format!("/source/{}", crate::render::svg::pct(&s.id)),
                )
            });
            page.entities = accepted("entity");
            page.relations = accepted("relation");
            StatusCode::OK
        }
        Err(IngestError::Review(errors) | IngestError::Data(errors)) => {
            page.layout.title = "Nothing was written".into();
            page.problems = errors.iter().map(row_message).collect();
            StatusCode::BAD_REQUEST
        }
        Err(e) => {
            page.layout.title = "Nothing was written".into();
            page.problems = vec![e.to_string()];
            StatusCode::BAD_REQUEST
        }
    };
    let mut res = render(&page)?.into_response();
    *res.status_mut() = status;
    Ok(res)
}

/// A problem with a row of the form: the review's line 2 is row 1 (the
/// source); other problems as the loader says them.
fn row_message(e: &crate::error::DataError) -> String {
    match (e.path.as_str(), e.line) {
        ("review", Some(line)) if line >= 2 => format!("row {}: {}", line - 1, e.message),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_hosts_are_local() {
        for h in [
            "127.0.0.1:8080",
            "localhost:1",
            "[::1]:80",
            "127.0.0.2",
            "LOCALHOST",
        ] {
            assert!(loopback_host(h), "{h}");
        }
        for h in [
            "evil.example:8080",
            "10.0.0.1:80",
            "[::2]:80",
            "",
            "localhost.evil:80",
        ] {
            assert!(!loopback_host(h), "{h}");
        }
    }

    #[test]
    fn the_token_is_random_and_compared_whole() {
        let a = Editing::new(PathBuf::from("x"), false).unwrap();
        let b = Editing::new(PathBuf::from("x"), false).unwrap();
        assert_eq!(a.token().len(), 64);
        assert_ne!(a.token(), b.token());
        assert!(a.token_ok(Some(a.token())));
        assert!(!a.token_ok(Some(b.token())));
        assert!(!a.token_ok(Some(&a.token()[..63])));
        assert!(!a.token_ok(Some("")));
        assert!(!a.token_ok(None));
    }

    #[test]
    fn review_form_fields_become_rows_in_order() {
        let body =
            b"csrf=t&accept.1=yes&proposal.1=entity&name.1=%20Dua%20&proposal.0=source&id.0=s";
        let (rows, token) = read_review_form(body).unwrap();
        assert_eq!(token.as_deref(), Some("t"));
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].proposal.as_str(), rows[0].id.as_str()),
            ("source", "s")
        );
        assert_eq!(
            (rows[1].accept.as_str(), rows[1].name.as_str()),
            ("yes", "Dua")
        );
        assert!(read_review_form(b"nonsense.1=x").is_err());
        assert!(read_review_form(b"name.x=x").is_err());
        assert!(read_review_form(b"name.99999999=x").is_err());
    }
}
