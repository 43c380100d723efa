//! Authing-compatible mini program endpoints (spec §5.3), what `authing-wxapp-sdk` calls: `loginWithWxapp`,
//! `getPhone`, `bindPhone`, `decrypt`. Always HTTP 200, `{code: 200, message, data}` or `{code, message}`.

use std::sync::Arc;

use axum::{Extension, Json, extract::State};
use denglu_service::{PhoneProof, ServiceError, WxappLogin};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use crate::{
    AppState,
    compat::{AuthUser, CompatError, CompatJson, CompatPool, Envelope},
    http::{Client, ClientIp, EncryptedData, Limited, RateLimits, ShortText, Text},
    views::UserView,
};

/// What the SDK posts (every endpoint takes some of these).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WxappBody {
    /// A fresh `wx.login` code.
    #[schema(inline)]
    pub(crate) code: Option<ShortText>,
    /// `encryptedData` of getUserInfo (auth, decrypt) or of getPhoneNumber (getphone, phone).
    #[schema(inline)]
    pub(crate) encrypted_data: Option<EncryptedData>,
    /// The matching `iv`.
    #[schema(inline)]
    pub(crate) iv: Option<ShortText>,
    /// The getPhoneNumber button's own `e.detail.code` (base library 2.21.2+), preferred to `encryptedData`.
    #[schema(inline)]
    pub(crate) phone_code: Option<ShortText>,
    /// auth: log in as the user with this phone, if WeChat verified it for this WeChat user before (`getPhone`).
    #[schema(inline)]
    pub(crate) phone: Option<ShortText>,
    /// auth: overwrite that user's nickname and avatar with the WeChat profile (the SDK's spelling).
    #[serde(alias = "overrideProfile")]
    pub(crate) overide_profile: Option<bool>,
    /// denglu's addition: the mini program's AppID, when the pool has several for the SDK; the pool's first SDK
    /// mini program when absent. Authing-era clients never send it.
    #[schema(inline)]
    pub(crate) appid: Option<ShortText>,
}

impl WxappBody {
    /// The mini program named, if any.
    fn appid(&self) -> Option<String> {
        self.appid.as_ref().map(|appid| appid.as_str().to_owned())
    }

    /// The `wx.login` code, which every endpoint needs.
    fn code(&self) -> Result<String, ServiceError> {
        self.code
            .as_ref()
            .map(Text::as_str)
            .filter(|code| !code.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| ServiceError::Rejected("give `code`, a fresh wx.login code".to_owned()))
    }

    /// The phone proof, which getPhone and bindPhone need.
    fn phone_proof(self) -> Result<PhoneProof, ServiceError> {
        PhoneProof::required(
            self.phone_code.map(Text::into_inner),
            self.encrypted_data.map(Text::into_inner),
            self.iv.map(Text::into_inner),
        )
    }
}

/// A phone number as WeChat verified it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PhoneView {
    /// With the country code for numbers outside mainland China.
    phone_number: String,
    /// Without the country code.
    pure_phone_number: String,
    /// The country code, e.g. `86`.
    country_code: String,
}

type Reply<T> = Result<Json<Envelope<T>>, CompatError>;

/// `loginWithWxapp`: `{code, iv?, encryptedData?, phone?, overideProfile?}` → `{code: 200, message, data: user}`.
#[utoipa::path(post, path = "/oauth/wechatapp/auth/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id")), request_body = WxappBody,
    responses((status = 200, description = "Always 200: `code` 200 with the user and token, or `{code, message}`", body = Envelope<UserView>)))]
