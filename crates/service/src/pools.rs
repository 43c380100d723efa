//! User pools: creation with their first signing key, listing, secret rotation, published keys. Looking a pool up
//! and checking its secret are the core's (`shared/pool_cache.rs`), since every flow does them.

use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{JwtAlgorithm, Pool, PoolId, PoolName, RegistrationPolicy, TokenLifetime};
use denglu_tokens::generate_signing_key;
use serde_json::Value;

use crate::{
    ServiceError, ServiceResult,
    shared::{blocking::run_blocking, flow_view},
};

flow_view! {
    /// User pools: creation with their first signing key, listing, secret rotation, published keys.
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

/// A new pool and its secret, which is shown this once and never stored.
#[derive(Debug)]
pub struct CreatedPool {
    /// The pool.
    pub pool: Pool,
    /// The pool secret in clear.
    pub secret: String,
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

    /// The HS256 JWT secret that Authing-era backends verify tokens with; `None` unless the pool signs with HS256.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %id))]
    pub async fn jwt_secret(&self, id: &PoolId) -> ServiceResult<Option<String>> {
        let cached = self.cached_pool(id).await?;
        Ok(cached
            .keys
            .first()
            .and_then(|key| key.shared_secret.clone()))
    }
}
