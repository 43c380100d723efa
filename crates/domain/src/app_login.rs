//! App-launched login (flow B): the one-time tickets the scanner mini program hands back to the app, and the pool's
//! rules for exchanging them.

use chrono::{DateTime, Utc};

use crate::{PoolId, SecretHash, ShortLifetime, UserId};

/// A ticket as stored: only its hash, the user it logs in, and its life.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppTicket {
    /// SHA-256 of the ticket.
    pub hash: SecretHash,
    /// The pool it belongs to.
    pub pool_id: PoolId,
    /// The user it logs in.
    pub user_id: UserId,
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
            updated_at: now,
        }
    }
}
