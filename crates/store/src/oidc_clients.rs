//! The store's applications (OpenID Connect clients) of each pool. Reached through [`crate::Store::oidc_clients`].

use async_trait::async_trait;
use denglu_domain::{ClientId, OidcClient, PoolId};

use crate::StoreResult;

/// Persistent state of the pools' applications. Every write is atomic, as for [`crate::Store`].
#[async_trait]
pub trait OidcClientStore: Send + Sync {
    /// The pool's clients, in the order they were created.
    async fn oidc_clients(&self, pool: &PoolId) -> StoreResult<Vec<OidcClient>>;
    /// The pool's client with this id.
    async fn oidc_client(&self, pool: &PoolId, id: &ClientId) -> StoreResult<Option<OidcClient>>;
    /// Adds a client; `Conflict` when its id is taken.
    async fn insert_oidc_client(&self, client: &OidcClient) -> StoreResult<()>;
    /// Replaces every stored field of the pool's client with this id but its kind; `false` when there is none.
    async fn update_oidc_client(&self, client: &OidcClient) -> StoreResult<bool>;
    /// Removes the pool's client with this id; `false` when there is none.
    async fn delete_oidc_client(&self, pool: &PoolId, id: &ClientId) -> StoreResult<bool>;
}
