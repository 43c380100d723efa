//! The store's record of OpenID Connect logins: IdP sessions, authorization codes, grants, refresh tokens,
//! consents and the device flow's pending authorizations. Reached through [`crate::Store::oidc`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    AuthorizationCode, ClientId, CodeUse, DeviceCode, IdpSession, OidcGrant, PoolId, RefreshToken,
    RefreshUse, Scope, SecretHash, UserId,
};

use crate::StoreResult;

/// Persistent state of the OpenID Connect provider. Every write is atomic, as for [`crate::Store`].
#[async_trait]
pub trait OidcStore: Send + Sync {
    /// Stores a new IdP session.
    async fn insert_idp_session(&self, session: &IdpSession) -> StoreResult<()>;
    /// The pool's session whose cookie hashes to `cookie_hash`, if it has not expired at `now`.
    async fn idp_session(
        &self,
        pool: &PoolId,
        cookie_hash: &SecretHash,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<IdpSession>>;
    /// Ends the pool's session `sid` at `at`: deletes it and revokes every grant given from it, in one transaction.
    /// The grants it revoked (for back-channel logout); empty when there was no such session.
    async fn end_idp_session(
        &self,
        pool: &PoolId,
        sid: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<OidcGrant>>;

    /// Stores a grant together with the authorization code that will activate it, in one transaction.
    async fn insert_code(&self, code: &AuthorizationCode, grant: &OidcGrant) -> StoreResult<()>;
    /// Presents the pool's code with this hash at `now`: marks it used if it was not (one conditional write), and
    /// returns it with its grant; a used code returns its grant to be revoked. Expiry is the caller's check.
    async fn use_code(
        &self,
        pool: &PoolId,
        code_hash: &SecretHash,
        now: DateTime<Utc>,
    ) -> StoreResult<CodeUse>;

    /// Stores a grant given without a code (`client_credentials`, the device flow).
    async fn insert_grant(&self, grant: &OidcGrant) -> StoreResult<()>;
    /// The pool's grant with this id.
    async fn grant(&self, pool: &PoolId, id: &str) -> StoreResult<Option<OidcGrant>>;
    /// Revokes the pool's grant at `at` unless it already is; whether it was live before.
    async fn revoke_grant(&self, pool: &PoolId, id: &str, at: DateTime<Utc>) -> StoreResult<bool>;

    /// Stores the first refresh token of a grant.
    async fn insert_refresh_token(&self, token: &RefreshToken) -> StoreResult<()>;
    /// Presents the pool's refresh token with this hash at `now`: if it was never used, marks it used and stores
    /// `successor` (same grant) in one transaction. Which grant it belongs to, and whether it had been used.
    async fn rotate_refresh_token(
        &self,
        pool: &PoolId,
        token_hash: &SecretHash,
        successor: &SecretHash,
        now: DateTime<Utc>,
    ) -> StoreResult<RefreshUse>;
    /// The grant of the pool's refresh token with this hash, used or not (for revocation and introspection), and
    /// whether it was used.
    async fn refresh_token_grant(
        &self,
        pool: &PoolId,
        token_hash: &SecretHash,
    ) -> StoreResult<Option<(OidcGrant, bool)>>;

    /// The scopes `user` consented to give `client`, if they ever did.
    async fn consent(
        &self,
        pool: &PoolId,
        user: &UserId,
        client: &ClientId,
    ) -> StoreResult<Option<Vec<Scope>>>;
    /// Remembers that `user` consented to give `client` these scopes (replacing what they consented to before).
    async fn save_consent(
        &self,
        pool: &PoolId,
        user: &UserId,
        client: &ClientId,
        scopes: &[Scope],
        at: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// Stores a device's pending authorization; `Conflict` when its user code is taken.
    async fn insert_device_code(&self, code: &DeviceCode) -> StoreResult<()>;
    /// The pool's device authorization whose device code hashes to `hash`.
    async fn device_code(
        &self,
        pool: &PoolId,
        hash: &SecretHash,
    ) -> StoreResult<Option<DeviceCode>>;
    /// The pool's device authorization with this user code.
    async fn device_code_by_user_code(
        &self,
        pool: &PoolId,
        user_code: &str,
    ) -> StoreResult<Option<DeviceCode>>;
}
