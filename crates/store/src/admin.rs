//! The store's operator area: what only administration does (admin tokens, the audit log, changing and deleting
//! pools, searching and erasing users). Reached through [`crate::Store::admin`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    AdminToken, AdminTokenId, AuditEvent, AuditFilter, NewAuditEvent, Pool, PoolId, SecretHash,
    SigningKey, User, UserFilter, UserId, WechatIdentity,
};

use crate::StoreResult;

/// Persistent state of administration. Every write is atomic, as for [`crate::Store`].
#[async_trait]
pub trait AdminStore: Send + Sync {
    /// Stores a new admin token.
    async fn insert_admin_token(&self, token: &AdminToken) -> StoreResult<()>;
    /// The admin token whose secret has this hash, live or not.
    async fn admin_token_by_hash(&self, hash: &SecretHash) -> StoreResult<Option<AdminToken>>;
    /// Every admin token, revoked and expired ones included, newest first.
    async fn admin_tokens(&self) -> StoreResult<Vec<AdminToken>>;
    /// Revokes the token `id` at `at`; `false` when there is no such token or it was revoked already.
    async fn revoke_admin_token(&self, id: &AdminTokenId, at: DateTime<Utc>) -> StoreResult<bool>;

    /// Appends an event to the audit log.
    async fn record_audit(&self, event: &NewAuditEvent) -> StoreResult<()>;
    /// The events `filter` selects, newest first.
    async fn audit_events(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEvent>>;
    /// Deletes at most `batch` audit events older than `before`; how many it deleted.
    async fn purge_audit(&self, before: DateTime<Utc>, batch: u32) -> StoreResult<u64>;

    /// Writes a pool's name, token lifetime, registration policy and algorithm, and, when the algorithm changes,
    /// adds `new_key` (of the new algorithm) as its active key, in one transaction. `NotFound` for an unknown pool.
    async fn update_pool(&self, pool: &Pool, new_key: Option<&SigningKey>) -> StoreResult<()>;
    /// Deletes a pool and everything of it (users, identities, keys, settings, sessions, tickets, avatars) in one
    /// transaction; `false` when there is no such pool. Its audit events stay.
    async fn delete_pool(&self, id: &PoolId) -> StoreResult<bool>;

    /// The pool's users `filter` selects, newest first.
    async fn search_users(&self, pool: &PoolId, filter: &UserFilter) -> StoreResult<Vec<User>>;
    /// The WeChat identities linked to a user, oldest first.
    async fn wechat_identities(
        &self,
        pool: &PoolId,
        user: &UserId,
    ) -> StoreResult<Vec<WechatIdentity>>;
    /// Erases a user and everything of theirs (identities, the phones WeChat verified for them, metadata, avatars,
    /// tickets, QR sessions) in one transaction; `false` when there is no such user.
    async fn delete_user(&self, pool: &PoolId, user: &UserId) -> StoreResult<bool>;
}
