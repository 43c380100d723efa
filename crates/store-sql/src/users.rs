//! Statements on users. Changes use `RETURNING` so the caller gets the record as written.

use chrono::{DateTime, Utc};
use denglu_domain::{LoginName, PoolId, User, UserId};
use denglu_store::LoginRecord;

use crate::{Statement, rows::USER_COLUMNS};

pub(crate) fn insert(user: &User) -> Statement {
    Statement::new(
        "INSERT INTO users (id, pool_id, username, username_normalized, nickname, photo, email, email_verified, \
         phone, phone_verified, unionid, openid, oauth, register_method, password_hash, logins_count, last_login, \
         last_ip, signed_up, blocked, tokens_valid_after, token_expired_at, updated_at) VALUES ($1, $2, $3, $4, \
         $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
    )
    .bind(user.id.as_str())
    .bind(user.pool_id.as_str())
    .bind(user.username.as_ref().map(|u| u.as_str()))
    .bind(user.username.as_ref().map(|u| u.normalized()))
    .bind(user.nickname.as_deref())
    .bind(user.photo.as_deref())
    .bind(user.email.as_ref().map(|e| e.as_str()))
    .bind(user.email_verified)
    .bind(user.phone.as_deref())
    .bind(user.phone_verified)
    .bind(user.unionid.as_deref())
    .bind(user.openid.as_deref())
    .bind(user.oauth.as_deref())
    .bind(user.register_method.as_str())
    .bind(user.password_hash.as_ref().map(|h| h.as_phc()))
    .bind(user.logins_count)
    .bind(user.last_login)
    .bind(user.last_ip.as_deref())
    .bind(user.signed_up)
    .bind(user.blocked)
    .bind(user.tokens_valid_after)
    .bind(user.token_expired_at)
    .bind(user.updated_at)
}

pub(crate) fn by_id(pool: &PoolId, id: &UserId) -> Statement {
    Statement::new(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE pool_id = $1 AND id = $2"
    ))
    .bind(pool.as_str())
    .bind(id.as_str())
}

pub(crate) fn by_login(pool: &PoolId, login: &LoginName) -> Statement {
    let (column, value) = match login {
        LoginName::Email(email) => ("email", email.as_str().to_owned()),
        LoginName::Username(username) => ("username_normalized", username.normalized()),
    };
    Statement::new(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE pool_id = $1 AND {column} = $2"
    ))
    .bind(pool.as_str())
    .bind(Some(value))
}

pub(crate) fn page(pool: &PoolId, limit: u32, offset: u32) -> Statement {
    Statement::new(format!(
        "SELECT {USER_COLUMNS} FROM users WHERE pool_id = $1 ORDER BY signed_up, id LIMIT $2 OFFSET $3"
    ))
    .bind(pool.as_str())
    .bind(i64::from(limit))
    .bind(i64::from(offset))
}

pub(crate) fn record_login(pool: &PoolId, id: &UserId, login: &LoginRecord) -> Statement {
    Statement::new(format!(
        "UPDATE users SET logins_count = logins_count + 1, last_login = $1, last_ip = $2, token_expired_at = $3, \
         updated_at = $1 WHERE pool_id = $4 AND id = $5 RETURNING {USER_COLUMNS}"
    ))
    .bind(login.at)
    .bind(login.ip.as_deref())
    .bind(login.token_expires_at)
    .bind(pool.as_str())
    .bind(id.as_str())
}

pub(crate) fn revoke_tokens(pool: &PoolId, id: &UserId, at: DateTime<Utc>) -> Statement {
    Statement::new(format!(
        "UPDATE users SET tokens_valid_after = $1, token_expired_at = NULL, updated_at = $1 \
         WHERE pool_id = $2 AND id = $3 RETURNING {USER_COLUMNS}"
    ))
    .bind(at)
    .bind(pool.as_str())
    .bind(id.as_str())
}

/// Blocking also revokes every token issued before `at`; unblocking leaves revocations as they are.
pub(crate) fn set_blocked(
    pool: &PoolId,
    id: &UserId,
    blocked: bool,
    at: DateTime<Utc>,
) -> Statement {
    Statement::new(format!(
        "UPDATE users SET blocked = $1, updated_at = $2, \
         tokens_valid_after = CASE WHEN $1 THEN $2 ELSE tokens_valid_after END \
         WHERE pool_id = $3 AND id = $4 RETURNING {USER_COLUMNS}"
    ))
    .bind(blocked)
    .bind(at)
    .bind(pool.as_str())
    .bind(id.as_str())
}

/// Metadata statements name the pool too, so a user id of another pool matches nothing.
const IN_POOL: &str = "user_id IN (SELECT id FROM users WHERE pool_id = $1 AND id = $2)";

pub(crate) fn metadata(pool: &PoolId, user: &UserId) -> Statement {
    Statement::new(format!(
        "SELECT key, value FROM user_metadata WHERE {IN_POOL} ORDER BY key"
    ))
    .bind(pool.as_str())
    .bind(user.as_str())
}

/// Sets a key within the limit, in one transaction of two statements. The first locks the user's row with an
/// update that changes nothing (a row lock on PostgreSQL, the database's write lock on SQLite), so concurrent
/// settings of one user's keys take turns; under READ COMMITTED the second statement then counts the keys the
/// earlier turns stored. The second stores the key when the user has it already or has fewer than `max_keys`.
/// Each changes one row, or none: an unknown user (the first) or a full one (the second).
pub(crate) fn set_metadata(
    pool: &PoolId,
    user: &UserId,
    key: &str,
    value: &str,
    max_keys: i64,
    at: DateTime<Utc>,
) -> [Statement; 2] {
    [
        Statement::new("UPDATE users SET updated_at = updated_at WHERE pool_id = $1 AND id = $2")
            .bind(pool.as_str())
            .bind(user.as_str()),
        Statement::new(
            "INSERT INTO user_metadata (user_id, key, value, updated_at) \
             SELECT id, $3, $4, $5 FROM users WHERE pool_id = $1 AND id = $2 \
             AND (EXISTS (SELECT 1 FROM user_metadata WHERE user_id = $2 AND key = $3) \
             OR (SELECT count(*) FROM user_metadata WHERE user_id = $2) < $6) \
             ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        )
        .bind(pool.as_str())
        .bind(user.as_str())
        .bind(key)
        .bind(value)
        .bind(at)
        .bind(max_keys),
    ]
}

pub(crate) fn remove_metadata(pool: &PoolId, user: &UserId, key: &str) -> Statement {
    Statement::new(format!(
        "DELETE FROM user_metadata WHERE {IN_POOL} AND key = $3"
    ))
    .bind(pool.as_str())
    .bind(user.as_str())
    .bind(key)
}
