//! Extractors whose rejections use the documented error shape, the bearer token, and the client's address.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequest, FromRequestParts, Request, rejection::JsonRejection},
    http::{HeaderMap, StatusCode, header, request::Parts},
};
use denglu_service::ErrorCode;
use serde::de::DeserializeOwned;

use crate::{AppState, http::ApiError};

/// `Json<T>` whose failures are documented errors: 1003 for a body over the limit, 1002 for anything else.
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(json_rejection(&rejection)),
        }
    }
}

fn json_rejection(rejection: &JsonRejection) -> ApiError {
    match rejection {
        _ if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::new(ErrorCode::PayloadTooLarge)
        }
        JsonRejection::MissingJsonContentType(_) => ApiError::with_message(
            ErrorCode::InvalidRequest,
            "send the body as JSON with Content-Type: application/json",
        ),
        JsonRejection::JsonSyntaxError(_) => {
            ApiError::with_message(ErrorCode::InvalidRequest, "the body is not valid JSON")
        }
        JsonRejection::JsonDataError(error) => ApiError::with_message(
            ErrorCode::InvalidRequest,
            format!("invalid request body: {}", error.body_text()),
        ),
        _ => ApiError::new(ErrorCode::InvalidRequest),
    }
}

/// The token of an `Authorization` header, with or without the `Bearer ` prefix (the real SDKs send both).
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    if value.eq_ignore_ascii_case("bearer") {
        // "Bearer " with nothing after it: no token.
        return Some("");
    }
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
        .unwrap_or(value);
    Some(token.trim())
}

/// The client's address: the peer, or, when the server is configured to trust its reverse proxy, the last
/// `X-Forwarded-For` entry (the one that proxy appended; earlier entries come from the client and may be forged).
pub(crate) struct ClientIp(pub(crate) Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .http
            .trust_forwarded_for
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .and_then(|last| last.trim().parse().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(Self(forwarded.or(peer)))
    }
}
