//! The browser explorer: an actix-web app of server-rendered askama pages,
//! SVG pictures from [`crate::render::svg`], a JSON API with the CLI's
//! shapes ([`crate::view`]) and embedded assets.
//!
//! This module owns HTTP: handlers read parameters into the core's
//! requests (the `params` module), which check them against
//! [`Limits::WEB`], make one call into the core and render. Each route
//! family (home and search, entity, neighbours, path, sources, export) is
//! one module of `pages` owning its handler and template; `explore` answers
//! the canvas explorer's JSON (grouped, paged neighbours and the relations
//! of a pair). The app never
//! writes to the graph: it is read-only (GET and HEAD only, except the
//! `edit` routes of `serve --edit`, which append reviewed rows of an
//! article to the one --data folder, behind a form token); every answer
//! is bounded (the limits, and `page`/`per_page` paging of relation lists
//! with at most 500 a page); every query that can be expensive runs on the
//! bounded worker pool (`pool`); every response carries a
//! Content-Security-Policy without `unsafe-inline`; bad parameters are 400
//! pages naming the parameter, never a 500.
//!
//! The graph sits behind an [`arc_swap::ArcSwap`] so a reload can swap in a
//! new graph while requests keep the one they started with; what the pages
//! derive from a whole graph (the home page's lists, the corpus
//! highlighter) is computed once per graph (`cache`); the `banner` is shown
//! on every page (for reload errors). Logs go through `tracing`.

mod api;
mod assets;
mod cache;
pub mod edit;
mod error;
mod explore;
mod pages;
mod params;
mod pool;
pub mod reload;

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, HttpRequest, HttpResponse, middleware, web};
use arc_swap::{ArcSwap, ArcSwapOption};

use crate::graph::Graph;

pub use crate::query::Limits;
pub use cache::Highlighter;
pub use error::WebError;
pub use params::{PARAMETERS, check_params};
pub use pool::{MAX_URI, QUERY_TIMEOUT, QUEUE_WAIT, heavy_slots};

/// The longest source text shown on a source page, in bytes; the rest is
/// counted, so a source page stays small however long the text.
pub const MAX_SOURCE_TEXT: usize = 64 * 1024;

/// The Content-Security-Policy of every response: no inline scripts or
/// styles, nothing from elsewhere.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// What every handler shares. Cheap to clone: only `Arc`s.
#[derive(Clone)]
pub struct AppState {
    /// The graph; a reload stores a new one.
    pub graph: Arc<ArcSwap<Graph>>,
    /// Texts of sources, by source id, read from `--corpus`.
    pub corpus: Arc<HashMap<String, String>>,
    /// A message shown on every page (e.g. the errors of a failed reload).
    pub banner: Arc<ArcSwapOption<String>>,
    /// Slots for expensive queries (neighbourhoods, paths, entity pages,
    /// exports); see `pool::heavy`.
    pub heavy: Arc<tokio::sync::Semaphore>,
    /// How long an expensive query waits for a slot, and may then run.
    pub deadlines: Deadlines,
    /// `serve --edit`: where accepted rows are written, and the form
    /// token; `None` (the default) leaves the explorer read-only.
    pub edit: Option<Arc<edit::Editing>>,
    /// What the pages derive from the whole graph, for the graph it was
    /// derived from.
    derived: Arc<std::sync::Mutex<Option<Arc<cache::Derived>>>>,
}

/// Deadlines of expensive queries; [`QUEUE_WAIT`] and [`QUERY_TIMEOUT`]
/// unless a test shortens them.
#[derive(Clone, Copy, Debug)]
pub struct Deadlines {
    pub queue_wait: std::time::Duration,
    pub query_timeout: std::time::Duration,
}

