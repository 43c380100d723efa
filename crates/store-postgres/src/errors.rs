//! Maps sqlx's PostgreSQL errors to storage-neutral ones.

use denglu_store::{Constraint, StoreError};

/// Converts a sqlx error; unique violations name the broken rule from the violated index's name. A server that
/// refuses or drops connections is unavailable (the native API answers 503), not a fault of the request.
pub(crate) fn map_err(error: sqlx::Error) -> StoreError {
    match error {
        sqlx::Error::RowNotFound => StoreError::NotFound,
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict {
            constraint: Constraint::from_database_detail(db.constraint().unwrap_or_default()),
        },
        sqlx::Error::Database(db) if db.code().as_deref().is_some_and(is_unavailable) => {
            StoreError::Unavailable(db.to_string())
        }
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_) => StoreError::Unavailable(error.to_string()),
        other => StoreError::Other(other.to_string()),
    }
}

/// SQLSTATEs that say the server cannot serve this connection now: connection exceptions (class 08), too many
/// connections and other resource limits (class 53), administrator or crash shutdown and "cannot connect now"
/// (57P01–57P03), and a database not accepting connections (55000, as `ALLOW_CONNECTIONS false` answers).
fn is_unavailable(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("53")
        || matches!(code, "57P01" | "57P02" | "57P03" | "55000")
}

#[cfg(test)]
mod tests {
    use super::is_unavailable;

    #[test]
    fn connection_failures_are_unavailability_and_request_faults_are_not() {
        for code in ["08006", "08001", "53300", "57P01", "57P03", "55000"] {
            assert!(is_unavailable(code), "{code}");
        }
        for code in ["23505", "22P02", "42P01", "40001"] {
            assert!(!is_unavailable(code), "{code}");
        }
    }
}
