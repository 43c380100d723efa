//! Native token verification and each pool's published keys.

use axum::{Json, extract::State};
use denglu_service::ErrorCode;
use denglu_tokens::UserClaims;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::{
    AppState,
    native::{ApiError, ErrorBody, json::ApiJson, paths::PoolPath},
};

/// A token to check.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerifyRequest {
    /// The user token.
    pub(crate) token: String,
}

/// The verdict on a token. Invalid tokens are a normal answer here, not an error.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct VerifyResponse {
    /// Whether the token is valid now.
    pub(crate) valid: bool,
    /// 200 when valid, else the documented code (2005, 2206, 2207, …).
    pub(crate) code: u32,
    /// Why, for people.
    pub(crate) message: String,
    /// The verified claims, when valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub(crate) claims: Option<UserClaims>,
}

/// Checks a user token online: signature, expiry, logout and blocking.
#[utoipa::path(post, path = "/api/v1/tokens/verify", tag = "tokens",
    request_body = VerifyRequest,
    responses(
        (status = 200, body = VerifyResponse),
        (status = 400, description = "1002: malformed body", body = ErrorBody),
    ))]
pub(crate) async fn verify(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<VerifyRequest>,
) -> Result<Json<VerifyResponse>, ApiError> {
    let verdict = match state.services.check_token(Some(&body.token)).await {
        Ok(claims) => VerifyResponse {
            valid: true,
            code: 200,
            message: "valid".to_owned(),
            claims: Some(claims),
        },
        Err(error) if error.code() == ErrorCode::SystemBusy => return Err(error.into()),
        Err(error) => VerifyResponse {
            valid: false,
            code: error.code().number(),
            message: error.public_message(),
            claims: None,
        },
    };
    Ok(Json(verdict))
}

/// The pool's public signing keys (RS256/ES256 pools; empty for HS256 pools).
///
/// The active key and the previous keys not yet retired; verify a token with the key its header's `kid` names.
#[utoipa::path(get, path = "/api/v1/pools/{pool_id}/jwks.json", tag = "tokens",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses(
        (status = 200, description = "A JWKS document", body = Object),
        (status = 404, description = "2224: no such pool", body = ErrorBody),
    ))]
pub(crate) async fn jwks(
    State(state): State<AppState>,
    PoolPath(pool_id): PoolPath,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(state.services.pools().jwks(&pool_id).await?))
}
