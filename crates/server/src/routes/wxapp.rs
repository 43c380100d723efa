//! Authing-compatible mini program endpoints (spec §5.3), what `authing-wxapp-sdk` calls: `loginWithWxapp`,
//! `getPhone`, `bindPhone`, `decrypt`. Always HTTP 200, `{code: 200, message, data}` or `{code, message}`.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::HeaderMap,
};
use denglu_service::{ErrorCode, PhoneProof, ServiceError, WxappLogin};
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::{
    AppState,
    http::{ClientIp, bearer_token},
    routes::parse_pool_id,
    views::UserView,
};

/// What the SDK posts (every endpoint takes some of these).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WxappBody {
    /// A fresh `wx.login` code.
    pub(crate) code: Option<String>,
    /// `encryptedData` of getUserInfo (auth, decrypt) or of getPhoneNumber (getphone, phone).
    pub(crate) encrypted_data: Option<String>,
    /// The matching `iv`.
    pub(crate) iv: Option<String>,
    /// The getPhoneNumber button's own `e.detail.code` (base library 2.21.2+), preferred to `encryptedData`.
    pub(crate) phone_code: Option<String>,
    /// auth: log in as the user with this phone, if WeChat verified it for this WeChat user before (`getPhone`).
    pub(crate) phone: Option<String>,
    /// auth: overwrite that user's nickname and avatar with the WeChat profile (the SDK's spelling).
    #[serde(alias = "overrideProfile")]
    pub(crate) overide_profile: Option<bool>,
}

type Reply = Json<Value>;

fn parse(pool: &str, body: &[u8]) -> Result<(denglu_domain::PoolId, WxappBody), ServiceError> {
    let pool = parse_pool_id(pool).map_err(|_| ServiceError::PoolNotFound)?;
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        WxappBody::default()
    } else {
        serde_json::from_slice(body)
            .map_err(|e| ServiceError::Rejected(format!("invalid request body: {e}")))?
    };
    Ok((pool, body))
}

fn code(body: &WxappBody) -> Result<String, ServiceError> {
    body.code
        .clone()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ServiceError::Rejected("give `code`, a fresh wx.login code".to_owned()))
}

fn phone_proof(body: &WxappBody) -> Result<PhoneProof, ServiceError> {
    match (&body.phone_code, &body.encrypted_data, &body.iv) {
        (Some(code), _, _) if !code.is_empty() => Ok(PhoneProof::Code(code.clone())),
        (_, Some(data), Some(iv)) => Ok(PhoneProof::Encrypted {
            data: data.clone(),
            iv: iv.clone(),
        }),
        _ => Err(ServiceError::Rejected(
            "give the phone button's `phoneCode`, or its `encryptedData` and `iv`".to_owned(),
        )),
    }
}

/// `loginWithWxapp`: `{code, iv?, encryptedData?, phone?, overideProfile?}` → `{code: 200, message, data: user}`.
#[utoipa::path(post, path = "/oauth/wechatapp/auth/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id")), request_body = WxappBody,
    responses((status = 200, description = "Always 200; `code` 200 with the user and token, else an error code", body = Object)))]
pub(crate) async fn auth(
    State(state): State<AppState>,
    Path(pool): Path<String>,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Reply {
    let outcome = async {
        let (pool, body) = parse(&pool, &body)?;
        let input = WxappLogin {
            code: code(&body)?,
            encrypted_data: body.encrypted_data,
            iv: body.iv,
            phone: body.phone,
            override_profile: body.overide_profile.unwrap_or(false),
            ip: ip.map(|ip| ip.to_string()),
        };
        state.services.login_with_wxapp(&pool, input).await
    }
    .await;
    reply(
        outcome.map(|session| json!(UserView::new(&session.user, Some(session.token)))),
        "登录成功",
    )
}

/// `getPhone`: `{code, phoneCode | (encryptedData, iv)}` → `{code: 200, data: {phoneNumber, purePhoneNumber,
/// countryCode}}`; the phone is remembered as verified for this WeChat user.
#[utoipa::path(post, path = "/oauth/wechatapp/getphone/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id")), request_body = WxappBody,
    responses((status = 200, description = "Always 200; `code` 200 with the phone, else an error code", body = Object)))]
pub(crate) async fn get_phone(
    State(state): State<AppState>,
    Path(pool): Path<String>,
    body: Bytes,
) -> Reply {
    let outcome = async {
        let (pool, body) = parse(&pool, &body)?;
        state
            .services
            .wxapp_phone(&pool, &code(&body)?, phone_proof(&body)?)
            .await
    }
    .await;
    reply(
        outcome.map(|info| {
            json!({
                "phoneNumber": info.phone_number,
                "purePhoneNumber": info.pure_phone_number,
                "countryCode": info.country_code,
            })
        }),
        "获取手机号成功",
    )
}

/// `bindPhone`: with the user's token (raw or `Bearer`) → `{code: 200, data: <updated user>}`.
#[utoipa::path(post, path = "/oauth/wechatapp/phone/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id")), request_body = WxappBody,
    responses((status = 200, description = "Always 200; `code` 200 with the user, 2020 without a token, 2026 phone taken", body = Object)))]
pub(crate) async fn bind_phone(
    State(state): State<AppState>,
    Path(pool): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply {
    let outcome = async {
        let (pool, body) = parse(&pool, &body)?;
        state
            .services
            .bind_wxapp_phone(
                &pool,
                bearer_token(&headers),
                &code(&body)?,
                phone_proof(&body)?,
            )
            .await
    }
    .await;
    reply(
        outcome.map(|user| json!(UserView::new(&user, None))),
        "绑定成功",
    )
}

/// `decrypt`: `{code, encryptedData, iv}` → `{code: 200, data: <the decrypted JSON>}`; the session key never leaves.
#[utoipa::path(post, path = "/oauth/wechatapp/decrypt/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id")), request_body = WxappBody,
    responses((status = 200, description = "Always 200; `code` 200 with the data, 4305 when it does not decrypt", body = Object)))]
pub(crate) async fn decrypt(
    State(state): State<AppState>,
    Path(pool): Path<String>,
    body: Bytes,
) -> Reply {
    let outcome = async {
        let (pool, body) = parse(&pool, &body)?;
        let (Some(data), Some(iv)) = (&body.encrypted_data, &body.iv) else {
            return Err(ServiceError::Rejected(
                "give `encryptedData` and `iv`".to_owned(),
            ));
        };
        state
            .services
            .decrypt_wxapp(&pool, &code(&body)?, data, iv)
            .await
    }
    .await;
    reply(outcome.map(Value::Object), "解密成功")
}

fn reply(outcome: Result<Value, ServiceError>, message: &str) -> Reply {
    Json(match outcome {
        Ok(data) => json!({ "code": 200, "message": message, "data": data }),
        Err(error) => failure(&error),
    })
}

fn failure(error: &ServiceError) -> Value {
    match error {
        ServiceError::Internal(detail) | ServiceError::Unavailable(detail) => {
            tracing::error!(%detail, "mini program request failed");
        }
        ServiceError::Wechat(_, detail) => {
            tracing::warn!(%detail, "mini program request failed at WeChat")
        }
        _ => {}
    }
    let code: ErrorCode = error.code();
    let message = match error {
        ServiceError::Rejected(text) => text.clone(),
        ServiceError::UserExists(_) => error.to_string(),
        _ => code.compat_message().to_owned(),
    };
    json!({ "code": code.number(), "message": message })
}
