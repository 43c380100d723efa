//! Admin routes for pools: list, create, show, change, delete, and a new pool secret.

use axum::{Json, extract::State, http::StatusCode};
use denglu_domain::{JwtAlgorithm, PoolName, RegistrationPolicy, TokenLifetime};
use denglu_service::{CreatePool, PoolChange};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::AdminCaller,
        body::{AdminJson, AdminPath, pool_id},
        reply::{CreatedPoolView, PoolList, PoolSecretView, PoolView},
    },
    native::ErrorBody,
};

/// A new pool.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CreatePoolRequest {
    /// Display name, 1 to 64 characters.
    name: String,
    /// `HS256`, `RS256` or `ES256` (default `ES256`).
    jwt_algorithm: Option<String>,
    /// Token lifetime in seconds (default 1,296,000: 15 days).
    token_lifetime_seconds: Option<i64>,
    /// `open` (default), `login-only` or `match-verified-phone`.
    registration_policy: Option<String>,
}

/// Changes to a pool; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ChangePoolRequest {
    /// Display name, 1 to 64 characters.
    name: Option<String>,
    /// `HS256`, `RS256` or `ES256`: a new key of it becomes the active key; the old keys verify until retired.
    jwt_algorithm: Option<String>,
    /// Lifetime of tokens issued from now on, in seconds.
    token_lifetime_seconds: Option<i64>,
    /// `open`, `login-only` or `match-verified-phone`.
    registration_policy: Option<String>,
}

/// The pool id again, so that a slip cannot delete the wrong pool.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeletePoolRequest {
    /// The id of the pool being deleted.
    confirm: String,
}

fn invalid(field: &str) -> impl Fn(denglu_domain::DomainError) -> AdminError + '_ {
    move |error| AdminError::invalid(format!("invalid `{field}`: {error}"))
}

fn algorithm(raw: Option<&str>) -> Result<Option<JwtAlgorithm>, AdminError> {
    raw.map(|raw| {
        raw.parse::<JwtAlgorithm>()
            .map_err(|_| AdminError::invalid("invalid `jwtAlgorithm`: HS256, RS256 or ES256"))
    })
    .transpose()
}

fn policy(raw: Option<&str>) -> Result<Option<RegistrationPolicy>, AdminError> {
    raw.map(|raw| {
        raw.parse::<RegistrationPolicy>().map_err(|_| {
            AdminError::invalid(
                "invalid `registrationPolicy`: open, login-only or match-verified-phone",
            )
        })
    })
    .transpose()
}

fn lifetime(seconds: Option<i64>) -> Result<Option<TokenLifetime>, AdminError> {
    seconds
        .map(|s| TokenLifetime::from_seconds(s).map_err(invalid("tokenLifetimeSeconds")))
        .transpose()
}

/// The pools the token administers.
#[utoipa::path(get, path = "/api/v1/admin/pools", tag = "admin",
    responses((status = 200, body = PoolList),
        (status = 401, description = "4501 no admin token, 4502 a bad one", body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
) -> Result<Json<PoolList>, AdminError> {
    let pools = state.services.admin(&operator).pools().await?;
    Ok(Json(PoolList {
        pools: pools.iter().map(PoolView::from).collect(),
    }))
}

/// Creates a pool with its first signing key (a token of the whole deployment, with write).
#[utoipa::path(post, path = "/api/v1/admin/pools", tag = "admin", request_body = CreatePoolRequest,
    responses((status = 201, body = CreatedPoolView),
        (status = 400, description = "1002 a field is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the token is not an owner's or is read-only", body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminJson(request): AdminJson<CreatePoolRequest>,
) -> Result<(StatusCode, Json<CreatedPoolView>), AdminError> {
    let input = CreatePool {
        name: PoolName::parse(&request.name).map_err(invalid("name"))?,
        algorithm: algorithm(request.jwt_algorithm.as_deref())?.unwrap_or_default(),
        token_lifetime: lifetime(request.token_lifetime_seconds)?.unwrap_or_default(),
        registration_policy: policy(request.registration_policy.as_deref())?.unwrap_or_default(),
    };
    let created = state.services.admin(&operator).create_pool(input).await?;
    let view = CreatedPoolView {
        pool: PoolView::from(&created.pool),
        secret: created.secret,
    };
    Ok((StatusCode::CREATED, Json(view)))
}

/// A pool's settings.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, body = PoolView),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn show(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<Json<PoolView>, AdminError> {
    let pool = state
        .services
        .admin(&operator)
        .pool(&pool_id(&pool)?)
        .await?;
    Ok(Json(PoolView::from(&pool)))
}

/// Changes a pool's name, token lifetime, registration policy or algorithm.
#[utoipa::path(patch, path = "/api/v1/admin/pools/{pool_id}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body = ChangePoolRequest,
    responses((status = 200, body = PoolView),
        (status = 400, description = "1002 a field is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn change(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
    AdminJson(request): AdminJson<ChangePoolRequest>,
) -> Result<Json<PoolView>, AdminError> {
    let change = PoolChange {
        name: request
            .name
            .as_deref()
            .map(PoolName::parse)
            .transpose()
            .map_err(invalid("name"))?,
        token_lifetime: lifetime(request.token_lifetime_seconds)?,
        registration_policy: policy(request.registration_policy.as_deref())?,
        algorithm: algorithm(request.jwt_algorithm.as_deref())?,
    };
    let pool = state
        .services
        .admin(&operator)
        .update_pool(&pool_id(&pool)?, change)
        .await?;
    Ok(Json(PoolView::from(&pool)))
}

/// Deletes a pool and everything of it (users, identities, keys, settings, sessions, tickets, avatars).
#[utoipa::path(delete, path = "/api/v1/admin/pools/{pool_id}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body = DeletePoolRequest,
    responses((status = 204, description = "Deleted"),
        (status = 400, description = "1002 `confirm` is not the pool id", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn delete(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
    AdminJson(request): AdminJson<DeletePoolRequest>,
) -> Result<StatusCode, AdminError> {
    state
        .services
        .admin(&operator)
        .delete_pool(&pool_id(&pool)?, &request.confirm)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces the pool secret.
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/secret", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, body = PoolSecretView),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn rotate_secret(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<Json<PoolSecretView>, AdminError> {
    let secret = state
        .services
        .admin(&operator)
        .rotate_pool_secret(&pool_id(&pool)?)
        .await?;
    Ok(Json(PoolSecretView { secret }))
}
