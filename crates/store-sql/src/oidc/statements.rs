//! Statements of OpenID Connect logins: IdP sessions, grants, codes, refresh tokens, consents, device codes.
//!
//! A single use is one UPDATE conditioned on `used_at IS NULL`, so of two concurrent uses only one changes the row.

use chrono::{DateTime, Utc};
use denglu_domain::{
    AuthorizationCode, ClientId, DeviceCode, IdpSession, OidcGrant, PoolId, RefreshToken, Scope,
    SecretHash, UserId, scope_text,
};

use crate::{
    Statement,
    oidc::rows::{
        OIDC_CODE_COLUMNS, OIDC_DEVICE_CODE_COLUMNS, OIDC_GRANT_COLUMNS, OIDC_SESSION_COLUMNS,
    },
};

pub(crate) fn insert_session(session: &IdpSession) -> Statement {
    Statement::new(
        "INSERT INTO oidc_sessions (sid, pool_id, cookie_hash, user_id, method, auth_time, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(session.sid.as_str())
    .bind(session.pool_id.as_str())
    .bind(session.cookie_hash.as_bytes().as_slice())
    .bind(session.user_id.as_str())
    .bind(session.method.as_str())
    .bind(session.auth_time)
    .bind(session.expires_at)
}

pub(crate) fn session(pool: &PoolId, cookie_hash: &SecretHash, now: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "SELECT {OIDC_SESSION_COLUMNS} FROM oidc_sessions \
         WHERE pool_id = $1 AND cookie_hash = $2 AND expires_at > $3"
    ))
    .bind(pool.as_str())
    .bind(cookie_hash.as_bytes().as_slice())
    .bind(now)
}

/// The statements of one transaction that ends a session: the revocation of its live grants, only while the session
/// exists, then its deletion. Of two concurrent ends, the second waits for the first's grant rows, then finds them
/// revoked and the session gone. Whether it revoked grants: see [`revoked_any`].
pub(crate) fn end_session(pool: &PoolId, sid: &str, at: DateTime<Utc>) -> [Statement; 2] {
    let revoke = Statement::new(
        "UPDATE oidc_grants SET revoked_at = $1 WHERE pool_id = $2 AND sid = $3 AND revoked_at IS NULL \
         AND EXISTS (SELECT 1 FROM oidc_sessions WHERE pool_id = $2 AND sid = $3)",
    )
    .bind(at)
    .bind(pool.as_str())
    .bind(sid);
    let delete = Statement::new("DELETE FROM oidc_sessions WHERE pool_id = $1 AND sid = $2")
        .bind(pool.as_str())
        .bind(sid);
    [revoke, delete]
}

/// Whether the [`end_session`] transaction revoked grants (of the session it deleted).
pub(crate) fn revoked_any(changed: &[u64]) -> bool {
    changed.first().is_some_and(|n| *n > 0)
}

/// The session's grants revoked at `at`.
pub(crate) fn revoked_grants(pool: &PoolId, sid: &str, at: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "SELECT {OIDC_GRANT_COLUMNS} FROM oidc_grants WHERE pool_id = $1 AND sid = $2 AND revoked_at = $3 \
         ORDER BY created_at, id"
    ))
    .bind(pool.as_str())
    .bind(sid)
    .bind(at)
}

