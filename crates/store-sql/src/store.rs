//! [`SqlStore`]: the Store trait over any [`SqlBackend`].

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    AppId, CachedAccessToken, LoginName, Pool, PoolId, SecretHash, SigningKey, User, UserId,
};
use denglu_store::{LoginRecord, Store, StoreError, StoreResult};

use crate::{SqlBackend, pools, users, wechat};

/// The store on a SQL backend.
#[derive(Debug, Clone)]
pub struct SqlStore<B> {
    backend: B,
}

impl<B: SqlBackend> SqlStore<B> {
    /// A store running its statements on `backend`.
    pub fn new(backend: B) -> Self {
        Self { backend }
    }

    /// The one user a `RETURNING` statement changed, or `NotFound`.
    async fn changed_user(&self, statement: crate::Statement) -> StoreResult<User> {
        let row = self
            .backend
            .fetch_users(&statement)
            .await?
            .into_iter()
            .next();
        row.ok_or(StoreError::NotFound).and_then(User::try_from)
    }

    /// The first user a query found, if any.
    async fn found_user(&self, statement: crate::Statement) -> StoreResult<Option<User>> {
        self.backend
            .fetch_users(&statement)
            .await?
            .into_iter()
            .next()
            .map(User::try_from)
            .transpose()
    }
}

#[async_trait]
impl<B: SqlBackend> Store for SqlStore<B> {
    async fn ping(&self) -> StoreResult<()> {
        self.backend.ping().await
    }

    async fn insert_pool(&self, pool: &Pool, key: &SigningKey) -> StoreResult<()> {
        self.backend
            .execute(&[pools::insert(pool), pools::insert_signing_key(key)])
            .await
            .map(drop)
    }

    async fn pool(&self, id: &PoolId) -> StoreResult<Option<Pool>> {
        let rows = self.backend.fetch_pools(&pools::by_id(id)).await?;
        rows.into_iter().next().map(Pool::try_from).transpose()
    }

    async fn pools(&self) -> StoreResult<Vec<Pool>> {
        self.backend
            .fetch_pools(&pools::all())
            .await?
            .into_iter()
            .map(Pool::try_from)
            .collect()
    }

    async fn set_pool_secret(
        &self,
        id: &PoolId,
        hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        match self
            .backend
            .execute(&[pools::set_secret(id, hash, at)])
            .await?
            .as_slice()
        {
            [0] => Err(StoreError::NotFound),
            _ => Ok(()),
        }
    }

    async fn signing_keys(&self, pool: &PoolId) -> StoreResult<Vec<SigningKey>> {
        let rows = self
            .backend
            .fetch_signing_keys(&pools::signing_keys(pool))
            .await?;
        rows.into_iter().map(SigningKey::try_from).collect()
    }

    async fn insert_user(&self, user: &User) -> StoreResult<()> {
        self.backend.execute(&[users::insert(user)]).await.map(drop)
    }

    async fn user(&self, pool: &PoolId, id: &UserId) -> StoreResult<Option<User>> {
        self.found_user(users::by_id(pool, id)).await
    }

    async fn user_by_login(&self, pool: &PoolId, login: &LoginName) -> StoreResult<Option<User>> {
        self.found_user(users::by_login(pool, login)).await
    }

    async fn users(&self, pool: &PoolId, limit: u32, offset: u32) -> StoreResult<Vec<User>> {
        let rows = self
            .backend
            .fetch_users(&users::page(pool, limit, offset))
            .await?;
        rows.into_iter().map(User::try_from).collect()
    }

    async fn record_login(
        &self,
        pool: &PoolId,
        id: &UserId,
        login: &LoginRecord,
    ) -> StoreResult<User> {
        self.changed_user(users::record_login(pool, id, login))
            .await
    }

    async fn revoke_tokens(
        &self,
        pool: &PoolId,
        id: &UserId,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        self.changed_user(users::revoke_tokens(pool, id, at)).await
    }

    async fn set_blocked(
        &self,
        pool: &PoolId,
        id: &UserId,
        blocked: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<User> {
        self.changed_user(users::set_blocked(pool, id, blocked, at))
            .await
    }

    async fn wechat_access_token(&self, appid: &AppId) -> StoreResult<Option<CachedAccessToken>> {
        let rows = self
            .backend
            .fetch_wechat_access_tokens(&wechat::access_token(appid))
            .await?;
        rows.into_iter()
            .next()
            .map(CachedAccessToken::try_from)
            .transpose()
    }

    async fn save_wechat_access_token(&self, token: &CachedAccessToken) -> StoreResult<()> {
        self.backend
            .execute(&[wechat::save_access_token(token)])
            .await
            .map(drop)
    }

    async fn discard_wechat_access_token(
        &self,
        appid: &AppId,
        hash: &SecretHash,
    ) -> StoreResult<()> {
        self.backend
            .execute(&[wechat::discard_access_token(appid, hash)])
            .await
            .map(drop)
    }
}
