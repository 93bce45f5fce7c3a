//! What keeps the server up under hostile requests and under load: a
//! limit on the request line and body ([`limits`]), a bounded pool for
//! expensive queries with a deadline ([`heavy`]), and a last line of
//! defence that turns a panicking handler into a logged 500
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
/// body (413): every route is a GET, so a body can only be a mistake or an
/// attack, and refusing it means none is ever buffered.
pub async fn limits(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let uri_len = req
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    let refused = if uri_len > MAX_URI {
        Some(WebError::status(
            StatusCode::URI_TOO_LONG,
            format!(
                "the address is {uri_len} bytes long; at most {MAX_URI} bytes of path and query string are allowed"
            ),
        ))
    } else if has_body(&req) {
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
pub async fn catch_panic(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let http = req.request().clone();
    let api = req.path().starts_with("/api/");
    match CatchUnwind(Box::pin(next.call(req))).await {
        Ok(r) => r.map(|r| r.map_into_left_body()),
        Err(panic) => {
            log_panic(&format!("{} {}", http.method(), http.uri()), &*panic);
            let e = internal(api);
            Ok(ServiceResponse::new(http, e.error_response()).map_into_right_body())
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
    eprintln!("error: a handler panicked on {what}: {msg}");
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
pub struct Reply {
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(header::HeaderName, String)>,
}

impl Reply {
    pub fn html(body: String) -> Reply {
        Reply {
            content_type: "text/html; charset=utf-8",
            body: body.into_bytes(),
            headers: Vec::new(),
        }
    }
    pub fn json<T: serde::Serialize>(value: &T) -> Result<Reply, WebError> {
        let body = serde_json::to_vec(value)
            .map_err(|e| WebError::internal(format!("the answer could not be written: {e}")))?;
        Ok(Reply {
            content_type: "application/json",
            body,
            headers: Vec::new(),
        })
    }
    pub fn into_response(self) -> HttpResponse {
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
pub async fn heavy(
    state: &AppState,
    api: bool,
    what: &str,
    work: impl FnOnce() -> Result<Reply, WebError> + Send + 'static,
) -> Result<HttpResponse, WebError> {
    let busy = |message: String| {
        let e = WebError::status(StatusCode::SERVICE_UNAVAILABLE, message).retry_after(5);
        if api { e.json() } else { e }
    };
    let permit = match tokio::time::timeout(QUEUE_WAIT, state.heavy.clone().acquire_owned()).await
    {
        Ok(Ok(p)) => p,
        _ => {
            return Err(busy(format!(
                "the server is busy with other queries; try again in a few seconds (waited {} s)",
                QUEUE_WAIT.as_secs()
            )));
        }
    };
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    match tokio::time::timeout(QUERY_TIMEOUT, task).await {
        Ok(Ok(Ok(reply))) => Ok(reply.into_response()),
        Ok(Ok(Err(e))) => Err(if api { e.json() } else { e }),
        Ok(Err(join)) => {
            if join.is_panic() {
                log_panic(what, &*join.into_panic());
            } else {
                eprintln!("error: the query for {what} was cancelled");
            }
            Err(internal(api))
        }
        Err(_) => Err(busy(format!(
            "the query took longer than {} s; ask for less (a smaller depth, k or max_nodes, or a time filter)",
            QUERY_TIMEOUT.as_secs()
        ))),
    }
}
