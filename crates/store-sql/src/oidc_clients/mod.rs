//! The pools' applications of the store ([`OidcClientStore`]) over any [`SqlBackend`].

pub(crate) mod rows;
mod statements;

use async_trait::async_trait;
use denglu_domain::{ClientId, OidcClient, PoolId};
use denglu_store::{OidcClientStore, StoreResult};

use crate::{SqlBackend, SqlStore};

#[async_trait]
impl<B: SqlBackend> OidcClientStore for SqlStore<B> {
    #[tracing::instrument(name = "store.oidc_clients", level = "debug", skip_all, fields(pool_id = %pool))]
    async fn oidc_clients(&self, pool: &PoolId) -> StoreResult<Vec<OidcClient>> {
        let rows = self
            .backend
            .fetch_oidc_clients(&statements::of_pool(pool))
            .await?;
        rows.into_iter().map(OidcClient::try_from).collect()
    }

    #[tracing::instrument(name = "store.oidc_client", level = "debug", skip_all, fields(pool_id = %pool, client_id = %id))]
    async fn oidc_client(&self, pool: &PoolId, id: &ClientId) -> StoreResult<Option<OidcClient>> {
        let rows = self
            .backend
            .fetch_oidc_clients(&statements::by_id(pool, id))
            .await?;
        rows.into_iter()
            .next()
            .map(OidcClient::try_from)
            .transpose()
    }

    #[tracing::instrument(name = "store.insert_oidc_client", level = "debug", skip_all, fields(pool_id = %client.pool_id, client_id = %client.client_id))]
    async fn insert_oidc_client(&self, client: &OidcClient) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert(client)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.update_oidc_client", level = "debug", skip_all, fields(pool_id = %client.pool_id, client_id = %client.client_id))]
    async fn update_oidc_client(&self, client: &OidcClient) -> StoreResult<bool> {
        let changed = self.backend.execute(&[statements::update(client)]).await?;
        let updated = changed.first().is_some_and(|n| *n > 0);
        if updated {
            self.announce_client_changed(&client.pool_id, &client.client_id)
                .await;
        }
        Ok(updated)
    }

    #[tracing::instrument(name = "store.delete_oidc_client", level = "debug", skip_all, fields(pool_id = %pool, client_id = %id))]
    async fn delete_oidc_client(&self, pool: &PoolId, id: &ClientId) -> StoreResult<bool> {
        let changed = self
            .backend
            .execute(&[statements::delete(pool, id)])
            .await?;
        let deleted = changed.first().is_some_and(|n| *n > 0);
        if deleted {
            self.announce_client_changed(pool, id).await;
        }
        Ok(deleted)
    }
}
