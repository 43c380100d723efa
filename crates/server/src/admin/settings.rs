//! Admin routes for a pool's login settings: its QR settings, its logo and the preview of its code, and its
//! app-launched login settings.

use axum::{Json, extract::State, http::StatusCode, response::Response};
use denglu_domain::{CallbackUrl, QrMode, ScannerChoice, ShortLifetime};
use denglu_service::{AppLoginChange, ErrorCode, QrSettingsChange};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::AdminCaller,
        body::{AdminBytes, AdminJson, AdminPath, pool_id},
        reply::{PoolAppLoginSettingsView, PoolQrSettingsView},
    },
    http::image_response,
    native::{ApiError, ErrorBody},
};

/// Changes to a pool's QR settings; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ChangeQrSettingsRequest {
    /// `url` or `wxacode`.
    mode: Option<String>,
    /// How long a code lives, 30 to 600 seconds.
    lifetime_seconds: Option<i64>,
    /// Where the browser goes after login: an absolute http(s) URL without a fragment; `null` removes it.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<String>)]
    callback_url: Option<Option<String>>,
    /// Which mini program opens the pool's codes when the browser does not ask for the pool's own
    /// (`useSelfWxapp=true`): `deployment` (its scanner) or `pool` (the pool's first `qr_login` app).
    scanner: Option<String>,
}

/// Changes to a pool's app-launched login settings; absent fields stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ChangeAppLoginSettingsRequest {
    /// How long a ticket can be exchanged, 30 to 600 seconds.
    ticket_lifetime_seconds: Option<i64>,
    /// Whether the exchange needs the pool secret.
    require_secret: Option<bool>,
    /// Whether every ticket must be bound to a code challenge.
    require_pkce: Option<bool>,
}

/// 1002 naming `field` when `seconds` is not a lifetime of 30 to 600 seconds.
fn short_lifetime(field: &str, seconds: Option<i64>) -> Result<Option<i64>, AdminError> {
    match seconds {
        Some(seconds) if ShortLifetime::from_seconds(seconds).is_err() => Err(AdminError::invalid(
            format!("invalid `{field}`: 30 to 600 seconds"),
        )),
        other => Ok(other),
    }
}

impl ChangeQrSettingsRequest {
    /// The change, each field checked here so that a refusal names it.
    fn change(self) -> Result<QrSettingsChange, AdminError> {
        if let Some(mode) = &self.mode
            && QrMode::parse(mode).is_none()
        {
            return Err(AdminError::invalid("invalid `mode`: url or wxacode"));
        }
        if let Some(scanner) = &self.scanner
            && ScannerChoice::parse(scanner).is_none()
        {
            return Err(AdminError::invalid("invalid `scanner`: deployment or pool"));
        }
        if let Some(Some(url)) = &self.callback_url {
            CallbackUrl::parse(url)
                .map_err(|error| AdminError::invalid(format!("invalid `callbackUrl`: {error}")))?;
        }
        Ok(QrSettingsChange {
            mode: self.mode,
            lifetime_seconds: short_lifetime("lifetimeSeconds", self.lifetime_seconds)?,
            callback_url: self.callback_url,
            scanner: self.scanner,
            own_app: None,
        })
    }
}

/// The pool's QR settings.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/qr-settings", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, body = PoolQrSettingsView),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn qr_settings(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<Json<PoolQrSettingsView>, AdminError> {
    let settings = state
        .services
        .admin(&operator)
        .qr_settings(&pool_id(&pool)?)
        .await?;
    Ok(Json(PoolQrSettingsView::from(&settings)))
}

