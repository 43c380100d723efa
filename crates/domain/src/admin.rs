//! The operators' side: admin API tokens (which pools they administer, whether they may change anything), audit
//! events (who did what, when, with what result) and the filters operators search users and events with.

use chrono::{DateTime, Utc};

use crate::{AdminTokenId, PoolId, RegisterMethod, SecretHash, UserId};

/// The pools an admin token covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminScope {
    /// Every pool, present and future, and the deployment itself (pools, tokens, the whole audit log): an owner.
    Deployment,
    /// These pools only: a pool admin.
    Pools(Vec<PoolId>),
}

impl AdminScope {
    /// Whether the scope covers `pool`.
    pub fn covers(&self, pool: &PoolId) -> bool {
        match self {
            Self::Deployment => true,
            Self::Pools(pools) => pools.contains(pool),
        }
    }
}

/// An admin API token. Its secret is shown once when made; only its hash is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminToken {
    /// Its public id, for listing and revoking.
    pub id: AdminTokenId,
    /// What it is for, as its maker named it.
    pub name: String,
    /// The SHA-256 hash of its secret.
    pub secret_hash: SecretHash,
    /// The pools it administers.
    pub scope: AdminScope,
    /// Whether it may change things (else it only reads).
    pub write: bool,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl AdminToken {
    /// Whether the token works at `now`: neither expired nor revoked.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && now < self.expires_at
    }
}

/// An audit event to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Who did it: `cli`, `token:<id>`, or for logins the user's pool (`user`).
    pub actor: String,
    /// What happened, dotted: `pool.update`, `user.block`, `admin_token.create`, …
    pub kind: String,
    /// The pool it concerns, if any.
    pub pool_id: Option<PoolId>,
    /// The user it concerns, if any.
    pub user_id: Option<UserId>,
    /// The documented error code when it failed; `None` when it succeeded.
    pub code: Option<u32>,
    /// The client address, if known.
    pub ip: Option<String>,
    /// The client's user agent, if known.
    pub user_agent: Option<String>,
    /// What changed, as JSON (`{"before": …, "after": …}`), never with a secret in it.
    pub detail: Option<serde_json::Value>,
}

/// A recorded audit event: what was recorded, and its place in the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// Its number: later events have higher numbers.
    pub id: i64,
    /// The event.
    pub event: NewAuditEvent,
}

/// Which audit events to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only events of these pools (`None`: any pool, and events of none).
    pub pools: Option<Vec<PoolId>>,
    /// Only events about this user.
    pub user: Option<UserId>,
    /// Only events by this actor.
    pub actor: Option<String>,
    /// Only events whose kind is this or starts with it followed by a dot (`user` matches `user.block`).
    pub kind: Option<String>,
    /// Only events that succeeded (no error code) or only those that failed (an error code).
    pub result: Option<AuditResult>,
    /// Only events at or after this time.
    pub since: Option<DateTime<Utc>>,
    /// Only events before this time.
    pub until: Option<DateTime<Utc>>,
    /// Only events older than the one with this number (the cursor of the next page).
    pub before_id: Option<i64>,
    /// At most this many.
    pub limit: u32,
}

/// How an audited request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditResult {
    /// It succeeded: the event has no error code.
    Ok,
    /// It failed: the event has an error code.
    Failed,
}

impl std::str::FromStr for AuditResult {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "ok" => Ok(Self::Ok),
            "failed" => Ok(Self::Failed),
            _ => Err(format!("unknown audit result '{raw}': use ok or failed")),
        }
    }
}

/// How a user search term matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserMatch {
    /// The field starts with the term.
    #[default]
    Prefix,
    /// The field is the term.
    Exact,
}

/// Which users of a pool to list, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserFilter {
    /// A term matched against username, e-mail, phone, nickname, openid and unionid (any of them).
    pub term: Option<String>,
    /// How the term matches.
    pub matching: UserMatch,
    /// Only blocked (`true`) or only not blocked (`false`) users.
    pub blocked: Option<bool>,
    /// Only users who signed up this way.
    pub register_method: Option<RegisterMethod>,
    /// Only users who signed up at or after this time.
    pub created_after: Option<DateTime<Utc>>,
    /// Only users who signed up before this time.
    pub created_before: Option<DateTime<Utc>>,
    /// Only users older than this one (the cursor of the next page: ids grow with creation time).
    pub before_id: Option<UserId>,
    /// At most this many.
    pub limit: u32,
}
