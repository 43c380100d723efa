//! The claims about a user that each scope releases (in the ID token and at userinfo).

use denglu_domain::{Scope, User};
use serde_json::{Map, Value};

/// Every claim denglu may release, for the discovery document.
pub(crate) const SUPPORTED_CLAIMS: [&str; 21] = [
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "azp",
    "sid",
    "amr",
    "at_hash",
    "name",
    "nickname",
    "picture",
    "updated_at",
    "phone_number",
    "phone_number_verified",
    "email",
    "email_verified",
    "wechat_openid",
    "wechat_unionid",
];

/// The claims of `user` that `scopes` release, besides `sub`. Absent values are left out.
pub(crate) fn scoped_claims(user: &User, scopes: &[Scope]) -> Map<String, Value> {
    let mut claims = Map::new();
    let mut put = |name: &str, value: Option<Value>| {
        if let Some(value) = value {
            claims.insert(name.to_owned(), value);
        }
    };
    for scope in scopes {
        match scope {
            Scope::Profile => {
                let name = user
                    .nickname
                    .clone()
                    .or_else(|| user.username.as_ref().map(|u| u.as_str().to_owned()));
                put("name", name.map(Value::from));
                put("nickname", user.nickname.clone().map(Value::from));
                put("picture", user.photo.clone().map(Value::from));
                put("updated_at", Some(user.updated_at.timestamp().into()));
            }
            Scope::Phone => {
                if let Some(phone) = &user.phone {
                    put("phone_number", Some(e164(phone).into()));
                    put("phone_number_verified", Some(user.phone_verified.into()));
                }
            }
            Scope::Email => {
                if let Some(email) = &user.email {
                    put("email", Some(email.as_str().into()));
                    put("email_verified", Some(user.email_verified.into()));
                }
            }
            Scope::Wechat => {
                put("wechat_openid", user.openid.clone().map(Value::from));
                put("wechat_unionid", user.unionid.clone().map(Value::from));
            }
            Scope::Openid | Scope::OfflineAccess => {}
        }
    }
    claims
}

/// A phone number in E.164: numbers stored without a country code are mainland China's (WeChat gives them so).
fn e164(phone: &str) -> String {
    if phone.starts_with('+') {
        phone.to_owned()
    } else {
        format!("+86{phone}")
    }
}
