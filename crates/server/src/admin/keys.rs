//! Admin routes for a pool's signing keys: list, rotate (a new active key), retire a previous key.

use axum::{Json, extract::State, http::StatusCode};

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::AdminCaller,
        body::{AdminPath, pool_id},
        reply::{KeyList, KeyView},
    },
    native::ErrorBody,
};

/// The pool's signing keys: the active key first, then previous and retired ones.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/keys", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, body = KeyList),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<Json<KeyList>, AdminError> {
    let keys = state
        .services
        .admin(&operator)
        .signing_keys(&pool_id(&pool)?)
        .await?;
    Ok(Json(KeyList {
        keys: keys.iter().map(KeyView::from).collect(),
    }))
}

/// Makes a new active key: it signs every token from now on; the previous keys keep verifying the tokens they signed
/// and stay in the JWKS until retired.
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/keys", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 201, body = KeyView),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn rotate(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<(StatusCode, Json<KeyView>), AdminError> {
    let key = state
        .services
        .admin(&operator)
        .rotate_signing_key(&pool_id(&pool)?)
        .await?;
    Ok((StatusCode::CREATED, Json(KeyView::from(&key))))
}

/// Retires a previous key: the tokens it signed are refused from now on (2207) and the JWKS drops it.
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/keys/{kid}/retire", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("kid" = String, Path, description = "Key id")),
    responses((status = 200, body = KeyView),
        (status = 400, description = "1002 no such key, the active key, or retired already", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn retire(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, kid)): AdminPath<(String, String)>,
) -> Result<Json<KeyView>, AdminError> {
    let key = state
        .services
        .admin(&operator)
        .retire_signing_key(&pool_id(&pool)?, &kid)
        .await?;
    Ok(Json(KeyView::from(&key)))
}