pub(crate) async fn auth(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    CompatPool(pool): CompatPool,
    client: Client,
    CompatJson(body): CompatJson<WxappBody>,
) -> Reply<UserView> {
    limits.check(Limited::WechatappCall, client.ip)?;
    let input = WxappLogin {
        code: body.code()?,
        encrypted_data: body.encrypted_data.map(Text::into_inner),
        iv: body.iv.map(Text::into_inner),
        phone: body.phone.map(Text::into_inner),
        override_profile: body.overide_profile.unwrap_or(false),
        from: client.requester(),
        appid: body.appid.map(Text::into_inner),
    };
    let session = state.services.wxapp().login(&pool, input).await?;
    let user = UserView::new(&session.user, Some(session.token));
    Ok(Json(Envelope::new("登录成功", user)))
}

/// `getPhone`: `{code, phoneCode | (encryptedData, iv)}` → `{code: 200, data: {phoneNumber, purePhoneNumber,
/// countryCode}}`; the phone is remembered as verified for this WeChat user.
#[utoipa::path(post, path = "/oauth/wechatapp/getphone/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id")), request_body = WxappBody,
    responses((status = 200, description = "Always 200: `code` 200 with the phone, or `{code, message}`", body = Envelope<PhoneView>)))]
pub(crate) async fn get_phone(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    CompatPool(pool): CompatPool,
    ip: ClientIp,
    CompatJson(body): CompatJson<WxappBody>,
) -> Reply<PhoneView> {
    limits.check(Limited::WechatappCall, ip.0)?;
    let code = body.code()?;
    let appid = body.appid();
    let info = state
        .services
        .wxapp()
        .phone(&pool, appid.as_deref(), &code, body.phone_proof()?)
        .await?;
    let phone = PhoneView {
        phone_number: info.phone_number,
        pure_phone_number: info.pure_phone_number,
        country_code: info.country_code,
    };
    Ok(Json(Envelope::new("获取手机号成功", phone)))
}

/// `bindPhone`: with the user's token (raw or `Bearer`) → `{code: 200, data: <updated user>}`.
#[utoipa::path(post, path = "/oauth/wechatapp/phone/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id")), request_body = WxappBody,
    responses((status = 200, description = "Always 200: `code` 200 with the user, or `{code, message}`: 2020 without a token, 2026 phone taken", body = Envelope<UserView>)))]
pub(crate) async fn bind_phone(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    CompatPool(pool): CompatPool,
    ip: ClientIp,
    AuthUser(verified): AuthUser,
    CompatJson(body): CompatJson<WxappBody>,
) -> Reply<UserView> {
    limits.check(Limited::WechatappCall, ip.0)?;
    let code = body.code()?;
    let appid = body.appid();
    let user = state
        .services
        .wxapp()
        .bind_phone(
            &pool,
            &verified,
            appid.as_deref(),
            &code,
            body.phone_proof()?,
        )
        .await?;
    Ok(Json(Envelope::new("绑定成功", UserView::new(&user, None))))
}

/// `decrypt`: `{code, encryptedData, iv}` → `{code: 200, data: <the decrypted JSON>}`; the session key never leaves.
#[utoipa::path(post, path = "/oauth/wechatapp/decrypt/{userPoolId}", tag = "compat",
    params(("userPoolId" = String, Path, description = "The pool id")), request_body = WxappBody,
    responses((status = 200, description = "Always 200: `code` 200 with the data, or `{code, message}`: 4305 when it does not decrypt", body = Envelope<Object>)))]
pub(crate) async fn decrypt(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    CompatPool(pool): CompatPool,
    ip: ClientIp,
    CompatJson(body): CompatJson<WxappBody>,
) -> Reply<Map<String, Value>> {
    limits.check(Limited::WechatappCall, ip.0)?;
    let (Some(data), Some(iv)) = (&body.encrypted_data, &body.iv) else {
        return Err(ServiceError::Rejected("give `encryptedData` and `iv`".to_owned()).into());
    };
    let data = state
        .services
        .wxapp()
        .decrypt(
            &pool,
            body.appid().as_deref(),
            &body.code()?,
            data.as_str(),
            iv.as_str(),
        )
        .await?;
    Ok(Json(Envelope::new("解密成功", data)))
}
