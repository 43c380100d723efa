//! `GET {issuer}/.well-known/openid-configuration` and `GET {issuer}/jwks.json`: public, cacheable for a minute.

use axum::{
    Json,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::{
    AppState,
    oidc::{OidcError, body::OidcPool},
};

/// The pool's OpenID Provider metadata.
pub(crate) async fn discovery(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
) -> Result<Response, OidcError> {
    let document = state.services.oidc().discovery(&pool).await?;
    Ok(cacheable(Json(document).into_response()))
}

/// The pool's OIDC signing keys.
pub(crate) async fn jwks(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
) -> Result<Response, OidcError> {
    let document = state.services.oidc().jwks(&pool).await?;
    Ok(cacheable(Json(document).into_response()))
}

fn cacheable(mut response: Response) -> Response {
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    response
}
