//! Statements deleting expired short-lived records in batches: QR sessions, app-login tickets, rate-limit
//! windows, replaced avatars, operator sessions, and OpenID Connect sessions, codes, grants and device codes.

use chrono::{DateTime, Utc};

use crate::Statement;

/// Deletes at most `batch` QR sessions that expired before `before`. `skip_locked` is the backend's
/// [`crate::SqlBackend::skip_locked`].
pub(crate) fn qr_sessions(before: DateTime<Utc>, batch: u32, skip_locked: &str) -> Statement {
    batch_delete("qr_sessions", "scene", before, batch, skip_locked)
}

/// Deletes at most `batch` app-login tickets that expired before `before`.
pub(crate) fn app_tickets(before: DateTime<Utc>, batch: u32, skip_locked: &str) -> Statement {
    batch_delete("app_tickets", "ticket_hash", before, batch, skip_locked)
}

/// Deletes at most `batch` rate-limit windows that ended before `before`.
pub(crate) fn rate_limit_windows(
    before: DateTime<Utc>,
    batch: u32,
    skip_locked: &str,
) -> Statement {
    batch_delete("rate_limit_windows", "key_hash", before, batch, skip_locked)
}

/// Deletes at most `batch` avatars that were replaced before `before`.
pub(crate) fn avatars(before: DateTime<Utc>, batch: u32, skip_locked: &str) -> Statement {
    batch_delete("avatars", "name", before, batch, skip_locked)
}

/// Deletes at most `batch` operator sessions whose absolute timeout passed before `before`.
pub(crate) fn operator_sessions(before: DateTime<Utc>, batch: u32, skip_locked: &str) -> Statement {
    batch_delete("operator_sessions", "id_hash", before, batch, skip_locked)
}

/// Deletes at most `batch` IdP sessions that expired before `before`.
pub(crate) fn oidc_sessions(before: DateTime<Utc>, batch: u32, skip_locked: &str) -> Statement {
    batch_delete("oidc_sessions", "sid", before, batch, skip_locked)
}

/// Deletes at most `batch` authorization codes, used or not, that expired before `before`.
pub(crate) fn oidc_codes(before: DateTime<Utc>, batch: u32, skip_locked: &str) -> Statement {
    batch_delete("oidc_codes", "code_hash", before, batch, skip_locked)
}

/// Deletes at most `batch` grants whose absolute lifetime ended before `before`; their codes and refresh tokens go
/// with them (the schema's cascades).
pub(crate) fn oidc_grants(before: DateTime<Utc>, batch: u32, skip_locked: &str) -> Statement {
    batch_delete("oidc_grants", "id", before, batch, skip_locked)
}

/// Deletes at most `batch` device authorizations that expired before `before`.
pub(crate) fn oidc_device_codes(before: DateTime<Utc>, batch: u32, skip_locked: &str) -> Statement {
    batch_delete("oidc_device_codes", "user_code", before, batch, skip_locked)
}

fn batch_delete(
    table: &str,
    key: &str,
    before: DateTime<Utc>,
    batch: u32,
    skip_locked: &str,
) -> Statement {
    Statement::new(format!(
        "DELETE FROM {table} WHERE {key} IN \
         (SELECT {key} FROM {table} WHERE expires_at < $1 ORDER BY expires_at LIMIT $2 {skip_locked})"
    ))
    .bind(before)
    .bind(i64::from(batch))
}
