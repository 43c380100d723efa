//! The storage interface every backend implements, so business code never knows which database it talks to.

mod admin;
mod error;
mod oidc;
mod oidc_clients;
mod operators;
mod wechat_apps;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    AppId, AppLoginSettings, AppTicket, CachedAccessToken, ClientId, LoginName, Pool, PoolId,
    QrSession, QrSettings, Scanner, SecretHash, ServerKey, SigningKey, User, UserId,
    WechatIdentity,
};

pub use admin::AdminStore;
pub use error::{Constraint, StoreError};
pub use oidc::OidcStore;
pub use oidc_clients::OidcClientStore;
pub use operators::{CompletedSetup, OperatorStore};
pub use wechat_apps::{OwnAppChange, WechatAppStore};

/// Notices of changed QR sessions (their scenes), from every replica sharing the database; [`EVERY_QR_SCENE`] when
/// notices may have been lost.
pub type QrChanges = tokio::sync::broadcast::Receiver<std::sync::Arc<str>>;

/// The notice that any QR session may have changed (the notice connection was lost and is back: what was announced
/// meanwhile is unknown), so every watcher re-reads its session. No scene is spelt like it.
pub const EVERY_QR_SCENE: &str = "*";

/// Notices of tokens and clients that may have stopped working: a user was blocked, unblocked, logged out everywhere
/// or deleted, an OpenID Connect grant was revoked, a client changed or was deleted; from every replica sharing the
/// database.
pub type Revocations = tokio::sync::broadcast::Receiver<Revocation>;

/// What a revocation notice says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// This user's standing changed.
    User(PoolId, UserId),
    /// This OpenID Connect grant (its id) was revoked.
    Grant(PoolId, String),
    /// This OpenID Connect client was changed (its secret, say) or deleted.
    Client(PoolId, ClientId),
    /// Anything may have (notices were lost, or one could not be read): forget everything.
    Everyone,
}

impl Revocation {
    /// The notice as it travels between processes: `user <pool> <id>`, `grant <pool> <id>`, `client <pool> <id>`, or
    /// `*`.
    pub fn to_payload(&self) -> String {
        match self {
            Self::User(pool, user) => format!("user {pool} {user}"),
            Self::Grant(pool, grant) => format!("grant {pool} {grant}"),
            Self::Client(pool, client) => format!("client {pool} {client}"),
            Self::Everyone => EVERY_QR_SCENE.to_owned(),
        }
    }

    /// A notice read back from [`Revocation::to_payload`]; anything unreadable means everything.
    pub fn from_payload(payload: &str) -> Self {
        let mut parts = payload.splitn(3, ' ');
        let (Some(kind), Some(pool), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            return Self::Everyone;
        };
        let Ok(pool) = PoolId::parse(pool) else {
            return Self::Everyone;
        };
        match kind {
            "user" => UserId::parse(id).map_or(Self::Everyone, |user| Self::User(pool, user)),
            "grant" => Self::Grant(pool, id.to_owned()),
            "client" => {
                ClientId::parse(id).map_or(Self::Everyone, |client| Self::Client(pool, client))
            }
            _ => Self::Everyone,
        }
    }
}

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

/// How many expired records one [`Store::purge_expired`] call deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PurgeCount {
    /// QR login sessions.
    pub qr_sessions: u64,
    /// App-login tickets.
    pub app_tickets: u64,
    /// Rate-limit windows that ended.
    pub rate_limit_windows: u64,
    /// Avatars replaced by a newer upload.
    pub avatars: u64,
    /// Operator sessions past their absolute timeout.
    pub operator_sessions: u64,
    /// OpenID Connect IdP sessions.
    pub oidc_sessions: u64,
    /// Authorization codes, used or not (besides those that went with their grant).
    pub oidc_codes: u64,
    /// Grants past their absolute lifetime, with their codes and refresh tokens.
    pub oidc_grants: u64,
    /// The device flow's pending authorizations.
    pub oidc_device_codes: u64,
}

impl PurgeCount {
    /// Adds `other`'s counts to these.
    pub fn add(&mut self, other: Self) {
        self.qr_sessions += other.qr_sessions;
        self.app_tickets += other.app_tickets;
        self.rate_limit_windows += other.rate_limit_windows;
        self.avatars += other.avatars;
        self.operator_sessions += other.operator_sessions;
        self.oidc_sessions += other.oidc_sessions;
        self.oidc_codes += other.oidc_codes;
        self.oidc_grants += other.oidc_grants;
        self.oidc_device_codes += other.oidc_device_codes;
    }

