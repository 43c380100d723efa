//! Admin routes for operator accounts (owners only): list, create with a one-time setup link, reset (a new setup
//! link; password, authenticator and sessions are cleared), delete.

use axum::{Json, extract::State, http::StatusCode};
use denglu_domain::OperatorId;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::AdminCaller,
        body::{AdminJson, AdminPath, scope},
        reply::{CreatedOperatorView, OperatorList, OperatorView},
    },
    native::ErrorBody,
};

/// A new operator.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CreateOperatorRequest {
    /// The sign-in name: 1 to 64 of a-z, 0-9, `.`, `_` and `-`.
    name: String,
    /// The pools a pool admin administers; absent or `null` for an owner (the whole deployment).
    pools: Option<Vec<String>>,
}

fn operator_id(raw: &str) -> Result<OperatorId, AdminError> {
    OperatorId::parse(raw)
        .map_err(|_| AdminError::invalid("invalid operator id: 24 hex characters"))
}

/// Every operator, oldest first (owners only).
#[utoipa::path(get, path = "/api/v1/admin/operators", tag = "admin",
    responses((status = 200, body = OperatorList),
        (status = 403, description = "1001 not an owner", body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
) -> Result<Json<OperatorList>, AdminError> {
    let operators = state.services.admin(&operator).operators().await?;
    Ok(Json(OperatorList {
        operators: operators.iter().map(OperatorView::from).collect(),
    }))
}

/// Makes an operator (owners only) and answers their one-time setup link, which works for three days.
#[utoipa::path(post, path = "/api/v1/admin/operators", tag = "admin", request_body = CreateOperatorRequest,
    responses((status = 201, body = CreatedOperatorView),
        (status = 400, description = "1002 a bad name or pool list, or the name is taken", body = ErrorBody),
        (status = 403, description = "1001 not an owner, or a read-only token", body = ErrorBody),
        (status = 404, description = "2224 a named pool does not exist", body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminJson(request): AdminJson<CreateOperatorRequest>,
) -> Result<(StatusCode, Json<CreatedOperatorView>), AdminError> {
    let scope = scope(request.pools)?;
    let created = state
        .services
        .admin(&operator)
        .create_operator(&request.name, scope)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedOperatorView::from(created)),
    ))
}

/// Resets an operator who lost their password or authenticator (owners only): clears both, their recovery codes
/// and sessions, and answers a new setup link.
#[utoipa::path(post, path = "/api/v1/admin/operators/{operator_id}/reset", tag = "admin",
    params(("operator_id" = String, Path, description = "Operator id")),
    responses((status = 200, body = CreatedOperatorView),
        (status = 400, description = "1002 no such operator", body = ErrorBody),
        (status = 403, description = "1001 not an owner, or a read-only token", body = ErrorBody)))]
pub(crate) async fn reset(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(id): AdminPath<String>,
) -> Result<Json<CreatedOperatorView>, AdminError> {
    let id = operator_id(&id)?;
    let created = state.services.admin(&operator).reset_operator(&id).await?;
    Ok(Json(CreatedOperatorView::from(created)))
}

/// Deletes an operator and ends their sessions (owners only); the last owner cannot be deleted.
#[utoipa::path(delete, path = "/api/v1/admin/operators/{operator_id}", tag = "admin",
    params(("operator_id" = String, Path, description = "Operator id")),
    responses((status = 204, description = "Deleted"),
        (status = 400, description = "1002 no such operator, or the last owner", body = ErrorBody),
        (status = 403, description = "1001 not an owner, or a read-only token", body = ErrorBody)))]
pub(crate) async fn delete(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(id): AdminPath<String>,
) -> Result<StatusCode, AdminError> {
    let id = operator_id(&id)?;
    state.services.admin(&operator).delete_operator(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}
