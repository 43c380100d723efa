//! Every route, grouped by surface: health probes, the native `/api/v1`, and the Authing-compatible paths.

pub(crate) mod accounts;
pub(crate) mod app_login;
pub(crate) mod avatars;
pub(crate) mod compat_token;
pub(crate) mod health;
pub(crate) mod pool_admin;
pub(crate) mod qr_compat;
pub(crate) mod qr_events;
pub(crate) mod qr_images;
pub(crate) mod qr_scanner;
pub(crate) mod sdk;
pub(crate) mod tokens;
pub(crate) mod wxapp;

use axum::{
    Router,
    routing::{get, post, put},
};
use denglu_domain::PoolId;
use denglu_service::ErrorCode;

use crate::{AppState, http::ApiError, openapi};

/// All routes, without middleware.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/api/v1/openapi.json", get(openapi::serve_document))
        .route("/api/v1/pools/{pool_id}/users", post(accounts::register))
        .route("/api/v1/pools/{pool_id}/login", post(accounts::login))
        .route("/api/v1/pools/{pool_id}/jwks.json", get(tokens::jwks))
        .route("/api/v1/logout", post(accounts::logout))
        .route("/api/v1/me", get(accounts::me))
        .route("/api/v1/login-key.pem", get(accounts::login_key))
        .route("/api/v1/tokens/verify", post(tokens::verify))
        .route("/authing/token", get(compat_token::check))
        .route("/graphql", post(crate::graphql::handle))
        .route("/oauth/wxapp/qrcode/{pool_id}", get(qr_compat::qrcode))
        .route("/oauth/wxapp/confirm/qr", post(qr_compat::confirm))
        .route("/qrcode/{file}", get(qr_images::qrcode))
        .route("/s/{scene}", get(qr_images::scan_with_wechat))
        .route("/api/v1/pools/{pool_id}/logo.png", get(qr_images::logo))
        .route(
            "/api/v1/pools/{pool_id}/logo",
            put(pool_admin::put_logo).delete(pool_admin::delete_logo),
        )
        .route(
            "/api/v1/pools/{pool_id}/qr-settings",
            get(pool_admin::qr_settings).put(pool_admin::change_qr_settings),
        )
        .route("/api/v1/qr/events", get(qr_events::events))
        .route("/api/v1/scanner/sessions/{scene}", get(qr_scanner::session))
        .route(
            "/api/v1/scanner/sessions/{scene}/scan",
            post(qr_scanner::scan),
        )
        .route(
            "/api/v1/scanner/sessions/{scene}/confirm",
            post(qr_scanner::confirm),
        )
        .route(
            "/api/v1/scanner/sessions/{scene}/cancel",
            post(qr_scanner::cancel),
        )
        .route("/sdk/web/denglu.min.js", get(sdk::web_sdk))
        .route("/api/v1/app-login/tickets", post(app_login::mint))
        .route("/api/v1/users/{user_id}/avatar", post(avatars::upload))
        .route("/uploads/avatars/{name}", get(avatars::serve))
        .route("/oauth/app2wxapp/auth/{pool_id}", post(app_login::exchange))
        .route("/oauth/wechatapp/auth/{pool_id}", post(wxapp::auth))
        .route(
            "/oauth/wechatapp/getphone/{pool_id}",
            post(wxapp::get_phone),
        )
        .route("/oauth/wechatapp/phone/{pool_id}", post(wxapp::bind_phone))
        .route("/oauth/wechatapp/decrypt/{pool_id}", post(wxapp::decrypt))
        .route(
            "/api/v1/pools/{pool_id}/app-login-settings",
            get(pool_admin::app_login_settings).put(pool_admin::change_app_login_settings),
        )
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(no_such_endpoint)
}

async fn no_such_endpoint() -> ApiError {
    ApiError::new(ErrorCode::NoSuchEndpoint)
}

/// A pool id from a path; a malformed one names no pool.
pub(crate) fn parse_pool_id(raw: &str) -> Result<PoolId, ApiError> {
    PoolId::parse(raw).map_err(|_| ApiError::new(ErrorCode::PoolNotFound))
}
