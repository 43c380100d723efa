//! Who calls the admin API: the holder of an admin API token (`Authorization: Bearer dgl_admin_…`), with the
//! address and user agent the audit log records.

use axum::{extract::FromRequestParts, http::request::Parts};
use denglu_service::Operator;

use crate::{
    AppState,
    admin::AdminError,
    http::{Client, bearer_token},
};

/// The operator of the request's admin token: 4501 without one, 4502 when it is unknown, expired or revoked.
pub(crate) struct AdminCaller(pub(crate) Operator);

impl FromRequestParts<AppState> for AdminCaller {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AdminError> {
        let token = state
            .services
            .authenticate_admin(bearer_token(&parts.headers))
            .await?;
        let Ok(client) = Client::from_request_parts(parts, state).await;
        Ok(Self(Operator::with_token(token, client.requester())))
    }
}
