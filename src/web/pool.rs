//! The bounded worker pool and what else keeps the server up under
//! hostile requests and under load: a bounded pool for expensive queries
//! with deadlines ([`heavy`]), a limit on the request line and body
//! ([`limits`]), and a last line of defence that turns a panicking handler into a logged 500
//! ([`catch_panic`]) instead of a dropped connection.
//!
//! None of this decides what a parameter means; that is [`super::params`].

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};

use super::AppState;
use super::error::WebError;

/// The longest request target (path and query string) accepted, in bytes.
pub const MAX_URI: usize = 8 * 1024;
/// How long an expensive query may wait for a free slot before the answer
/// is 503 with `Retry-After`.
pub const QUEUE_WAIT: Duration = Duration::from_secs(10);
/// How long an expensive query may run before the answer is 503.
pub const QUERY_TIMEOUT: Duration = Duration::from_secs(20);
/// Expensive queries run at once: one per core, at least two.
pub fn heavy_slots() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().max(2))
}

/// Refuses a request target longer than [`MAX_URI`] (414) and any request
/// body (413): every route but the edit forms is a GET, so a body can only
/// be a mistake or an attack, and refusing it means none is ever buffered.
/// A POST elsewhere is left to the 405 of the routes. The edit forms (only
/// with `serve --edit`) take a body of at most their limit
/// ([`super::edit::body_limit`]) with a `Content-Length`.
pub(super) async fn limits(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let uri_len = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    let refused = if uri_len > MAX_URI {
        Some(WebError::status(
            StatusCode::URI_TOO_LONG,
            format!(
                "the address is {uri_len} bytes long; at most {MAX_URI} bytes of path and query string are allowed"
            ),
        ))
    } else if let Some(limit) = edit_body(&req) {
        body_refused(&req, limit)
    } else if has_body(&req) && is_read(&req) {
        Some(WebError::status(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the explorer takes no request body: every page is a GET with its parameters in the query string",
        ))
    } else {
        None
    };
    match refused {
        Some(e) => {
            let e = if req.path().starts_with("/api/") {
                e.json()
            } else {
                e
            };
            let res = e.error_response();
            Ok(req.into_response(res).map_into_right_body())
        }
        None => next.call(req).await.map(|r| r.map_into_left_body()),
    }
}

fn is_read(req: &ServiceRequest) -> bool {
    req.method() == actix_web::http::Method::GET || req.method() == actix_web::http::Method::HEAD
}

/// The body limit of an edit form's POST, when editing is on.
fn edit_body(req: &ServiceRequest) -> Option<usize> {
    let on = req
        .app_data::<actix_web::web::Data<AppState>>()
        .is_some_and(|s| s.edit.is_some());
    if !on || req.method() != actix_web::http::Method::POST {
        return None;
    }
    super::edit::body_limit(req.path())
}

/// Why an edit form's body is refused, if it is: chunked (no length) or
/// longer than `limit`.
fn body_refused(req: &ServiceRequest, limit: usize) -> Option<WebError> {
    let h = req.headers();
    if h.contains_key(header::TRANSFER_ENCODING) {
        return Some(WebError::status(
            StatusCode::LENGTH_REQUIRED,
            "send the form with a Content-Length",
        ));
    }
    let length = h
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    match length {
        Some(n) if n > limit as u64 => Some(WebError::status(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the form is {n} bytes; at most {limit} are taken"),
        )),
        _ => None,
    }
}

fn has_body(req: &ServiceRequest) -> bool {
    let h = req.headers();
    let length = h
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() != "0");
    length || h.contains_key(header::TRANSFER_ENCODING)
}

/// The last line of defence: a handler that panics is answered 500 with a
/// plain message, and the panic is logged (the panic hook prints where;
/// this adds which request). Tests sweep every route with hostile values
/// to show that no route of ours reaches it.
pub(super) async fn catch_panic(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    // The request cannot be kept (routing needs it unshared), so the 500
    // is returned as an error; `WebError` adds the security headers itself.
    let what = format!("{} {}", req.method(), req.uri());
    let api = req.path().starts_with("/api/");
    match CatchUnwind(Box::pin(next.call(req))).await {
        Ok(r) => r,
        Err(panic) => {
            log_panic(&what, &*panic);
            Err(internal(api).into())
        }
    }
}

fn internal(api: bool) -> WebError {
    let e = WebError::internal("internal error: the server failed on this request; it was logged");
    if api { e.json() } else { e }
}

fn log_panic(what: &str, panic: &(dyn std::any::Any + Send)) {
    let msg = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    tracing::error!("a handler panicked on {what}: {msg}");
}

