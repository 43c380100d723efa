//! The scanner mini program's native API: look up a scanned code, scan it, confirm or cancel.

use std::sync::Arc;

use axum::{Extension, Json, extract::State};
use denglu_service::{PhoneProof, ScanInput, ScannerView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    AppState,
    http::{ClientIp, EncryptedData, Limited, RateLimits, ShortText, Text},
    native::{ApiError, ErrorBody, json::ApiJson, paths::ScenePath},
    requester_place,
    views::iso,
};

/// The pool asking for the login.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PoolSummary {
    /// Pool id.
    pub(crate) id: String,
    /// Pool name.
    pub(crate) name: String,
    /// URL of the pool's logo, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) logo: Option<String>,
}

/// The browser asking for the login, so the user can tell their own browser from a phishing page.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RequesterSummary {
    /// Browser and system, from its User-Agent (e.g. "Chrome 120 on Windows").
    pub(crate) browser: String,
    /// The browser's IP address with its host part hidden (`203.0.113.*`; an IPv6 address keeps its first 48
    /// bits), when it is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) ip: Option<String>,
    /// Where the address is, in Chinese: a country or territory ("中国", "日本"), "本机" (loopback), "局域网"
    /// (a private network) or "未知地区". Looked up offline in the regional internet registries' allocations,
    /// which name the country an address block was given to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) region: Option<String>,
    /// The region's ISO 3166-1 alpha-2 code, when it is a country or territory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) region_code: Option<String>,
    /// When it asked (ISO-8601).
    pub(crate) requested_at: String,
    /// How many seconds ago.
    pub(crate) seconds_ago: i64,
}

/// What the confirm page shows.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ScannerSession {
    /// The scene.
    pub(crate) scene: String,
    /// pending, scanned or confirmed.
    pub(crate) state: String,
    /// Who asks.
    pub(crate) pool: PoolSummary,
    /// From where.
    pub(crate) requester: RequesterSummary,
    /// Whether the page asked for the phone number.
    pub(crate) phone_requested: bool,
    /// When the code expires (ISO-8601).
    pub(crate) expires_at: String,
}

/// A scan: the `wx.login` code, and optionally the nickname and avatar the user chose to share.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScanRequest {
    /// The `wx.login` code.
    #[schema(inline)]
    pub(crate) code: ShortText,
    /// Nickname to show to the site.
    pub(crate) nickname: Option<String>,
    /// Avatar URL to show to the site.
    pub(crate) avatar: Option<String>,
}

/// The scan was recorded.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ScanResponse {
    /// `scanned`.
    pub(crate) state: String,
    /// Proves to confirm and cancel that the caller is the one who scanned. Keep it in memory only.
    pub(crate) scan_token: String,
}

/// A confirmation, optionally with the phone number: `phoneCode`, or `encryptedData` and `iv`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ConfirmRequest {
    /// From the scan.
    #[schema(inline)]
    pub(crate) scan_token: ShortText,
    /// `e.detail.code` of the getPhoneNumber button.
    #[schema(inline)]
    pub(crate) phone_code: Option<ShortText>,
    /// `e.detail.encryptedData` of the getPhoneNumber button (older base libraries).
    #[schema(inline)]
    pub(crate) encrypted_data: Option<EncryptedData>,
    /// `e.detail.iv` of the getPhoneNumber button.
    #[schema(inline)]
    pub(crate) iv: Option<ShortText>,
}

/// A cancellation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CancelRequest {
    /// From the scan.
    #[schema(inline)]
    pub(crate) scan_token: ShortText,
}

/// The session's new state.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StateResponse {
    /// `confirmed` or `cancelled`.
    pub(crate) state: String,
}

/// The session behind a scanned code.
#[utoipa::path(get, path = "/api/v1/scanner/sessions/{scene}", tag = "scanner",
    params(("scene" = String, Path, description = "The scene the code carries")),
    responses((status = 200, body = ScannerSession),
        (status = 404, description = "4205 unknown code", body = ErrorBody),
        (status = 410, description = "4202 expired, 4203 cancelled, 4204 used", body = ErrorBody)))]
pub(crate) async fn session(
    State(state): State<AppState>,
    ScenePath(scene): ScenePath,
) -> Result<Json<ScannerSession>, ApiError> {
    let view = state.services.qr().scanner_view(&scene).await?;
    Ok(Json(summary(&state, &view)))
}

