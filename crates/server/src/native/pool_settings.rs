//! A pool's own settings over HTTP, authorised by the pool secret (`X-Pool-Secret`, the `PoolAdmin` extractor): QR settings, logo and
//! app-launched login settings.

use axum::{Json, extract::State, http::StatusCode};
use denglu_domain::{AppLoginSettings, QrSettings, WechatApp};
use denglu_service::{AppLoginChange, OwnAppInput, QrSettingsChange};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    AppState,
    native::{
        ApiError, ErrorBody,
        auth::PoolAdmin,
        json::{ApiJson, RawBody},
    },
};

/// A pool's QR settings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct QrSettingsView {
    /// `url` (a QR code drawn by denglu with the pool's logo) or `wxacode` (a mini program code from WeChat).
    pub(crate) mode: String,
    /// How long a code can be scanned and collected, in seconds.
    pub(crate) lifetime_seconds: u32,
    /// Where the browser goes after login, if set.
    pub(crate) callback_url: Option<String>,
    /// `deployment` or `pool`: which mini program opens the pool's codes when the browser does not ask for the
    /// pool's own (`useSelfWxapp=true`).
    pub(crate) scanner: String,
    /// The pool's own mini program (its first QR-login app), if it has one (its AppSecret is never shown).
    pub(crate) own_app: Option<OwnAppView>,
}

/// A pool's own mini program, without its secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OwnAppView {
    /// Its AppID.
    pub(crate) appid: String,
    /// Its link prefix for url-mode codes, if not the deployment's.
    pub(crate) link_prefix: Option<String>,
    /// Its confirm page for wxacode-mode codes, if not the deployment's.
    pub(crate) confirm_page: Option<String>,
}

impl QrSettingsView {
    fn new(settings: QrSettings, own_app: Option<WechatApp>) -> Self {
        Self {
            mode: settings.mode.as_str().to_owned(),
            lifetime_seconds: settings.lifetime.seconds(),
            callback_url: settings.callback_url.map(|u| u.as_str().to_owned()),
            scanner: settings.scanner.as_str().to_owned(),
            own_app: own_app.map(|app| OwnAppView {
                appid: app.appid.as_str().to_owned(),
                link_prefix: app.link_prefix,
                confirm_page: app.confirm_page,
            }),
        }
    }
}

/// A pool's own mini program to set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct OwnAppRequest {
    /// Its AppID.
    pub(crate) appid: String,
    /// Its AppSecret; stored encrypted with the master key.
    pub(crate) secret: String,
    /// The link prefix registered for it in WeChat; the deployment's when absent.
    pub(crate) link_prefix: Option<String>,
    /// Its confirm page; the deployment's when absent.
    pub(crate) confirm_page: Option<String>,
}

/// Changes to the QR settings; absent fields stay as they are, `"callbackUrl": null` removes the callback.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct QrSettingsRequest {
    /// `url` or `wxacode`.
    pub(crate) mode: Option<String>,
    /// 30–600.
    pub(crate) lifetime_seconds: Option<i64>,
    /// An absolute http(s) URL, or null.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<String>)]
    pub(crate) callback_url: Option<Option<String>>,
    /// `deployment` or `pool`.
    pub(crate) scanner: Option<String>,
    /// The pool's own mini program, serving every flow and opening the pool's codes; or null to remove it and use
    /// the deployment's scanner again. A pool with several WeChat apps manages them with the admin API.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<OwnAppRequest>)]
    pub(crate) own_app: Option<Option<OwnAppRequest>>,
}

/// The pool's QR settings.
#[utoipa::path(get, path = "/api/v1/pools/{pool_id}/qr-settings", tag = "pools",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("X-Pool-Secret" = String, Header, description = "The pool secret")),
    responses((status = 200, body = QrSettingsView),
        (status = 403, description = "1001 wrong or missing pool secret", body = ErrorBody)))]
pub(crate) async fn qr_settings(
    State(state): State<AppState>,
    PoolAdmin(pool): PoolAdmin,
) -> Result<Json<QrSettingsView>, ApiError> {
    let qr = state.services.qr();
    let settings = qr.settings(&pool).await?;
    Ok(Json(QrSettingsView::new(
        settings,
        qr.own_app(&pool).await?,
    )))
}

/// Changes the pool's QR settings.
#[utoipa::path(put, path = "/api/v1/pools/{pool_id}/qr-settings", tag = "pools",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("X-Pool-Secret" = String, Header, description = "The pool secret")),
    request_body = QrSettingsRequest,
    responses((status = 200, body = QrSettingsView),
        (status = 400, description = "1002 invalid mode, lifetime, callback URL, scanner or own app", body = ErrorBody),
        (status = 403, description = "1001 wrong or missing pool secret", body = ErrorBody)))]
