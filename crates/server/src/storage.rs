//! Chooses the storage backend once, from the database URL's scheme.

use std::{sync::Arc, time::Duration};

use denglu_store::{Store, StoreError};

/// Opens and migrates the store at `url`: `sqlite:` for the embedded backend, `postgres:`/`postgresql:` for
/// PostgreSQL. Anything else is refused with a message naming both. A request waits at most `acquire_timeout` for
/// a database connection.
pub async fn connect(
    url: &str,
    max_connections: u32,
    acquire_timeout: Duration,
) -> Result<Arc<dyn Store>, StoreError> {
    let scheme = url
        .split_once(':')
        .map(|(scheme, _)| scheme.to_ascii_lowercase())
        .unwrap_or_default();
    match scheme.as_str() {
        "sqlite" => Ok(Arc::new(
            denglu_store_sqlite::connect(url, max_connections, acquire_timeout).await?,
        )),
        "postgres" | "postgresql" => Ok(Arc::new(
            denglu_store_postgres::connect(url, max_connections, acquire_timeout).await?,
        )),
        _ => Err(StoreError::Other(format!(
            "unsupported database URL scheme '{scheme}': use sqlite://path/to/file.db or postgres://user@host/database"
        ))),
    }
}