pub(crate) fn insert_grant(grant: &OidcGrant) -> Statement {
    Statement::new(
        "INSERT INTO oidc_grants (id, pool_id, client_id, user_id, scopes, sid, method, auth_time, created_at, \
         expires_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(grant.id.as_str())
    .bind(grant.pool_id.as_str())
    .bind(grant.client_id.as_str())
    .bind(grant.user_id.as_ref().map(UserId::as_str))
    .bind(grant.scope_text().as_str())
    .bind(grant.sid.as_deref())
    .bind(grant.method.map(|m| m.as_str()))
    .bind(grant.auth_time)
    .bind(grant.created_at)
    .bind(grant.expires_at)
    .bind(grant.revoked_at)
}

pub(crate) fn grant(pool: &PoolId, id: &str) -> Statement {
    Statement::new(format!(
        "SELECT {OIDC_GRANT_COLUMNS} FROM oidc_grants WHERE pool_id = $1 AND id = $2"
    ))
    .bind(pool.as_str())
    .bind(id)
}

pub(crate) fn revoke_grant(pool: &PoolId, id: &str, at: DateTime<Utc>) -> Statement {
    Statement::new(
        "UPDATE oidc_grants SET revoked_at = $1 WHERE pool_id = $2 AND id = $3 AND revoked_at IS NULL",
    )
    .bind(at)
    .bind(pool.as_str())
    .bind(id)
}

/// Inserts the code of `grant` (whose pool it takes).
pub(crate) fn insert_code(code: &AuthorizationCode, grant: &OidcGrant) -> Statement {
    Statement::new(
        "INSERT INTO oidc_codes (code_hash, grant_id, pool_id, redirect_uri, code_challenge, nonce, expires_at, \
         used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(code.code_hash.as_bytes().as_slice())
    .bind(code.grant_id.as_str())
    .bind(grant.pool_id.as_str())
    .bind(code.redirect_uri.as_str())
    .bind(code.code_challenge.as_ref().map(|c| c.as_str()))
    .bind(code.nonce.as_deref())
    .bind(code.expires_at)
    .bind(code.used_at)
}

/// Marks the code used if it was not; returns it when it did.
pub(crate) fn use_code(pool: &PoolId, code_hash: &SecretHash, now: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "UPDATE oidc_codes SET used_at = $1 WHERE pool_id = $2 AND code_hash = $3 AND used_at IS NULL \
         RETURNING {OIDC_CODE_COLUMNS}"
    ))
    .bind(now)
    .bind(pool.as_str())
    .bind(code_hash.as_bytes().as_slice())
}

/// The grant of the pool's code with this hash. A scalar subquery (`id = (…)`), which SQLite answers through the
/// primary key; with `id IN (…)` it chose the `(pool_id, sid)` index and read every grant of the pool.
pub(crate) fn grant_of_code(pool: &PoolId, code_hash: &SecretHash) -> Statement {
    Statement::new(format!(
        "SELECT {OIDC_GRANT_COLUMNS} FROM oidc_grants WHERE id = \
         (SELECT grant_id FROM oidc_codes WHERE pool_id = $1 AND code_hash = $2) AND pool_id = $1"
    ))
    .bind(pool.as_str())
    .bind(code_hash.as_bytes().as_slice())
}