/// A future that turns a panic while polling into an `Err`.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = std::thread::Result<F::Output>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = self.0.as_mut();
        match std::panic::catch_unwind(AssertUnwindSafe(|| inner.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(v)) => Poll::Ready(Ok(v)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

/// A finished answer, built off the async workers (an `HttpResponse` is
/// not `Send`).
pub(super) struct Reply {
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(header::HeaderName, String)>,
}

impl Reply {
    pub(super) fn html(body: String) -> Reply {
        Reply {
            content_type: "text/html; charset=utf-8",
            body: body.into_bytes(),
            headers: Vec::new(),
        }
    }
    /// JSON as the CLI writes it ([`crate::view::to_json`]), so both give
    /// the same bytes for the same request.
    pub(super) fn json<T: serde::Serialize>(value: &T) -> Result<Reply, WebError> {
        let body = crate::view::to_json(value)
            .map_err(|e| WebError::internal(format!("the answer could not be written: {e}")))?
            .into_bytes();
        Ok(Reply {
            content_type: "application/json",
            body,
            headers: Vec::new(),
        })
    }
    pub(super) fn into_response(self) -> HttpResponse {
        let mut res = HttpResponse::Ok();
        res.content_type(self.content_type);
        for h in self.headers {
            res.insert_header(h);
        }
        res.body(self.body)
    }
}

/// Runs an expensive query and its rendering on the blocking pool, at most
/// [`heavy_slots`] at once: waits at most [`QUEUE_WAIT`] for a slot and
/// [`QUERY_TIMEOUT`] for the answer, else 503 with `Retry-After`. The slot
/// is held by the work itself, so a query that outlives its deadline still
/// counts until it ends and the pool never overfills. A panic in `work` is
/// a logged 500.
pub(super) async fn heavy(
    state: &AppState,
    api: bool,
    what: &str,
    work: impl FnOnce() -> Result<Reply, WebError> + Send + 'static,
) -> Result<HttpResponse, WebError> {
    let busy = |message: String| {
        let e = WebError::status(StatusCode::SERVICE_UNAVAILABLE, message).retry_after(5);
        if api { e.json() } else { e }
    };
    let limits = state.deadlines;
    let permit = match tokio::time::timeout(limits.queue_wait, state.heavy.clone().acquire_owned())
        .await
    {
        Ok(Ok(p)) => p,
        _ => {
            return Err(busy(format!(
                "the server is busy with other queries; try again in a few seconds (waited {:.1} s)",
                limits.queue_wait.as_secs_f64()
            )));
        }
    };
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    match tokio::time::timeout(limits.query_timeout, task).await {
        Ok(Ok(Ok(reply))) => Ok(reply.into_response()),
        Ok(Ok(Err(e))) => Err(if api { e.json() } else { e }),
        Ok(Err(join)) => {
            if join.is_panic() {
                log_panic(what, &*join.into_panic());
            } else {
                tracing::error!("the query for {what} was cancelled");
            }
            Err(internal(api))
        }
        Err(_) => Err(busy(format!(
            "the query took longer than {:.1} s; ask for less (a smaller depth, k or max_nodes, or a time filter)",
            limits.query_timeout.as_secs_f64()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use actix_web::test::{TestRequest, call_service, init_service, try_call_service};
    use actix_web::{App, HttpResponse, middleware, web};

    use super::*;

    fn embedded() -> crate::graph::Graph {
        crate::dataset::embedded::graph()
    }

    #[actix_web::test]
    async fn a_panicking_handler_is_a_500_not_a_dropped_connection() {
        async fn boom() -> HttpResponse {
            panic!("deliberate test panic")
        }
        let state = AppState::new(embedded());
        let app = init_service(
            App::new()
                .app_data(web::Data::new(state))
                .wrap(middleware::from_fn(catch_panic))
                .route("/boom", web::get().to(boom))
                .route("/api/boom", web::get().to(boom))
                .route("/fine", web::get().to(HttpResponse::Ok)),
        )
        .await;
        // What the server sends for the error: a 500 page with the headers.
        let answer = async |uri: &str| {
            let err = try_call_service(&app, TestRequest::get().uri(uri).to_request())
                .await
                .map(drop)
                .unwrap_err();
            let res = err.error_response();
            assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
            assert_eq!(
                res.headers().get("content-security-policy").unwrap(),
                super::super::CSP
            );
            let body = actix_web::body::to_bytes(res.into_body()).await.unwrap();
            String::from_utf8(body.to_vec()).unwrap()
        };
        let body = answer("/boom").await;
        assert!(body.contains("internal error"), "{body}");
        assert!(
            !body.contains("deliberate"),
            "the panic message is logged, not shown"
        );
        let body = answer("/api/boom").await;
        assert!(body.starts_with("{\"error\""), "{body}");
        // The app keeps answering after a panic.
        let res = call_service(&app, TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(res.status(), StatusCode::OK);
    }

    #[actix_web::test]
    async fn a_panicking_query_on_the_blocking_pool_is_a_500_and_frees_its_slot() {
        let state = AppState::new(embedded()).with_heavy_slots(1);
        for _ in 0..3 {
            let e = heavy(&state, true, "test", || panic!("deliberate test panic"))
                .await
                .unwrap_err();
            assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        }
        let ok = heavy(&state, false, "test", || Ok(Reply::html("fine".into()))).await;
        assert_eq!(ok.unwrap().status(), StatusCode::OK);
    }

    #[actix_web::test]
    async fn a_full_pool_and_a_slow_query_are_503_with_retry_after() {
        let mut state = AppState::new(embedded()).with_heavy_slots(1);
        state.deadlines.queue_wait = Duration::from_millis(50);
        state.deadlines.query_timeout = Duration::from_millis(50);
        let held = state.heavy.clone().try_acquire_owned().unwrap();
        let e = heavy(&state, false, "test", || Ok(Reply::html(String::new())))
            .await
            .unwrap_err();
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(e.message.contains("busy"), "{}", e.message);
        assert_eq!(
            e.error_response()
                .headers()
                .get(header::RETRY_AFTER)
                .unwrap(),
            "5"
        );
        drop(held);
        let e = heavy(&state, false, "test", || {
            std::thread::sleep(Duration::from_millis(300));
            Ok(Reply::html(String::new()))
        })
        .await
        .unwrap_err();
        assert_eq!(e.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(e.message.contains("longer than"), "{}", e.message);
        // The slow query still holds its slot until it really ends.
        assert_eq!(state.heavy.available_permits(), 0);
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(state.heavy.available_permits(), 1);
    }
}
