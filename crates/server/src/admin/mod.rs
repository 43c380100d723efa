//! The admin API (`/api/v1/admin`): operators' tools, authorised by admin API tokens or an operator's session
//! cookie, in the native error shape ([`AdminError`]). Pools, their login settings (QR, logo, app launch), WeChat
//! apps, applications (OIDC clients), signing keys and users, admin tokens, operator accounts (sign-in, setup) and the audit log; each handler
//! parses, calls `services.admin(&operator)`, which checks the operator's scope and records the change, and shapes
//! the reply.

pub(crate) mod apps;
pub(crate) mod audit;
mod auth;
mod body;
pub(crate) mod clients;
mod error;
pub(crate) mod keys;
pub(crate) mod operators;
pub(crate) mod pools;
mod reply;
pub(crate) mod session;
pub(crate) mod settings;
pub(crate) mod tokens;
pub(crate) mod users;

use axum::{
    Router,
    routing::{get, post},
};

pub(crate) use error::AdminError;

use crate::AppState;

/// The admin routes.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/admin/session",
            post(session::sign_in).delete(session::sign_out),
        )
        .route("/api/v1/admin/whoami", get(session::whoami))
        .route("/api/v1/admin/setup/totp", post(session::offer_totp))
        .route("/api/v1/admin/setup", post(session::complete_setup))
        .route(
            "/api/v1/admin/operators",
            get(operators::list).post(operators::create),
        )
        .route(
            "/api/v1/admin/operators/{operator_id}",
            axum::routing::delete(operators::delete),
        )
        .route(
            "/api/v1/admin/operators/{operator_id}/reset",
            post(operators::reset),
        )
        .route(
            "/api/v1/admin/tokens",
            get(tokens::list).post(tokens::create),
        )
        .route(
            "/api/v1/admin/tokens/{token_id}",
            axum::routing::delete(tokens::revoke),
        )
        .route("/api/v1/admin/audit", get(audit::events))
        .route("/api/v1/admin/pools", get(pools::list).post(pools::create))
        .route(
            "/api/v1/admin/pools/{pool_id}",
            get(pools::show).patch(pools::change).delete(pools::delete),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/secret",
            post(pools::rotate_secret),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/qr-settings",
            get(settings::qr_settings).patch(settings::change_qr_settings),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/qr-preview",
            get(settings::qr_preview),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/logo",
            get(settings::logo)
                .put(settings::put_logo)
                .delete(settings::delete_logo),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/app-login-settings",
            get(settings::app_login_settings).patch(settings::change_app_login_settings),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/apps",
            get(apps::list).post(apps::add),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/apps/{appid}",
            axum::routing::patch(apps::change).delete(apps::remove),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/apps/{appid}/check",
            post(apps::check),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/clients",
            get(clients::list).post(clients::create),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/clients/{client_id}",
            get(clients::show)
                .patch(clients::change)
                .delete(clients::delete),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/clients/{client_id}/secret",
            post(clients::rotate_secret),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/keys",
            get(keys::list).post(keys::rotate),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/keys/{kid}/retire",
            post(keys::retire),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/users",
            get(users::search).post(users::create),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/users/{user_id}",
            get(users::show).patch(users::change).delete(users::delete),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/users/{user_id}/metadata/{key}",
            axum::routing::put(users::set_metadata).delete(users::remove_metadata),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/users/{user_id}/block",
            post(users::block),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/users/{user_id}/unblock",
            post(users::unblock),
        )
        .route(
            "/api/v1/admin/pools/{pool_id}/users/{user_id}/logout",
            post(users::logout),
        )
}
