//! A pool's QR settings: how codes are made and live, where the browser goes after, which mini program opens them,
//! and the single own mini program of the pool-secret API.

use denglu_domain::{
    AppId, AppKind, AppName, AppRole, AppRoles, PoolId, QrSettings, ScannerChoice, WechatApp,
};
use denglu_store::OwnAppChange;

use crate::{QrLogin, ServiceError, ServiceResult};

/// Changes to a pool's QR settings; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct QrSettingsChange {
    /// `url` or `wxacode`.
    pub mode: Option<String>,
    /// Seconds, 30–600.
    pub lifetime_seconds: Option<i64>,
    /// `Some(None)` removes the callback; `Some(Some(url))` sets it.
    pub callback_url: Option<Option<String>>,
    /// `deployment` or `pool`: which mini program opens the pool's codes when the browser does not ask for the
    /// pool's own (`useSelfWxapp`).
    pub scanner: Option<String>,
    /// The single own mini program of the pool-secret API: `Some(None)` removes the pool's QR-login app and lets
    /// the deployment's scanner open its codes; `Some(Some(app))` puts this app in its place, serving every flow,
    /// and lets it open the pool's codes.
    pub own_app: Option<Option<OwnAppInput>>,
}

/// A pool's own mini program as given to the pool-secret API.
#[derive(Debug)]
pub struct OwnAppInput {
    /// Its AppID.
    pub appid: String,
    /// Its AppSecret (stored sealed with the master key).
    pub secret: String,
    /// Its registered link prefix for url-mode codes; the deployment's when absent.
    pub link_prefix: Option<String>,
    /// Its confirm page for wxacode-mode codes; the deployment's when absent.
    pub confirm_page: Option<String>,
}

/// The name an own mini program gets when it is added through the pool-secret API.
const OWN_APP_NAME: &str = "Own mini program";

impl QrLogin<'_> {
    /// A pool's QR settings, stored or default.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool))]
    pub async fn settings(&self, pool: &PoolId) -> ServiceResult<QrSettings> {
        Ok(self
            .store
            .qr_settings(pool)
            .await?
            .unwrap_or_else(|| QrSettings::defaults(pool.clone(), self.clock.now())))
    }

    /// Applies `change` to a pool's QR settings and returns them; nothing is stored when any value is invalid.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn change_settings(
        &self,
        pool: &PoolId,
        change: QrSettingsChange,
    ) -> ServiceResult<QrSettings> {
        self.pool(pool).await?;
        let mut settings = self.settings(pool).await?;
        if let Some(mode) = change.mode {
            settings.mode = denglu_domain::QrMode::parse(&mode).ok_or_else(|| {
                ServiceError::Rejected(format!("unknown QR mode '{mode}': use url or wxacode"))
            })?;
        }
        if let Some(seconds) = change.lifetime_seconds {
            settings.lifetime = denglu_domain::ShortLifetime::from_seconds(seconds)?;
        }
        if let Some(callback) = change.callback_url {
            settings.callback_url = callback
                .as_deref()
                .map(denglu_domain::CallbackUrl::parse)
                .transpose()?;
        }
        if let Some(scanner) = change.scanner {
            settings.scanner = ScannerChoice::parse(&scanner).ok_or_else(|| {
                ServiceError::Rejected(format!(
                    "unknown scanner '{scanner}': use deployment or pool"
                ))
            })?;
        }
        settings.updated_at = self.clock.now();
        match change.own_app {
            None => self.store.save_qr_settings(&settings).await?,
            Some(own) => {
                let current = self.own_app(pool).await?;
                let own = own
                    .map(|input| self.own_app_from(pool, input, current.as_ref()))
                    .transpose()?;
                settings.scanner = match own {
                    Some(_) => ScannerChoice::Pool,
                    None => ScannerChoice::Deployment,
                };
                let change = OwnAppChange {
                    settings: &settings,
                    replaced: current.as_ref().map(|app| &app.appid),
                    own: own.as_ref(),
                };
                self.store.wechat_apps().change_own_app(change).await?;
                self.forget_pool(pool).await;
            }
        }
        tracing::info!(pool_id = %pool, mode = settings.mode.as_str(), "QR settings changed");
        Ok(settings)
    }
}

impl QrLogin<'_> {
    /// The pool's own mini program as the pool-secret API shows it: its first QR-login app.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool))]
    pub async fn own_app(&self, pool: &PoolId) -> ServiceResult<Option<WechatApp>> {
        let apps = self.store.wechat_apps().wechat_apps(pool).await?;
        Ok(apps.into_iter().find(|app| app.serves(AppRole::QrLogin)))
    }

    /// The app `input` describes, keeping the name and age of the pool's app with its AppID.
    fn own_app_from(
        &self,
        pool: &PoolId,
        input: OwnAppInput,
        current: Option<&WechatApp>,
    ) -> ServiceResult<WechatApp> {
        if input.secret.trim().is_empty() {
            return Err(ServiceError::Rejected(
                "the mini program's AppSecret is empty".to_owned(),
            ));
        }
        if let Some(prefix) = &input.link_prefix {
            denglu_domain::CallbackUrl::parse(prefix).map_err(|_| {
                ServiceError::Rejected("the link prefix is an absolute http(s) URL".to_owned())
            })?;
        }
        let appid = AppId::parse(&input.appid)?;
        let now = self.clock.now();
        let same = current.filter(|app| app.appid == appid);
        Ok(WechatApp {
            pool_id: pool.clone(),
            kind: AppKind::MiniProgram,
            name: same.map_or_else(|| AppName::parse(OWN_APP_NAME), |app| Ok(app.name.clone()))?,
            roles: AppRoles::EVERY,
            secret: Some(
                self.master_key
                    .seal(&WechatApp::seal_context(pool), input.secret.as_bytes()),
            ),
            link_prefix: input.link_prefix,
            confirm_page: input.confirm_page,
            created_at: same.map_or(now, |app| app.created_at),
            updated_at: now,
            appid,
        })
    }
}
