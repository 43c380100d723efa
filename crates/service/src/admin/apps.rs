//! Administering a pool's WeChat apps: mini programs with the logins they serve, and mobile apps. An AppSecret is
//! write-only: sealed when saved, tested against WeChat first (`stable_token`), never shown again.

use denglu_domain::{AppId, AppKind, AppName, AppRole, AppRoles, PoolId, WechatApp};
use denglu_store::{Constraint, StoreError};
use denglu_wechat::{AppCredentials, WechatError};
use serde_json::{Value, json};

use crate::{ErrorCode, ServiceError, ServiceResult, admin::Admin, shared::text::given};

/// A WeChat app to add to a pool.
#[derive(Debug)]
pub struct NewWechatApp {
    /// Its AppID.
    pub appid: String,
    /// `mini_program` or `mobile_app`.
    pub kind: String,
    /// A name for people; the AppID when absent.
    pub name: Option<String>,
    /// For a mini program, the logins it serves: `qr_login`, `app_launch`, `sdk`.
    pub roles: Vec<String>,
    /// Its AppSecret: required for a mini program, optional for a mobile app.
    pub secret: Option<String>,
    /// The link prefix registered for it in WeChat, for url-mode QR codes.
    pub link_prefix: Option<String>,
    /// Its confirm page, for wxacode-mode QR codes.
    pub confirm_page: Option<String>,
    /// Whether to test the AppSecret against WeChat before saving (default true).
    pub check: bool,
}

/// Changes to a pool's WeChat app; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct WechatAppChange {
    /// A new name.
    pub name: Option<String>,
    /// The logins a mini program serves, replacing the earlier list.
    pub roles: Option<Vec<String>>,
    /// A new AppSecret.
    pub secret: Option<String>,
    /// `Some(None)` falls back to the deployment scanner's link prefix.
    pub link_prefix: Option<Option<String>>,
    /// `Some(None)` falls back to the deployment scanner's confirm page.
    pub confirm_page: Option<Option<String>>,
    /// Whether to test a new AppSecret against WeChat before saving.
    pub check: bool,
}

/// An app as the audit log shows it: everything but the secret, of which only whether one is set.
fn audited(app: &WechatApp) -> Value {
    json!({
        "appid": app.appid.as_str(),
        "kind": app.kind.as_str(),
        "name": app.name.as_str(),
        "roles": app.roles.list().iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        "secretSet": app.secret.is_some(),
        "linkPrefix": app.link_prefix,
        "confirmPage": app.confirm_page,
    })
}

