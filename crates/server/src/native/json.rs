//! The native API's body extractors: a JSON body sent as `application/json` (1002 naming the field when it is
//! wrong), or raw bytes; both 1003 when larger than `http.max_body_bytes`.

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{HeaderMap, header},
};
use denglu_service::ErrorCode;
use serde::de::DeserializeOwned;

use crate::{
    http::{BodyFault, decode},
    native::ApiError,
};

/// A JSON request body of type `T`.
pub(crate) struct ApiJson<T>(pub(crate) T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(ApiError::with_message(
                ErrorCode::InvalidRequest,
                "send the body as JSON with Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| BodyFault::of_rejection(&rejection))?;
        Ok(Self(decode(&bytes)?))
    }
}

/// `application/json` or `application/…+json`, with any parameters.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// A raw request body (an upload).
pub(crate) struct RawBody(pub(crate) Bytes);

impl<S: Send + Sync> FromRequest<S> for RawBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        Bytes::from_request(request, state)
            .await
            .map(Self)
            .map_err(|rejection| BodyFault::of_rejection(&rejection).into())
    }
}
