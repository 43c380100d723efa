//! The token payload: Authing's `{data:{id, clientId, …}, iat, exp}` plus `sub`, `iss`, `aud` and `jti`.

use serde::{Deserialize, Serialize};

/// The claims of a denglu user token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserClaims {
    /// Authing's user data block, read by Authing-era clients.
    pub data: ClaimsData,
    /// The user id (same as `data.id`).
    pub sub: String,
    /// The issuing pool's issuer URL.
    pub iss: String,
    /// The audience: the pool id.
    pub aud: String,
    /// A unique token id.
    pub jti: String,
    /// Issued at, in seconds.
    pub iat: i64,
    /// Expires at, in seconds.
    pub exp: i64,
}

/// `data` of the Authing payload. Absent values are left out rather than sent as `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsData {
    /// The user id.
    pub id: String,
    /// The pool id.
    #[serde(rename = "clientId")]
    pub client_id: String,
    /// WeChat unionid, for WeChat users that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unionid: Option<String>,
    /// The user's e-mail, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The user's phone, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}
