//! The storage interface every backend implements, so business code never knows which database it talks to.

mod error;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    AppId, CachedAccessToken, LoginName, Pool, PoolId, SecretHash, SigningKey, User, UserId,
};

pub use error::{Constraint, StoreError};

/// Result of a store operation.
pub type StoreResult<T> = Result<T, StoreError>;

/// What a successful login changes on the user record.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    /// When the user logged in.
    pub at: DateTime<Utc>,
    /// The client address, if known.
    pub ip: Option<String>,
    /// Expiry of the token issued for this login.
    pub token_expires_at: DateTime<Utc>,
}

/// Persistent state of denglu. Implementations keep every write atomic: a call either fully happens or not at all.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;

    /// Creates a pool together with its first signing key.
    async fn insert_pool(&self, pool: &Pool, key: &SigningKey) -> StoreResult<()>;
    /// The pool with this id.
    async fn pool(&self, id: &PoolId) -> StoreResult<Option<Pool>>;
    /// All pools, oldest first.
    async fn pools(&self) -> StoreResult<Vec<Pool>>;
    /// Replaces a pool's secret hash. `NotFound` for an unknown pool.
    async fn set_pool_secret(
        &self,
        id: &PoolId,
        hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// A pool's signing keys, newest first.
    async fn signing_keys(&self, pool: &PoolId) -> StoreResult<Vec<SigningKey>>;

    /// Creates a user. `Conflict` when the username, e-mail or phone is taken in the pool.
    async fn insert_user(&self, user: &User) -> StoreResult<()>;
    /// A user of the pool by id.
    async fn user(&self, pool: &PoolId, id: &UserId) -> StoreResult<Option<User>>;
    /// A user of the pool by e-mail or username (case-insensitive).
    async fn user_by_login(&self, pool: &PoolId, login: &LoginName) -> StoreResult<Option<User>>;
    /// A page of the pool's users, oldest first.
    async fn users(&self, pool: &PoolId, limit: u32, offset: u32) -> StoreResult<Vec<User>>;
    /// Counts a login and returns the updated user. `NotFound` for an unknown user.
    async fn record_login(
        &self,
        pool: &PoolId,
        id: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<User>;
    /// Rejects every token issued before `at` (logout). `NotFound` for an unknown user.
    async fn revoke_tokens(
        &self,
        pool: &PoolId,
        id: &UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<User>;
    /// Blocks (revoking every token issued before `at`) or unblocks a user. `NotFound` for an unknown user.
    async fn set_blocked(
        &self,
        pool: &PoolId,
        id: &UserId,
        blocked: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<User>;

    /// The WeChat access token cached for `appid`, if any.
    async fn wechat_access_token(&self, appid: &AppId) -> StoreResult<Option<CachedAccessToken>>;
    /// Keeps `token` as its app's access token, replacing any other.
    async fn save_wechat_access_token(&self, token: &CachedAccessToken) -> StoreResult<()>;
    /// Forgets the access token of `appid` only if its hash is still `hash`; a newer token stays.
    async fn discard_wechat_access_token(
        &self,
        appid: &AppId,
        hash: &SecretHash,
    ) -> StoreResult<()>;
}
