//! Storage-neutral errors: what callers may react to, without knowing the database.

/// A uniqueness rule that a write broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// Another user of the pool has this username (ignoring case).
    Username,
    /// Another user of the pool has this e-mail.
    Email,
    /// Another user of the pool has this phone.
    Phone,
    /// A record with the same id or key exists.
    Duplicate,
}

impl Constraint {
    /// Names the rule from what the database reported: an index name (PostgreSQL) or the columns (SQLite).
    /// Both schemas name their unique columns `username_normalized`, `email` and `phone`.
    pub fn from_database_detail(detail: &str) -> Self {
        if detail.contains("username") {
            Self::Username
        } else if detail.contains("email") {
            Self::Email
        } else if detail.contains("phone") {
            Self::Phone
        } else {
            Self::Duplicate
        }
    }
}

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record to change does not exist.
    #[error("record not found")]
    NotFound,
    /// A uniqueness rule was broken; nothing was written.
    #[error("conflict: {constraint:?} already taken")]
    Conflict {
        /// Which rule.
        constraint: Constraint,
    },
    /// The database cannot be reached or timed out.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Stored data that does not decode into domain values.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Anything else the database reported.
    #[error("database error: {0}")]
    Other(String),
}
