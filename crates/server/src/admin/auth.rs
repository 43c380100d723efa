//! Who calls the admin API: the holder of an admin API token (`Authorization: Bearer dgl_admin_…`), with the
//! address and user agent the audit log records.

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts},
};
use denglu_service::Operator;

use crate::{
    AppState,
    admin::AdminError,
    http::{ClientIp, bearer_token},
};

/// The longest user agent the audit log keeps, in characters.
const MAX_USER_AGENT_CHARS: usize = 256;

/// The operator of the request's admin token: 4501 without one, 4502 when it is unknown, expired or revoked.
pub(crate) struct AdminCaller(pub(crate) Operator);

impl FromRequestParts<AppState> for AdminCaller {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AdminError> {
        let token = state
            .services
            .authenticate_admin(bearer_token(&parts.headers))
            .await?;
        let Ok(ip) = ClientIp::from_request_parts(parts, state).await;
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .map(|agent| agent.chars().take(MAX_USER_AGENT_CHARS).collect());
        Ok(Self(Operator::with_token(token, ip.text(), user_agent)))
    }
}
