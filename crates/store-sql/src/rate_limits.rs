//! The statement counting an attempt on a rate limit that every replica shares (`rate_limit_windows`).

use chrono::{DateTime, TimeDelta, Utc};
use denglu_domain::SecretHash;

use crate::Statement;

/// Counts an attempt at `at` on `key` and changes one row exactly when it is allowed: a key without a row, or whose
/// window ended by `at`, starts a window of `window` with this attempt; a key in its window counts it while it has
/// fewer than `limit` attempts. One conditional upsert: PostgreSQL locks the key's row and re-checks the condition on
/// its latest version, SQLite's writers take turns, so concurrent attempts are counted exactly.
pub(crate) fn count_attempt(
    key: &SecretHash,
    limit: u32,
    at: DateTime<Utc>,
    window: TimeDelta,
) -> Statement {
    Statement::new(
        "INSERT INTO rate_limit_windows (key_hash, attempts, expires_at) VALUES ($1, 1, $2) \
         ON CONFLICT (key_hash) DO UPDATE SET \
         attempts = CASE WHEN rate_limit_windows.expires_at <= $3 THEN 1 \
         ELSE rate_limit_windows.attempts + 1 END, \
         expires_at = CASE WHEN rate_limit_windows.expires_at <= $3 THEN excluded.expires_at \
         ELSE rate_limit_windows.expires_at END \
         WHERE rate_limit_windows.expires_at <= $3 OR rate_limit_windows.attempts < $4",
    )
    .bind(key.as_bytes().as_slice())
    .bind(at + window)
    .bind(at)
    .bind(i64::from(limit))
}
