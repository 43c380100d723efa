//! Who the native API's caller is, as extractors: the user of a bearer token, or a pool's backend holding the pool
//! secret.

use axum::{extract::FromRequestParts, http::request::Parts};
use denglu_domain::PoolId;
use denglu_service::VerifiedToken;

use crate::{
    AppState,
    http::{POOL_SECRET_HEADER, bearer_token},
    native::{ApiError, paths::PoolPath},
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
