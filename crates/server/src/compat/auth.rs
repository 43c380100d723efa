//! Who the compatible surface's caller is, as an extractor: the user of the `Authorization` token (raw or
//! `Bearer`, as the real SDKs send it), verified online.

use axum::{extract::FromRequestParts, http::request::Parts};
use denglu_service::VerifiedToken;

use crate::{AppState, compat::CompatError, http::bearer_token};

/// The verified user of the request's token: 2020, 2206, 2207 or 2005 in the envelope otherwise.
pub(crate) struct AuthUser(pub(crate) VerifiedToken);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = CompatError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, CompatError> {
        let token = bearer_token(&parts.headers);
        Ok(Self(state.services.verify_token(token).await?))
    }
}
