//! The store on SQLite: one file, WAL journal, a busy timeout and enforced foreign keys. Serves one node.

mod backend;
mod errors;
mod maintenance;
mod restore;
#[cfg(test)]
mod upgrade_tests;
mod writer;

use std::{path::Path, str::FromStr, time::Duration};

use denglu_store::{StoreError, StoreResult};
use denglu_store_sql::SqlStore;
use sqlx::{
    migrate::Migrator,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};

pub use backend::SqliteBackend;
use errors::map_err;
pub use maintenance::{Probed, backup, probe};
pub use restore::{Restored, restore};

/// The schema's migrations, in `migrations/`: run by [`connect`], and what a backup is checked against.
static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The store on SQLite.
pub type SqliteStore = SqlStore<SqliteBackend>;

/// Opens (creating when missing, with its folder) the database at `url` (`sqlite://path/to.db`) and migrates it.
/// A request waits at most `acquire_timeout` for a connection, then fails as unavailable.
pub async fn connect(
    url: &str,
    max_connections: u32,
    acquire_timeout: Duration,
) -> StoreResult<SqliteStore> {
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
        .acquire_timeout(acquire_timeout)
        .connect_with(options)
        .await
        .map_err(map_err)?;
    MIGRATOR
        .run(&pool)
        .await
        .map_err(|e| StoreError::Other(format!("migration failed: {e}")))?;
    Ok(SqlStore::new(SqliteBackend::new(pool)))
}
