//! What a database must provide for [`crate::SqlStore`]: running statements and decoding the schema's rows.

use async_trait::async_trait;
use denglu_store::StoreResult;

use crate::{
    AppLoginSettingsRow, AppTicketRow, LogoRow, MetadataRow, PoolRow, QrSessionRow, QrSettingsRow,
    ServerKeyRow, SigningKeyRow, Statement, UserRow, WechatAccessTokenRow,
};

/// One database's way of running shared statements. Implementations map their errors to `StoreError`
/// (`RowNotFound` → `NotFound`, unique violations → `Conflict` with the broken rule).
#[async_trait]
pub trait SqlBackend: Send + Sync + 'static {
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;
    /// Runs the statements in one transaction; returns how many rows each changed.
    async fn execute(&self, statements: &[Statement]) -> StoreResult<Vec<u64>>;
    /// Runs a query returning `pools` rows.
    async fn fetch_pools(&self, statement: &Statement) -> StoreResult<Vec<PoolRow>>;
    /// Runs a query returning `signing_keys` rows.
    async fn fetch_signing_keys(&self, statement: &Statement) -> StoreResult<Vec<SigningKeyRow>>;
    /// Runs a query returning `users` rows.
    async fn fetch_users(&self, statement: &Statement) -> StoreResult<Vec<UserRow>>;
    /// Runs a query returning `wechat_access_tokens` rows.
    async fn fetch_wechat_access_tokens(
        &self,
        statement: &Statement,
    ) -> StoreResult<Vec<WechatAccessTokenRow>>;
    /// Runs a query returning `qr_sessions` rows.
    async fn fetch_qr_sessions(&self, statement: &Statement) -> StoreResult<Vec<QrSessionRow>>;
    /// Runs a query returning `qr_settings` rows.
    async fn fetch_qr_settings(&self, statement: &Statement) -> StoreResult<Vec<QrSettingsRow>>;
    /// Runs a query returning `pool_logos` images.
    async fn fetch_logos(&self, statement: &Statement) -> StoreResult<Vec<LogoRow>>;
    /// Runs a query returning `app_login_settings` rows.
    async fn fetch_app_login_settings(
        &self,
        statement: &Statement,
    ) -> StoreResult<Vec<AppLoginSettingsRow>>;
    /// Runs a query returning `app_tickets` rows.
    async fn fetch_app_tickets(&self, statement: &Statement) -> StoreResult<Vec<AppTicketRow>>;
    /// Runs a query returning `server_keys` rows.
    async fn fetch_server_keys(&self, statement: &Statement) -> StoreResult<Vec<ServerKeyRow>>;
    /// Runs a query returning `user_metadata` pairs.
    async fn fetch_metadata(&self, statement: &Statement) -> StoreResult<Vec<MetadataRow>>;
    /// Announces a changed QR session to every replica.
    async fn announce_qr_change(&self, scene: &str) -> StoreResult<()>;
    /// Announced QR session changes from now on.
    fn qr_changes(&self) -> denglu_store::QrChanges;
}
