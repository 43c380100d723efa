//! How [`SqlStore`] reads what its statements return: the one user a change returned, the first row a query found,
//! whether a change touched a row.

use denglu_domain::{QrSession, User};
use denglu_store::{StoreError, StoreResult};

use crate::{SqlBackend, SqlStore, Statement};

impl<B: SqlBackend> SqlStore<B> {
    /// The one user a `RETURNING` statement changed, or `NotFound`.
    pub(crate) async fn changed_user(&self, statement: Statement) -> StoreResult<User> {
        let row = self
            .backend
            .fetch_users(&statement)
            .await?
            .into_iter()
            .next();
        row.ok_or(StoreError::NotFound).and_then(User::try_from)
    }

    /// The first QR session a query found, if any.
    pub(crate) async fn found_qr_session(
        &self,
        statement: Statement,
    ) -> StoreResult<Option<QrSession>> {
        self.backend
            .fetch_qr_sessions(&statement)
            .await?
            .into_iter()
            .next()
            .map(QrSession::try_from)
            .transpose()
    }

    /// Runs one statement; whether it changed a row.
    pub(crate) async fn changed(&self, statement: Statement) -> StoreResult<bool> {
        let counts = self.backend.execute(&[statement]).await?;
        Ok(counts.first().is_some_and(|n| *n > 0))
    }

    /// The first user a query found, if any.
    pub(crate) async fn found_user(&self, statement: Statement) -> StoreResult<Option<User>> {
        self.backend
            .fetch_users(&statement)
            .await?
            .into_iter()
            .next()
            .map(User::try_from)
            .transpose()
    }
}
