//! The store on PostgreSQL: shared by any number of stateless denglu replicas.

mod backend;
mod errors;

use std::{str::FromStr, time::Duration};

use denglu_store::{StoreError, StoreResult};
use denglu_store_sql::SqlStore;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

pub use backend::PostgresBackend;
use errors::map_err;

/// The store on PostgreSQL.
pub type PostgresStore = SqlStore<PostgresBackend>;

/// Connects to `url` (`postgres://user@host:port/database`) and migrates the database. A request waits at most
/// `acquire_timeout` for a connection (a new one included), then fails as unavailable.
pub async fn connect(
    url: &str,
    max_connections: u32,
    acquire_timeout: Duration,
) -> StoreResult<PostgresStore> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?;
    let pool = PgPoolOptions::new()
        .max_connections(max_connections.max(1))
        .acquire_timeout(acquire_timeout)
        .connect_with(options)
        .await
        .map_err(map_err)?;
    sqlx::migrate!("./migrations")
        .run(&pool)
        .await
        .map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
    Ok(SqlStore::new(PostgresBackend::new(pool).await?))
}
