//! OpenID Connect logins in the store ([`OidcStore`]) over any [`SqlBackend`].

pub(crate) mod rows;
mod statements;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    AuthorizationCode, ClientId, CodeUse, DeviceCode, IdpSession, OidcGrant, PoolId, RefreshToken,
    RefreshUse, Scope, SecretHash, UserId,
};
use denglu_store::{OidcStore, StoreResult};

use crate::{SqlBackend, SqlStore, Statement};

impl<B: SqlBackend> SqlStore<B> {
    /// The grants a query found.
    async fn found_grants(&self, statement: Statement) -> StoreResult<Vec<OidcGrant>> {
        let rows = self.backend.fetch_oidc_grants(&statement).await?;
        rows.into_iter().map(OidcGrant::try_from).collect()
    }

    /// The device authorization a query found, if any.
    async fn found_device_code(&self, statement: Statement) -> StoreResult<Option<DeviceCode>> {
        let rows = self.backend.fetch_oidc_device_codes(&statement).await?;
        rows.into_iter()
            .next()
            .map(DeviceCode::try_from)
            .transpose()
    }

    /// The first grant a query found, if any.
    async fn found_grant(&self, statement: Statement) -> StoreResult<Option<OidcGrant>> {
        Ok(self.found_grants(statement).await?.into_iter().next())
    }
}

#[async_trait]
impl<B: SqlBackend> OidcStore for SqlStore<B> {
    #[tracing::instrument(name = "store.insert_idp_session", level = "debug", skip_all, fields(pool_id = %session.pool_id, user_id = %session.user_id))]
    async fn insert_idp_session(&self, session: &IdpSession) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert_session(session)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.idp_session", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn idp_session(
        &self,
        pool: &PoolId,
        cookie_hash: &SecretHash,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<IdpSession>> {
        let rows = self
            .backend
            .fetch_oidc_sessions(&statements::session(pool, cookie_hash, now))
            .await?;
        rows.into_iter()
            .next()
            .map(IdpSession::try_from)
            .transpose()
    }

    #[tracing::instrument(name = "store.end_idp_session", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn end_idp_session(
        &self,
        pool: &PoolId,
        sid: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<OidcGrant>> {
        let changed = self
            .backend
            .execute(&statements::end_session(pool, sid, at))
            .await?;
        if !statements::revoked_any(&changed) {
            return Ok(Vec::new());
        }
        let revoked = self
            .found_grants(statements::revoked_grants(pool, sid, at))
            .await?;
        for grant in &revoked {
            self.announce_grant_revoked(pool, &grant.id).await;
        }
        Ok(revoked)
    }

    #[tracing::instrument(name = "store.insert_code", level = "debug", skip_all, fields(pool_id = %grant.pool_id, client_id = %grant.client_id))]
    async fn insert_code(&self, code: &AuthorizationCode, grant: &OidcGrant) -> StoreResult<()> {
        self.backend
            .execute(&[
                statements::insert_grant(grant),
                statements::insert_code(code, grant),
            ])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.use_code", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn use_code(
        &self,
        pool: &PoolId,
        code_hash: &SecretHash,
        now: DateTime<Utc>,
    ) -> StoreResult<CodeUse> {
        let used = self
            .backend
            .fetch_oidc_codes(&statements::use_code(pool, code_hash, now))
            .await?
            .into_iter()
            .next()
            .map(AuthorizationCode::try_from)
            .transpose()?;
        let grant = self
            .found_grant(statements::grant_of_code(pool, code_hash))
            .await?;
        Ok(match (used, grant) {
            (Some(code), Some(grant)) => CodeUse::First(code, grant),
            (None, Some(grant)) => CodeUse::Replayed(grant),
            (_, None) => CodeUse::Unknown,
        })
    }

    #[tracing::instrument(name = "store.insert_grant", level = "debug", skip_all, fields(pool_id = %grant.pool_id, client_id = %grant.client_id))]
    async fn insert_grant(&self, grant: &OidcGrant) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert_grant(grant)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.grant", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn grant(&self, pool: &PoolId, id: &str) -> StoreResult<Option<OidcGrant>> {
        self.found_grant(statements::grant(pool, id)).await
    }

    #[tracing::instrument(name = "store.revoke_grant", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn revoke_grant(&self, pool: &PoolId, id: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        let revoked = self.changed(statements::revoke_grant(pool, id, at)).await?;
        if revoked {
            self.announce_grant_revoked(pool, id).await;
        }
        Ok(revoked)
    }

    #[tracing::instrument(name = "store.insert_refresh_token", level = "debug", skip_all, fields(pool_id = %token.pool_id))]
    async fn insert_refresh_token(&self, token: &RefreshToken) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert_refresh_token(token)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.rotate_refresh_token", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn rotate_refresh_token(
        &self,
        pool: &PoolId,
        token_hash: &SecretHash,
        successor: &SecretHash,
        now: DateTime<Utc>,
    ) -> StoreResult<RefreshUse> {
        let changed = self
            .backend
            .execute(&statements::rotate(pool, token_hash, successor, now))
            .await?;
        let rotated = statements::rotated(&changed);
        Ok(match self.refresh_token_grant(pool, token_hash).await? {
            Some((grant, _)) if rotated => RefreshUse::Rotated(grant),
            Some((grant, _)) => RefreshUse::Reused(grant),
            None => RefreshUse::Unknown,
        })
    }

    #[tracing::instrument(name = "store.refresh_token_grant", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn refresh_token_grant(
        &self,
        pool: &PoolId,
        token_hash: &SecretHash,
    ) -> StoreResult<Option<(OidcGrant, bool)>> {
        let rows = self
            .backend
            .fetch_oidc_token_grants(&statements::token_grant(pool, token_hash))
            .await?;
        rows.into_iter().next().map(TryFrom::try_from).transpose()
    }

    #[tracing::instrument(name = "store.consent", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user, client_id = %client))]
    async fn consent(
        &self,
        pool: &PoolId,
        user: &UserId,
        client: &ClientId,
    ) -> StoreResult<Option<Vec<Scope>>> {
        let rows = self
            .backend
            .fetch_oidc_consents(&statements::consent(pool, user, client))
            .await?;
        rows.into_iter()
            .next()
            .map(|row| rows::scopes(&row.scopes))
            .transpose()
    }

    #[tracing::instrument(name = "store.save_consent", level = "debug", skip_all, fields(pool_id = %pool, user_id = %user, client_id = %client))]
    async fn save_consent(
        &self,
        pool: &PoolId,
        user: &UserId,
        client: &ClientId,
        scopes: &[Scope],
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.backend
            .execute(&[statements::save_consent(pool, user, client, scopes, at)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.insert_device_code", level = "debug", skip_all, fields(pool_id = %code.pool_id, client_id = %code.client_id))]
    async fn insert_device_code(&self, code: &DeviceCode) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert_device_code(code)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.device_code", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn device_code(
        &self,
        pool: &PoolId,
        hash: &SecretHash,
    ) -> StoreResult<Option<DeviceCode>> {
        self.found_device_code(statements::device_code(pool, hash))
            .await
    }

    #[tracing::instrument(name = "store.device_code_by_user_code", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn device_code_by_user_code(
        &self,
        pool: &PoolId,
        user_code: &str,
    ) -> StoreResult<Option<DeviceCode>> {
        self.found_device_code(statements::device_code_by_user_code(pool, user_code))
            .await
    }
}
