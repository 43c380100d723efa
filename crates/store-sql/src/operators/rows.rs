//! Row shapes of the operator tables, and their checked conversion into domain values.

use chrono::{DateTime, Utc};
use denglu_domain::{
    OperatorAccount, OperatorId, OperatorName, OperatorSession, PasswordHash, Sealed, SecretHash,
    SetupLink,
};
use denglu_store::StoreError;

use crate::admin::rows::scope_from_column;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

/// The columns of [`OperatorRow`], for `SELECT` lists.
pub(crate) const OPERATOR_COLUMNS: &str = "id, name, pools, password_hash, totp, pending_totp, \
     totp_last_step, setup_hash, setup_expires_at, created_at";

/// The columns of [`OperatorSessionRow`], for `SELECT` lists.
pub(crate) const OPERATOR_SESSION_COLUMNS: &str =
    "id_hash, operator_id, csrf_token, created_at, last_seen_at, expires_at";

/// An `operators` row.
#[derive(Debug, sqlx::FromRow)]
pub struct OperatorRow {
    id: String,
    name: String,
    pools: Option<String>,
    password_hash: Option<String>,
    totp: Option<Vec<u8>>,
    pending_totp: Option<Vec<u8>>,
    totp_last_step: i64,
    setup_hash: Option<Vec<u8>>,
    setup_expires_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl TryFrom<OperatorRow> for OperatorAccount {
    type Error = StoreError;
    fn try_from(row: OperatorRow) -> Result<Self, Self::Error> {
        let setup = match (row.setup_hash, row.setup_expires_at) {
            (Some(hash), Some(expires_at)) => Some(SetupLink {
                hash: SecretHash::from_slice(&hash)
                    .ok_or_else(|| corrupt("operator setup hash", "length"))?,
                expires_at,
            }),
            _ => None,
        };
        Ok(OperatorAccount {
            id: OperatorId::parse(&row.id).map_err(|e| corrupt("operator id", e))?,
            name: OperatorName::parse(&row.name).map_err(|e| corrupt("operator name", e))?,
            scope: scope_from_column(row.pools)?,
            password_hash: row.password_hash.map(PasswordHash::from_phc),
            totp: row.totp.map(Sealed::from_bytes),
            pending_totp: row.pending_totp.map(Sealed::from_bytes),
            totp_last_step: row.totp_last_step,
            setup,
            created_at: row.created_at,
        })
    }
}

/// An `operator_sessions` row.
#[derive(Debug, sqlx::FromRow)]
pub struct OperatorSessionRow {
    id_hash: Vec<u8>,
    operator_id: String,
    csrf_token: String,
    created_at: DateTime<Utc>,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
}

impl TryFrom<OperatorSessionRow> for OperatorSession {
    type Error = StoreError;
    fn try_from(row: OperatorSessionRow) -> Result<Self, Self::Error> {
        Ok(OperatorSession {
            id_hash: SecretHash::from_slice(&row.id_hash)
                .ok_or_else(|| corrupt("operator session hash", "length"))?,
            operator_id: OperatorId::parse(&row.operator_id)
                .map_err(|e| corrupt("operator session operator", e))?,
            csrf_token: row.csrf_token,
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            expires_at: row.expires_at,
        })
    }
}

/// A row of one `count` column.
#[derive(Debug, sqlx::FromRow)]
pub struct CountRow {
    /// The count.
    pub count: i64,
}
