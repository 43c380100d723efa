//! Operators: the deployment's own admin accounts, separate from pool users. Each signs in with a password and a
//! one-time password from an authenticator app (or a single-use recovery code), and is either an owner (the whole
//! deployment) or a pool admin (the pools granted). A browser that signed in holds an [`OperatorSession`].

use std::fmt;

use chrono::{DateTime, Utc};

use crate::{AdminScope, DomainError, OperatorId, PasswordHash, Sealed, SecretHash};

/// An operator's sign-in name: 1 to 64 of `a-z`, `0-9`, `.`, `_` and `-`, kept lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OperatorName(String);

impl OperatorName {
    /// Parses a name, ignoring case and surrounding spaces.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let name = raw.trim().to_ascii_lowercase();
        let valid = (1..=64).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if valid {
            Ok(Self(name))
        } else {
            Err(DomainError::InvalidOperatorName)
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OperatorName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A one-time setup link's secret, kept hashed, and when it stops working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupLink {
    /// SHA-256 of the secret.
    pub hash: SecretHash,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
}

/// An operator account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorAccount {
    /// Its id.
    pub id: OperatorId,
    /// Its sign-in name, unique in the deployment.
    pub name: OperatorName,
    /// What it administers: the deployment (an owner) or some pools (a pool admin).
    pub scope: AdminScope,
    /// Its password's Argon2id hash; `None` until set up.
    pub password_hash: Option<PasswordHash>,
    /// Its authenticator secret, sealed with the master key; `None` until set up.
    pub totp: Option<Sealed>,
    /// The authenticator secret offered during setup, sealed, until the first code confirms it.
    pub pending_totp: Option<Sealed>,
    /// The last one-time-password step accepted, so that no code is accepted twice.
    pub totp_last_step: i64,
    /// The setup link that sets its password and authenticator; `None` once used.
    pub setup: Option<SetupLink>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

impl OperatorAccount {
    /// Whether the account can sign in: it has a password and an authenticator.
    pub fn is_set_up(&self) -> bool {
        self.password_hash.is_some() && self.totp.is_some()
    }

    /// The context its authenticator secret is sealed under, so that a sealed secret cannot be moved to another
    /// account.
    pub fn totp_seal_context(id: &OperatorId) -> String {
        format!("operator-totp:{id}")
    }
}

/// A browser signed in as an operator. The cookie holds a secret whose hash is the session's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperatorSession {
    /// SHA-256 of the cookie's secret.
    pub id_hash: SecretHash,
    /// Who signed in.
    pub operator_id: OperatorId,
    /// The token every state-changing request of this session sends in `X-CSRF-Token`.
    pub csrf_token: String,
    /// When it signed in.
    pub created_at: DateTime<Utc>,
    /// When it was last used (it ends after the idle timeout without use).
    pub last_seen_at: DateTime<Utc>,
    /// When it ends however busy it is (the absolute timeout).
    pub expires_at: DateTime<Utc>,
}
