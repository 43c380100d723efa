//! The operator accounts of the store ([`OperatorStore`]) over any [`SqlBackend`].

pub(crate) mod rows;
mod statements;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use denglu_domain::{
    OperatorAccount, OperatorId, OperatorName, OperatorSession, Sealed, SecretHash, SetupLink,
};
use denglu_store::{CompletedSetup, OperatorStore, StoreError, StoreResult};

use crate::{SqlBackend, SqlStore, Statement};

impl<B: SqlBackend> SqlStore<B> {
    /// The operators a query found.
    async fn found_operators(&self, statement: Statement) -> StoreResult<Vec<OperatorAccount>> {
        let rows = self.backend.fetch_operators(&statement).await?;
        rows.into_iter().map(OperatorAccount::try_from).collect()
    }

    /// The first operator a query found, if any.
    async fn found_operator(&self, statement: Statement) -> StoreResult<Option<OperatorAccount>> {
        Ok(self.found_operators(statement).await?.into_iter().next())
    }
}

#[async_trait]
impl<B: SqlBackend> OperatorStore for SqlStore<B> {
    #[tracing::instrument(name = "store.insert_operator", level = "debug", skip_all, fields(operator_id = %operator.id))]
    async fn insert_operator(&self, operator: &OperatorAccount) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert_operator(operator)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.operators", level = "debug", skip_all)]
    async fn operators(&self) -> StoreResult<Vec<OperatorAccount>> {
        self.found_operators(statements::operators()).await
    }

    #[tracing::instrument(name = "store.operator", level = "debug", skip_all, fields(operator_id = %id))]
    async fn operator(&self, id: &OperatorId) -> StoreResult<Option<OperatorAccount>> {
        self.found_operator(statements::operator(id)).await
    }

    #[tracing::instrument(name = "store.operator_by_name", level = "debug", skip_all)]
    async fn operator_by_name(&self, name: &OperatorName) -> StoreResult<Option<OperatorAccount>> {
        self.found_operator(statements::operator_by_name(name))
            .await
    }

    #[tracing::instrument(name = "store.operator_by_setup", level = "debug", skip_all)]
    async fn operator_by_setup(&self, link: &SecretHash) -> StoreResult<Option<OperatorAccount>> {
        self.found_operator(statements::operator_by_setup(link))
            .await
    }

    #[tracing::instrument(name = "store.offer_operator_totp", level = "debug", skip_all, fields(operator_id = %id))]
    async fn offer_operator_totp(
        &self,
        id: &OperatorId,
        link: &SecretHash,
        totp: &Sealed,
    ) -> StoreResult<bool> {
        self.changed(statements::offer_totp(id, link, totp)).await
    }

    #[tracing::instrument(name = "store.complete_operator_setup", level = "debug", skip_all, fields(operator_id = %id))]
    async fn complete_operator_setup(
        &self,
        id: &OperatorId,
        setup: CompletedSetup<'_>,
    ) -> StoreResult<bool> {
        let counts = self
            .backend
            .execute(&statements::complete_setup(id, &setup))
            .await?;
        Ok(counts.first().is_some_and(|n| *n > 0))
    }

    #[tracing::instrument(name = "store.reset_operator", level = "debug", skip_all, fields(operator_id = %id))]
    async fn reset_operator(&self, id: &OperatorId, link: &SetupLink) -> StoreResult<bool> {
        let counts = self
            .backend
            .execute(&statements::reset_operator(id, link))
            .await?;
        Ok(counts.first().is_some_and(|n| *n > 0))
    }

    #[tracing::instrument(name = "store.use_totp_step", level = "debug", skip_all, fields(operator_id = %id))]
    async fn use_totp_step(&self, id: &OperatorId, step: i64) -> StoreResult<bool> {
        self.changed(statements::use_totp_step(id, step)).await
    }

    #[tracing::instrument(name = "store.use_recovery_code", level = "debug", skip_all, fields(operator_id = %id))]
    async fn use_recovery_code(&self, id: &OperatorId, code: &SecretHash) -> StoreResult<bool> {
        self.changed(statements::use_recovery_code(id, code)).await
    }

    #[tracing::instrument(name = "store.recovery_codes_left", level = "debug", skip_all, fields(operator_id = %id))]
    async fn recovery_codes_left(&self, id: &OperatorId) -> StoreResult<u32> {
        let rows = self
            .backend
            .fetch_counts(&statements::recovery_codes_left(id))
            .await?;
        let count = rows.first().map_or(0, |row| row.count);
        u32::try_from(count).map_err(|e| StoreError::Corrupt(format!("recovery code count: {e}")))
    }

    #[tracing::instrument(name = "store.delete_operator", level = "debug", skip_all, fields(operator_id = %id))]
    async fn delete_operator(&self, id: &OperatorId) -> StoreResult<bool> {
        self.changed(statements::delete_operator(id)).await
    }

    #[tracing::instrument(name = "store.insert_operator_session", level = "debug", skip_all, fields(operator_id = %session.operator_id))]
    async fn insert_operator_session(&self, session: &OperatorSession) -> StoreResult<()> {
        self.backend
            .execute(&[statements::insert_session(session)])
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.operator_session", level = "debug", skip_all)]
    async fn operator_session(&self, id_hash: &SecretHash) -> StoreResult<Option<OperatorSession>> {
        let rows = self
            .backend
            .fetch_operator_sessions(&statements::session(id_hash))
            .await?;
        rows.into_iter()
            .next()
            .map(OperatorSession::try_from)
            .transpose()
    }

    #[tracing::instrument(name = "store.touch_operator_session", level = "debug", skip_all)]
    async fn touch_operator_session(
        &self,
        id_hash: &SecretHash,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.changed(statements::touch_session(id_hash, at))
            .await
            .map(drop)
    }

    #[tracing::instrument(name = "store.delete_operator_session", level = "debug", skip_all)]
    async fn delete_operator_session(&self, id_hash: &SecretHash) -> StoreResult<bool> {
        self.changed(statements::delete_session(id_hash)).await
    }
}
