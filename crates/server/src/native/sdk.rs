//! The web SDK, served by the server so a page needs no CDN: `<script src="/sdk/web/denglu.min.js">`.

use axum::{
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

/// The UMD bundle of `sdk/web` (global `Authing`), built into the binary.
const WEB_SDK: &str = include_str!("../../../../sdk/web/dist/denglu.min.js");

/// `GET /sdk/web/denglu.min.js`.
pub(crate) async fn web_sdk() -> Response {
    let mut response = WEB_SDK.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}
