//! Statements on QR login: sessions and their state moves, pool QR settings and logos.
//!
//! Every state move is one UPDATE conditioned on the current state and on the session being unexpired at the time
//! given (`expires_at > now`, as [`QrSession::is_expired`] reads it), so of two concurrent requests only one changes
//! the row, and nothing moves at or after the expiry even when the service checked it a moment earlier.

use chrono::{DateTime, Utc};
use denglu_domain::{PoolId, QrSession, QrSettings, Scanner, SecretHash, UserId};
use denglu_store::LoginRecord;

use crate::{
    Statement,
    rows::{QR_SESSION_COLUMNS, QR_SETTINGS_COLUMNS},
};

pub(crate) fn insert_session(session: &QrSession) -> Statement {
    Statement::new(
        "INSERT INTO qr_sessions (scene, pool_id, poll_secret_hash, state, phone_requested, use_self_wxapp, \
         requester_ip, requester_user_agent, created_at, expires_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(session.scene.as_str())
    .bind(session.pool_id.as_str())
    .bind(session.poll_secret.as_bytes().as_slice())
    .bind(session.state.as_str())
    .bind(session.phone_requested)
    .bind(session.use_self_wxapp)
    .bind(session.requester.ip.as_deref())
    .bind(session.requester.user_agent.as_deref())
    .bind(session.created_at)
    .bind(session.expires_at)
    .bind(session.updated_at)
}

pub(crate) fn by_scene(scene: &str) -> Statement {
    Statement::new(format!(
        "SELECT {QR_SESSION_COLUMNS} FROM qr_sessions WHERE scene = $1"
    ))
    .bind(scene)
}

pub(crate) fn by_poll_secret(hash: &SecretHash) -> Statement {
    Statement::new(format!(
        "SELECT {QR_SESSION_COLUMNS} FROM qr_sessions WHERE poll_secret_hash = $1"
    ))
    .bind(hash.as_bytes().as_slice())
}

pub(crate) fn record_scan(scene: &str, scanner: &Scanner) -> Statement {
    Statement::new(
        "UPDATE qr_sessions SET state = 'scanned', scanner_appid = $1, scanner_openid = $2, scanner_unionid = $3, \
         scanner_session_key = $4, scan_token_hash = $5, scanner_nickname = $6, scanner_avatar = $7, \
         scanned_at = $8, updated_at = $8 WHERE scene = $9 AND state = 'pending' AND expires_at > $8",
    )
    .bind(scanner.appid.as_str())
    .bind(scanner.openid.as_str())
    .bind(scanner.unionid.as_deref())
    .bind(scanner.session_key.as_bytes())
    .bind(scanner.scan_token.as_bytes().as_slice())
    .bind(scanner.nickname.as_deref())
    .bind(scanner.avatar.as_deref())
    .bind(scanner.at)
    .bind(scene)
}

pub(crate) fn confirm(scene: &str, user: &UserId, at: DateTime<Utc>) -> Statement {
    Statement::new(
        "UPDATE qr_sessions SET state = 'confirmed', user_id = $1, updated_at = $2 \
         WHERE scene = $3 AND state = 'scanned' AND expires_at > $2",
    )
    .bind(user.as_str())
    .bind(at)
    .bind(scene)
}

pub(crate) fn cancel(scene: &str, at: DateTime<Utc>) -> Statement {
    Statement::new(
        "UPDATE qr_sessions SET state = 'cancelled', updated_at = $1 \
         WHERE scene = $2 AND state IN ('pending', 'scanned') AND expires_at > $1",
    )
    .bind(at)
    .bind(scene)
}

/// The statements of one transaction that moves a session confirmed → claimed and counts its user's login: both
/// happen or neither does. Run in this order:
///
/// 1. a no-op update of the still confirmed, unexpired session, which locks its row until the transaction ends (a
///    concurrent claim waits here, then finds the session claimed and changes nothing);
/// 2. the login count, only while the session is still confirmed for this user: a claim that lost the race sees the
///    winner's committed `claimed` here (a new statement sees every earlier commit) and counts nothing;
/// 3. the move to claimed.
///
/// All three change a row, or none (the last one tells: see [`claim_changed`]).
pub(crate) fn claim(
    hash: &SecretHash,
    pool: &PoolId,
    user: &UserId,
    login: &LoginRecord,
) -> [Statement; 3] {
    let lock = Statement::new(
        "UPDATE qr_sessions SET updated_at = $1 WHERE poll_secret_hash = $2 AND pool_id = $3 AND user_id = $4 \
         AND state = 'confirmed' AND expires_at > $1",
    )
    .bind(login.at)
    .bind(hash.as_bytes().as_slice())
    .bind(pool.as_str())
    .bind(user.as_str());
    let count = Statement::new(
        "UPDATE users SET logins_count = logins_count + 1, last_login = $1, last_ip = $2, token_expired_at = $3, \
         updated_at = $1 WHERE pool_id = $4 AND id = $5 AND EXISTS (SELECT 1 FROM qr_sessions \
         WHERE poll_secret_hash = $6 AND pool_id = $4 AND user_id = $5 AND state = 'confirmed' AND expires_at > $1)",
    )
    .bind(login.at)
    .bind(login.ip.as_deref())
    .bind(login.token_expires_at)
    .bind(pool.as_str())
    .bind(user.as_str())
    .bind(hash.as_bytes().as_slice());
    let claim = Statement::new(
        "UPDATE qr_sessions SET state = 'claimed', updated_at = $1 WHERE poll_secret_hash = $2 AND pool_id = $3 \
         AND user_id = $4 AND state = 'confirmed' AND expires_at > $1",
    )
    .bind(login.at)
    .bind(hash.as_bytes().as_slice())
    .bind(pool.as_str())
    .bind(user.as_str());
    [lock, count, claim]
}

/// Whether the [`claim`] transaction claimed the session, from the rows its statements changed.
pub(crate) fn claim_changed(changed: &[u64]) -> bool {
    changed.get(2).is_some_and(|n| *n > 0)
}

pub(crate) fn settings(pool: &PoolId) -> Statement {
    Statement::new(format!(
        "SELECT {QR_SETTINGS_COLUMNS} FROM qr_settings WHERE pool_id = $1"
    ))
    .bind(pool.as_str())
}

pub(crate) fn save_settings(settings: &QrSettings) -> Statement {
    Statement::new(
        "INSERT INTO qr_settings (pool_id, mode, lifetime_seconds, callback_url, scanner, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (pool_id) DO UPDATE SET mode = excluded.mode, lifetime_seconds = excluded.lifetime_seconds, \
         callback_url = excluded.callback_url, scanner = excluded.scanner, updated_at = excluded.updated_at",
    )
    .bind(settings.pool_id.as_str())
    .bind(settings.mode.as_str())
    .bind(i64::from(settings.lifetime.seconds()))
    .bind(settings.callback_url.as_ref().map(|u| u.as_str()))
    .bind(settings.scanner.as_str())
    .bind(settings.updated_at)
}

pub(crate) fn logo(pool: &PoolId) -> Statement {
    Statement::new("SELECT png FROM pool_logos WHERE pool_id = $1").bind(pool.as_str())
}

pub(crate) fn save_logo(pool: &PoolId, png: &[u8], at: DateTime<Utc>) -> Statement {
    Statement::new(
        "INSERT INTO pool_logos (pool_id, png, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (pool_id) DO UPDATE SET png = excluded.png, updated_at = excluded.updated_at",
    )
    .bind(pool.as_str())
    .bind(png)
    .bind(at)
}

pub(crate) fn delete_logo(pool: &PoolId) -> Statement {
    Statement::new("DELETE FROM pool_logos WHERE pool_id = $1").bind(pool.as_str())
}
