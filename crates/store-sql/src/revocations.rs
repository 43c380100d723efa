//! Telling every replica that tokens or clients may have stopped working (a user's, a grant's, a client changed), after
//! the change that did it.

use denglu_domain::{ClientId, PoolId, UserId};
use denglu_store::Revocation;

use crate::{SqlBackend, SqlStore};

impl<B: SqlBackend> SqlStore<B> {
    /// Tells every replica that this user's tokens may have stopped working. The change is already committed, so a
    /// notice that cannot be sent is logged, not returned: replicas then see it when their remembered standing ends.
    pub(crate) async fn announce_revocation(&self, pool: &PoolId, user: &UserId) {
        self.announce(Revocation::User(pool.clone(), user.clone()))
            .await;
    }

    /// Tells every replica that this grant was revoked, as [`SqlStore::announce_revocation`] does for a user.
    pub(crate) async fn announce_grant_revoked(&self, pool: &PoolId, grant: &str) {
        self.announce(Revocation::Grant(pool.clone(), grant.to_owned()))
            .await;
    }

    /// Tells every replica that this client changed or was deleted, as [`SqlStore::announce_revocation`] does for a
    /// user.
    pub(crate) async fn announce_client_changed(&self, pool: &PoolId, client: &ClientId) {
        self.announce(Revocation::Client(pool.clone(), client.clone()))
            .await;
    }

    async fn announce(&self, notice: Revocation) {
        if let Err(error) = self.backend.announce_revocation(&notice).await {
            tracing::warn!(%error, ?notice, "cannot announce a revocation");
        }
    }
}
