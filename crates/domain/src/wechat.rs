//! WeChat values denglu keeps: mini program AppIDs and the access token every replica shares per app.

use std::fmt;

use chrono::{DateTime, Utc};

use crate::{DomainError, PoolId, Sealed, SecretHash, UserId};

/// A mini program's AppID: `wx` followed by 16 hexadecimal characters.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppId(String);

impl AppId {
    /// Checks the shape of an AppID.
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let hex = value.strip_prefix("wx").ok_or(DomainError::InvalidAppId)?;
        if hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(value.to_owned()))
        } else {
            Err(DomainError::InvalidAppId)
        }
    }

    /// The AppID text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl fmt::Debug for AppId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AppId({})", self.0)
    }
}

/// A WeChat access token as stored for all replicas: sealed with the master key, with a hash to replace it only if
/// it is still the token a caller saw rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedAccessToken {
    /// The app the token belongs to.
    pub appid: AppId,
    /// The token, sealed with context [`CachedAccessToken::seal_context`].
    pub sealed: Sealed,
    /// SHA-256 of the token text.
    pub hash: SecretHash,
    /// From this time on a new token is fetched.
    pub refresh_at: DateTime<Utc>,
    /// When WeChat stops accepting the token.
    pub expires_at: DateTime<Utc>,
    /// When it was stored.
    pub updated_at: DateTime<Utc>,
}

impl CachedAccessToken {
    /// The sealing context that binds a token's ciphertext to its app.
    pub fn seal_context(appid: &AppId) -> String {
        format!("wechat-access-token:{appid}")
    }
}

/// A WeChat identity of a user: (pool, mini program, openid). One user may have several, one per mini program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WechatIdentity {
    /// The pool.
    pub pool_id: PoolId,
    /// The mini program.
    pub appid: AppId,
    /// The user's openid in it.
    pub openid: String,
    /// The user the identity belongs to.
    pub user_id: UserId,
    /// The unionid, when the mini program is bound to an open platform account.
    pub unionid: Option<String>,
    /// When it was linked.
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appids_are_wx_and_sixteen_hex_characters() {
        assert_eq!(
            AppId::parse("wx4f4bc4dec97d474b").map(|a| a.to_string()),
            Ok("wx4f4bc4dec97d474b".to_owned())
        );
        for bad in [
            "",
            "wx",
            "wx4f4bc4dec97d474",
            "wx4f4bc4dec97d474bb",
            "xx4f4bc4dec97d474b",
            "wx4f4bc4dec97d474g",
        ] {
            assert_eq!(AppId::parse(bad), Err(DomainError::InvalidAppId), "{bad}");
        }
    }
}
