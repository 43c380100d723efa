//! Who the native API's caller is, as extractors: the user of a bearer token, or a pool's backend holding the pool
//! secret; and the pool a path names.

use axum::{
    extract::{FromRequestParts, Path},
    http::request::Parts,
};
use denglu_domain::PoolId;
use denglu_service::{ErrorCode, VerifiedToken};

use crate::{
    AppState,
    http::{POOL_SECRET_HEADER, bearer_token},
    native::ApiError,
};

/// The user of the request's bearer token, verified online (expiry, logout, blocking): 2020, 2206, 2207 or 2005
/// otherwise.
pub(crate) struct AuthUser(pub(crate) VerifiedToken);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(&parts.headers);
        Ok(Self(state.services.verify_token(token).await?))
    }
}

/// The pool of the path's `{pool_id}`: 2224 when malformed (it names no pool).
pub(crate) struct PoolPath(pub(crate) PoolId);

impl<S: Send + Sync> FromRequestParts<S> for PoolPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::new(ErrorCode::PoolNotFound))?;
        PoolId::parse(&raw)
            .map(Self)
            .map_err(|_| ApiError::new(ErrorCode::PoolNotFound))
    }
}

/// The path's pool, when the request carries its pool secret in `X-Pool-Secret`: 1001 otherwise.
pub(crate) struct PoolAdmin(pub(crate) PoolId);

impl FromRequestParts<AppState> for PoolAdmin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let PoolPath(pool) = PoolPath::from_request_parts(parts, state).await?;
        let secret = parts
            .headers
            .get(POOL_SECRET_HEADER)
            .and_then(|v| v.to_str().ok());
        state.services.authorize_pool(&pool, secret).await?;
        Ok(Self(pool))
    }
}
