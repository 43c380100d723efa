//! Statements on pools and their signing keys, and on deployment-wide keys.

use chrono::{DateTime, Utc};
use denglu_domain::{Pool, PoolId, SecretHash, ServerKey, SigningKey};

use crate::{
    Statement,
    rows::{POOL_COLUMNS, SERVER_KEY_COLUMNS, SIGNING_KEY_COLUMNS},
};

pub(crate) fn insert(pool: &Pool) -> Statement {
    Statement::new(
        "INSERT INTO pools (id, name, secret_hash, jwt_algorithm, token_lifetime_seconds, registration_policy, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(pool.id.as_str())
    .bind(pool.name.as_str())
    .bind(pool.secret_hash.as_bytes().as_slice())
    .bind(pool.jwt_algorithm.as_str())
    .bind(i64::from(pool.token_lifetime.seconds()))
    .bind(pool.registration_policy.as_str())
    .bind(pool.created_at)
    .bind(pool.updated_at)
}

/// Inserts `key` numbered after every key of its pool (1 for a pool's first key), which makes it the active key;
/// two keys added at once get the same number, and the unique index turns the second into a conflict.
pub(crate) fn insert_signing_key(key: &SigningKey) -> Statement {
    Statement::new(
        "INSERT INTO signing_keys (kid, pool_id, algorithm, secret, public_jwk, created_at, generation) \
         SELECT $1, $2, $3, $4, $5, $6, COALESCE(MAX(generation), 0) + 1 FROM signing_keys WHERE pool_id = $2",
    )
    .bind(key.kid.as_str())
    .bind(key.pool_id.as_str())
    .bind(key.algorithm.as_str())
    .bind(key.secret.as_bytes())
    .bind(key.public_jwk.as_deref())
    .bind(key.created_at)
}

pub(crate) fn by_id(id: &PoolId) -> Statement {
    Statement::new(format!("SELECT {POOL_COLUMNS} FROM pools WHERE id = $1")).bind(id.as_str())
}

pub(crate) fn all() -> Statement {
    Statement::new(format!(
        "SELECT {POOL_COLUMNS} FROM pools ORDER BY created_at, id"
    ))
}

pub(crate) fn set_secret(id: &PoolId, hash: &SecretHash, at: DateTime<Utc>) -> Statement {
    Statement::new("UPDATE pools SET secret_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash.as_bytes().as_slice())
        .bind(at)
        .bind(id.as_str())
}

pub(crate) fn signing_keys(pool: &PoolId) -> Statement {
    Statement::new(format!(
        "SELECT {SIGNING_KEY_COLUMNS} FROM signing_keys WHERE pool_id = $1 ORDER BY generation DESC"
    ))
    .bind(pool.as_str())
}

/// Retires a key of the pool that is live and has a newer key (so never the active one).
pub(crate) fn retire_signing_key(pool: &PoolId, kid: &str, at: DateTime<Utc>) -> Statement {
    Statement::new(
        "UPDATE signing_keys SET retired_at = $1 \
         WHERE pool_id = $2 AND kid = $3 AND retired_at IS NULL AND EXISTS \
         (SELECT 1 FROM signing_keys newer WHERE newer.pool_id = $2 AND newer.generation > signing_keys.generation)",
    )
    .bind(at)
    .bind(pool.as_str())
    .bind(kid)
}

pub(crate) fn server_key(name: &str) -> Statement {
    Statement::new(format!(
        "SELECT {SERVER_KEY_COLUMNS} FROM server_keys WHERE name = $1"
    ))
    .bind(name)
}

pub(crate) fn insert_server_key(key: &ServerKey) -> Statement {
    Statement::new(
        "INSERT INTO server_keys (name, sealed, public_pem, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(key.name.as_str())
    .bind(key.sealed.as_bytes())
    .bind(key.public_pem.as_str())
    .bind(key.created_at)
}
