//! One error type for every handler: a status, a message that names the
//! parameter at fault, and near names when an entity was not found. Pages
//! get an HTML error page, `/api` gets JSON. Nothing maps to 500 but a
//! template that fails to render, an export that fails to be written
//! (logged), and a panic caught by [`super::pool`], which tests rule out.

use actix_web::http::StatusCode;
use actix_web::http::header::ContentType;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::error::QueryError;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Suggestion {
    pub id: String,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone)]
pub struct WebError {
    pub status: StatusCode,
    pub message: String,
    pub suggestions: Vec<Suggestion>,
    json: bool,
    /// Seconds for a `Retry-After` header (503 when busy).
    retry_after: Option<u32>,
}

impl WebError {
    pub fn bad(param: &str, message: impl std::fmt::Display) -> WebError {
        WebError {
            status: StatusCode::BAD_REQUEST,
            message: format!("{param}: {message}"),
            suggestions: Vec::new(),
            json: false,
            retry_after: None,
        }
    }
    pub fn not_found(message: impl Into<String>, suggestions: Vec<Suggestion>) -> WebError {
        WebError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
            suggestions,
            json: false,
            retry_after: None,
        }
    }
    pub fn method_not_allowed() -> WebError {
        WebError {
            status: StatusCode::METHOD_NOT_ALLOWED,
            message: "the explorer is read-only: only GET requests".into(),
            suggestions: Vec::new(),
            json: false,
            retry_after: None,
        }
    }
    pub fn internal(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
            suggestions: Vec::new(),
            json: false,
            retry_after: None,
        }
    }
    /// Any status with a message (414, 413, 503 …).
    pub fn status(status: StatusCode, message: impl Into<String>) -> WebError {
        WebError {
            status,
            message: message.into(),
            suggestions: Vec::new(),
            json: false,
            retry_after: None,
        }
    }
    /// The same error, telling the client when to try again.
    pub fn retry_after(mut self, seconds: u32) -> WebError {
        self.retry_after = Some(seconds);
        self
    }
    /// The same error, answered as JSON.
    pub fn json(mut self) -> WebError {
        self.json = true;
        self
    }

    /// A request the core refused: [`WebError::query`] for its parameter.
    pub fn request(g: &crate::graph::Graph, e: crate::query::RequestError) -> WebError {
        WebError::query(g, &e.param, e.error)
    }

    /// A query error about a parameter: unknown names are 404 with near
    /// names, ambiguous names and bad values 400.
    pub fn query(g: &crate::graph::Graph, param: &str, e: QueryError) -> WebError {
        match e {
            QueryError::NotFound { query, .. } => {
                let hits = crate::query::search::suggest(g, &query, 6);
                let suggestions = hits
                    .iter()
                    .map(|h| {
                        let ent = g.entity(h.entity);
                        Suggestion {
                            id: ent.id().to_string(),
                            name: ent.name().to_string(),
                            kind: ent.kind.to_string(),
                        }
                    })
                    .collect();
                WebError::not_found(
                    format!("{param}: no entity matches \"{query}\""),
                    suggestions,
                )
            }
            QueryError::BadParameter { param: p, message } => WebError::bad(&p, message),
            other => WebError::bad(param, other),
        }
    }
}

impl std::fmt::Display for WebError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: super::pages::Layout,
    status: u16,
    reason: &'a str,
    message: &'a str,
    suggestions: &'a [Suggestion],
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = HttpResponse::build(self.status);
        // Also set by the app's default headers; repeated here because an
        // error that leaves the middleware stack (a caught panic) skips them.
        res.insert_header(("Content-Security-Policy", super::CSP))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .insert_header(("Referrer-Policy", "no-referrer"))
            .insert_header(("X-Frame-Options", "DENY"));
        if let Some(s) = self.retry_after {
            res.insert_header((actix_web::http::header::RETRY_AFTER, s.to_string()));
        }
        if self.json {
            return res.json(serde_json::json!({
                "error": self.message,
                "status": self.status.as_u16(),
                "suggestions": self.suggestions,
            }));
        }
        let reason = self.status.canonical_reason().unwrap_or("Error");
        let page = ErrorPage {
            layout: super::pages::Layout::plain(&format!("{} {reason}", self.status.as_u16())),
            status: self.status.as_u16(),
            reason,
            message: &self.message,
            suggestions: &self.suggestions,
        };
        match page.render() {
            Ok(html) => res.content_type(ContentType::html()).body(html),
            Err(_) => res
                .content_type(ContentType::plaintext())
                .body(self.message.clone()),
        }
    }
}
