//! Every route, grouped by surface: health probes, the native `/api/v1`, and the Authing-compatible paths.

pub(crate) mod accounts;
pub(crate) mod compat_token;
pub(crate) mod health;
pub(crate) mod tokens;

use axum::{
    Router,
    routing::{get, post},
};
use denglu_domain::PoolId;
use denglu_service::ErrorCode;

use crate::{AppState, http::ApiError, openapi};

/// All routes, without middleware.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/v1/openapi.json", get(openapi::serve_document))
        .route("/api/v1/pools/{pool_id}/users", post(accounts::register))
        .route("/api/v1/pools/{pool_id}/login", post(accounts::login))
        .route("/api/v1/pools/{pool_id}/jwks.json", get(tokens::jwks))
        .route("/api/v1/logout", post(accounts::logout))
        .route("/api/v1/me", get(accounts::me))
        .route("/api/v1/tokens/verify", post(tokens::verify))
        .route("/authing/token", get(compat_token::check))
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(no_such_endpoint)
}

async fn no_such_endpoint() -> ApiError {
    ApiError::new(ErrorCode::NoSuchEndpoint)
}

/// A pool id from a path; a malformed one names no pool.
pub(crate) fn parse_pool_id(raw: &str) -> Result<PoolId, ApiError> {
    PoolId::parse(raw).map_err(|_| ApiError::new(ErrorCode::PoolNotFound))
}
