//! The Store trait on SQLite: one file, WAL journal, a busy timeout and enforced foreign keys. Serves one node.

mod errors;
mod pools;
mod users;

use std::{path::Path, str::FromStr, time::Duration};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{LoginName, Pool, PoolId, SecretHash, SigningKey, User, UserId};
use denglu_store::{LoginRecord, Store, StoreError, StoreResult};
use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

use errors::map_err;

/// A SQLite-backed store.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating when missing, with its folder) the database at `url` (`sqlite://path/to.db`) and migrates it.
    pub async fn connect(url: &str, max_connections: u32) -> StoreResult<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Other(format!("invalid SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(5))
            .foreign_keys(true);
        if let Some(folder) = Path::new(options.get_filename())
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|e| {
                StoreError::Unavailable(format!("cannot create {}: {e}", folder.display()))
            })?;
        }
        let pool = SqlitePoolOptions::new()
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
impl Store for SqliteStore {
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
