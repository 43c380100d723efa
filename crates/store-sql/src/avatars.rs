//! Statements for uploaded avatars: storing a user's new one (retiring the one it replaces) and reading one by name.

use chrono::{DateTime, Utc};
use denglu_domain::{PoolId, UserId};

use crate::Statement;

/// Marks the user's current avatar as replaced at `at`; the purge deletes it a grace period later.
pub(crate) fn retire(pool: &PoolId, user: &UserId, at: DateTime<Utc>) -> Statement {
    Statement::new(
        "UPDATE avatars SET expires_at = $1 WHERE pool_id = $2 AND user_id = $3 AND expires_at IS NULL",
    )
    .bind(at)
    .bind(pool.as_str())
    .bind(user.as_str())
}

/// Stores the user's new avatar, only if the user exists (nothing is stored for an unknown one).
pub(crate) fn insert(
    pool: &PoolId,
    user: &UserId,
    name: &str,
    png: &[u8],
    at: DateTime<Utc>,
) -> Statement {
    Statement::new(
        "INSERT INTO avatars (name, pool_id, user_id, png, created_at) \
         SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM users WHERE pool_id = $2 AND id = $3)",
    )
    .bind(name)
    .bind(pool.as_str())
    .bind(user.as_str())
    .bind(png)
    .bind(at)
}

/// Points the user's photo at the new avatar.
pub(crate) fn set_photo(pool: &PoolId, user: &UserId, photo: &str, at: DateTime<Utc>) -> Statement {
    Statement::new("UPDATE users SET photo = $1, updated_at = $2 WHERE pool_id = $3 AND id = $4")
        .bind(photo)
        .bind(at)
        .bind(pool.as_str())
        .bind(user.as_str())
}

/// The image of the avatar called `name`, current or replaced but not yet purged.
pub(crate) fn image(name: &str) -> Statement {
    Statement::new("SELECT png FROM avatars WHERE name = $1").bind(name)
}
