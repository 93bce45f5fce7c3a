//! The stylesheets, the scripts (the vendored graph library among them)
//! and the icon, compiled into the binary.
//! Only these names are served: a request for anything else (including
//! `..` tricks) is a 404, never a file read.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::error::WebError;

/// Name, media type, bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/style.css"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/app.js"),
    ),
    (
        "explorer.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/explorer.js"),
    ),
    (
        "explorer.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/explorer.css"),
    ),
    // The vendored graph library (cytoscape.js with the fcose layout), as
    // published on npm at the versions in assets/vendor/VERSIONS; their
    // licences sit beside them.
    (
        "cytoscape.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/cytoscape.min.js"),
    ),
    (
        "cytoscape-fcose.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/cytoscape-fcose.js"),
    ),
    (
        "cose-base.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/cose-base.js"),
    ),
    (
        "layout-base.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/layout-base.js"),
    ),
    (
        "icon.svg",
        "image/svg+xml",
        include_bytes!("../../assets/icon.svg"),
    ),
];

/// Asset URLs carry the version (`?v=`), so a day of caching is safe.
const CACHE: &str = "public, max-age=86400";

pub(super) async fn serve(name: web::Path<String>) -> Result<HttpResponse, WebError> {
    let Some((_, mime, bytes)) = ASSETS.iter().find(|(n, _, _)| *n == name.as_str()) else {
        return Err(WebError::not_found(
            format!("no asset named \"{name}\""),
            Vec::new(),
        ));
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, *mime))
        .insert_header((header::CACHE_CONTROL, CACHE))
        .body(*bytes))
}

pub(super) async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml"))
        .insert_header((header::CACHE_CONTROL, CACHE))
        .body(&include_bytes!("../../assets/icon.svg")[..])
}
