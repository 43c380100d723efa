//! Authing-compatible `GET /authing/token?access_token=`: online token check, always HTTP 200 (spec §6.2).

use axum::{
    Json,
    extract::{Query, State},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::{AppState, compat::CompatError};

/// The query string.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TokenQuery {
    /// The user token to check.
    pub(crate) access_token: Option<String>,
}

/// Authing's token status object.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TokenStatus {
    /// Whether the token is valid.
    pub(crate) status: bool,
    /// 200 when valid; 2020 no token, 2206 expired or revoked, 2207 invalid, 2005 blocked.
    pub(crate) code: u32,
    /// `已登录` when valid.
    pub(crate) message: String,
    /// `{data, iat, exp}` of a valid token.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub(crate) token: Option<Value>,
}

/// Reports whether a user token is valid, in Authing's shape.
#[utoipa::path(get, path = "/authing/token", tag = "compat", params(TokenQuery),
    responses((status = 200, body = TokenStatus)))]
pub(crate) async fn check(
    State(state): State<AppState>,
    Query(query): Query<TokenQuery>,
) -> Json<TokenStatus> {
    let status = match state
        .services
        .check_token(query.access_token.as_deref())
        .await
    {
        Ok(claims) => TokenStatus {
            status: true,
            code: 200,
            message: "已登录".to_owned(),
            token: Some(serde_json::json!({
                "data": claims.data,
                "iat": claims.iat,
                "exp": claims.exp,
            })),
        },
        Err(error) => failure(&error.into()),
    };
    Json(status)
}

fn failure(error: &CompatError) -> TokenStatus {
    TokenStatus {
        status: false,
        code: error.code(),
        message: error.message().to_owned(),
        token: None,
    }
}
