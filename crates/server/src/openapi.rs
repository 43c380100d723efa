//! The OpenAPI document of the native API and of the compatible endpoints, generated from the handlers.

use axum::Json;
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};

use crate::{
    admin::{
        apps as admin_apps, audit as admin_audit, clients as admin_clients, keys as admin_keys,
        operators as admin_operators, pools as admin_pools, session as admin_session,
        settings as admin_settings, tokens as admin_tokens, users as admin_users,
    },
    compat::{self, qr as qr_compat, token as compat_token, wxapp},
    native::{
        accounts, app_login, avatars, health, pool_settings as pool_admin, qr_events, qr_images,
        qr_scanner, tokens,
    },
};

/// The API description served at `/api/v1/openapi.json` and checked in as `openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(title = "denglu", description = "Self-hosted WeChat login server. Errors: see docs/errors.md."),
    paths(
        health::healthz,
        health::readyz,
        accounts::register,
        accounts::login,
        accounts::logout,
        accounts::me,
        accounts::login_key,
        tokens::verify,
        tokens::jwks,
        compat_token::check,
        qr_compat::qrcode,
        qr_compat::confirm,
        qr_events::events,
        qr_images::qrcode,
        qr_images::logo,
        qr_scanner::session,
        qr_scanner::scan,
        qr_scanner::confirm,
        qr_scanner::cancel,
        pool_admin::qr_settings,
        pool_admin::change_qr_settings,
        pool_admin::put_logo,
        pool_admin::delete_logo,
        pool_admin::app_login_settings,
        pool_admin::change_app_login_settings,
        app_login::mint,
        compat::app_login::exchange,
        wxapp::auth,
        wxapp::get_phone,
        wxapp::bind_phone,
        wxapp::decrypt,
        avatars::upload,
        admin_session::sign_in,
        admin_session::sign_out,
        admin_session::whoami,
        admin_session::offer_totp,
        admin_session::complete_setup,
        admin_operators::list,
        admin_operators::create,
        admin_operators::reset,
        admin_operators::delete,
        admin_tokens::list,
        admin_tokens::create,
        admin_tokens::revoke,
        admin_audit::events,
        admin_pools::list,
        admin_pools::create,
        admin_pools::show,
        admin_pools::change,
        admin_pools::delete,
        admin_pools::rotate_secret,
        admin_settings::qr_settings,
        admin_settings::change_qr_settings,
        admin_settings::logo,
        admin_settings::qr_preview,
        admin_settings::put_logo,
        admin_settings::delete_logo,
        admin_settings::app_login_settings,
        admin_settings::change_app_login_settings,
        admin_apps::list,
        admin_apps::add,
        admin_apps::change,
        admin_apps::remove,
        admin_apps::check,
        admin_clients::list,
        admin_clients::create,
        admin_clients::show,
        admin_clients::change,
        admin_clients::delete,
        admin_clients::rotate_secret,
        admin_keys::list,
        admin_keys::rotate,
        admin_keys::retire,
        admin_users::search,
        admin_users::create,
        admin_users::show,
        admin_users::change,
        admin_users::set_metadata,
        admin_users::remove_metadata,
        admin_users::delete,
        admin_users::block,
        admin_users::unblock,
        admin_users::logout,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "accounts", description = "Password accounts and sessions"),
        (name = "tokens", description = "Token verification and signing keys"),
        (name = "compat", description = "Authing-compatible endpoints (HTTP 200 with a numeric code)"),
        (name = "app-login", description = "App-launched login: tickets minted by the scanner mini program"),
        (name = "pools", description = "A pool's own settings, authorised by its pool secret (X-Pool-Secret)"),
        (name = "qr", description = "QR login: codes, logos and the push channel"),
        (name = "scanner", description = "The scanner mini program's API (QR login, the phone's side)"),
        (name = "health", description = "Probes"),
        (name = "admin", description = "The admin API for operators, authorised by an admin API token (Authorization: Bearer dgl_admin_…) or an operator's session cookie (denglu_admin, with X-CSRF-Token on changes); see docs/admin.md"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("JWT")
            .build();
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// The document as pretty JSON with a trailing newline, exactly as checked in.
pub fn document() -> String {
    let mut json = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document always serialises");
    json.push('\n');
    json
}

pub(crate) async fn serve_document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
