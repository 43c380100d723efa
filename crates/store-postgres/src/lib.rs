//! The store on PostgreSQL: shared by any number of stateless denglu replicas.

mod backend;
mod errors;

use std::{str::FromStr, time::Duration};

use denglu_store::{StoreError, StoreResult};
use denglu_store_sql::SqlStore;
use sqlx::{
    Connection,
    postgres::{PgConnectOptions, PgConnection, PgPoolOptions},
};

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

/// Opens one connection to `url`, waiting at most `timeout`, and runs `SELECT 1`: whether the server answers and
/// lets this user in. Changes nothing.
pub async fn probe(url: &str, timeout: Duration) -> StoreResult<()> {
    let options = PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::Other(format!("invalid PostgreSQL URL: {e}")))?;
    let check = async {
        let mut connection = PgConnection::connect_with(&options).await?;
        let answered = sqlx::query("SELECT 1").execute(&mut connection).await;
        let _ = connection.close().await;
        answered.map(drop)
    };
    match tokio::time::timeout(timeout, check).await {
        Ok(answered) => answered.map_err(map_err),
        Err(_) => Err(StoreError::Unavailable(format!(
            "no answer within {} ms",
            timeout.as_millis()
        ))),
    }
}