fn summary(state: &AppState, view: &ScannerView) -> ScannerSession {
    let session = &view.session;
    let now = state.services.clock().now();
    let base = state.services.public_url();
    let place = session
        .requester
        .ip
        .as_deref()
        .and_then(requester_place::of);
    ScannerSession {
        scene: session.scene.clone(),
        state: session.state.as_str().to_owned(),
        pool: PoolSummary {
            id: view.pool.id.to_string(),
            name: view.pool.name.as_str().to_owned(),
            logo: view
                .has_logo
                .then(|| format!("{base}/api/v1/pools/{}/logo.png", view.pool.id)),
        },
        requester: RequesterSummary {
            browser: crate::user_agent::summary(session.requester.user_agent.as_deref()),
            ip: place.as_ref().map(|place| place.masked_ip.clone()),
            region: place.as_ref().map(|place| place.region.clone()),
            region_code: place.and_then(|place| place.region_code),
            requested_at: iso(session.created_at),
            seconds_ago: (now - session.created_at).num_seconds().max(0),
        },
        phone_requested: session.phone_requested,
        expires_at: iso(session.expires_at),
    }
}

/// Records the scan; answers the scan token that confirm and cancel need.
#[utoipa::path(post, path = "/api/v1/scanner/sessions/{scene}/scan", tag = "scanner",
    params(("scene" = String, Path, description = "The scene the code carries")),
    request_body = ScanRequest,
    responses((status = 200, body = ScanResponse),
        (status = 400, description = "4301 the wx.login code is invalid or used", body = ErrorBody),
        (status = 409, description = "4206 already scanned", body = ErrorBody),
        (status = 410, description = "4202 expired, 4203 cancelled, 4204 used", body = ErrorBody),
        (status = 429, description = "4290 this address scanned too often (`http.scans_per_minute`)", body = ErrorBody)))]
pub(crate) async fn scan(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    ip: ClientIp,
    ScenePath(scene): ScenePath,
    ApiJson(request): ApiJson<ScanRequest>,
) -> Result<Json<ScanResponse>, ApiError> {
    limits.check(Limited::Scan, ip.0)?;
    let input = ScanInput {
        code: request.code.into_inner(),
        nickname: request.nickname,
        avatar: request.avatar,
    };
    let scan_token = state.services.qr().scan(&scene, input).await?;
    Ok(Json(ScanResponse {
        state: "scanned".to_owned(),
        scan_token,
    }))
}

/// Confirms the login for the scanning user, with their phone number when given.
#[utoipa::path(post, path = "/api/v1/scanner/sessions/{scene}/confirm", tag = "scanner",
    params(("scene" = String, Path, description = "The scene the code carries")),
    request_body = ConfirmRequest,
    responses((status = 200, body = StateResponse),
        (status = 403, description = "1001 not the scanning user; 2005 blocked; 4001 sign-up closed", body = ErrorBody),
        (status = 400, description = "4301 invalid phone code; 4305 encrypted data rejected", body = ErrorBody),
        (status = 410, description = "4202 expired, 4203 cancelled, 4204 used", body = ErrorBody)))]
pub(crate) async fn confirm(
    State(state): State<AppState>,
    ScenePath(scene): ScenePath,
    ApiJson(request): ApiJson<ConfirmRequest>,
) -> Result<Json<StateResponse>, ApiError> {
    let phone = PhoneProof::from_fields(
        request.phone_code.map(Text::into_inner),
        request.encrypted_data.map(Text::into_inner),
        request.iv.map(Text::into_inner),
    )?;
    state
        .services
        .qr()
        .confirm(&scene, request.scan_token.as_str(), phone)
        .await?;
    Ok(Json(StateResponse {
        state: "confirmed".to_owned(),
    }))
}

/// Cancels the login.
#[utoipa::path(post, path = "/api/v1/scanner/sessions/{scene}/cancel", tag = "scanner",
    params(("scene" = String, Path, description = "The scene the code carries")),
    request_body = CancelRequest,
    responses((status = 200, body = StateResponse),
        (status = 403, description = "1001 not the scanning user", body = ErrorBody),
        (status = 410, description = "4202 expired, 4203 cancelled, 4204 used", body = ErrorBody)))]
pub(crate) async fn cancel(
    State(state): State<AppState>,
    ScenePath(scene): ScenePath,
    ApiJson(request): ApiJson<CancelRequest>,
) -> Result<Json<StateResponse>, ApiError> {
    state
        .services
        .qr()
        .cancel(&scene, request.scan_token.as_str())
        .await?;
    Ok(Json(StateResponse {
        state: "cancelled".to_owned(),
    }))
}
