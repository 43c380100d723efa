//! A SQL statement with its parameters, built once and run by any backend.

use chrono::{DateTime, Utc};

/// A parameter value, in the few types the schema uses.
#[derive(Debug, Clone)]
pub enum Param {
    /// TEXT, possibly NULL.
    Text(Option<String>),
    /// BLOB / BYTEA, possibly NULL.
    Bytes(Option<Vec<u8>>),
    /// INTEGER / BIGINT.
    Int(i64),
    /// INTEGER / BIGINT, possibly NULL.
    OptionalInt(Option<i64>),
    /// INTEGER 0/1 / BOOLEAN.
    Bool(bool),
    /// TEXT (RFC 3339) / TIMESTAMPTZ, possibly NULL.
    Time(Option<DateTime<Utc>>),
}

/// SQL text with `$1`, `$2`, … placeholders and the values they stand for, in order.
#[derive(Debug, Clone)]
pub struct Statement {
    /// The SQL.
    pub sql: String,
    /// `$n` is `params[n - 1]`.
    pub params: Vec<Param>,
}

impl Statement {
    /// A statement without parameters yet.
    pub(crate) fn new(sql: impl Into<String>) -> Self {
        Self {
            sql: sql.into(),
            params: Vec::new(),
        }
    }

    /// Appends the next parameter.
    pub(crate) fn bind(mut self, value: impl Into<Param>) -> Self {
        self.params.push(value.into());
        self
    }
}

impl From<&str> for Param {
    fn from(value: &str) -> Self {
        Self::Text(Some(value.to_owned()))
    }
}

impl From<Option<&str>> for Param {
    fn from(value: Option<&str>) -> Self {
        Self::Text(value.map(str::to_owned))
    }
}

impl From<Option<String>> for Param {
    fn from(value: Option<String>) -> Self {
        Self::Text(value)
    }
}

impl From<&[u8]> for Param {
    fn from(value: &[u8]) -> Self {
        Self::Bytes(Some(value.to_vec()))
    }
}

impl From<Option<&[u8]>> for Param {
    fn from(value: Option<&[u8]>) -> Self {
        Self::Bytes(value.map(<[u8]>::to_vec))
    }
}

impl From<i64> for Param {
    fn from(value: i64) -> Self {
        Self::Int(value)
    }
}

impl From<Option<i64>> for Param {
    fn from(value: Option<i64>) -> Self {
        Self::OptionalInt(value)
    }
}

impl From<bool> for Param {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

impl From<DateTime<Utc>> for Param {
    fn from(value: DateTime<Utc>) -> Self {
        Self::Time(Some(value))
    }
}

impl From<Option<DateTime<Utc>>> for Param {
    fn from(value: Option<DateTime<Utc>>) -> Self {
        Self::Time(value)
    }
}
