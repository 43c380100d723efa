//! Admin routes for admin API tokens (owners only).

use axum::{Json, extract::State, http::StatusCode};
use denglu_domain::AdminTokenId;
use denglu_service::NewAdminToken;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::AdminCaller,
        body::{AdminJson, AdminPath, scope},
        reply::{CreatedTokenView, TokenList, TokenView},
    },
    native::ErrorBody,
};

/// A new admin token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CreateTokenRequest {
    /// What it is for, 1 to 64 characters.
    name: String,
    /// The pools it administers; absent or `null` for the whole deployment (an owner's token).
    pools: Option<Vec<String>>,
    /// Whether it may change things (default `false`: read only).
    #[serde(default)]
    write: bool,
    /// How long it works, in days, 1 to 3650 (default 90).
    expires_in_days: Option<u32>,
}

/// Every admin token, newest first, without secrets (owners only).
#[utoipa::path(get, path = "/api/v1/admin/tokens", tag = "admin",
    responses((status = 200, body = TokenList),
        (status = 403, description = "1001 not an owner's token", body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
) -> Result<Json<TokenList>, AdminError> {
    let tokens = state.services.admin(&operator).tokens().await?;
    Ok(Json(TokenList {
        tokens: tokens.iter().map(TokenView::from).collect(),
    }))
}

/// Makes an admin token (owners only); its secret is in the answer, once.
#[utoipa::path(post, path = "/api/v1/admin/tokens", tag = "admin", request_body = CreateTokenRequest,
    responses((status = 201, body = CreatedTokenView),
        (status = 400, description = "1002 a field is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 not an owner's token, or read-only", body = ErrorBody),
        (status = 404, description = "2224 a named pool does not exist", body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminJson(request): AdminJson<CreateTokenRequest>,
) -> Result<(StatusCode, Json<CreatedTokenView>), AdminError> {
    let scope = scope(request.pools)?;
    let new = NewAdminToken {
        name: request.name,
        scope,
        write: request.write,
        lifetime_days: request.expires_in_days.unwrap_or(90),
    };
    let created = state.services.admin(&operator).create_token(new).await?;
    let view = CreatedTokenView {
        token: TokenView::from(&created.token),
        secret: created.secret,
    };
    Ok((StatusCode::CREATED, Json(view)))
}

/// Revokes an admin token at once (owners only).
#[utoipa::path(delete, path = "/api/v1/admin/tokens/{token_id}", tag = "admin",
    params(("token_id" = String, Path, description = "Admin token id")),
    responses((status = 204, description = "Revoked"),
        (status = 400, description = "1002 no such live token", body = ErrorBody),
        (status = 403, description = "1001 not an owner's token, or read-only", body = ErrorBody)))]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(token): AdminPath<String>,
) -> Result<StatusCode, AdminError> {
    let id = AdminTokenId::parse(&token)
        .map_err(|_| AdminError::invalid("invalid token id: 24 hex characters"))?;
    state.services.admin(&operator).revoke_token(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
