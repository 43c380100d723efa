//! Statements on WeChat state: the per-app access token shared by replicas, and users' WeChat identities.

use chrono::{DateTime, Utc};
use denglu_domain::{AppId, CachedAccessToken, PoolId, SecretHash, UserId, WechatIdentity};

use crate::{
    Statement,
    rows::{USER_COLUMNS, WECHAT_ACCESS_TOKEN_COLUMNS},
};

pub(crate) fn access_token(appid: &AppId) -> Statement {
    Statement::new(format!(
        "SELECT {WECHAT_ACCESS_TOKEN_COLUMNS} FROM wechat_access_tokens WHERE appid = $1"
    ))
    .bind(appid.as_str())
}

/// Keeps `token` unless the stored one expires no earlier: a replica that fetched its token before another but saves
/// it after must not bring back the older token. One statement, so concurrent saves cannot interleave.
pub(crate) fn save_access_token(token: &CachedAccessToken) -> Statement {
    Statement::new(
        "INSERT INTO wechat_access_tokens (appid, token_sealed, token_hash, refresh_at, expires_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (appid) DO UPDATE SET token_sealed = excluded.token_sealed, token_hash = excluded.token_hash, \
         refresh_at = excluded.refresh_at, expires_at = excluded.expires_at, updated_at = excluded.updated_at \
         WHERE wechat_access_tokens.expires_at < excluded.expires_at",
    )
    .bind(token.appid.as_str())
    .bind(token.sealed.as_bytes())
    .bind(token.hash.as_bytes().as_slice())
    .bind(token.refresh_at)
    .bind(token.expires_at)
    .bind(token.updated_at)
}

pub(crate) fn discard_access_token(appid: &AppId, hash: &SecretHash) -> Statement {
    Statement::new("DELETE FROM wechat_access_tokens WHERE appid = $1 AND token_hash = $2")
        .bind(appid.as_str())
        .bind(hash.as_bytes().as_slice())
}

pub(crate) fn insert_identity(identity: &WechatIdentity) -> Statement {
    Statement::new(
        "INSERT INTO wechat_identities (pool_id, appid, openid, user_id, unionid, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(identity.pool_id.as_str())
    .bind(identity.appid.as_str())
    .bind(identity.openid.as_str())
    .bind(identity.user_id.as_str())
    .bind(identity.unionid.as_deref())
    .bind(identity.created_at)
}

/// The user of a WeChat identity: by openid in the mini program, else by unionid in any of the pool's.
pub(crate) fn user_by_identity(
    pool: &PoolId,
    appid: &AppId,
    openid: &str,
    unionid: Option<&str>,
) -> Statement {
    Statement::new(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE pool_id = $1 AND id = COALESCE( \
         (SELECT user_id FROM wechat_identities WHERE pool_id = $1 AND appid = $2 AND openid = $3), \
         (SELECT MIN(user_id) FROM wechat_identities WHERE pool_id = $1 AND unionid = $4))"
    ))
    .bind(pool.as_str())
    .bind(appid.as_str())
    .bind(openid)
    .bind(unionid)
}

pub(crate) fn user_by_phone(pool: &PoolId, phone: &str) -> Statement {
    Statement::new(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE pool_id = $1 AND phone = $2"
    ))
    .bind(pool.as_str())
    .bind(phone)
}

/// Sets a user's phone to a number the server verified, replacing the one they had (binding a phone replaces it).
pub(crate) fn set_verified_phone(
    pool: &PoolId,
    user: &UserId,
    phone: &str,
    at: DateTime<Utc>,
) -> Statement {
    Statement::new(format!(
        "UPDATE users SET phone = $1, phone_verified = $2, updated_at = $3 \
         WHERE pool_id = $4 AND id = $5 RETURNING {USER_COLUMNS}"
    ))
    .bind(phone)
    .bind(true)
    .bind(at)
    .bind(pool.as_str())
    .bind(user.as_str())
}

pub(crate) fn record_verified_phone(
    pool: &PoolId,
    appid: &AppId,
    openid: &str,
    phone: &str,
    at: DateTime<Utc>,
) -> Statement {
    Statement::new(
        "INSERT INTO verified_phones (pool_id, appid, openid, phone, verified_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (pool_id, appid, openid, phone) DO UPDATE SET verified_at = excluded.verified_at",
    )
    .bind(pool.as_str())
    .bind(appid.as_str())
    .bind(openid)
    .bind(phone)
    .bind(at)
}

/// The pool's user with `phone`, if that phone was verified for this WeChat identity.
pub(crate) fn user_by_verified_phone(
    pool: &PoolId,
    appid: &AppId,
    openid: &str,
    phone: &str,
) -> Statement {
    Statement::new(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE pool_id = $1 AND phone = $4 AND EXISTS ( \
         SELECT 1 FROM verified_phones WHERE pool_id = $1 AND appid = $2 AND openid = $3 AND phone = $4)"
    ))
    .bind(pool.as_str())
    .bind(appid.as_str())
    .bind(openid)
    .bind(phone)
}

/// Overwrites a user's nickname and avatar.
pub(crate) fn set_profile(
    pool: &PoolId,
    user: &UserId,
    nickname: Option<&str>,
    photo: Option<&str>,
    at: DateTime<Utc>,
) -> Statement {
    Statement::new(format!(
        "UPDATE users SET nickname = $1, photo = $2, updated_at = $3 WHERE pool_id = $4 AND id = $5 \
         RETURNING {USER_COLUMNS}"
    ))
    .bind(nickname)
    .bind(photo)
    .bind(at)
    .bind(pool.as_str())
    .bind(user.as_str())
}