    /// Whether some kind deleted a whole batch of `batch`, so that more of it may be left.
    pub fn filled_a_batch(self, batch: u32) -> bool {
        let counts = [
            self.qr_sessions,
            self.app_tickets,
            self.rate_limit_windows,
            self.avatars,
            self.operator_sessions,
            self.oidc_sessions,
            self.oidc_codes,
            self.oidc_grants,
            self.oidc_device_codes,
        ];
        counts.into_iter().any(|count| count >= u64::from(batch))
    }
}

/// An uploaded avatar to store.
#[derive(Debug, Clone, Copy)]
pub struct NewAvatar<'a> {
    /// Its file name (`<random>.png`), unique.
    pub name: &'a str,
    /// The PNG, re-encoded by denglu.
    pub png: &'a [u8],
    /// The URL the user's photo becomes.
    pub photo: &'a str,
}

/// How the store's connection pool is used: a snapshot for metrics, taken when asked.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PoolUse {
    /// Connections lent to a request now.
    pub in_use: u32,
    /// Open connections waiting for a request.
    pub idle: u32,
    /// The most connections the pool opens (`database.max_connections`).
    pub max: u32,
    /// Connections handed to a request since the start.
    pub acquires: u64,
    /// Time requests spent waiting for those connections, in total, in seconds.
    pub acquire_wait_seconds: f64,
    /// Waits that gave up after the acquire timeout (the request failed as unavailable).
    pub acquire_timeouts: u64,
}

