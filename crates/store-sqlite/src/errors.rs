//! Maps sqlx's SQLite errors to storage-neutral ones.

use denglu_store::{Constraint, StoreError};

/// Converts a sqlx error; unique violations name the broken rule from SQLite's message ("UNIQUE constraint failed:
/// users.pool_id, users.email").
pub(crate) fn map_err(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
            constraint: Constraint::from_database_detail(db.message()),
        },
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            StoreError::Unavailable(error.to_string())
        }
        other => StoreError::Other(other.to_string()),
    }
}
