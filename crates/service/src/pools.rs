//! User pools: creation with their first signing key, listing, secret rotation, signing key rotation and
//! retirement, published keys. Looking a pool up and checking its secret are the core's (`shared/pool_cache.rs`),
//! since every flow does them.

use chrono::{DateTime, Utc};
use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{
    JwtAlgorithm, Pool, PoolId, PoolName, RegistrationPolicy, SigningKey, SigningKeyState,
    TokenLifetime,
};
use denglu_store::StoreError;
use denglu_tokens::generate_signing_key;
use serde_json::Value;

use crate::{
    ServiceError, ServiceResult,
    shared::{blocking::run_blocking, flow_view},
};

flow_view! {
    /// User pools: creation with their first signing key, listing, secret rotation, signing key rotation, published
    /// keys.
    Pools
}

/// Settings of a new pool.
#[derive(Debug, Clone)]
pub struct CreatePool {
    /// Display name.
    pub name: PoolName,
    /// Token signing algorithm.
    pub algorithm: JwtAlgorithm,
    /// Token lifetime.
    pub token_lifetime: TokenLifetime,
    /// Who may sign up.
    pub registration_policy: RegistrationPolicy,
}

/// Changes to a pool's settings; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default)]
pub struct PoolChange {
    /// A new display name.
    pub name: Option<PoolName>,
    /// A new token lifetime, for tokens issued from now on.
    pub token_lifetime: Option<TokenLifetime>,
    /// A new registration policy.
    pub registration_policy: Option<RegistrationPolicy>,
    /// A new signing algorithm: a new key of it becomes the active key, and the old keys keep verifying the tokens
    /// they signed until they are retired.
    pub algorithm: Option<JwtAlgorithm>,
}

/// A new pool and its secret, which is shown this once and never stored.
#[derive(Debug)]
pub struct CreatedPool {
    /// The pool.
    pub pool: Pool,
    /// The pool secret in clear.
    pub secret: String,
}

/// A pool's signing key as operators see it: never its secret part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolSigningKey {
    /// Key id (`kid` in token headers and the JWKS).
    pub kid: String,
    /// The algorithm it signs with (the pool's).
    pub algorithm: JwtAlgorithm,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// When it was retired, if it was.
    pub retired_at: Option<DateTime<Utc>>,
    /// Active (signs), previous (still verifies) or retired.
    pub state: SigningKeyState,
}

/// The keys as the store lists them (newest first), with their states.
fn with_states(keys: &[SigningKey]) -> Vec<PoolSigningKey> {
    keys.iter()
        .enumerate()
        .map(|(index, key)| PoolSigningKey {
            kid: key.kid.clone(),
            algorithm: key.algorithm,
            created_at: key.created_at,
            retired_at: key.retired_at,
            state: key.state(index == 0),
        })
        .collect()
}

/// A new pool secret: 24 random bytes, 32 characters.
fn new_pool_secret() -> String {
    random_token(24)
}

