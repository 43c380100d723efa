//! The Authing-compatible surface (`spec/authing-compat.md`): the paths and shapes the real SDKs call, always HTTP
//! 200 with a numeric `code`; failures are `{code, message}` ([`CompatError`]), successes Authing's envelope
//! ([`Envelope`]). A new compatible endpoint is a handler in a file here over the services, a route below and a
//! line in the OpenAPI document; bodies come through [`CompatJson`], pools through [`CompatPool`].

pub(crate) mod app_login;
mod auth;
mod body;
mod error;
pub(crate) mod graphql;
pub(crate) mod qr;
mod reply;
pub(crate) mod token;
pub(crate) mod wxapp;

use axum::{
    Router,
    routing::{get, post},
};

pub(crate) use auth::AuthUser;
pub(crate) use body::{CompatJson, CompatPool};
pub(crate) use error::CompatError;
pub(crate) use reply::Envelope;

use crate::AppState;

/// The compatible routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/authing/token", get(token::check))
        .route("/graphql", post(graphql::handle))
        .route("/oauth/wxapp/qrcode/{pool_id}", get(qr::qrcode))
        .route("/oauth/wxapp/confirm/qr", post(qr::confirm))
        .route("/oauth/app2wxapp/auth/{pool_id}", post(app_login::exchange))
        .route("/oauth/wechatapp/auth/{pool_id}", post(wxapp::auth))
        .route(
            "/oauth/wechatapp/getphone/{pool_id}",
            post(wxapp::get_phone),
        )
        .route("/oauth/wechatapp/phone/{pool_id}", post(wxapp::bind_phone))
        .route("/oauth/wechatapp/decrypt/{pool_id}", post(wxapp::decrypt))
}
