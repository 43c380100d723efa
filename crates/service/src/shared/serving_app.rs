//! Which mini program serves a login: one of the pool's WeChat apps, chosen by role (or named by the request),
//! else the deployment's scanner mini program.

use denglu_domain::{AppId, AppRole, PoolId, ScannerChoice, WechatApp};
use denglu_wechat::AppCredentials;

use crate::{Core, ErrorCode, ScannerApp, ServiceError, ServiceResult};

impl Core {
    /// The mini program that serves `role` in the pool: the app `requested` names, which must be the pool's and
    /// serve the role, or be the deployment's scanner (else 4601); without a name, the pool's first app with the
    /// role, else the deployment's scanner (else 4201).
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool, role = %role))]
    pub(crate) async fn serving_app(
        &self,
        pool: &PoolId,
        role: AppRole,
        requested: Option<&AppId>,
    ) -> ServiceResult<ScannerApp> {
        let cached = self.cached_pool(pool).await?;
        let apps = cached
            .wechat_apps
            .get_or_try_init(|| self.store.wechat_apps().wechat_apps(pool))
            .await?;
        let mut serving = apps.iter().filter(|app| app.serves(role)).cloned();
        let deployment = self.scanner.as_deref();
        let app = match requested {
            Some(appid) => match serving.find(|app| app.appid == *appid) {
                Some(app) => Some(app),
                None => match deployment.filter(|scanner| scanner.appid == *appid) {
                    Some(scanner) => return Ok(scanner.clone()),
                    None => return Err(ServiceError::Refused(ErrorCode::WechatAppNotFound)),
                },
            },
            None => serving.next(),
        };
        match (app, deployment) {
            (Some(app), _) => self.open_app(app),
            (None, Some(deployment)) => Ok(deployment.clone()),
            (None, None) => Err(ServiceError::Refused(ErrorCode::QrUnavailable)),
        }
    }

    /// The mini program that opens a pool's QR codes: the pool's QR-login app when the browser asked for the pool's
    /// own (`useSelfWxapp`), when the pool's QR settings choose it, or when the deployment has no scanner; else the
    /// deployment's scanner.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool))]
    pub(crate) async fn qr_scanner(
        &self,
        pool: &PoolId,
        asked_for_own: bool,
    ) -> ServiceResult<ScannerApp> {
        let own_wanted = asked_for_own
            || self.scanner.is_none()
            || self
                .store
                .qr_settings(pool)
                .await?
                .is_some_and(|settings| settings.scanner == ScannerChoice::Pool);
        if own_wanted {
            self.serving_app(pool, AppRole::QrLogin, None).await
        } else {
            self.scanner
                .as_deref()
                .cloned()
                .ok_or(ServiceError::Refused(ErrorCode::QrUnavailable))
        }
    }

    /// A pool's mini program with its AppSecret opened, and the deployment scanner's link prefix and confirm page
    /// where it has none of its own.
    fn open_app(&self, app: WechatApp) -> ServiceResult<ScannerApp> {
        let secret = self.app_secret(&app)?;
        let deployment = self.scanner.as_deref();
        Ok(ScannerApp {
            credentials: AppCredentials::new(app.appid.as_str(), secret),
            link_prefix: app
                .link_prefix
                .or_else(|| deployment.map(|d| d.link_prefix.clone()))
                .unwrap_or_else(|| format!("{}/s/", self.public_url)),
            confirm_page: app
                .confirm_page
                .or_else(|| deployment.map(|d| d.confirm_page.clone()))
                .unwrap_or_else(|| "pages/confirm/index".to_owned()),
            appid: app.appid,
        })
    }

    /// The AppSecret of a pool's app, unsealed.
    pub(crate) fn app_secret(&self, app: &WechatApp) -> ServiceResult<String> {
        let sealed = app
            .secret
            .as_ref()
            .ok_or_else(|| ServiceError::Internal(format!("app {} has no AppSecret", app.appid)))?;
        let secret = self
            .master_key
            .open(&WechatApp::seal_context(&app.pool_id), sealed)
            .map_err(|e| ServiceError::Internal(format!("pool AppSecret: {e}")))?;
        String::from_utf8(secret)
            .map_err(|e| ServiceError::Internal(format!("pool AppSecret: {e}")))
    }
}
