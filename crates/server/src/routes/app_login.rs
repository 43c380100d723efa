//! App-launched login (flow B): the scanner mini program mints a ticket (native), the app's backend exchanges it
//! at the Authing-compatible `POST /oauth/app2wxapp/auth/{pool}` (spec §4.2).

use axum::{
    Json,
    body::Bytes,
    extract::{Path, Query, State},
};
use denglu_service::{ErrorCode, MintTicket, PhoneProof, ServiceError, Session, TicketExchange};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::{IntoParams, ToSchema};

use crate::{
    AppState,
    http::{ApiError, ApiJson, ClientIp, ErrorBody},
    routes::parse_pool_id,
    views::{UserView, iso},
};

/// What the app-launch page sends.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct MintRequest {
    /// The pool the app belongs to.
    pub(crate) user_pool_id: String,
    /// The `wx.login` code.
    pub(crate) code: String,
    /// `e.detail.code` of the getPhoneNumber button, when the app asked for the phone.
    pub(crate) phone_code: Option<String>,
    /// `e.detail.encryptedData` of the getPhoneNumber button (older base libraries).
    pub(crate) encrypted_data: Option<String>,
    /// `e.detail.iv` of the getPhoneNumber button.
    pub(crate) iv: Option<String>,
    /// A nickname the user chose to share.
    pub(crate) nickname: Option<String>,
    /// An avatar URL the user chose to share.
    pub(crate) avatar: Option<String>,
    /// `BASE64URL(SHA-256(code_verifier))` from the app's launch path (`codeChallenge=`), binding the ticket.
    pub(crate) code_challenge: Option<String>,
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
        (status = 404, description = "2224 unknown pool", body = ErrorBody),
        (status = 409, description = "2026 the phone belongs to another user", body = ErrorBody),
        (status = 502, description = "4303 WeChat unavailable; 4304 mini program misconfigured", body = ErrorBody)))]
pub(crate) async fn mint(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<MintRequest>,
) -> Result<Json<MintResponse>, ApiError> {
    let pool = parse_pool_id(&request.user_pool_id)?;
    let phone = phone_proof(request.phone_code, request.encrypted_data, request.iv)?;
    let input = MintTicket {
        code: request.code,
        phone,
        nickname: request.nickname,
        avatar: request.avatar,
        code_challenge: request.code_challenge,
    };
    let minted = state.services.mint_app_ticket(&pool, input).await?;
    Ok(Json(MintResponse {
        ticket: minted.ticket,
        expires_at: iso(minted.expires_at),
    }))
}

/// A phone proof from the three optional fields: a code, or encryptedData with iv, or nothing.
pub(crate) fn phone_proof(
    code: Option<String>,
    data: Option<String>,
    iv: Option<String>,
) -> Result<Option<PhoneProof>, ApiError> {
    match (code, data, iv) {
        (Some(code), None, None) => Ok(Some(PhoneProof::Code(code))),
        (None, Some(data), Some(iv)) => Ok(Some(PhoneProof::Encrypted { data, iv })),
        (None, None, None) => Ok(None),
        _ => Err(ApiError::with_message(
            ErrorCode::InvalidRequest,
            "give either phoneCode, or encryptedData and iv, or neither",
        )),
    }
}

/// The exchange's query: the samples repeat the ticket there.
#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct ExchangeQuery {
    /// The ticket, when not in the body.
    pub(crate) ticket: Option<String>,
}

/// The exchange's body: `ticket` (or the documented typo `tickett`) and the pool secret.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub(crate) struct ExchangeBody {
    /// The ticket.
    pub(crate) ticket: Option<String>,
    /// The documentation's spelling of `ticket`.
    pub(crate) tickett: Option<String>,
    /// The pool secret (required unless the pool turned that off).
    pub(crate) secret: Option<String>,
    /// The verifier of the ticket's code challenge, when the app bound it.
    #[serde(rename = "codeVerifier")]
    pub(crate) code_verifier: Option<String>,
}

/// Exchanges a ticket for the user: `{code: 200, message, data: "<user JSON as a string>"}`, else `{code, message}`.
#[utoipa::path(post, path = "/oauth/app2wxapp/auth/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id"), ExchangeQuery),
    request_body = ExchangeBody,
    responses((status = 200, description = "Always 200; `code` 200, or 1001, 1002, 2005, 2224, 4401, 4402, 4403, 4404, 1000", body = Object)))]
pub(crate) async fn exchange(
    State(state): State<AppState>,
    Path(pool_id): Path<String>,
    Query(query): Query<ExchangeQuery>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Json<Value> {
    let Ok(pool) = parse_pool_id(&pool_id) else {
        return Json(failure(&ServiceError::PoolNotFound));
    };
    let body: ExchangeBody = if body.iter().all(u8::is_ascii_whitespace) {
        ExchangeBody::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(body) => body,
            Err(_) => {
                return Json(failure(&ServiceError::Rejected(
                    "the body is not valid JSON".to_owned(),
                )));
            }
        }
    };
    let ticket = body.ticket.or(body.tickett).or(query.ticket);
    let exchange = TicketExchange {
        ticket: ticket.as_deref(),
        secret: body.secret.as_deref(),
        code_verifier: body.code_verifier.as_deref(),
    };
    let outcome = state
        .services
        .exchange_app_ticket(&pool, exchange, ip.map(|ip| ip.to_string()))
        .await;
    Json(match outcome {
        Ok(session) => success(&session),
        Err(error) => failure(&error),
    })
}

/// The success reply: `data` is the user as a JSON string, with `nickname`, `photo`, `unionid` and `token` as
/// strings (the only public client force-casts them), `phone` possibly null.
fn success(session: &Session) -> Value {
    let mut user = serde_json::to_value(UserView::new(&session.user, Some(session.token.clone())))
        .unwrap_or_else(|_| json!({}));
    for field in ["nickname", "photo", "unionid"] {
        if user.get(field).is_none_or(Value::is_null) {
            user[field] = json!("");
        }
    }
    json!({ "code": 200, "message": "获取用户信息成功", "data": user.to_string() })
}

fn failure(error: &ServiceError) -> Value {
    match error {
        ServiceError::Internal(detail) | ServiceError::Unavailable(detail) => {
            tracing::error!(%detail, "ticket exchange failed");
        }
        _ => {}
    }
    let code = error.code();
    let message = match error {
        ServiceError::Rejected(text) => text.clone(),
        ServiceError::Refused(ErrorCode::Forbidden) => {
            "the pool secret is missing or wrong".to_owned()
        }
        _ => code.compat_message().to_owned(),
    };
    json!({ "code": code.number(), "message": message })
}
