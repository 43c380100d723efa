//! The client's endpoints: `POST {issuer}/token`, `GET|POST {issuer}/userinfo`, `POST {issuer}/introspect` and
//! `POST {issuer}/revoke`. JSON answers, never cached.

use axum::{
    Json,
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use denglu_service::{ClientCredentials, IssuedTokens, TokenRequest};
use serde::{Deserialize, Serialize};

use crate::{
    AppState,
    http::{Client, bearer_token},
    oidc::{
        OidcError,
        body::{OidcForm, OidcPool, client_credentials},
    },
};

/// The token request's form.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
    scope: Option<String>,
    device_code: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

/// The token response (RFC 6749 §5.1).
#[derive(Debug, Serialize)]
pub(crate) struct TokenReply {
    access_token: String,
    token_type: &'static str,
    expires_in: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
    scope: String,
}

impl From<IssuedTokens> for TokenReply {
    fn from(tokens: IssuedTokens) -> Self {
        Self {
            access_token: tokens.access_token,
            token_type: "Bearer",
            expires_in: tokens.expires_in,
            refresh_token: tokens.refresh_token,
            id_token: tokens.id_token,
            scope: tokens.scope,
        }
    }
}

/// `POST {issuer}/token`.
pub(crate) async fn token(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    headers: HeaderMap,
    client: Client,
    OidcForm(form): OidcForm<TokenForm>,
) -> Result<Response, OidcError> {
    let credentials = client_credentials(&headers, form.client_id, form.client_secret)?;
    let request = TokenRequest {
        grant_type: form.grant_type,
        code: form.code,
        redirect_uri: form.redirect_uri,
        code_verifier: form.code_verifier,
        refresh_token: form.refresh_token,
        scope: form.scope,
        device_code: form.device_code,
    };
    let tokens = state
        .services
        .oidc()
        .token(&pool, &credentials, request, client.requester())
        .await?;
    Ok(no_store(Json(TokenReply::from(tokens)).into_response()))
}

/// `GET {issuer}/userinfo` with a Bearer access token.
pub(crate) async fn userinfo_get(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    headers: HeaderMap,
) -> Result<Response, OidcError> {
    let token = bearer_token(&headers).map(str::to_owned);
    userinfo(&state, &pool, token).await
}

/// The form of `POST {issuer}/userinfo`: the token in the body (RFC 6750 §2.2) or the header.
#[derive(Debug, Deserialize, Default)]
pub(crate) struct UserinfoForm {
    access_token: Option<String>,
}

/// `POST {issuer}/userinfo`.
pub(crate) async fn userinfo_post(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    headers: HeaderMap,
    OidcForm(form): OidcForm<UserinfoForm>,
) -> Result<Response, OidcError> {
    let token = bearer_token(&headers)
        .map(str::to_owned)
        .or(form.access_token);
    userinfo(&state, &pool, token).await
}

async fn userinfo(
    state: &AppState,
    pool: &denglu_domain::PoolId,
    token: Option<String>,
) -> Result<Response, OidcError> {
    let claims = state
        .services
        .oidc()
        .userinfo(pool, token.as_deref())
        .await?;
    Ok(no_store(Json(claims).into_response()))
}

/// The form of introspection and revocation.
#[derive(Debug, Deserialize)]
pub(crate) struct TokenOfClientForm {
    /// The token; `token_type_hint` is not needed (denglu tells the kinds apart) and is ignored.
    token: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

impl TokenOfClientForm {
    /// The client's credentials (header or form) and the token, which must be there.
    fn read(self, headers: &HeaderMap) -> Result<(ClientCredentials, String), OidcError> {
        let credentials = client_credentials(headers, self.client_id, self.client_secret)?;
        let token = self
            .token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| OidcError::invalid("token is missing"))?;
        Ok((credentials, token))
    }
}

/// `POST {issuer}/introspect`.
pub(crate) async fn introspect(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    headers: HeaderMap,
    OidcForm(form): OidcForm<TokenOfClientForm>,
) -> Result<Response, OidcError> {
    let (credentials, token) = form.read(&headers)?;
    let answer = state
        .services
        .oidc()
        .introspect(&pool, &credentials, &token)
        .await?;
    Ok(no_store(Json(answer).into_response()))
}

/// `POST {issuer}/revoke`: 200 with an empty body, whether or not the token was known (RFC 7009 §2.2).
pub(crate) async fn revoke(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    headers: HeaderMap,
    OidcForm(form): OidcForm<TokenOfClientForm>,
) -> Result<Response, OidcError> {
    let (credentials, token) = form.read(&headers)?;
    state
        .services
        .oidc()
        .revoke(&pool, &credentials, &token)
        .await?;
    Ok(no_store(().into_response()))
}

/// `response`, never to be cached.
pub(crate) fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}
