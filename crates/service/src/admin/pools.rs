//! Administering pools: listing what the operator administers, creating (owners), changing settings, deleting,
//! rotating the pool secret and the signing keys.

use denglu_domain::{Pool, PoolId};
use serde_json::{Value, json};

use crate::{
    CreatePool, CreatedPool, PoolChange, PoolSigningKey, Pools, ServiceResult, admin::Admin,
};

/// A pool's settings as the audit log shows them.
fn settings(pool: &Pool) -> Value {
    json!({
        "name": pool.name.as_str(),
        "jwtAlgorithm": pool.jwt_algorithm.as_str(),
        "tokenLifetimeSeconds": pool.token_lifetime.seconds(),
        "registrationPolicy": pool.registration_policy.as_str(),
    })
}

impl Admin<'_> {
    fn pools_flow(&self) -> Pools<'_> {
        Pools::new(self.core)
    }

    /// The pools the operator administers, oldest first.
    #[tracing::instrument(skip_all)]
    pub async fn pools(&self) -> ServiceResult<Vec<Pool>> {
        let mut pools = self.pools_flow().list().await?;
        pools.retain(|pool| self.operator.scope().covers(&pool.id));
        Ok(pools)
    }

    /// Creates a pool (owners only); its secret is in the answer, once.
    #[tracing::instrument(skip_all)]
    pub async fn create_pool(&self, input: CreatePool) -> ServiceResult<CreatedPool> {
        self.operator.owner()?;
        self.operator.writer()?;
        let created = self.pools_flow().create(input).await?;
        let detail = json!({ "after": settings(&created.pool) });
        self.record("pool.create", Some(&created.pool.id), None, Some(detail))
            .await;
        Ok(created)
    }

    /// A pool the operator administers.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn pool(&self, id: &PoolId) -> ServiceResult<Pool> {
        self.operator.read(id)?;
        self.core.pool(id).await
    }

    /// Changes a pool's settings.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn update_pool(&self, id: &PoolId, change: PoolChange) -> ServiceResult<Pool> {
        self.operator.write(id)?;
        let (before, after) = self.pools_flow().update(id, change).await?;
        let detail = json!({ "before": settings(&before), "after": settings(&after) });
        self.record("pool.update", Some(id), None, Some(detail))
            .await;
        Ok(after)
    }

    /// Deletes a pool and everything of it; `confirmation` repeats its id.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn delete_pool(&self, id: &PoolId, confirmation: &str) -> ServiceResult<()> {
        self.operator.write(id)?;
        let deleted = self.pools_flow().delete(id, confirmation).await?;
        let detail = json!({ "before": settings(&deleted) });
        self.record("pool.delete", Some(id), None, Some(detail))
            .await;
        Ok(())
    }

    /// Replaces the pool secret; the new one is in the answer, once.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn rotate_pool_secret(&self, id: &PoolId) -> ServiceResult<String> {
        self.operator.write(id)?;
        let secret = self.pools_flow().rotate_secret(id).await?;
        self.record("pool.rotate_secret", Some(id), None, None)
            .await;
        Ok(secret)
    }

    /// The pool's signing keys, active first.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn signing_keys(&self, id: &PoolId) -> ServiceResult<Vec<PoolSigningKey>> {
        self.operator.read(id)?;
        self.pools_flow().signing_keys(id).await
    }

    /// Makes a new active signing key.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn rotate_signing_key(&self, id: &PoolId) -> ServiceResult<PoolSigningKey> {
        self.operator.write(id)?;
        let key = self.pools_flow().rotate_signing_key(id).await?;
        let detail = json!({ "kid": key.kid });
        self.record("key.rotate", Some(id), None, Some(detail))
            .await;
        Ok(key)
    }

    /// Retires a previous signing key: the tokens it signed stop verifying.
    #[tracing::instrument(skip_all, fields(pool_id = %id))]
    pub async fn retire_signing_key(
        &self,
        id: &PoolId,
        kid: &str,
    ) -> ServiceResult<PoolSigningKey> {
        self.operator.write(id)?;
        let key = self.pools_flow().retire_signing_key(id, kid).await?;
        let detail = json!({ "kid": key.kid });
        self.record("key.retire", Some(id), None, Some(detail))
            .await;
        Ok(key)
    }
}
