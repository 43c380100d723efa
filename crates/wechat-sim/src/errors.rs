//! WeChat error codes, their `errmsg` texts, and how errors go on the wire (HTTP 200 + rid).

use std::net::IpAddr;

use serde::Serialize;

/// Error code `-1`, system busy.
pub(crate) const SYSTEM_ERROR: i64 = -1;
/// Invalid credential: unknown or replaced access token.
pub(crate) const INVALID_CREDENTIAL: i64 = 40001;
/// Invalid grant_type (also a non-JSON `stable_token` body).
pub(crate) const INVALID_GRANT_TYPE: i64 = 40002;
/// Invalid openid.
pub(crate) const INVALID_OPENID: i64 = 40003;
/// Invalid appid.
pub(crate) const INVALID_APPID: i64 = 40013;
/// Invalid code (login or phone code).
pub(crate) const INVALID_CODE: i64 = 40029;
/// Invalid args (e.g. `env_version`).
pub(crate) const INVALID_ARGS: i64 = 40097;
/// Invalid AppSecret.
pub(crate) const INVALID_APPSECRET: i64 = 40125;
/// Scene with characters outside the allowed set.
pub(crate) const INVALID_SCENE: i64 = 40129;
/// Login code already exchanged.
pub(crate) const CODE_BEEN_USED: i64 = 40163;
/// Caller IP not in the app's whitelist.
pub(crate) const IP_NOT_WHITELISTED: i64 = 40164;
/// Scene of bad length, or body not JSON, on the QR APIs.
pub(crate) const INVALID_SCENE_LENGTH: i64 = 40169;
/// High-risk user, login blocked.
pub(crate) const CODE_BLOCKED: i64 = 40226;
/// access_token missing.
pub(crate) const ACCESS_TOKEN_MISSING: i64 = 41001;
/// appid missing.
pub(crate) const APPID_MISSING: i64 = 41002;
/// appsecret missing.
pub(crate) const APPSECRET_MISSING: i64 = 41004;
/// js_code missing.
pub(crate) const CODE_MISSING: i64 = 41008;
/// Invalid page for a mini program code.
pub(crate) const INVALID_PAGE: i64 = 41030;
/// access_token expired.
pub(crate) const ACCESS_TOKEN_EXPIRED: i64 = 42001;
/// The endpoint requires POST.
pub(crate) const REQUIRE_POST: i64 = 43002;
/// Daily quota reached.
pub(crate) const DAILY_QUOTA: i64 = 45009;
/// Minute quota reached.
pub(crate) const MINUTE_QUOTA: i64 = 45011;
/// Body is not JSON.
pub(crate) const DATA_FORMAT_ERROR: i64 = 47001;
/// sig_method is not `hmac_sha256`.
pub(crate) const INVALID_SIG_METHOD: i64 = 87008;
/// Login-state signature mismatch.
pub(crate) const INVALID_SIGNATURE: i64 = 87009;

/// The `errmsg` text WeChat sends for `errcode` (without the rid suffix).
pub(crate) fn errmsg_text(errcode: i64) -> &'static str {
    match errcode {
        SYSTEM_ERROR => "system error",
        INVALID_CREDENTIAL => "invalid credential, access_token is invalid or not latest",
        INVALID_GRANT_TYPE => "invalid grant_type",
        INVALID_OPENID => "invalid openid",
        INVALID_APPID => "invalid appid",
        INVALID_CODE => "invalid code",
        INVALID_ARGS => "invalid args",
        INVALID_APPSECRET => "invalid appsecret",
        INVALID_SCENE => "invalid scene",
        CODE_BEEN_USED => "code been used",
        IP_NOT_WHITELISTED => "invalid ip, not in whitelist",
        INVALID_SCENE_LENGTH => "invalid length for scene, or the data is not json string",
        CODE_BLOCKED => "code blocked",
        ACCESS_TOKEN_MISSING => "access_token missing",
        APPID_MISSING => "appid missing",
        APPSECRET_MISSING => "appsecret missing",
        CODE_MISSING => "missing code",
        INVALID_PAGE => "invalid page",
        ACCESS_TOKEN_EXPIRED => "access_token expired",
        REQUIRE_POST => "require POST method",
        DAILY_QUOTA => "reach max api daily quota limit",
        MINUTE_QUOTA => "api minute-quota reach limit mustslower retry next minute",
        DATA_FORMAT_ERROR => "data format error",
        INVALID_SIG_METHOD => "invalid sig_method",
        INVALID_SIGNATURE => "invalid signature",
        _ => "simulated error",
    }
}

/// A WeChat API error: an errcode and its text, before the rid is appended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WxError {
    errcode: i64,
    text: String,
}

impl WxError {
    /// The error with WeChat's text for `errcode`.
    pub(crate) fn new(errcode: i64) -> Self {
        Self {
            errcode,
            text: errmsg_text(errcode).to_owned(),
        }
    }

    /// The error with a custom text.
    pub(crate) fn with_text(errcode: i64, text: impl Into<String>) -> Self {
        Self {
            errcode,
            text: text.into(),
        }
    }

    /// `40164` naming the caller's address the way WeChat does.
    pub(crate) fn ip_not_whitelisted(ip: Option<IpAddr>) -> Self {
        let text = match ip {
            Some(IpAddr::V4(v4)) => format!("invalid ip {v4} ipv6 ::ffff:{v4}, not in whitelist"),
            Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => format!("invalid ip {v4} ipv6 {v6}, not in whitelist"),
                None => format!("invalid ip {v6} ipv6 {v6}, not in whitelist"),
            },
            None => errmsg_text(IP_NOT_WHITELISTED).to_owned(),
        };
        Self::with_text(IP_NOT_WHITELISTED, text)
    }

    /// The wire body: `{"errcode":N,"errmsg":"<text>, rid: <rid>"}`.
    pub(crate) fn body(&self, rid: &str) -> ErrorBody {
        ErrorBody {
            errcode: self.errcode,
            errmsg: format!("{}, rid: {rid}", self.text),
        }
    }
}

/// The JSON body of an error reply, fields in WeChat's order.
#[derive(Debug, Serialize)]
pub(crate) struct ErrorBody {
    errcode: i64,
    errmsg: String,
}
