//! The browser explorer: an actix-web app of server-rendered askama pages,
//! SVG pictures from [`crate::render::svg`], a JSON API with the CLI's
//! shapes ([`crate::view`]) and embedded assets.
//!
//! This module owns HTTP: handlers parse parameters into checked queries
//! (the `params` module), make one call into the core and render. It never writes
//! to the graph: the app is read-only (GET and HEAD only), every answer is
//! bounded (depth ≤ [`MAX_DEPTH`], k ≤ [`MAX_K`], node caps, the path
//! visit budget), every response carries a Content-Security-Policy without
//! `unsafe-inline`, and bad parameters are 400 pages naming the parameter,
//! never a 500.
//!
//! The graph sits behind an [`arc_swap::ArcSwap`] so a reload can swap in a
//! new graph while requests keep the one they started with; the `banner`
//! is shown on every page (for reload errors).

mod api;
mod assets;
mod error;
mod guard;
mod pages;
mod params;
pub mod reload;

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, HttpRequest, HttpResponse, middleware, web};
use arc_swap::{ArcSwap, ArcSwapOption};

use crate::graph::Graph;

pub use error::WebError;
pub use guard::{MAX_URI, QUERY_TIMEOUT, QUEUE_WAIT, heavy_slots};
pub use params::{PARAMETERS, check_params};

/// The deepest neighbourhood a request may ask for.
pub const MAX_DEPTH: u32 = 4;
/// The most alternative paths a request may ask for.
pub const MAX_K: u32 = 20;
/// The node cap of neighbourhood pictures and tables by default.
pub const DEFAULT_MAX_NODES: usize = 200;
/// The largest node cap a request may ask for.
pub const MAX_NODES: usize = 2000;
/// The most hops a path may be asked to have.
pub const MAX_HOPS: u32 = 12;
/// Relation ends one web path query may examine (a few milliseconds).
pub const PATH_BUDGET: usize = 2_000_000;

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
    /// exports); see `guard::heavy`.
    pub heavy: Arc<tokio::sync::Semaphore>,
    /// How long an expensive query waits for a slot, and may then run.
    pub limits: Limits,
}

/// Deadlines of expensive queries; [`QUEUE_WAIT`] and [`QUERY_TIMEOUT`]
/// unless a test shortens them.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub queue_wait: std::time::Duration,
    pub query_timeout: std::time::Duration,
}

impl AppState {
    pub fn new(graph: Graph) -> AppState {
        AppState {
            graph: Arc::new(ArcSwap::from_pointee(graph)),
            corpus: Arc::new(HashMap::new()),
            banner: Arc::new(ArcSwapOption::empty()),
            heavy: Arc::new(tokio::sync::Semaphore::new(guard::heavy_slots())),
            limits: Limits {
                queue_wait: QUEUE_WAIT,
                query_timeout: QUERY_TIMEOUT,
            },
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
    cfg.route("/", web::get().to(pages::home))
        .route("/search", web::get().to(pages::search))
        .route("/entity/{id}", web::get().to(pages::entity))
        .route("/neighbours/{id}", web::get().to(pages::neighbours))
        .route("/neighbors/{id}", web::get().to(pages::neighbours))
        .route("/path", web::get().to(pages::path))
        .route("/sources", web::get().to(pages::sources))
        .route("/source/{id}", web::get().to(pages::source))
        .route("/export/{format}", web::get().to(pages::export))
        .route("/api/search", web::get().to(api::search))
        .route("/api/entity/{id}", web::get().to(api::entity))
        .route("/api/neighbours/{id}", web::get().to(api::neighbours))
        .route("/api/path", web::get().to(api::path))
        .route("/api/stats", web::get().to(api::stats))
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
    App::new()
        .app_data(web::Data::new(state))
        .wrap(middleware::from_fn(guard::limits))
        .wrap(middleware::Compress::default())
        .wrap(
            middleware::DefaultHeaders::new()
                .add(("Content-Security-Policy", CSP))
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("Referrer-Policy", "no-referrer"))
                .add(("X-Frame-Options", "DENY")),
        )
        .wrap(middleware::from_fn(guard::catch_panic))
        .configure(configure)
        .default_service(web::to(fallback))
}

/// Unknown routes are 404 pages; anything but GET/HEAD is 405 (the
/// explorer is read-only).
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
        .bind(addr)?
        .run();
    let handle = server.handle();
    actix_web::rt::spawn(async move {
        let signal = stop_signal().await;
        eprintln!(
            "jejaring: {signal}: shutting down; finishing the requests in flight (at most {SHUTDOWN_TIMEOUT} s)"
        );
        handle.stop(true).await;
    });
    server.await?;
    eprintln!("jejaring: stopped");
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
