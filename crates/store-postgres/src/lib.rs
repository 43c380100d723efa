//! The Store trait on PostgreSQL: shared by any number of stateless denglu replicas.

mod errors;
mod pools;
mod users;

use std::{str::FromStr, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{LoginName, Pool, PoolId, SecretHash, SigningKey, User, UserId};
use denglu_store::{LoginRecord, Store, StoreError, StoreResult};
use sqlx::{
    PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};

use errors::map_err;

/// A PostgreSQL-backed store.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/database`) and migrates the database.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Self> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(map_err)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
        Ok(Self { pool })
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(map_err)
    }

    async fn insert_pool(&self, pool: &Pool, key: &SigningKey) -> StoreResult<()> {
        pools::insert(&self.pool, pool, key).await
    }

    async fn pool(&self, id: &PoolId) -> StoreResult<Option<Pool>> {
        pools::get(&self.pool, id).await
    }

    async fn pools(&self) -> StoreResult<Vec<Pool>> {
        pools::list(&self.pool).await
    }

    async fn set_pool_secret(
        &self,
        id: &PoolId,
        hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        pools::set_secret(&self.pool, id, hash, at).await
    }

    async fn signing_keys(&self, pool: &PoolId) -> StoreResult<Vec<SigningKey>> {
        pools::signing_keys(&self.pool, pool).await
    }

    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        users::insert(&self.pool, user).await
    }

    async fn user(&self, pool: &PoolId, id: &UserId) -> StoreResult<Option<User>> {
        users::get(&self.pool, pool, id).await
    }

    async fn user_by_login(&self, pool: &PoolId, login: &LoginName) -> StoreResult<Option<User>> {
        users::by_login(&self.pool, pool, login).await
    }

    async fn users(&self, pool: &PoolId, limit: u32, offset: u32) -> StoreResult<Vec<User>> {
        users::list(&self.pool, pool, limit, offset).await
    }

    async fn record_login(
        &self,
        pool: &PoolId,
        id: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<User> {
        users::record_login(&self.pool, pool, id, login).await
    }

    async fn revoke_tokens(
        &self,
        pool: &PoolId,
        id: &UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        users::revoke_tokens(&self.pool, pool, id, at).await
    }

    async fn set_blocked(
        &self,
        pool: &PoolId,
        id: &UserId,
        blocked: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        users::set_blocked(&self.pool, pool, id, blocked, at).await
    }
}
