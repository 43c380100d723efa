//! Looking a pool up (with its secret checked, or its issuer URL): pools, their opened signing keys, their
//! app-launch settings and their WeChat apps are kept by each replica for a few seconds, since token checks and
//! logins read them on every request. Changes made through these services show at once on this replica; changes made
//! elsewhere (another replica, `denglu pool rotate-secret`, `denglu key rotate`/`retire`, `denglu app …`) show
//! within [`POOL_CACHE_TTL`].

use std::{sync::Arc, time::Duration};

use denglu_domain::{AppLoginSettings, Pool, PoolId, WechatApp};
use denglu_tokens::KeyMaterial;
use moka::future::Cache;

use crate::{Core, ServiceError, ServiceResult};

/// How long a replica trusts what it read of a pool and its keys.
pub const POOL_CACHE_TTL: Duration = Duration::from_secs(5);

/// More pools than one replica is expected to serve; past it the least used are read again when needed.
const MAX_CACHED_POOLS: u64 = 10_000;

/// A pool as read from the store, with its live (not retired) keys opened, newest (active) first: while a pool moves to
/// another algorithm, the keys of the old one verify the tokens they signed until they are retired.
pub(crate) struct CachedPool {
    pub(crate) pool: Pool,
    /// The opened keys, or why they could not be opened (a master key that is not the one that sealed them): that
    /// fails what signs or verifies, not what only reads the pool, such as the admin commands that run without the
    /// master key.
    keys: Result<Vec<Arc<KeyMaterial>>, String>,
    /// The pool's app-launch settings, read when a ticket is first minted or exchanged.
    pub(crate) app_login: tokio::sync::OnceCell<AppLoginSettings>,
    /// The pool's WeChat apps, read when a login first needs the app that serves it.
    pub(crate) wechat_apps: tokio::sync::OnceCell<Vec<WechatApp>>,
}

impl CachedPool {
    /// The pool's live keys, newest (active) first; an internal error when they could not be opened.
    pub(crate) fn keys(&self) -> ServiceResult<&[Arc<KeyMaterial>]> {
        self.keys
            .as_deref()
            .map_err(|why| ServiceError::Internal(why.clone()))
    }
}

/// The per-replica pool cache.
#[derive(Clone)]
pub(crate) struct PoolCache(Cache<PoolId, Arc<CachedPool>>);

impl Default for PoolCache {
    fn default() -> Self {
        Self(
            Cache::builder()
                .max_capacity(MAX_CACHED_POOLS)
                .time_to_live(POOL_CACHE_TTL)
                .build(),
        )
    }
}

impl Core {
    /// The pool and its opened keys, from the cache or else the store; `PoolNotFound` if there is no such pool
    /// (which is not remembered, so a pool made elsewhere is found at once).
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %id))]
    pub(crate) async fn cached_pool(&self, id: &PoolId) -> ServiceResult<Arc<CachedPool>> {
        if let Some(hit) = self.pools.0.get(id).await {
            return Ok(hit);
        }
        let pool = self
            .store
            .pool(id)
            .await?
            .ok_or(ServiceError::PoolNotFound)?;
        let stored = self.store.signing_keys(id).await?;
        let keys = stored
            .iter()
            .filter(|key| key.retired_at.is_none())
            .map(|key| KeyMaterial::open(key, &self.master_key).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("cannot open the signing keys of pool {id}: {e}"));
        let entry = Arc::new(CachedPool {
            pool,
            keys,
            app_login: tokio::sync::OnceCell::new(),
            wechat_apps: tokio::sync::OnceCell::new(),
        });
        self.pools.0.insert(id.clone(), Arc::clone(&entry)).await;
        Ok(entry)
    }

    /// Drops what this replica remembers of a pool, after changing it.
    pub(crate) async fn forget_pool(&self, id: &PoolId) {
        self.pools.0.invalidate(id).await;
    }

    /// The pool with this id, or `PoolNotFound`; what this replica read of it in the last [`POOL_CACHE_TTL`].
    ///
    /// [`POOL_CACHE_TTL`]: crate::POOL_CACHE_TTL
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %id))]
    pub async fn pool(&self, id: &PoolId) -> ServiceResult<Pool> {
        Ok(self.cached_pool(id).await?.pool.clone())
    }

    /// The pool, if `secret` is its pool secret (compared in constant time); `Forbidden` otherwise.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %id))]
    pub async fn authorize_pool(&self, id: &PoolId, secret: Option<&str>) -> ServiceResult<Pool> {
        let pool = self.pool(id).await?;
        match secret {
            Some(secret) if denglu_crypto::secret_matches(secret, &pool.secret_hash) => Ok(pool),
            _ => Err(ServiceError::Refused(crate::ErrorCode::Forbidden)),
        }
    }

    /// The issuer (`iss`) of the pool's tokens; its JWKS is at `<issuer>/jwks.json`.
    pub fn pool_issuer(&self, id: &PoolId) -> String {
        format!("{}/api/v1/pools/{id}", self.public_url)
    }
}
