//! App-launched login (flow B), the phone's side: the scanner mini program mints a one-time ticket for the app. The
//! app's backend exchanges it on the compatible surface (`compat::app_login`).

use std::sync::Arc;

use axum::{Extension, Json, extract::State};
use denglu_domain::PoolId;
use denglu_service::{ErrorCode, MintTicket, PhoneProof};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    AppState,
    http::{ClientIp, EncryptedData, Limited, RateLimits, ShortText, Text},
    native::{ApiError, ErrorBody, json::ApiJson},
    views::iso,
};

/// What the app-launch page sends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct MintRequest {
    /// The pool the app belongs to.
    #[schema(inline)]
    pub(crate) user_pool_id: ShortText,
    /// The `wx.login` code.
    #[schema(inline)]
    pub(crate) code: ShortText,
    /// `e.detail.code` of the getPhoneNumber button, when the app asked for the phone.
    #[schema(inline)]
    pub(crate) phone_code: Option<ShortText>,
    /// `e.detail.encryptedData` of the getPhoneNumber button (older base libraries).
    #[schema(inline)]
    pub(crate) encrypted_data: Option<EncryptedData>,
    /// `e.detail.iv` of the getPhoneNumber button.
    #[schema(inline)]
    pub(crate) iv: Option<ShortText>,
    /// A nickname the user chose to share.
    pub(crate) nickname: Option<String>,
    /// An avatar URL the user chose to share.
    pub(crate) avatar: Option<String>,
    /// `BASE64URL(SHA-256(code_verifier))` from the app's launch path (`codeChallenge=`), binding the ticket.
    #[schema(inline)]
    pub(crate) code_challenge: Option<ShortText>,
    /// The mini program's AppID, when the pool has several for app launch; the pool's first when absent.
    #[schema(inline)]
    pub(crate) appid: Option<ShortText>,
}

/// A minted ticket.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MintResponse {
    /// One-time ticket for the app (`[A-Za-z0-9_-]`, no `&` or `=`).
    pub(crate) ticket: String,
    /// When it can no longer be exchanged (ISO-8601).
    pub(crate) expires_at: String,
}

/// Logs the WeChat user in to the pool and mints a one-time ticket for the app.
#[utoipa::path(post, path = "/api/v1/app-login/tickets", tag = "app-login",
    request_body = MintRequest,
    responses((status = 200, body = MintResponse),
        (status = 400, description = "1002 bad body; 4301 wx.login or phone code invalid; 4305 encryptedData rejected", body = ErrorBody),
        (status = 403, description = "2005 blocked; 4001 sign-up closed", body = ErrorBody),
        (status = 404, description = "2224 unknown pool; 4601 the pool has no app-launch mini program with this appid", body = ErrorBody),
        (status = 409, description = "2026 the phone belongs to another user", body = ErrorBody),
        (status = 429, description = "4290 this address minted too many tickets (`http.ticket_mints_per_minute`)", body = ErrorBody),
        (status = 502, description = "4303 WeChat unavailable; 4304 mini program misconfigured", body = ErrorBody)))]
pub(crate) async fn mint(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    ip: ClientIp,
    ApiJson(request): ApiJson<MintRequest>,
) -> Result<Json<MintResponse>, ApiError> {
    limits.check(Limited::TicketMint, ip.0)?;
    let pool = PoolId::parse(request.user_pool_id.as_str())
        .map_err(|_| ApiError::new(ErrorCode::PoolNotFound))?;
    let phone = PhoneProof::from_fields(
        request.phone_code.map(Text::into_inner),
        request.encrypted_data.map(Text::into_inner),
        request.iv.map(Text::into_inner),
    )?;
    let input = MintTicket {
        code: request.code.into_inner(),
        phone,
        nickname: request.nickname,
        avatar: request.avatar,
        code_challenge: request.code_challenge.map(Text::into_inner),
        appid: request.appid.map(Text::into_inner),
    };
    let minted = state.services.app_login().mint_ticket(&pool, input).await?;
    Ok(Json(MintResponse {
        ticket: minted.ticket,
        expires_at: iso(minted.expires_at),
    }))
}