impl AppState {
    pub fn new(graph: Graph) -> AppState {
        AppState {
            graph: Arc::new(ArcSwap::from_pointee(graph)),
            corpus: Arc::new(HashMap::new()),
            banner: Arc::new(ArcSwapOption::empty()),
            heavy: Arc::new(tokio::sync::Semaphore::new(pool::heavy_slots())),
            deadlines: Deadlines {
                queue_wait: QUEUE_WAIT,
                query_timeout: QUERY_TIMEOUT,
            },
            derived: Arc::new(std::sync::Mutex::new(None)),
            edit: None,
        }
    }

    /// The same state with editing on (`serve --edit`).
    pub fn with_edit(mut self, editing: edit::Editing) -> AppState {
        self.edit = Some(Arc::new(editing));
        self
    }

    /// What the pages derive from `g`, computed on the first request that
    /// needs it after each load or reload and then shared. Callers run on
    /// the worker pool: for a large graph the first computation takes a
    /// moment.
    fn derived(&self, g: &Arc<Graph>) -> Arc<cache::Derived> {
        // A poisoned lock only means a computation panicked; the cached
        // value, if any, is still whole.
        let mut slot = self
            .derived
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match &*slot {
            Some(d) if d.is_for(g) => d.clone(),
            _ => {
                let d = Arc::new(cache::Derived::new(g));
                *slot = Some(d.clone());
                d
            }
        }
    }

    /// The same state with `n` slots for expensive queries.
    pub fn with_heavy_slots(mut self, n: usize) -> AppState {
        self.heavy = Arc::new(tokio::sync::Semaphore::new(n));
        self
    }

    pub fn with_corpus(mut self, corpus: HashMap<String, String>) -> AppState {
        self.corpus = Arc::new(corpus);
        self
    }

    /// The graph as it is now; a request holds on to it until it is done.
    pub fn graph(&self) -> Arc<Graph> {
        self.graph.load_full()
    }

    pub fn banner(&self) -> Option<String> {
        self.banner.load_full().map(|b| (*b).clone())
    }
}

/// Reads the texts of the sources that name a `file` from a corpus folder.
/// A missing or unreadable file is a warning (returned), not an error; a
/// file name that leaves the folder is refused.
pub fn load_corpus(g: &Graph, dir: &std::path::Path) -> (HashMap<String, String>, Vec<String>) {
    let mut texts = HashMap::new();
    let mut warnings = Vec::new();
    for s in &g.sources {
        if s.file.is_empty() {
            continue;
        }
        let name = std::path::Path::new(&*s.file);
        let plain = name
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !plain {
            warnings.push(format!(
                "source \"{}\": file \"{}\" is not a plain file name inside the corpus folder; skipped",
                s.id, s.file
            ));
            continue;
        }
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                texts.insert(
                    s.id.to_string(),
                    String::from_utf8_lossy(&bytes).into_owned(),
                );
            }
            Err(e) => warnings.push(format!(
                "source \"{}\": failed to read `{}`: {e}",
                s.id,
                path.display()
            )),
        }
    }
    (texts, warnings)
}