pub(crate) async fn change_qr_settings(
    State(state): State<AppState>,
    PoolAdmin(pool): PoolAdmin,
    ApiJson(request): ApiJson<QrSettingsRequest>,
) -> Result<Json<QrSettingsView>, ApiError> {
    let change = QrSettingsChange {
        mode: request.mode,
        lifetime_seconds: request.lifetime_seconds,
        callback_url: request.callback_url,
        scanner: request.scanner,
        own_app: request.own_app.map(|own| {
            own.map(|app| OwnAppInput {
                appid: app.appid,
                secret: app.secret,
                link_prefix: app.link_prefix,
                confirm_page: app.confirm_page,
            })
        }),
    };
    let qr = state.services.qr();
    let settings = qr.change_settings(&pool, change).await?;
    Ok(Json(QrSettingsView::new(
        settings,
        qr.own_app(&pool).await?,
    )))
}

/// Replaces the pool's logo with the request body (a PNG or JPEG, at most 512 KiB; re-encoded as a PNG of at
/// most 256×256).
#[utoipa::path(put, path = "/api/v1/pools/{pool_id}/logo", tag = "pools",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("X-Pool-Secret" = String, Header, description = "The pool secret")),
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses((status = 204, description = "Stored"),
        (status = 400, description = "1002 not a PNG or JPEG, too large, or corrupt", body = ErrorBody),
        (status = 403, description = "1001 wrong or missing pool secret", body = ErrorBody),
        (status = 413, description = "1003 the body is larger than http.max_body_bytes", body = ErrorBody)))]
pub(crate) async fn put_logo(
    State(state): State<AppState>,
    PoolAdmin(pool): PoolAdmin,
    RawBody(body): RawBody,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .qr()
        .set_logo(&pool, Some(body.to_vec()))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the pool's logo.
#[utoipa::path(delete, path = "/api/v1/pools/{pool_id}/logo", tag = "pools",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("X-Pool-Secret" = String, Header, description = "The pool secret")),
    responses((status = 204, description = "Removed"),
        (status = 403, description = "1001 wrong or missing pool secret", body = ErrorBody)))]
pub(crate) async fn delete_logo(
    State(state): State<AppState>,
    PoolAdmin(pool): PoolAdmin,
) -> Result<StatusCode, ApiError> {
    state.services.qr().set_logo(&pool, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A pool's app-launched login settings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AppLoginSettingsView {
    /// How long a ticket can be exchanged, in seconds.
    pub(crate) ticket_lifetime_seconds: u32,
    /// Whether `POST /oauth/app2wxapp/auth/{pool}` needs the pool secret.
    pub(crate) require_secret: bool,
    /// Whether every ticket must be bound to a code challenge (PKCE-style).
    pub(crate) require_pkce: bool,
}

impl From<AppLoginSettings> for AppLoginSettingsView {
    fn from(settings: AppLoginSettings) -> Self {
        Self {
            ticket_lifetime_seconds: settings.ticket_lifetime.seconds(),
            require_secret: settings.require_secret,
            require_pkce: settings.require_pkce,
        }
    }
}

/// Changes to the app-launched login settings; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AppLoginSettingsRequest {
    /// 30–600.
    pub(crate) ticket_lifetime_seconds: Option<i64>,
    /// Whether the exchange needs the pool secret.
    pub(crate) require_secret: Option<bool>,
    /// Whether every ticket must be bound to a code challenge.
    pub(crate) require_pkce: Option<bool>,
}

/// The pool's app-launched login settings.
#[utoipa::path(get, path = "/api/v1/pools/{pool_id}/app-login-settings", tag = "pools",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("X-Pool-Secret" = String, Header, description = "The pool secret")),
    responses((status = 200, body = AppLoginSettingsView),
        (status = 403, description = "1001 wrong or missing pool secret", body = ErrorBody)))]
pub(crate) async fn app_login_settings(
    State(state): State<AppState>,
    PoolAdmin(pool): PoolAdmin,
) -> Result<Json<AppLoginSettingsView>, ApiError> {
    Ok(Json(
        state.services.app_login().settings(&pool).await?.into(),
    ))
}

/// Changes the pool's app-launched login settings.
#[utoipa::path(put, path = "/api/v1/pools/{pool_id}/app-login-settings", tag = "pools",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("X-Pool-Secret" = String, Header, description = "The pool secret")),
    request_body = AppLoginSettingsRequest,
    responses((status = 200, body = AppLoginSettingsView),
        (status = 400, description = "1002 invalid lifetime", body = ErrorBody),
        (status = 403, description = "1001 wrong or missing pool secret", body = ErrorBody)))]
pub(crate) async fn change_app_login_settings(
    State(state): State<AppState>,
    PoolAdmin(pool): PoolAdmin,
    ApiJson(request): ApiJson<AppLoginSettingsRequest>,
) -> Result<Json<AppLoginSettingsView>, ApiError> {
    let change = AppLoginChange {
        ticket_lifetime_seconds: request.ticket_lifetime_seconds,
        require_secret: request.require_secret,
        require_pkce: request.require_pkce,
    };
    Ok(Json(
        state
            .services
            .app_login()
            .change_settings(&pool, change)
            .await?
            .into(),
    ))
}
