//! The user object as clients read it: the documented Authing field names, never the password hash.

use chrono::{DateTime, Utc};
use denglu_domain::User;
use serde::Serialize;
use utoipa::ToSchema;

/// ISO-8601 with milliseconds and `Z`, as Authing sent dates.
pub(crate) fn iso(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A user (spec `authing-compat.md` §7).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserView {
    /// User id (24 hex).
    #[serde(rename = "_id")]
    pub(crate) id: String,
    /// Username, if any.
    pub(crate) username: Option<String>,
    /// Display name.
    pub(crate) nickname: Option<String>,
    /// Avatar URL.
    pub(crate) photo: Option<String>,
    /// E-mail, lowercase.
    pub(crate) email: Option<String>,
    /// Whether the e-mail was proven.
    pub(crate) email_verified: bool,
    /// Phone number.
    pub(crate) phone: Option<String>,
    /// Whether the server verified the phone itself.
    pub(crate) phone_verified: bool,
    /// WeChat unionid.
    pub(crate) unionid: Option<String>,
    /// WeChat openid.
    pub(crate) openid: Option<String>,
    /// Raw social profile as a JSON string.
    pub(crate) oauth: Option<String>,
    /// How the account was created, e.g. `default:username-password`.
    #[schema(example = "default:username-password")]
    pub(crate) register_method: String,
    /// The user pool id.
    pub(crate) register_in_client: String,
    /// Successful logins.
    pub(crate) logins_count: i64,
    /// Last login time.
    pub(crate) last_login: Option<String>,
    /// Client address of the last login.
    #[serde(rename = "lastIP")]
    pub(crate) last_ip: Option<String>,
    /// Sign-up time.
    pub(crate) signed_up: String,
    /// Whether the user is blocked.
    pub(crate) blocked: bool,
    /// Always false: deleted users are gone.
    pub(crate) is_deleted: bool,
    /// The token just issued, on login replies.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) token: Option<String>,
    /// Expiry of the last token issued.
    pub(crate) token_expired_at: Option<String>,
}

/// The user object of `user` as JSON (no token), for tools that print users.
pub fn user_json(user: &User) -> serde_json::Value {
    serde_json::to_value(UserView::new(user, None)).expect("a user view always serialises")
}

impl UserView {
    /// The view of `user`, with the token just issued when there is one.
    pub(crate) fn new(user: &User, token: Option<String>) -> Self {
        Self {
            id: user.id.to_string(),
            username: user.username.as_ref().map(|u| u.as_str().to_owned()),
            nickname: user.nickname.clone(),
            photo: user.photo.clone(),
            email: user.email.as_ref().map(|e| e.as_str().to_owned()),
            email_verified: user.email_verified,
            phone: user.phone.clone(),
            phone_verified: user.phone_verified,
            unionid: user.unionid.clone(),
            openid: user.openid.clone(),
            oauth: user.oauth.clone(),
            register_method: user.register_method.as_str().to_owned(),
            register_in_client: user.pool_id.to_string(),
            logins_count: user.logins_count,
            last_login: user.last_login.map(iso),
            last_ip: user.last_ip.clone(),
            signed_up: iso(user.signed_up),
            blocked: user.blocked,
            is_deleted: false,
            token,
            token_expired_at: user.token_expired_at.map(iso),
        }
    }
}