/// Persistent state of denglu. Implementations keep every write atomic: a call either fully happens or not at all.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;
    /// How the connection pool is used now.
    fn pool_use(&self) -> PoolUse;
    /// The operator area: admin tokens, the audit log, changing and deleting pools, searching and erasing users.
    fn admin(&self) -> &dyn AdminStore;
    /// Operator accounts, their recovery codes and browser sessions.
    fn operators(&self) -> &dyn OperatorStore;
    /// The pools' WeChat apps.
    fn wechat_apps(&self) -> &dyn WechatAppStore;
    /// The pools' applications (OpenID Connect clients).
    fn oidc_clients(&self) -> &dyn OidcClientStore;
    /// What OpenID Connect logins leave: IdP sessions, codes, grants, refresh tokens, consents.
    fn oidc(&self) -> &dyn OidcStore;

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
    /// A pool's signing keys, retired ones included, in the reverse of the order they were added: the first is
    /// the active key (it is never retired), whatever the keys' `created_at`.
    async fn signing_keys(&self, pool: &PoolId) -> StoreResult<Vec<SigningKey>>;
    /// Adds a key to its pool after all of its keys, so it becomes the active key. `Conflict` when another key was
    /// added to the pool at the same moment (nothing is written then).
    async fn insert_signing_key(&self, key: &SigningKey) -> StoreResult<()>;
    /// Retires the pool's key `kid` at `at`, in one conditional write: only if the key exists, is not retired and
    /// is not the pool's newest (active) key. Whether it was retired.
    async fn retire_signing_key(
        &self,
        pool: &PoolId,
        kid: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// A deployment-wide key by name.
    async fn server_key(&self, name: &str) -> StoreResult<Option<ServerKey>>;
    /// Stores a deployment-wide key. `Conflict` when one with this name exists (another replica made it first).
    async fn insert_server_key(&self, key: &ServerKey) -> StoreResult<()>;

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
    /// Keeps `token` as its app's access token, replacing one that expires earlier; a stored token that expires no
    /// earlier stays (one conditional write, so a replica saving an older token late cannot overwrite a newer one).
    async fn save_wechat_access_token(&self, token: &CachedAccessToken) -> StoreResult<()>;
    /// Forgets the access token of `appid` only if its hash is still `hash`; a newer token stays.
    async fn discard_wechat_access_token(
        &self,
        appid: &AppId,
        hash: &SecretHash,
    ) -> StoreResult<()>;

    /// The user of a WeChat identity: by openid in `appid`, else by `unionid` in any of the pool's mini programs.
    async fn user_by_wechat_identity(
        &self,
        pool: &PoolId,
        appid: &AppId,
        openid: &str,
        unionid: Option<&str>,
    ) -> StoreResult<Option<User>>;
    /// The pool's user with this phone number.
    async fn user_by_phone(&self, pool: &PoolId, phone: &str) -> StoreResult<Option<User>>;
    /// Creates a user and their first WeChat identity together. `Conflict` when either exists.
    async fn insert_wechat_user(&self, user: &User, identity: &WechatIdentity) -> StoreResult<()>;
    /// Links another WeChat identity to an existing user. `Conflict` when it is linked already.
    async fn link_wechat_identity(&self, identity: &WechatIdentity) -> StoreResult<()>;
    /// Records a server-verified phone on a user; `Conflict` when another user of the pool has it.
    async fn set_verified_phone(
        &self,
        pool: &PoolId,
        user: &UserId,
        phone: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<User>;

    /// Records that WeChat verified `phone` for the identity (pool, appid, openid).
    async fn record_verified_phone(
        &self,
        pool: &PoolId,
        appid: &AppId,
        openid: &str,
        phone: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The pool's user with `phone`, if WeChat verified that phone for this identity.
    async fn user_by_verified_phone(
        &self,
        pool: &PoolId,
        appid: &AppId,
        openid: &str,
        phone: &str,
    ) -> StoreResult<Option<User>>;
    /// Overwrites a user's nickname and avatar. `NotFound` for an unknown user.
    async fn set_profile(
        &self,
        pool: &PoolId,
        user: &UserId,
        nickname: Option<&str>,
        photo: Option<&str>,
        at: DateTime<Utc>,
    ) -> StoreResult<User>;

    /// A user's metadata, in key order.
    async fn user_metadata(
        &self,
        pool: &PoolId,
        user: &UserId,
    ) -> StoreResult<Vec<(String, String)>>;
    /// Sets one metadata key of a user, unless that would give the user more than `max_keys` keys: changing an
    /// existing key is always allowed, a new key only while the user has fewer than `max_keys`. The count is part
    /// of the same atomic write, so concurrent calls never take the user past `max_keys`. `true` when stored,
    /// `false` when refused because the user is full; `NotFound` for an unknown user.
    async fn set_user_metadata(
        &self,
        pool: &PoolId,
        user: &UserId,
        key: &str,
        value: &str,
        max_keys: usize,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Removes one metadata key of a user (an absent key is fine).
    async fn remove_user_metadata(
        &self,
        pool: &PoolId,
        user: &UserId,
        key: &str,
    ) -> StoreResult<()>;

    /// A pool's QR settings, if it has any stored.
    async fn qr_settings(&self, pool: &PoolId) -> StoreResult<Option<QrSettings>>;
    /// Stores a pool's QR settings.
    async fn save_qr_settings(&self, settings: &QrSettings) -> StoreResult<()>;
    /// A pool's logo PNG, if it has one.
    async fn pool_logo(&self, pool: &PoolId) -> StoreResult<Option<Vec<u8>>>;
    /// Replaces (`Some`) or removes (`None`) a pool's logo.
    async fn save_pool_logo(
        &self,
        pool: &PoolId,
        png: Option<&[u8]>,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Stores `png` (re-encoded by denglu) as the avatar called `name` and sets the user's photo to `photo`, its
    /// URL, in one transaction. The avatar it replaces expires at `at` and is served until the purge deletes it.
    /// `NotFound` for an unknown user, with nothing stored.
    async fn set_avatar(
        &self,
        pool: &PoolId,
        user: &UserId,
        avatar: NewAvatar<'_>,
        at: DateTime<Utc>,
    ) -> StoreResult<User>;
    /// The image of the uploaded avatar called `name`, until the purge deletes it.
    async fn avatar(&self, name: &str) -> StoreResult<Option<Vec<u8>>>;

    /// Stores a new QR session. `Conflict` when its poll secret is already in use.
    async fn insert_qr_session(&self, session: &QrSession) -> StoreResult<()>;
    /// The QR session with this scene.
    async fn qr_session(&self, scene: &str) -> StoreResult<Option<QrSession>>;
    /// The QR session with this poll secret hash.
    async fn qr_session_by_poll_secret(&self, hash: &SecretHash) -> StoreResult<Option<QrSession>>;
    /// pending → scanned, recording the scanner. `false` when the session was not pending, or had expired at
    /// `scanner.at` (the expiry is part of the same conditional update, so no move happens at or after it).
    async fn record_qr_scan(&self, scene: &str, scanner: &Scanner) -> StoreResult<bool>;
    /// scanned → confirmed for `user`. `false` when the session was not scanned, or had expired at `at`.
    async fn confirm_qr(&self, scene: &str, user: &UserId, at: DateTime<Utc>) -> StoreResult<bool>;
    /// pending or scanned → cancelled. `false` when it was neither, or had expired at `at`.
    async fn cancel_qr(&self, scene: &str, at: DateTime<Utc>) -> StoreResult<bool>;
    /// confirmed → claimed, counting the login of the session's user (`pool`, `user`) in the same transaction:
    /// both happen or neither does, so a failure leaves the session confirmed for a later claim. `true` when this
    /// call claimed it; `false`, counting nothing, when it was not confirmed for this user (e.g. another poll
    /// claimed it first) or had expired at `login.at`. Of concurrent calls at most one returns `true`.
    async fn claim_qr(
        &self,
        hash: &SecretHash,
        pool: &PoolId,
        user: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<bool>;

    /// A pool's app-launched login settings, if it has any stored.
    async fn app_login_settings(&self, pool: &PoolId) -> StoreResult<Option<AppLoginSettings>>;
    /// Stores a pool's app-launched login settings.
    async fn save_app_login_settings(&self, settings: &AppLoginSettings) -> StoreResult<()>;
    /// Stores a new ticket.
    async fn insert_app_ticket(&self, ticket: &AppTicket) -> StoreResult<()>;
    /// The ticket with this hash, used or not.
    async fn app_ticket(&self, hash: &SecretHash) -> StoreResult<Option<AppTicket>>;
    /// Marks the ticket of `pool` and `user` used, counting the user's login in the same transaction: both happen or
    /// neither does. `true` when this call redeemed it; `false`, counting nothing, when it was used already, had
    /// expired at `login.at`, or is not that pool's ticket for that user. Of concurrent calls at most one returns
    /// `true`.
    async fn redeem_app_ticket(
        &self,
        pool: &PoolId,
        hash: &SecretHash,
        user: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<bool>;
    /// Marks the pool's ticket used without a login (an exchange refused after the ticket was found: expired, its user
    /// blocked or gone), as [`Store::redeem_app_ticket`] would have; `false` when it was used already.
    async fn use_up_app_ticket(
        &self,
        pool: &PoolId,
        hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;

    /// Counts an attempt at `at` on the shared rate limit `key` (a hash of the limit's name and key) and answers
    /// whether it is allowed: at most `limit` attempts per window, a window lasting `window` from the first attempt
    /// after the previous window ended. A refused attempt is not counted. One atomic step: of concurrent attempts
    /// from any number of replicas, at most `limit` in a window are allowed.
    async fn count_attempt(
        &self,
        key: &SecretHash,
        limit: u32,
        at: DateTime<Utc>,
        window: chrono::TimeDelta,
    ) -> StoreResult<bool>;

    /// Deletes at most `batch` QR sessions, at most `batch` app-login tickets, at most `batch` rate-limit windows
    /// and at most `batch` replaced avatars that expired before `before`. Safe to run from several replicas at once: each record is deleted by one of
    /// them, and none waits for another.
    async fn purge_expired(&self, before: DateTime<Utc>, batch: u32) -> StoreResult<PurgeCount>;

    /// Tells every replica sharing the database that the QR session of `scene` changed; this one has heard before it
    /// returns.
    async fn announce_qr_change(&self, scene: &str) -> StoreResult<()>;
    /// Notices announced from now on by any replica (PostgreSQL: LISTEN/NOTIFY; SQLite: this process), and
    /// [`EVERY_QR_SCENE`] after notices may have been lost.
    fn qr_changes(&self) -> QrChanges;

    /// Revocation notices from now on, announced by this store whenever a user is blocked, unblocked, logged out
    /// everywhere or deleted, a grant is revoked, or a client changed or deleted (PostgreSQL: LISTEN/NOTIFY between replicas; SQLite: this
    /// process), and [`Revocation::Everyone`] after notices may have been lost. The replica that made the change has
    /// heard it before the change returns.
    fn revocations(&self) -> Revocations;

    /// Whether the notices reach every process using the database (PostgreSQL), or only this one (SQLite: a `denglu`
    /// command run against the file changes it unheard), so that what a notice would clear may be remembered.
    fn notices_reach_every_process(&self) -> bool;
}
