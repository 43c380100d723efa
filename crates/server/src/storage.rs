//! Chooses the storage backend from the database URL's scheme: to open the store, to check that the database answers,
//! and to back a SQLite file up and restore it.

use std::{sync::Arc, time::Duration};

use denglu_store::{Store, StoreError};
pub use denglu_store_sqlite::{
    Probed, Restored, backup as backup_sqlite, restore as restore_sqlite,
};

/// Opens and migrates the store at `url`: `sqlite:` for the embedded backend, `postgres:`/`postgresql:` for
/// PostgreSQL. Anything else is refused with a message naming both. A request waits at most `acquire_timeout` for
/// a database connection.
pub async fn connect(
    url: &str,
    max_connections: u32,
    acquire_timeout: Duration,
) -> Result<Arc<dyn Store>, StoreError> {
    Ok(match Backend::of(url).map_err(StoreError::Other)? {
        Backend::Sqlite => {
            Arc::new(denglu_store_sqlite::connect(url, max_connections, acquire_timeout).await?)
        }
        Backend::Postgres => {
            Arc::new(denglu_store_postgres::connect(url, max_connections, acquire_timeout).await?)
        }
    })
}

/// The database a URL names, from its scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `sqlite:`: one file.
    Sqlite,
    /// `postgres:` or `postgresql:`.
    Postgres,
}

impl Backend {
    /// The backend of `url`; anything but SQLite and PostgreSQL is refused with a message naming both.
    pub fn of(url: &str) -> Result<Self, String> {
        let scheme = url
            .split_once(':')
            .map(|(scheme, _)| scheme.to_ascii_lowercase())
            .unwrap_or_default();
        match scheme.as_str() {
            "sqlite" => Ok(Self::Sqlite),
            "postgres" | "postgresql" => Ok(Self::Postgres),
            _ => Err(format!(
                "unsupported database URL scheme '{scheme}': use sqlite://path/to/file.db or postgres://user@host/database"
            )),
        }
    }
}

/// Checks that the database at `url` answers, without creating, changing or migrating anything: a SQLite file is
/// opened if it exists ([`Probed::Missing`] if not: `connect` creates it); PostgreSQL gets one connection, within
/// `timeout`.
pub async fn probe(url: &str, timeout: Duration) -> Result<Probed, StoreError> {
    match Backend::of(url).map_err(StoreError::Other)? {
        Backend::Sqlite => denglu_store_sqlite::probe(url).await,
        Backend::Postgres => denglu_store_postgres::probe(url, timeout)
            .await
            .map(|()| Probed::Answered),
    }
}
