//! The operators' web console, served from files built into the binary. So far its setup page: `/console/setup`,
//! where an operator opens the one-time link `denglu admin create` printed and sets a password and an authenticator
//! app through the admin API. The setup token travels in the link's fragment, which browsers never send, so it stays
//! out of access logs and `Referer` headers.

use axum::{
    Router,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};

use crate::AppState;

const SETUP_PAGE: &str = include_str!("../console/setup.html");
const SETUP_SCRIPT: &str = include_str!("../console/setup.js");
const STYLES: &str = include_str!("../console/console.css");

/// Only the page's own files; no framing, no referrer.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: \
     blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The console's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/console/setup",
            get(|| async { file(SETUP_PAGE, "text/html; charset=utf-8") }),
        )
        .route(
            "/console/setup.js",
            get(|| async { file(SETUP_SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/console/console.css",
            get(|| async { file(STYLES, "text/css; charset=utf-8") }),
        )
}

fn file(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
