//! The OpenID Connect door (`/oidc/{pool}/…`, `spec/oidc.md`): each pool an issuer. OAuth's error shapes
//! ([`OidcError`] as JSON for clients, an error page for browsers), form bodies, cookies for the IdP session, and
//! the hosted pages. Handlers parse, call `services.oidc()`, and shape the answer.

mod authorize;
mod body;
mod cookies;
mod device;
mod discovery;
mod error;
mod login;
mod logout;
mod pages;
mod token;

use axum::{
    Router,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};

pub(crate) use error::OidcError;

use crate::AppState;

const LOGIN_SCRIPT: &str = include_str!("../../oidc/login.js");
const STYLES: &str = include_str!("../../oidc/pages.css");

/// The OIDC routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/oidc/{pool_id}/.well-known/openid-configuration",
            get(discovery::discovery),
        )
        .route("/oidc/{pool_id}/jwks.json", get(discovery::jwks))
        .route(
            "/oidc/{pool_id}/authorize",
            get(authorize::authorize_get).post(authorize::authorize_post),
        )
        .route("/oidc/{pool_id}/authorize/resume", get(authorize::resume))
        .route("/oidc/{pool_id}/consent", post(authorize::consent))
        .route("/oidc/{pool_id}/login/qr", post(login::login_qr))
        .route(
            "/oidc/{pool_id}/login/password",
            post(login::login_password),
        )
        .route("/oidc/{pool_id}/token", post(token::token))
        .route(
            "/oidc/{pool_id}/device/authorize",
            post(device::authorize_device),
        )
        .route("/oidc/{pool_id}/device", get(device::verification_page))
        .route(
            "/oidc/{pool_id}/userinfo",
            get(token::userinfo_get).post(token::userinfo_post),
        )
        .route("/oidc/{pool_id}/introspect", post(token::introspect))
        .route("/oidc/{pool_id}/revoke", post(token::revoke))
        .route(
            "/oidc/{pool_id}/logout",
            get(logout::logout_get).post(logout::logout_post),
        )
        .route(
            "/oidc/assets/login.js",
            get(|| async { asset(LOGIN_SCRIPT, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/oidc/assets/pages.css",
            get(|| async { asset(STYLES, "text/css; charset=utf-8") }),
        )
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}