/// Changes the pool's QR settings: codes made from now on follow them.
#[utoipa::path(patch, path = "/api/v1/admin/pools/{pool_id}/qr-settings", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body = ChangeQrSettingsRequest,
    responses((status = 200, body = PoolQrSettingsView),
        (status = 400, description = "1002 a field is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn change_qr_settings(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
    AdminJson(request): AdminJson<ChangeQrSettingsRequest>,
) -> Result<Json<PoolQrSettingsView>, AdminError> {
    let settings = state
        .services
        .admin(&operator)
        .change_qr_settings(&pool_id(&pool)?, request.change()?)
        .await?;
    Ok(Json(PoolQrSettingsView::from(&settings)))
}

/// The pool's logo, drawn in the middle of its url-mode codes.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/logo", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, description = "The logo", content_type = "image/png"),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool, 1004 the pool has no logo", body = ErrorBody)))]
pub(crate) async fn logo(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<Response, AdminError> {
    let png = state
        .services
        .admin(&operator)
        .pool_logo(&pool_id(&pool)?)
        .await?
        .ok_or_else(|| {
            ApiError::with_message(ErrorCode::NoSuchEndpoint, "this pool has no logo")
        })?;
    Ok(image_response("image/png", png, "no-store"))
}

/// A sample of the pool's url-mode QR code as it is drawn now (its scanner's link, its logo in the middle), for
/// previewing a logo; no login session is made.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/qr-preview", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, description = "A sample code", content_type = "image/png"),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn qr_preview(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<Response, AdminError> {
    let image = state
        .services
        .admin(&operator)
        .qr_preview(&pool_id(&pool)?)
        .await?;
    Ok(image_response(image.content_type, image.bytes, "no-store"))
}

/// Replaces the pool's logo with the request body (a PNG or JPEG, at most 512 KiB; re-encoded as a PNG of at most
/// 256×256).
#[utoipa::path(put, path = "/api/v1/admin/pools/{pool_id}/logo", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses((status = 204, description = "Stored"),
        (status = 400, description = "1002 not a PNG or JPEG, too large, or corrupt", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody),
        (status = 413, description = "1003 the body is larger than http.max_body_bytes", body = ErrorBody)))]
pub(crate) async fn put_logo(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
    AdminBytes(upload): AdminBytes,
) -> Result<StatusCode, AdminError> {
    state
        .services
        .admin(&operator)
        .set_pool_logo(&pool_id(&pool)?, Some(upload))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Removes the pool's logo: its url-mode codes are drawn without one.
#[utoipa::path(delete, path = "/api/v1/admin/pools/{pool_id}/logo", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 204, description = "Removed (or there was none)"),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn delete_logo(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<StatusCode, AdminError> {
    state
        .services
        .admin(&operator)
        .set_pool_logo(&pool_id(&pool)?, None)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The pool's app-launched login settings.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/app-login-settings", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, body = PoolAppLoginSettingsView),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn app_login_settings(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<Json<PoolAppLoginSettingsView>, AdminError> {
    let settings = state
        .services
        .admin(&operator)
        .app_login_settings(&pool_id(&pool)?)
        .await?;
    Ok(Json(PoolAppLoginSettingsView::from(&settings)))
}

/// Changes the pool's app-launched login settings: tickets minted from now on follow them.
#[utoipa::path(patch, path = "/api/v1/admin/pools/{pool_id}/app-login-settings", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body = ChangeAppLoginSettingsRequest,
    responses((status = 200, body = PoolAppLoginSettingsView),
        (status = 400, description = "1002 a field is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn change_app_login_settings(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
    AdminJson(request): AdminJson<ChangeAppLoginSettingsRequest>,
) -> Result<Json<PoolAppLoginSettingsView>, AdminError> {
    let change = AppLoginChange {
        ticket_lifetime_seconds: short_lifetime(
            "ticketLifetimeSeconds",
            request.ticket_lifetime_seconds,
        )?,
        require_secret: request.require_secret,
        require_pkce: request.require_pkce,
    };
    let settings = state
        .services
        .admin(&operator)
        .change_app_login_settings(&pool_id(&pool)?, change)
        .await?;
    Ok(Json(PoolAppLoginSettingsView::from(&settings)))
}