impl Admin<'_> {
    /// The pool's WeChat apps, in the order they were added.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn wechat_apps(&self, pool: &PoolId) -> ServiceResult<Vec<WechatApp>> {
        self.operator.read(pool)?;
        self.core.pool(pool).await?;
        Ok(self.store.wechat_apps().wechat_apps(pool).await?)
    }

    /// Adds a WeChat app to the pool, after WeChat accepted its AppSecret (unless `check` is off).
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn add_wechat_app(
        &self,
        pool: &PoolId,
        input: NewWechatApp,
    ) -> ServiceResult<WechatApp> {
        self.operator.write(pool)?;
        self.core.pool(pool).await?;
        let appid = AppId::parse(&input.appid)?;
        let kind = AppKind::parse(&input.kind).ok_or_else(|| {
            ServiceError::Rejected(format!(
                "unknown app kind '{}': use mini_program or mobile_app",
                input.kind
            ))
        })?;
        let name = AppName::parse(input.name.as_deref().unwrap_or(appid.as_str()))?;
        let roles = roles(kind, &input.roles)?;
        let secret = given(input.secret);
        if kind == AppKind::MiniProgram && secret.is_none() {
            return Err(ServiceError::Rejected(
                "a mini program needs its AppSecret".to_owned(),
            ));
        }
        let (link_prefix, confirm_page) =
            pages(given(input.link_prefix), given(input.confirm_page))?;
        if let Some(secret) = &secret
            && input.check
            && kind == AppKind::MiniProgram
        {
            self.check_credentials(&appid, secret).await?;
        }
        let now = self.core.clock.now();
        let app = WechatApp {
            pool_id: pool.clone(),
            kind,
            name,
            roles,
            secret: secret.map(|s| self.seal_app_secret(pool, &s)),
            link_prefix,
            confirm_page,
            created_at: now,
            updated_at: now,
            appid,
        };
        match self.store.wechat_apps().insert_wechat_app(&app).await {
            Err(StoreError::Conflict {
                constraint: Constraint::Duplicate,
            }) => return Err(ServiceError::Refused(ErrorCode::WechatAppExists)),
            other => other?,
        }
        self.core.forget_pool(pool).await;
        let detail = json!({ "after": audited(&app) });
        self.record("app.add", Some(pool), None, Some(detail)).await;
        tracing::info!(pool_id = %pool, appid = %app.appid, kind = %app.kind, "WeChat app added");
        Ok(app)
    }

    /// Changes a pool's WeChat app; a new AppSecret is tested against WeChat first (unless `check` is off).
    #[tracing::instrument(skip_all, fields(pool_id = %pool, appid = %appid))]
    pub async fn change_wechat_app(
        &self,
        pool: &PoolId,
        appid: &str,
        change: WechatAppChange,
    ) -> ServiceResult<WechatApp> {
        self.operator.write(pool)?;
        let before = self.wechat_app(pool, appid).await?;
        let mut app = before.clone();
        if let Some(name) = change.name {
            app.name = AppName::parse(&name)?;
        }
        if let Some(list) = change.roles {
            app.roles = roles(app.kind, &list)?;
        }
        let link_prefix = change.link_prefix.unwrap_or(app.link_prefix.take());
        let confirm_page = change.confirm_page.unwrap_or(app.confirm_page.take());
        (app.link_prefix, app.confirm_page) = pages(given(link_prefix), given(confirm_page))?;
        if let Some(secret) = change.secret {
            let secret = given(Some(secret))
                .ok_or_else(|| ServiceError::Rejected("the AppSecret is empty".to_owned()))?;
            if change.check && app.kind == AppKind::MiniProgram {
                self.check_credentials(&app.appid, &secret).await?;
            }
            app.secret = Some(self.seal_app_secret(pool, &secret));
        }
        app.updated_at = self.core.clock.now();
        if !self.store.wechat_apps().update_wechat_app(&app).await? {
            return Err(ServiceError::Refused(ErrorCode::WechatAppNotFound));
        }
        self.core.forget_pool(pool).await;
        let detail = json!({ "before": audited(&before), "after": audited(&app) });
        self.record("app.change", Some(pool), None, Some(detail))
            .await;
        Ok(app)
    }

    /// Removes a WeChat app from the pool. Its users keep their accounts and WeChat identities.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, appid = %appid))]
    pub async fn remove_wechat_app(&self, pool: &PoolId, appid: &str) -> ServiceResult<()> {
        self.operator.write(pool)?;
        let app = self.wechat_app(pool, appid).await?;
        if !self
            .store
            .wechat_apps()
            .delete_wechat_app(pool, &app.appid)
            .await?
        {
            return Err(ServiceError::Refused(ErrorCode::WechatAppNotFound));
        }
        self.core.forget_pool(pool).await;
        let detail = json!({ "before": audited(&app) });
        self.record("app.remove", Some(pool), None, Some(detail))
            .await;
        Ok(())
    }

    /// Tests a mini program's stored AppSecret against WeChat again.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, appid = %appid))]
    pub async fn check_wechat_app(&self, pool: &PoolId, appid: &str) -> ServiceResult<WechatApp> {
        self.operator.read(pool)?;
        let app = self.wechat_app(pool, appid).await?;
        if app.kind != AppKind::MiniProgram {
            return Err(ServiceError::Rejected(
                "only a mini program's AppSecret can be tested: WeChat gives mobile apps no server token".to_owned(),
            ));
        }
        let secret = self.core.app_secret(&app)?;
        self.check_credentials(&app.appid, &secret).await?;
        Ok(app)
    }

    /// The pool's app with this AppID.
    async fn wechat_app(&self, pool: &PoolId, appid: &str) -> ServiceResult<WechatApp> {
        self.core.pool(pool).await?;
        let appid = AppId::parse(appid)?;
        self.store
            .wechat_apps()
            .wechat_apps(pool)
            .await?
            .into_iter()
            .find(|app| app.appid == appid)
            .ok_or(ServiceError::Refused(ErrorCode::WechatAppNotFound))
    }

    fn seal_app_secret(&self, pool: &PoolId, secret: &str) -> denglu_domain::Sealed {
        self.core
            .master_key
            .seal(&WechatApp::seal_context(pool), secret.as_bytes())
    }

    /// Asks WeChat for an access token with these credentials; its refusal comes back in words.
    async fn check_credentials(&self, appid: &AppId, secret: &str) -> ServiceResult<()> {
        let credentials = AppCredentials::new(appid.as_str(), secret);
        self.core
            .wechat
            .check_credentials(&credentials)
            .await
            .map_err(|error| refusal(&error))
    }
}

