//! App-launched login (flow B): the one-time tickets the scanner mini program hands back to the app, and the pool's
//! rules for exchanging them.

use chrono::{DateTime, Utc};

use crate::{DomainError, PoolId, SecretHash, ShortLifetime, UserId};

/// A ticket as stored: only its hash, the user it logs in, and its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppTicket {
    /// SHA-256 of the ticket.
    pub hash: SecretHash,
    /// The pool it belongs to.
    pub pool_id: PoolId,
    /// The user it logs in.
    pub user_id: UserId,
    /// `BASE64URL(SHA-256(verifier))` when the app bound the ticket to a secret it keeps (PKCE-style).
    pub code_challenge: Option<CodeChallenge>,
    /// When it was minted.
    pub created_at: DateTime<Utc>,
    /// After this it cannot be exchanged.
    pub expires_at: DateTime<Utc>,
    /// When it was exchanged (once).
    pub used_at: Option<DateTime<Utc>>,
}

/// A pool's app-launched login settings. A pool without stored settings uses the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppLoginSettings {
    /// The pool.
    pub pool_id: PoolId,
    /// How long a ticket can be exchanged (120 s by default).
    pub ticket_lifetime: ShortLifetime,
    /// Whether the exchange needs the pool secret (yes by default: it is meant for the app's backend).
    pub require_secret: bool,
    /// Whether every ticket must be bound to a code challenge (no by default: apps opt in).
    pub require_pkce: bool,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl AppLoginSettings {
    /// The defaults of a pool.
    pub fn defaults(pool_id: PoolId, now: DateTime<Utc>) -> Self {
        Self {
            pool_id,
            ticket_lifetime: ShortLifetime::default(),
            require_secret: true,
            require_pkce: false,
            updated_at: now,
        }
    }
}

/// A PKCE-style code challenge: 43 characters of unpadded base64url (a SHA-256 digest), method S256 only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChallenge(String);

impl CodeChallenge {
    /// Checks the shape of a challenge.
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let base64url = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'_';
        if value.len() == 43 && value.bytes().all(base64url) {
            Ok(Self(value.to_owned()))
        } else {
            Err(DomainError::InvalidCodeChallenge)
        }
    }

    /// The challenge text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
