//! The operators' web console, served from the files of `crates/server/console/`, built into the binary: the console
//! itself at `/console` (a page of plain ES modules on the admin API, no build step) and the setup page at
//! `/console/setup`, where an operator opens the one-time link `denglu admin create` printed. The setup token travels
//! in the link's fragment, which browsers never send, so it stays out of access logs and `Referer` headers.

use axum::{
    Router,
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use rust_embed::RustEmbed;

use crate::AppState;

/// Every file of the console.
#[derive(RustEmbed)]
#[folder = "console/"]
struct Files;

/// Only the console's own files; no framing, no referrer. Inline styles are refused too: scripts set styles through
/// the DOM only.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: \
     blob:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// The console's routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/console", get(|| async { file("index.html") }))
        .route("/console/", get(|| async { file("index.html") }))
        .route("/console/setup", get(|| async { file("setup.html") }))
        .route(
            "/console/{*path}",
            get(|Path(path): Path<String>| async move { file(&path) }),
        )
}

/// The console's file at `path`, or 404 (in the native error shape, as for any unknown path).
fn file(path: &str) -> Response {
    let Some(found) = Files::get(path) else {
        return crate::native::ApiError::new(denglu_service::ErrorCode::NoSuchEndpoint)
            .into_response();
    };
    let mut response = (StatusCode::OK, found.data.into_owned()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(path)),
    );
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

/// The MIME type of a console file, by its extension.
fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, extension)| extension) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}