pub(crate) fn insert_refresh_token(token: &RefreshToken) -> Statement {
    Statement::new(
        "INSERT INTO oidc_refresh_tokens (token_hash, grant_id, pool_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token.token_hash.as_bytes().as_slice())
    .bind(token.grant_id.as_str())
    .bind(token.pool_id.as_str())
    .bind(token.created_at)
}

/// The statements of one transaction that rotates a refresh token, locking as the QR claim does (`qr::claim`).
/// Run in order:
///
/// 1. a no-op update of the still unused token, which locks its row until the transaction ends (a concurrent
///    rotation waits here, then finds the token used and changes nothing);
/// 2. the successor, with the token's grant and pool, only while the token is unused (a rotation that lost the race
///    sees the winner's committed `used_at` here and inserts nothing);
/// 3. the mark of use.
///
/// All three change a row, or none (the last one tells: see [`rotated`]).
pub(crate) fn rotate(
    pool: &PoolId,
    token_hash: &SecretHash,
    successor: &SecretHash,
    now: DateTime<Utc>,
) -> [Statement; 3] {
    let unused = "WHERE pool_id = $1 AND token_hash = $2 AND used_at IS NULL";
    let lock = Statement::new(format!(
        "UPDATE oidc_refresh_tokens SET used_at = NULL {unused}"
    ))
    .bind(pool.as_str())
    .bind(token_hash.as_bytes().as_slice());
    let insert = Statement::new(format!(
        "INSERT INTO oidc_refresh_tokens (token_hash, grant_id, pool_id, created_at) \
         SELECT $3, grant_id, pool_id, $4 FROM oidc_refresh_tokens {unused}"
    ))
    .bind(pool.as_str())
    .bind(token_hash.as_bytes().as_slice())
    .bind(successor.as_bytes().as_slice())
    .bind(now);
    let mark = Statement::new(format!(
        "UPDATE oidc_refresh_tokens SET used_at = $3 {unused}"
    ))
    .bind(pool.as_str())
    .bind(token_hash.as_bytes().as_slice())
    .bind(now);
    [lock, insert, mark]
}

/// Whether the [`rotate`] transaction rotated the token, from the rows its statements changed.
pub(crate) fn rotated(changed: &[u64]) -> bool {
    changed.get(2).is_some_and(|n| *n > 0)
}

/// The grant of the pool's refresh token with this hash, and whether the token was used (`token_used`).
pub(crate) fn token_grant(pool: &PoolId, token_hash: &SecretHash) -> Statement {
    Statement::new(format!(
        "SELECT {OIDC_GRANT_COLUMNS}, token_used FROM oidc_grants JOIN \
         (SELECT grant_id, used_at IS NOT NULL AS token_used FROM oidc_refresh_tokens \
         WHERE pool_id = $1 AND token_hash = $2) token ON token.grant_id = oidc_grants.id"
    ))
    .bind(pool.as_str())
    .bind(token_hash.as_bytes().as_slice())
}

pub(crate) fn consent(pool: &PoolId, user: &UserId, client: &ClientId) -> Statement {
    Statement::new(
        "SELECT scopes FROM oidc_consents WHERE pool_id = $1 AND user_id = $2 AND client_id = $3",
    )
    .bind(pool.as_str())
    .bind(user.as_str())
    .bind(client.as_str())
}

pub(crate) fn save_consent(
    pool: &PoolId,
    user: &UserId,
    client: &ClientId,
    scopes: &[Scope],
    at: DateTime<Utc>,
) -> Statement {
    Statement::new(
        "INSERT INTO oidc_consents (pool_id, user_id, client_id, scopes, granted_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (pool_id, user_id, client_id) DO UPDATE SET scopes = excluded.scopes, \
         granted_at = excluded.granted_at",
    )
    .bind(pool.as_str())
    .bind(user.as_str())
    .bind(client.as_str())
    .bind(scope_text(scopes).as_str())
    .bind(at)
}

pub(crate) fn insert_device_code(code: &DeviceCode) -> Statement {
    Statement::new(
        "INSERT INTO oidc_device_codes (user_code, device_code_hash, pool_id, client_id, scene, scopes, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(code.user_code.as_str())
    .bind(code.device_code_hash.as_bytes().as_slice())
    .bind(code.pool_id.as_str())
    .bind(code.client_id.as_str())
    .bind(code.scene.as_str())
    .bind(scope_text(&code.scopes).as_str())
    .bind(code.created_at)
    .bind(code.expires_at)
}

pub(crate) fn device_code(pool: &PoolId, hash: &SecretHash) -> Statement {
    Statement::new(format!(
        "SELECT {OIDC_DEVICE_CODE_COLUMNS} FROM oidc_device_codes WHERE pool_id = $1 AND device_code_hash = $2"
    ))
    .bind(pool.as_str())
    .bind(hash.as_bytes().as_slice())
}

pub(crate) fn device_code_by_user_code(pool: &PoolId, user_code: &str) -> Statement {
    Statement::new(format!(
        "SELECT {OIDC_DEVICE_CODE_COLUMNS} FROM oidc_device_codes WHERE pool_id = $1 AND user_code = $2"
    ))
    .bind(pool.as_str())
    .bind(user_code)
}
