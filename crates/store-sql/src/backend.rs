//! What a database must provide for [`crate::SqlStore`]: running statements and decoding the schema's rows.

use async_trait::async_trait;
use denglu_store::StoreResult;

use crate::{
    AdminTokenRow, AppLoginSettingsRow, AppTicketRow, AuditEventRow, CountRow, LogoRow,
    MetadataRow, OidcClientRow, OidcCodeRow, OidcConsentRow, OidcDeviceCodeRow, OidcGrantRow,
    OidcSessionRow, OidcTokenGrantRow, OperatorRow, OperatorSessionRow, PoolRow, QrSessionRow,
    QrSettingsRow, ServerKeyRow, SigningKeyRow, Statement, UserRow, WechatAccessTokenRow,
    WechatAppRow, WechatIdentityRow,
};

/// One database's way of running shared statements. Implementations map their errors to `StoreError`
/// (`RowNotFound` → `NotFound`, unique violations → `Conflict` with the broken rule). The row fetches come from
/// [`RowSource`], which [`crate::row_source!`] implements for a backend.
#[async_trait]
pub trait SqlBackend: RowSource + Send + Sync + 'static {
    /// Checks that the database answers.
    async fn ping(&self) -> StoreResult<()>;
    /// How the connection pool is used now (see [`crate::PoolWatch`]).
    fn pool_use(&self) -> denglu_store::PoolUse;
    /// Runs the statements in one transaction; returns how many rows each changed.
    async fn execute(&self, statements: &[Statement]) -> StoreResult<Vec<u64>>;
    /// What ends a `SELECT` that picks rows for a batch delete, so that concurrent deletes from several replicas
    /// skip each other's rows instead of waiting (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite, whose writers take
    /// turns, nothing).
    fn skip_locked(&self) -> &'static str;
    /// Announces a changed QR session to every replica, this process's subscribers before it returns.
    async fn announce_qr_change(&self, scene: &str) -> StoreResult<()>;
    /// Announced QR session changes from now on.
    fn qr_changes(&self) -> denglu_store::QrChanges;
    /// Announces a revocation to every replica, this process's subscribers before it returns.
    async fn announce_revocation(&self, notice: &denglu_store::Revocation) -> StoreResult<()>;
    /// Announced revocations from now on.
    fn revocations(&self) -> denglu_store::Revocations;
    /// Whether notices reach every process using the database.
    fn notices_reach_every_process(&self) -> bool;
}

/// Running queries that return the schema's rows. A backend implements it with [`crate::row_source!`] over its own
/// generic `fetch`, since decoding a row is specific to each database.
#[async_trait]
pub trait RowSource {
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
    /// Runs a query returning images (`png` of `pool_logos` or `avatars`).
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
    /// Runs a query returning `admin_tokens` rows.
    async fn fetch_admin_tokens(&self, statement: &Statement) -> StoreResult<Vec<AdminTokenRow>>;
    /// Runs a query returning `audit_events` rows.
    async fn fetch_audit_events(&self, statement: &Statement) -> StoreResult<Vec<AuditEventRow>>;
    /// Runs a query returning `wechat_identities` rows.
    async fn fetch_wechat_identities(
        &self,
        statement: &Statement,
    ) -> StoreResult<Vec<WechatIdentityRow>>;
    /// Runs a query returning `operators` rows.
    async fn fetch_operators(&self, statement: &Statement) -> StoreResult<Vec<OperatorRow>>;
    /// Runs a query returning `operator_sessions` rows.
    async fn fetch_operator_sessions(
        &self,
        statement: &Statement,
    ) -> StoreResult<Vec<OperatorSessionRow>>;
    /// Runs a query returning `wechat_apps` rows.
    async fn fetch_wechat_apps(&self, statement: &Statement) -> StoreResult<Vec<WechatAppRow>>;
    /// Runs a query returning `oidc_clients` rows.
    async fn fetch_oidc_clients(&self, statement: &Statement) -> StoreResult<Vec<OidcClientRow>>;
    /// Runs a query returning `oidc_sessions` rows.
    async fn fetch_oidc_sessions(&self, statement: &Statement) -> StoreResult<Vec<OidcSessionRow>>;
    /// Runs a query returning `oidc_grants` rows.
    async fn fetch_oidc_grants(&self, statement: &Statement) -> StoreResult<Vec<OidcGrantRow>>;
    /// Runs a query returning `oidc_grants` rows with a refresh token's `token_used`.
    async fn fetch_oidc_token_grants(
        &self,
        statement: &Statement,
    ) -> StoreResult<Vec<OidcTokenGrantRow>>;
    /// Runs a query returning `oidc_codes` rows.
    async fn fetch_oidc_codes(&self, statement: &Statement) -> StoreResult<Vec<OidcCodeRow>>;
    /// Runs a query returning the `scopes` of `oidc_consents` rows.
    async fn fetch_oidc_consents(&self, statement: &Statement) -> StoreResult<Vec<OidcConsentRow>>;
    /// Runs a query returning `oidc_device_codes` rows.
    async fn fetch_oidc_device_codes(
        &self,
        statement: &Statement,
    ) -> StoreResult<Vec<OidcDeviceCodeRow>>;
    /// Runs a query returning one `count` column.
    async fn fetch_counts(&self, statement: &Statement) -> StoreResult<Vec<CountRow>>;
}

/// Implements [`RowSource`] for `$backend`, which must have an inherent
/// `async fn fetch<R>(&self, statement: &Statement) -> StoreResult<Vec<R>>` able to decode every row type.
#[macro_export]
macro_rules! row_source {
    ($backend:ty) => {
        $crate::row_source!(@impl $backend;
            fetch_pools: PoolRow,
            fetch_signing_keys: SigningKeyRow,
            fetch_users: UserRow,
            fetch_wechat_access_tokens: WechatAccessTokenRow,
            fetch_qr_sessions: QrSessionRow,
            fetch_qr_settings: QrSettingsRow,
            fetch_logos: LogoRow,
            fetch_app_login_settings: AppLoginSettingsRow,
            fetch_app_tickets: AppTicketRow,
            fetch_server_keys: ServerKeyRow,
            fetch_metadata: MetadataRow,
            fetch_admin_tokens: AdminTokenRow,
            fetch_audit_events: AuditEventRow,
            fetch_wechat_identities: WechatIdentityRow,
            fetch_operators: OperatorRow,
            fetch_operator_sessions: OperatorSessionRow,
            fetch_wechat_apps: WechatAppRow,
            fetch_oidc_clients: OidcClientRow,
            fetch_oidc_sessions: OidcSessionRow,
            fetch_oidc_grants: OidcGrantRow,
            fetch_oidc_token_grants: OidcTokenGrantRow,
            fetch_oidc_codes: OidcCodeRow,
            fetch_oidc_consents: OidcConsentRow,
            fetch_oidc_device_codes: OidcDeviceCodeRow,
            fetch_counts: CountRow
        );
    };
    (@impl $backend:ty; $($name:ident: $row:ident),*) => {
        #[$crate::__private::async_trait]
        impl $crate::RowSource for $backend {
            $(
                async fn $name(
                    &self,
                    statement: &$crate::Statement,
                ) -> $crate::__private::StoreResult<Vec<$crate::$row>> {
                    self.fetch(statement).await
                }
            )*
        }
    };
}