/// Registers every route: pages, API, assets, exports.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(pages::home::home))
        .route("/search", web::get().to(pages::home::search))
        .route("/entity/{id}", web::get().to(pages::entity::entity))
        .route(
            "/neighbours/{id}",
            web::get().to(pages::neighbours::neighbours),
        )
        .route(
            "/neighbors/{id}",
            web::get().to(pages::neighbours::neighbours),
        )
        .route("/path", web::get().to(pages::path::path))
        .route("/sources", web::get().to(pages::sources::sources))
        .route("/source/{id}", web::get().to(pages::sources::source))
        .route("/export/{format}", web::get().to(pages::export::export))
        .route("/api/search", web::get().to(api::search))
        .route("/api/entity/{id}", web::get().to(api::entity))
        .route("/api/neighbours/{id}", web::get().to(api::neighbours))
        .route("/api/path", web::get().to(api::path))
        .route("/api/stats", web::get().to(api::stats))
        .route("/api/explore/{id}", web::get().to(explore::neighbours))
        .route(
            "/api/relations-between",
            web::get().to(explore::relations_between),
        )
        .route("/rank", web::get().to(pages::rank::rank_page))
        .route("/common", web::get().to(pages::common::common_page))
        .route(
            "/timeline/{id}",
            web::get().to(pages::timeline::timeline_page),
        )
        .route(
            "/relations",
            web::get().to(pages::relations::relations_page),
        )
        .route(
            "/export/common/{format}",
            web::get().to(pages::common::common_export),
        )
        .route(
            "/export/path/{format}",
            web::get().to(pages::path::path_export),
        )
        .route(
            "/export/timeline/{id}/{format}",
            web::get().to(pages::timeline::timeline_export),
        )
        .route(
            "/export/relations/{format}",
            web::get().to(pages::relations::relations_export),
        )
        .route("/api/rank", web::get().to(api::rank))
        .route("/api/common", web::get().to(api::common))
        .route("/api/timeline/{id}", web::get().to(api::timeline))
        .route("/api/relations", web::get().to(api::relations))
        .route("/assets/{name}", web::get().to(assets::serve))
        .route("/favicon.ico", web::get().to(assets::favicon));
}

/// The app: routes, security headers, compression, the request limits, the
/// panic catcher, the 404/405 fallback. Tests run it in-process with
/// `actix_web::test::init_service`.
pub fn create_app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let editing = state.edit.is_some();
    App::new()
        .app_data(web::Data::new(state))
        .wrap(middleware::from_fn(pool::limits))
        .wrap(middleware::Compress::default())
        .wrap(
            middleware::DefaultHeaders::new()
                .add(("Content-Security-Policy", CSP))
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("Referrer-Policy", "no-referrer"))
                .add(("X-Frame-Options", "DENY")),
        )
        .wrap(middleware::from_fn(pool::catch_panic))
        .configure(configure)
        .configure(|cfg| {
            if editing {
                edit::configure(cfg);
            }
        })
        .default_service(web::to(fallback))
}

/// Unknown routes are 404 pages; anything but GET/HEAD is 405 (the
/// explorer is read-only; only `serve --edit`'s own routes take a POST).
async fn fallback(req: HttpRequest) -> Result<HttpResponse, WebError> {
    let api = req.path().starts_with("/api/");
    let e = if req.method() != actix_web::http::Method::GET
        && req.method() != actix_web::http::Method::HEAD
    {
        WebError::method_not_allowed()
    } else {
        WebError::not_found(format!("no page at {}", req.path()), Vec::new())
    };
    Err(if api { e.json() } else { e })
}

/// How long a stopping server waits for requests in flight.
pub const SHUTDOWN_TIMEOUT: u64 = 30;

/// Serves the explorer until SIGINT or SIGTERM, then stops accepting
/// connections and lets the requests in flight finish (at most
/// [`SHUTDOWN_TIMEOUT`] seconds). A client has 5 s to send its request
/// head; idle keep-alive connections close after 15 s.
pub async fn serve(state: AppState, addr: &str) -> std::io::Result<()> {
    let server = actix_web::HttpServer::new(move || create_app(state.clone()))
        .workers(2)
        .client_request_timeout(std::time::Duration::from_secs(5))
        .client_disconnect_timeout(std::time::Duration::from_secs(1))
        .keep_alive(std::time::Duration::from_secs(15))
        .shutdown_timeout(SHUTDOWN_TIMEOUT)
        .disable_signals()
        .bind(addr)?;
    // Said only once the port is ours, so the line is never followed by
    // a failure to bind.
    tracing::info!("serving on http://{addr}");
    let server = server.run();
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        let signal = stop_signal().await;
        tracing::info!(
            "{signal}: shutting down; finishing the requests in flight (at most {SHUTDOWN_TIMEOUT} s)"
        );
        handle.stop(true).await;
    });
    server.await?;
    tracing::info!("stopped");
    Ok(())
}

/// Waits for SIGINT (Ctrl-C) or SIGTERM and names it.
async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            },
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}
