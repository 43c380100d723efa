//! The native API (`/api/v1`, the probes, QR images, the web SDK and stored avatars): proper HTTP statuses and
//! one JSON error shape `{code, message}` ([`ApiError`]). A new native endpoint is a handler in a file here, a
//! route below and a line in the OpenAPI document.

pub(crate) mod accounts;
pub(crate) mod app_login;
mod auth;
pub(crate) mod avatars;
mod error;
pub(crate) mod health;
mod json;
mod paths;
pub(crate) mod pool_settings;
pub(crate) mod qr_events;
pub(crate) mod qr_images;
pub(crate) mod qr_scanner;
mod sdk;
pub(crate) mod tokens;

use axum::{
    Router,
    routing::{get, post, put},
};
use denglu_service::ErrorCode;

pub use error::{ApiError, ErrorBody};
pub(crate) use json::{ApiJson, RawBody};

use crate::{AppState, openapi};

/// The native routes.
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
        .route("/qrcode/{file}", get(qr_images::qrcode))
        .route("/s/{scene}", get(qr_images::scan_with_wechat))
        .route("/api/v1/pools/{pool_id}/logo.png", get(qr_images::logo))
        .route(
            "/api/v1/pools/{pool_id}/logo",
            put(pool_settings::put_logo).delete(pool_settings::delete_logo),
        )
        .route(
            "/api/v1/pools/{pool_id}/qr-settings",
            get(pool_settings::qr_settings).put(pool_settings::change_qr_settings),
        )
        .route(
            "/api/v1/pools/{pool_id}/app-login-settings",
            get(pool_settings::app_login_settings).put(pool_settings::change_app_login_settings),
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
}

/// What any path no surface serves answers: 1004 in the native shape.
pub(crate) async fn no_such_endpoint() -> ApiError {
    ApiError::new(ErrorCode::NoSuchEndpoint)
}
