//! The keys of a pool's OIDC tokens: its newest live asymmetric key signs; every live asymmetric key verifies. A pool
//! whose own tokens are HS256 has no such key, so it gets a P-256 key of its own, made by the first replica that
//! needs it and kept sealed among the deployment's keys; it also verifies after the pool moves to RS256 or ES256.

use std::{sync::Arc, time::Duration};

use denglu_domain::{JwtAlgorithm, PoolId};
use denglu_store::StoreError;
use denglu_tokens::{KeyMaterial, generate_oidc_key, oidc_key_name, open_oidc_key};
use moka::future::Cache;
use serde_json::Value;

use crate::{Core, ServiceError, ServiceResult, pools::Pools, shared::blocking::run_blocking};

/// A pool's own OIDC key, opened, with its public JWK.
pub(crate) struct OwnKey {
    material: Arc<KeyMaterial>,
    jwk: Value,
}

/// Each replica's memory of the pools' own OIDC keys (`None`: the pool has none), re-read now and then so that a
/// key another replica made is found.
#[derive(Clone)]
pub(crate) struct OwnKeys(Cache<PoolId, Option<Arc<OwnKey>>>);

impl Default for OwnKeys {
    fn default() -> Self {
        Self(
            Cache::builder()
                .max_capacity(10_000)
                .time_to_live(Duration::from_secs(60))
                .build(),
        )
    }
}

/// The keys of one pool's OIDC tokens.
pub(crate) struct OidcKeys {
    /// The key that signs: the newest live asymmetric key of the pool, else its own OIDC key.
    pub(crate) signer: Arc<KeyMaterial>,
    /// Every key that verifies.
    pub(crate) verifiers: Vec<Arc<KeyMaterial>>,
}

impl Core {
    /// The pool's OIDC keys, making its own key when it has no asymmetric one.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool))]
    pub(crate) async fn oidc_keys(&self, pool: &PoolId) -> ServiceResult<OidcKeys> {
        let cached = self.cached_pool(pool).await?;
        let mut verifiers: Vec<Arc<KeyMaterial>> = cached
            .keys()?
            .iter()
            .filter(|key| key.algorithm != JwtAlgorithm::HS256)
            .cloned()
            .collect();
        if let Some(own) = self.own_oidc_key(pool, verifiers.is_empty()).await? {
            verifiers.push(Arc::clone(&own.material));
        }
        let signer = verifiers.first().cloned().ok_or_else(|| {
            ServiceError::Internal(format!("pool {pool} has no key for OIDC tokens"))
        })?;
        Ok(OidcKeys { signer, verifiers })
    }

    /// The pool's published OIDC keys: its live asymmetric keys and its own OIDC key, as a JWKS document.
    pub(crate) async fn oidc_jwks(&self, pool: &PoolId) -> ServiceResult<Value> {
        let mut document = Pools::new(self).jwks(pool).await?;
        let none_published = document["keys"].as_array().is_none_or(Vec::is_empty);
        let own = self.own_oidc_key(pool, none_published).await?;
        if let (Some(own), Some(keys)) = (own, document["keys"].as_array_mut()) {
            keys.push(own.jwk.clone());
        }
        Ok(document)
    }

    /// The pool's own OIDC key; made now when `make` and there is none.
    async fn own_oidc_key(&self, pool: &PoolId, make: bool) -> ServiceResult<Option<Arc<OwnKey>>> {
        if let Some(Some(hit)) = self.oidc_own_keys.0.get(pool).await {
            return Ok(Some(hit));
        }
        let name = oidc_key_name(pool);
        let stored = match self.store.server_key(&name).await? {
            Some(stored) => stored,
            None if !make => {
                self.oidc_own_keys.0.insert(pool.clone(), None).await;
                return Ok(None);
            }
            None => {
                let (id, master, now) = (pool.clone(), self.master_key.clone(), self.clock.now());
                let fresh = run_blocking(move || generate_oidc_key(&id, now, &master)).await?;
                match self.store.insert_server_key(&fresh).await {
                    Ok(()) => fresh,
                    Err(StoreError::Conflict { .. }) => {
                        self.store.server_key(&name).await?.ok_or_else(|| {
                            ServiceError::Internal(
                                "the OIDC key made elsewhere vanished".to_owned(),
                            )
                        })?
                    }
                    Err(other) => return Err(other.into()),
                }
            }
        };
        let (material, jwk) = open_oidc_key(&stored, &self.master_key)
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let own = Arc::new(OwnKey {
            material: Arc::new(material),
            jwk,
        });
        self.oidc_own_keys
            .0
            .insert(pool.clone(), Some(Arc::clone(&own)))
            .await;
        Ok(Some(own))
    }
}
