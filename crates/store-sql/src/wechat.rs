//! Statements on WeChat state shared by replicas: the per-app access token.

use denglu_domain::{AppId, CachedAccessToken, SecretHash};

use crate::{Statement, rows::WECHAT_ACCESS_TOKEN_COLUMNS};

pub(crate) fn access_token(appid: &AppId) -> Statement {
    Statement::new(format!(
        "SELECT {WECHAT_ACCESS_TOKEN_COLUMNS} FROM wechat_access_tokens WHERE appid = $1"
    ))
    .bind(appid.as_str())
}

pub(crate) fn save_access_token(token: &CachedAccessToken) -> Statement {
    Statement::new(
        "INSERT INTO wechat_access_tokens (appid, token_sealed, token_hash, refresh_at, expires_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (appid) DO UPDATE SET token_sealed = excluded.token_sealed, token_hash = excluded.token_hash, \
         refresh_at = excluded.refresh_at, expires_at = excluded.expires_at, updated_at = excluded.updated_at",
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
