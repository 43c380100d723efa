//! Image answers: the bytes with their type, a caching rule, and no sniffing.

use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};

/// `bytes` as a 200 of `content_type`, cached as `cache` says (`Cache-Control`), with `nosniff`.
pub(crate) fn image_response(
    content_type: &'static str,
    bytes: Vec<u8>,
    cache: &'static str,
) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
