//! Statements on app-launched login: pool settings and one-time tickets.

use chrono::{DateTime, Utc};
use denglu_domain::{AppLoginSettings, AppTicket, PoolId, SecretHash, UserId};
use denglu_store::LoginRecord;

use crate::{
    Statement,
    rows::{APP_LOGIN_SETTINGS_COLUMNS, APP_TICKET_COLUMNS},
};

pub(crate) fn settings(pool: &PoolId) -> Statement {
    Statement::new(format!(
        "SELECT {APP_LOGIN_SETTINGS_COLUMNS} FROM app_login_settings WHERE pool_id = $1"
    ))
    .bind(pool.as_str())
}

pub(crate) fn save_settings(settings: &AppLoginSettings) -> Statement {
    Statement::new(
        "INSERT INTO app_login_settings (pool_id, ticket_lifetime_seconds, require_secret, require_pkce, updated_at) \
         VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (pool_id) DO UPDATE SET ticket_lifetime_seconds = excluded.ticket_lifetime_seconds, \
         require_secret = excluded.require_secret, require_pkce = excluded.require_pkce, \
         updated_at = excluded.updated_at",
    )
    .bind(settings.pool_id.as_str())
    .bind(i64::from(settings.ticket_lifetime.seconds()))
    .bind(settings.require_secret)
    .bind(settings.require_pkce)
    .bind(settings.updated_at)
}

pub(crate) fn insert_ticket(ticket: &AppTicket) -> Statement {
    Statement::new(
        "INSERT INTO app_tickets (ticket_hash, pool_id, user_id, code_challenge, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(ticket.hash.as_bytes().as_slice())
    .bind(ticket.pool_id.as_str())
    .bind(ticket.user_id.as_str())
    .bind(ticket.code_challenge.as_ref().map(|c| c.as_str()))
    .bind(ticket.created_at)
    .bind(ticket.expires_at)
}

pub(crate) fn ticket(hash: &SecretHash) -> Statement {
    Statement::new(format!(
        "SELECT {APP_TICKET_COLUMNS} FROM app_tickets WHERE ticket_hash = $1"
    ))
    .bind(hash.as_bytes().as_slice())
}

/// Redeeming a ticket and counting its user's login, in one transaction, as [`crate::qr::claim`] claims a QR login:
/// the first statement locks the ticket if it can be redeemed (PostgreSQL: a row lock, which a concurrent redeem waits
/// for, then finds the ticket used; SQLite: the database's write lock), the second counts the login only if the ticket
/// is still unused, the third spends it.
pub(crate) fn redeem(
    pool: &PoolId,
    hash: &SecretHash,
    user: &UserId,
    login: &LoginRecord,
) -> [Statement; 3] {
    const REDEEMABLE: &str = "ticket_hash = $2 AND pool_id = $3 AND user_id = $4 AND used_at IS NULL \
         AND expires_at > $1";
    let lock = Statement::new(format!(
        "UPDATE app_tickets SET used_at = NULL WHERE {REDEEMABLE}"
    ));
    let count = Statement::new(format!(
        "UPDATE users SET logins_count = logins_count + 1, last_login = $1, last_ip = $5, token_expired_at = $6, \
         updated_at = $1 WHERE pool_id = $3 AND id = $4 AND EXISTS (SELECT 1 FROM app_tickets WHERE {REDEEMABLE})"
    ));
    let spend = Statement::new(format!(
        "UPDATE app_tickets SET used_at = $1 WHERE {REDEEMABLE}"
    ));
    let bind = |statement: Statement| {
        statement
            .bind(login.at)
            .bind(hash.as_bytes().as_slice())
            .bind(pool.as_str())
            .bind(user.as_str())
    };
    [
        bind(lock),
        bind(count)
            .bind(login.ip.as_deref())
            .bind(login.token_expires_at),
        bind(spend),
    ]
}

/// Marks the pool's ticket used, whatever its expiry, without a login.
pub(crate) fn use_up(pool: &PoolId, hash: &SecretHash, at: DateTime<Utc>) -> Statement {
    Statement::new(
        "UPDATE app_tickets SET used_at = $1 WHERE ticket_hash = $2 AND pool_id = $3 AND used_at IS NULL",
    )
    .bind(at)
    .bind(hash.as_bytes().as_slice())
    .bind(pool.as_str())
}

/// Whether the [`redeem`] transaction spent the ticket, from the rows its statements changed.
pub(crate) fn redeem_changed(changed: &[u64]) -> bool {
    changed.get(2).is_some_and(|n| *n > 0)
}