impl Pools<'_> {
    /// Creates a pool and its first signing key, atomically.
    #[tracing::instrument(skip_all)]
    pub async fn create(&self, input: CreatePool) -> ServiceResult<CreatedPool> {
        let now = self.clock.now();
        let id = PoolId::generate(now);
        let secret = new_pool_secret();
        let pool = Pool {
            id: id.clone(),
            name: input.name,
            secret_hash: hash_secret(&secret),
            jwt_algorithm: input.algorithm,
            token_lifetime: input.token_lifetime,
            registration_policy: input.registration_policy,
            created_at: now,
            updated_at: now,
        };
        let master = self.master_key.clone();
        let key =
            run_blocking(move || generate_signing_key(id, input.algorithm, now, &master)).await?;
        self.store.insert_pool(&pool, &key).await?;
        tracing::info!(pool_id = %pool.id, algorithm = %pool.jwt_algorithm, "pool created");
        Ok(CreatedPool { pool, secret })
    }

    /// Changes a pool's settings and returns the pool before and after. A new algorithm brings a new active key of
    /// it, written with the settings in one transaction.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn update(&self, id: &PoolId, change: PoolChange) -> ServiceResult<(Pool, Pool)> {
        let before = self.fresh_pool(id).await?;
        let mut pool = before.clone();
        let now = self.clock.now();
        let new_key = match change.algorithm.filter(|a| *a != pool.jwt_algorithm) {
            None => None,
            Some(algorithm) => {
                let (pool_id, master) = (id.clone(), self.master_key.clone());
                Some(
                    run_blocking(move || generate_signing_key(pool_id, algorithm, now, &master))
                        .await?,
                )
            }
        };
        pool.name = change.name.unwrap_or(pool.name);
        pool.token_lifetime = change.token_lifetime.unwrap_or(pool.token_lifetime);
        pool.registration_policy = change
            .registration_policy
            .unwrap_or(pool.registration_policy);
        pool.jwt_algorithm = change.algorithm.unwrap_or(pool.jwt_algorithm);
        pool.updated_at = now;
        match self
            .store
            .admin()
            .update_pool(&pool, new_key.as_ref())
            .await
        {
            Ok(()) => {}
            Err(StoreError::NotFound) => return Err(ServiceError::PoolNotFound),
            Err(StoreError::Conflict { .. }) => {
                return Err(ServiceError::Rejected(
                    "another key was added to this pool at the same moment; try again".to_owned(),
                ));
            }
            Err(other) => return Err(other.into()),
        }
        self.forget_pool(id).await;
        tracing::info!(pool_id = %id, "pool settings changed");
        Ok((before, pool))
    }

    /// Deletes a pool and everything of it: its users and their identities, metadata and avatars, its keys,
    /// settings, QR sessions and tickets. `confirmation` must repeat the pool id, so that a slip cannot delete
    /// the wrong pool.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn delete(&self, id: &PoolId, confirmation: &str) -> ServiceResult<Pool> {
        let pool = self.fresh_pool(id).await?;
        if !confirmation.eq_ignore_ascii_case(id.as_str()) {
            return Err(ServiceError::Rejected(
                "to delete a pool, repeat its id in `confirm`".to_owned(),
            ));
        }
        if !self.store.admin().delete_pool(id).await? {
            return Err(ServiceError::PoolNotFound);
        }
        self.forget_pool(id).await;
        tracing::info!(pool_id = %id, "pool deleted");
        Ok(pool)
    }

    /// The pool as stored now, not as this replica's cache remembers it.
    async fn fresh_pool(&self, id: &PoolId) -> ServiceResult<Pool> {
        self.store.pool(id).await?.ok_or(ServiceError::PoolNotFound)
    }

    /// All pools.
    #[tracing::instrument(skip_all)]
    pub async fn list(&self) -> ServiceResult<Vec<Pool>> {
        Ok(self.store.pools().await?)
    }

    /// Replaces the pool secret and returns the new one, shown this once.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn rotate_secret(&self, id: &PoolId) -> ServiceResult<String> {
        let secret = new_pool_secret();
        match self
            .store
            .set_pool_secret(id, &hash_secret(&secret), self.clock.now())
            .await
        {
            Ok(()) => {
                self.forget_pool(id).await;
                tracing::info!(pool_id = %id, "pool secret rotated");
                Ok(secret)
            }
            Err(denglu_store::StoreError::NotFound) => Err(ServiceError::PoolNotFound),
            Err(other) => Err(other.into()),
        }
    }

    /// The pool's public keys as a JWKS document (empty for HS256 pools).
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn jwks(&self, id: &PoolId) -> ServiceResult<Value> {
        self.pool(id).await?;
        Ok(denglu_tokens::jwks(&self.store.signing_keys(id).await?))
    }

    /// The pool's signing keys, newest first: the active key, then the previous and retired ones.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn signing_keys(&self, id: &PoolId) -> ServiceResult<Vec<PoolSigningKey>> {
        self.pool(id).await?;
        Ok(with_states(&self.store.signing_keys(id).await?))
    }

    /// Makes a new key of the pool's algorithm its active key: it signs every token from now on, while the
    /// previous keys still verify the tokens they signed until they are retired. For an HS256 pool the new key is a
    /// new JWT secret, which [`Pools::jwt_secret`] returns from now on.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn rotate_signing_key(&self, id: &PoolId) -> ServiceResult<PoolSigningKey> {
        let algorithm = self.pool(id).await?.jwt_algorithm;
        let (pool, now, master) = (id.clone(), self.clock.now(), self.master_key.clone());
        let key = run_blocking(move || generate_signing_key(pool, algorithm, now, &master)).await?;
        match self.store.insert_signing_key(&key).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => {
                return Err(ServiceError::Rejected(
                    "another key was added to this pool at the same moment; list its keys before rotating again"
                        .to_owned(),
                ));
            }
            Err(other) => return Err(other.into()),
        }
        self.forget_pool(id).await;
        tracing::info!(pool_id = %id, kid = %key.kid, "signing key rotated");
        Ok(with_states(std::slice::from_ref(&key)).remove(0))
    }

    /// Retires the pool's key `kid`: from now on the tokens it signed are refused (2207, like any invalid token)
    /// and the JWKS no longer lists it. The active key cannot be retired (rotate first), nor a key twice.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn retire_signing_key(
        &self,
        id: &PoolId,
        kid: &str,
    ) -> ServiceResult<PoolSigningKey> {
        self.pool(id).await?;
        let retired = self
            .store
            .retire_signing_key(id, kid, self.clock.now())
            .await?;
        let key = with_states(&self.store.signing_keys(id).await?)
            .into_iter()
            .find(|key| key.kid == kid)
            .ok_or_else(|| {
                ServiceError::Rejected("the pool has no signing key with this kid".to_owned())
            })?;
        if !retired {
            return Err(ServiceError::Rejected(match key.state {
                SigningKeyState::Active => format!(
                    "key {kid} is the pool's active key and cannot be retired; rotate first, then retire it"
                ),
                SigningKeyState::Retired => format!("key {kid} is already retired"),
                SigningKeyState::Previous => {
                    format!("key {kid} changed while being retired; list the keys and try again")
                }
            }));
        }
        self.forget_pool(id).await;
        tracing::info!(pool_id = %id, kid = %key.kid, "signing key retired");
        Ok(key)
    }

    /// The HS256 JWT secret that Authing-era backends verify tokens with: the active key's, which signs new tokens
    /// (after a rotation, the new one). `None` unless the pool signs with HS256.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %id))]
    pub async fn jwt_secret(&self, id: &PoolId) -> ServiceResult<Option<String>> {
        let cached = self.cached_pool(id).await?;
        Ok(cached
            .keys()?
            .first()
            .and_then(|key| key.shared_secret.clone()))
    }
}
