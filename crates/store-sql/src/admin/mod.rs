//! The operator area of the store ([`AdminStore`]) over any [`SqlBackend`].

pub(crate) mod rows;
mod statements;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    AdminToken, AdminTokenId, AuditEvent, AuditFilter, NewAuditEvent, Pool, PoolId, SecretHash,
    SigningKey, User, UserFilter, UserId, WechatIdentity,
};
use denglu_store::{AdminStore, StoreError, StoreResult};

use crate::{SqlBackend, SqlStore, pools};

#[async_trait]
impl<B: SqlBackend> AdminStore for SqlStore<B> {
    #[tracing::instrument(name = "store.insert_admin_token", level = "debug", skip_all, fields(token_id = %token.id))]
    async fn insert_admin_token(&self, token: &AdminToken) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert_token(token)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.admin_token_by_hash", level = "debug", skip_all)]
    async fn admin_token_by_hash(&self, hash: &SecretHash) -> StoreResult<Option<AdminToken>> {
        let rows = self
            .backend
            .fetch_admin_tokens(&statements::token_by_hash(hash))
            .await?;
        rows.into_iter()
            .next()
            .map(AdminToken::try_from)
            .transpose()
    }

    #[tracing::instrument(name = "store.admin_tokens", level = "debug", skip_all)]
    async fn admin_tokens(&self) -> StoreResult<Vec<AdminToken>> {
        let rows = self
            .backend
            .fetch_admin_tokens(&statements::tokens())
            .await?;
        rows.into_iter().map(AdminToken::try_from).collect()
    }

    #[tracing::instrument(name = "store.revoke_admin_token", level = "debug", skip_all, fields(token_id = %id))]
    async fn revoke_admin_token(&self, id: &AdminTokenId, at: DateTime<Utc>) -> StoreResult<bool> {
        self.changed(statements::revoke_token(id, at)).await
    }

    #[tracing::instrument(name = "store.record_audit", level = "debug", skip_all, fields(kind = %event.kind))]
    async fn record_audit(&self, event: &NewAuditEvent) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert_audit(event)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.audit_events", level = "debug", skip_all)]
    async fn audit_events(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEvent>> {
        let rows = self
            .backend
            .fetch_audit_events(&statements::audit_events(filter))
            .await?;
        rows.into_iter().map(AuditEvent::try_from).collect()
    }

    #[tracing::instrument(name = "store.purge_audit", level = "debug", skip_all)]
    async fn purge_audit(&self, before: DateTime<Utc>, batch: u32) -> StoreResult<u64> {
        let statement = statements::purge_audit(before, batch, self.backend.skip_locked());
        let counts = self.backend.execute(&[statement]).await?;
        Ok(counts.first().copied().unwrap_or(0))
    }

    #[tracing::instrument(name = "store.update_pool", level = "debug", skip_all, fields(pool_id = %pool.id))]
    async fn update_pool(&self, pool: &Pool, new_key: Option<&SigningKey>) -> StoreResult<()> {
        let mut batch = vec![statements::update_pool(pool)];
        batch.extend(new_key.map(pools::insert_signing_key));
        match self.backend.execute(&batch).await?.first() {
            Some(0) => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    #[tracing::instrument(name = "store.delete_pool", level = "debug", skip_all, fields(pool_id = %id))]
    async fn delete_pool(&self, id: &PoolId) -> StoreResult<bool> {
        let counts = self.backend.execute(&statements::delete_pool(id)).await?;
        Ok(counts.get(1).is_some_and(|n| *n > 0))
    }

    #[tracing::instrument(name = "store.search_users", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn search_users(&self, pool: &PoolId, filter: &UserFilter) -> StoreResult<Vec<User>> {
        let rows = self
            .backend
            .fetch_users(&statements::search_users(pool, filter))
            .await?;
        rows.into_iter().map(User::try_from).collect()
    }

    #[tracing::instrument(name = "store.wechat_identities", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn wechat_identities(
        &self,
        pool: &PoolId,
        user: &UserId,
    ) -> StoreResult<Vec<WechatIdentity>> {
        let rows = self
            .backend
            .fetch_wechat_identities(&statements::wechat_identities(pool, user))
            .await?;
        rows.into_iter().map(WechatIdentity::try_from).collect()
    }

    #[tracing::instrument(name = "store.delete_user", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user))]
    async fn delete_user(&self, pool: &PoolId, user: &UserId) -> StoreResult<bool> {
        let counts = self
            .backend
            .execute(&[
                statements::delete_verified_phones(pool, user),
                statements::delete_user(pool, user),
            ])
            .await?;
        let deleted = counts.get(1).is_some_and(|n| *n > 0);
        if deleted {
            self.announce_revocation(pool, user).await;
        }
        Ok(deleted)
    }
}