/// The roles of an app of `kind`, checked: a mobile app serves none.
fn roles(kind: AppKind, names: &[String]) -> ServiceResult<AppRoles> {
    let roles = names
        .iter()
        .map(|name| {
            AppRole::parse(name).ok_or_else(|| {
                ServiceError::Rejected(format!(
                    "unknown role '{name}': use qr_login, app_launch or sdk"
                ))
            })
        })
        .collect::<ServiceResult<Vec<_>>>()?;
    if kind == AppKind::MobileApp && !roles.is_empty() {
        return Err(ServiceError::Rejected(
            "a mobile app serves no login itself: roles are for mini programs".to_owned(),
        ));
    }
    Ok(AppRoles::from_list(&roles))
}

/// The link prefix (an absolute http(s) URL) and confirm page (a page path), checked.
fn pages(
    link_prefix: Option<String>,
    confirm_page: Option<String>,
) -> ServiceResult<(Option<String>, Option<String>)> {
    if let Some(prefix) = &link_prefix {
        denglu_domain::CallbackUrl::parse(prefix).map_err(|_| {
            ServiceError::Rejected("the link prefix is an absolute http(s) URL".to_owned())
        })?;
    }
    if let Some(page) = &confirm_page
        && (page.starts_with('/') || page.chars().any(|c| c.is_whitespace() || c.is_control()))
    {
        return Err(ServiceError::Rejected(
            "the confirm page is a page path such as pages/confirm/index".to_owned(),
        ));
    }
    Ok((link_prefix, confirm_page))
}

/// WeChat's verdict on an AppID and AppSecret, in words an operator can act on.
fn refusal(error: &WechatError) -> ServiceError {
    let reason = match error.errcode() {
        Some(40013) => "WeChat does not know this AppID (40013 invalid appid)".to_owned(),
        Some(40125) => {
            "WeChat refused the AppSecret (40125 invalid appsecret): copy it again from the mini program's admin \
             console, 开发管理 → 开发设置"
                .to_owned()
        }
        Some(40164) => {
            "WeChat refused this server's IP address (40164): add it to the app's IP whitelist in 开发管理 → 开发设置"
                .to_owned()
        }
        Some(40243) => "the AppSecret is frozen (40243): unfreeze or reset it in the admin console".to_owned(),
        Some(40002 | 41002 | 41004) => format!("WeChat refused the request as incomplete ({error})"),
        Some(-1) | None => {
            return ServiceError::Explained(
                ErrorCode::WechatUnavailable,
                format!(
                    "the credentials could not be tested: {error}; try again, or save with check=false"
                ),
            );
        }
        Some(_) => format!("WeChat refused the credentials: {error}"),
    };
    ServiceError::Explained(ErrorCode::WechatCredentialsRefused, reason)
}
