//! The compatible surface's extractors: a lenient JSON body as Authing's clients send it (an empty body is the
//! default request, bad JSON is 1002 naming the field, too large is 1003) and the pool a path names (2224).

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Path, Request},
    http::request::Parts,
};
use denglu_domain::PoolId;
use denglu_service::ErrorCode;
use serde::de::DeserializeOwned;

use crate::{
    compat::CompatError,
    http::{BodyFault, decode},
};

/// A JSON request body of type `T`, whatever the `Content-Type` (the real clients do not always send one); an
/// empty or blank body is `T::default()`.
pub(crate) struct CompatJson<T>(pub(crate) T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for CompatJson<T> {
    type Rejection = CompatError;

    async fn from_request(request: Request, state: &S) -> Result<Self, CompatError> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| BodyFault::of_rejection(&rejection))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self(T::default()));
        }
        Ok(Self(decode(&bytes)?))
    }
}

/// The pool of the path's `{pool_id}`; a malformed id names no pool (2224).
pub(crate) struct CompatPool(pub(crate) PoolId);

impl<S: Send + Sync> FromRequestParts<S> for CompatPool {
    type Rejection = CompatError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, CompatError> {
        let unknown = || CompatError::new(ErrorCode::PoolNotFound);
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| unknown())?;
        PoolId::parse(&raw).map(Self).map_err(|_| unknown())
    }
}
