//! Pools and their signing keys in PostgreSQL.

use chrono::{DateTime, Utc};
use denglu_domain::{Pool, PoolId, SecretHash, SigningKey};
use denglu_store::{
    POOL_COLUMNS, PoolRow, SIGNING_KEY_COLUMNS, SigningKeyRow, StoreError, StoreResult,
};
use sqlx::PgPool;

use crate::errors::map_err;

pub(crate) async fn insert(db: &PgPool, pool: &Pool, key: &SigningKey) -> StoreResult<()> {
    let mut tx = db.begin().await.map_err(map_err)?;
    sqlx::query(
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
    .execute(&mut *tx)
    .await
    .map_err(map_err)?;
    sqlx::query(
        "INSERT INTO signing_keys (kid, pool_id, algorithm, secret, public_jwk, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&key.kid)
    .bind(key.pool_id.as_str())
    .bind(key.algorithm.as_str())
    .bind(key.secret.as_bytes())
    .bind(key.public_jwk.as_deref())
    .bind(key.created_at)
    .execute(&mut *tx)
    .await
    .map_err(map_err)?;
    tx.commit().await.map_err(map_err)
}

pub(crate) async fn get(db: &PgPool, id: &PoolId) -> StoreResult<Option<Pool>> {
    sqlx::query_as::<_, PoolRow>(&format!("SELECT {POOL_COLUMNS} FROM pools WHERE id = $1"))
        .bind(id.as_str())
        .fetch_optional(db)
        .await
        .map_err(map_err)?
        .map(Pool::try_from)
        .transpose()
}

pub(crate) async fn list(db: &PgPool) -> StoreResult<Vec<Pool>> {
    sqlx::query_as::<_, PoolRow>(&format!(
        "SELECT {POOL_COLUMNS} FROM pools ORDER BY created_at, id"
    ))
    .fetch_all(db)
    .await
    .map_err(map_err)?
    .into_iter()
    .map(Pool::try_from)
    .collect()
}

pub(crate) async fn set_secret(
    db: &PgPool,
    id: &PoolId,
    hash: &SecretHash,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let done = sqlx::query("UPDATE pools SET secret_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash.as_bytes().as_slice())
        .bind(at)
        .bind(id.as_str())
        .execute(db)
        .await
        .map_err(map_err)?;
    if done.rows_affected() == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub(crate) async fn signing_keys(db: &PgPool, pool: &PoolId) -> StoreResult<Vec<SigningKey>> {
    sqlx::query_as::<_, SigningKeyRow>(&format!(
        "SELECT {SIGNING_KEY_COLUMNS} FROM signing_keys WHERE pool_id = $1 ORDER BY created_at DESC, kid"
    ))
    .bind(pool.as_str())
    .fetch_all(db)
    .await
    .map_err(map_err)?
    .into_iter()
    .map(SigningKey::try_from)
    .collect()
}
