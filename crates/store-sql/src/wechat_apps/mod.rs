//! The pools' WeChat apps of the store ([`WechatAppStore`]) over any [`SqlBackend`].

pub(crate) mod rows;
mod statements;

use async_trait::async_trait;
use denglu_domain::{AppId, PoolId, WechatApp};
use denglu_store::{OwnAppChange, StoreResult, WechatAppStore};

use crate::{SqlBackend, SqlStore, qr};

#[async_trait]
impl<B: SqlBackend> WechatAppStore for SqlStore<B> {
    #[tracing::instrument(name = "store.wechat_apps", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn wechat_apps(&self, pool: &PoolId) -> StoreResult<Vec<WechatApp>> {
        let rows = self
            .backend
            .fetch_wechat_apps(&statements::of_pool(pool))
            .await?;
        rows.into_iter().map(WechatApp::try_from).collect()
    }

    #[tracing::instrument(name = "store.insert_wechat_app", level = "debug", skip_all, fields(pool_id = %app.pool_id, appid = %app.appid))]
    async fn insert_wechat_app(&self, app: &WechatApp) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert(app)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.update_wechat_app", level = "debug", skip_all, fields(pool_id = %app.pool_id, appid = %app.appid))]
    async fn update_wechat_app(&self, app: &WechatApp) -> StoreResult<bool> {
        let changed = self.backend.execute(&[statements::update(app)]).await?;
        Ok(changed.first().is_some_and(|n| *n > 0))
    }

    #[tracing::instrument(name = "store.delete_wechat_app", level = "debug", skip_all, fields(pool_id = %pool, appid = %appid))]
    async fn delete_wechat_app(&self, pool: &PoolId, appid: &AppId) -> StoreResult<bool> {
        let changed = self
            .backend
            .execute(&[statements::delete(pool, appid)])
            .await?;
        Ok(changed.first().is_some_and(|n| *n > 0))
    }

    #[tracing::instrument(name = "store.change_own_app", level = "debug", skip_all, fields(pool_id = %change.settings.pool_id))]
    async fn change_own_app(&self, change: OwnAppChange<'_>) -> StoreResult<()> {
        let pool = &change.settings.pool_id;
        let mut batch = Vec::with_capacity(3);
        if let Some(replaced) = change
            .replaced
            .filter(|old| change.own.is_none_or(|own| own.appid != **old))
        {
            batch.push(statements::delete(pool, replaced));
        }
        if let Some(own) = change.own {
            batch.push(statements::put_own(own));
        }
        batch.push(qr::save_settings(change.settings));
        self.backend.execute(&batch).await.map(drop)
    }
}
