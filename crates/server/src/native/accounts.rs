//! Native password accounts: sign-up, login, logout, the current user.

use std::sync::Arc;

use axum::{
    Extension, Json,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use denglu_service::{LoginInput, RegisterInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    AppState,
    http::{Client, ClientIp, Limited, RateLimits},
    native::{ApiError, ErrorBody, auth::AuthUser, json::ApiJson, paths::PoolPath},
    views::{UserView, iso},
};

/// A password sign-up. Give a username, an e-mail, or both.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegisterRequest {
    /// 1–64 characters, no spaces or `@`; unique in the pool ignoring case.
    pub(crate) username: Option<String>,
    /// Unique in the pool.
    pub(crate) email: Option<String>,
    /// 6–128 characters.
    pub(crate) password: String,
    /// Display name; defaults to the username.
    pub(crate) nickname: Option<String>,
}

/// A password login.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct LoginRequest {
    /// E-mail or username (an `@` means e-mail). `email` and `username` are accepted as aliases.
    #[serde(alias = "email", alias = "username")]
    pub(crate) account: String,
    /// The password.
    pub(crate) password: String,
}

/// A successful login.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LoginResponse {
    /// The user token (a JWT).
    pub(crate) token: String,
    /// When it expires (ISO-8601).
    pub(crate) token_expired_at: String,
    /// The user, with `token` set.
    pub(crate) user: UserView,
}

/// Creates a password account in the pool.
#[utoipa::path(post, path = "/api/v1/pools/{pool_id}/users", tag = "accounts",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Created", body = UserView),
        (status = 400, description = "1002: malformed body or invalid field", body = ErrorBody),
        (status = 403, description = "4001: the pool does not allow sign-up", body = ErrorBody),
        (status = 404, description = "2224: no such pool", body = ErrorBody),
        (status = 409, description = "2026: username or e-mail taken", body = ErrorBody),
        (status = 422, description = "2003: invalid e-mail", body = ErrorBody),
        (status = 429, description = "4290: this address signed up too often (`http.sign_ups_per_minute`)", body = ErrorBody),
    ))]
pub(crate) async fn register(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    ip: ClientIp,
    PoolPath(pool_id): PoolPath,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    limits.check(Limited::SignUp, ip.0)?;
    let input = RegisterInput {
        username: body.username,
        email: body.email,
        password: body.password,
        nickname: body.nickname,
    };
    let user = state.services.accounts().register(&pool_id, input).await?;
    Ok((StatusCode::CREATED, Json(UserView::new(&user, None))))
}

/// Logs in with e-mail or username and password.
#[utoipa::path(post, path = "/api/v1/pools/{pool_id}/login", tag = "accounts",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body = LoginRequest,
    responses(
        (status = 200, body = LoginResponse),
        (status = 400, description = "1002: malformed body", body = ErrorBody),
        (status = 401, description = "2006: wrong password", body = ErrorBody),
        (status = 403, description = "2005: the user is blocked", body = ErrorBody),
        (status = 404, description = "2004: no such user; 2224: no such pool", body = ErrorBody),
    ))]
pub(crate) async fn login(
    State(state): State<AppState>,
    PoolPath(pool_id): PoolPath,
    client: Client,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let input = LoginInput {
        account: body.account,
        password: body.password,
        from: client.requester(),
    };
    let session = state
        .services
        .accounts()
        .login_with_password(&pool_id, input)
        .await?;
    Ok(Json(LoginResponse {
        token_expired_at: iso(session.expires_at),
        user: UserView::new(&session.user, Some(session.token.clone())),
        token: session.token,
    }))
}

/// Revokes every token of the caller's user issued until now.
#[utoipa::path(post, path = "/api/v1/logout", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 204, description = "Logged out"),
        (status = 401, description = "2020: no token; 2206: expired or revoked; 2207: invalid", body = ErrorBody),
    ))]
pub(crate) async fn logout(
    State(state): State<AppState>,
    AuthUser(verified): AuthUser,
) -> Result<StatusCode, ApiError> {
    state.services.logout(&verified).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's user.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])),
    responses(
        (status = 200, body = UserView),
        (status = 401, description = "2020: no token; 2206: expired or revoked; 2207: invalid", body = ErrorBody),
        (status = 403, description = "2005: the user is blocked", body = ErrorBody),
    ))]
pub(crate) async fn me(AuthUser(verified): AuthUser) -> Result<Json<UserView>, ApiError> {
    Ok(Json(UserView::new(&verified.user, None)))
}

/// The login key's public half (`-----BEGIN PUBLIC KEY-----`, RSA 2048): SDKs encrypt passwords with it (PKCS#1
/// v1.5, base64) for GraphQL `login`. Made on first use and the same on every replica.
#[utoipa::path(get, path = "/api/v1/login-key.pem", tag = "accounts",
    responses((status = 200, description = "The public key as PEM", content_type = "application/x-pem-file")))]
pub(crate) async fn login_key(State(state): State<AppState>) -> Result<Response, ApiError> {
    let pem = state.services.accounts().login_key_pem().await?;
    let mut response = pem.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-pem-file"),
    );
    Ok(response)
}
