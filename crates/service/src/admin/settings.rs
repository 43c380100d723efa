//! Administering a pool's login settings: its QR settings, its logo and its app-launched login settings, changed by
//! their flows ([`QrLogin`], [`AppLogin`]) and recorded with what they were before and after.

use denglu_domain::{AppLoginSettings, PoolId, QrSettings};
use serde_json::{Value, json};

use crate::{
    AppLogin, AppLoginChange, Image, QrLogin, QrSettingsChange, ServiceResult, admin::Admin,
};

/// QR settings as the audit log shows them.
fn qr_detail(settings: &QrSettings) -> Value {
    json!({
        "mode": settings.mode.as_str(),
        "lifetimeSeconds": settings.lifetime.seconds(),
        "callbackUrl": settings.callback_url.as_ref().map(|url| url.as_str()),
        "scanner": settings.scanner.as_str(),
    })
}

/// A logo as the audit log shows it: its size, or `null` for none.
fn logo_detail(png: Option<&[u8]>) -> Value {
    json!({ "logo": png.map(|png| json!({ "pngBytes": png.len() })) })
}

/// App-launched login settings as the audit log shows them.
fn app_login_detail(settings: &AppLoginSettings) -> Value {
    json!({
        "ticketLifetimeSeconds": settings.ticket_lifetime.seconds(),
        "requireSecret": settings.require_secret,
        "requirePkce": settings.require_pkce,
    })
}

impl Admin<'_> {
    fn qr_flow(&self) -> QrLogin<'_> {
        QrLogin::new(self.core)
    }

    fn app_login_flow(&self) -> AppLogin<'_> {
        AppLogin::new(self.core)
    }

    /// The QR settings of a pool the operator administers.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn qr_settings(&self, pool: &PoolId) -> ServiceResult<QrSettings> {
        self.pool(pool).await?;
        self.qr_flow().settings(pool).await
    }

    /// Changes a pool's QR settings.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn change_qr_settings(
        &self,
        pool: &PoolId,
        change: QrSettingsChange,
    ) -> ServiceResult<QrSettings> {
        self.operator.write(pool)?;
        self.core.pool(pool).await?;
        let before = self.qr_flow().settings(pool).await?;
        let after = self.qr_flow().change_settings(pool, change).await?;
        let detail = json!({ "before": qr_detail(&before), "after": qr_detail(&after) });
        self.record("pool.qr_settings", Some(pool), None, Some(detail))
            .await;
        Ok(after)
    }

    /// The logo (a PNG) of a pool the operator administers, if it has one.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn pool_logo(&self, pool: &PoolId) -> ServiceResult<Option<Vec<u8>>> {
        self.operator.read(pool)?;
        self.qr_flow().logo_png(pool).await
    }

    /// A sample url-mode code of a pool the operator administers, with its logo (the console's preview).
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn qr_preview(&self, pool: &PoolId) -> ServiceResult<Image> {
        self.operator.read(pool)?;
        self.qr_flow().preview(pool).await
    }

    /// Replaces a pool's logo with an upload (a PNG or JPEG, re-encoded as a PNG), or removes it.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, upload = upload.is_some()))]
    pub async fn set_pool_logo(&self, pool: &PoolId, upload: Option<Vec<u8>>) -> ServiceResult<()> {
        self.operator.write(pool)?;
        let before = self.qr_flow().logo_png(pool).await?;
        self.qr_flow().set_logo(pool, upload).await?;
        let after = self.qr_flow().logo_png(pool).await?;
        let detail = json!({
            "before": logo_detail(before.as_deref()),
            "after": logo_detail(after.as_deref()),
        });
        self.record("pool.logo", Some(pool), None, Some(detail))
            .await;
        Ok(())
    }

    /// The app-launched login settings of a pool the operator administers.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn app_login_settings(&self, pool: &PoolId) -> ServiceResult<AppLoginSettings> {
        self.pool(pool).await?;
        self.app_login_flow().settings(pool).await
    }

    /// Changes a pool's app-launched login settings.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn change_app_login_settings(
        &self,
        pool: &PoolId,
        change: AppLoginChange,
    ) -> ServiceResult<AppLoginSettings> {
        self.operator.write(pool)?;
        self.core.pool(pool).await?;
        let before = self.app_login_flow().settings(pool).await?;
        let after = self.app_login_flow().change_settings(pool, change).await?;
        let detail =
            json!({ "before": app_login_detail(&before), "after": app_login_detail(&after) });
        self.record("pool.app_login_settings", Some(pool), None, Some(detail))
            .await;
        Ok(after)
    }
}
