//! A pool's WeChat apps as the admin API shows them: never the AppSecret, only whether one is set.

use denglu_domain::WechatApp;
use serde::Serialize;
use utoipa::ToSchema;

use super::iso;

/// A WeChat app of a pool.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WechatAppView {
    /// Its AppID.
    appid: String,
    /// `mini_program` or `mobile_app`.
    kind: String,
    /// Its name for people.
    name: String,
    /// The logins a mini program serves: `qr_login`, `app_launch`, `sdk`.
    roles: Vec<String>,
    /// Whether an AppSecret is stored (it is never shown).
    secret_set: bool,
    /// Its link prefix for url-mode QR codes; the deployment scanner's when null.
    link_prefix: Option<String>,
    /// Its confirm page for wxacode-mode QR codes; the deployment scanner's when null.
    confirm_page: Option<String>,
    /// When it was added.
    created_at: String,
    /// When it last changed.
    updated_at: String,
}

impl From<&WechatApp> for WechatAppView {
    fn from(app: &WechatApp) -> Self {
        Self {
            appid: app.appid.to_string(),
            kind: app.kind.as_str().to_owned(),
            name: app.name.as_str().to_owned(),
            roles: app.roles.list().iter().map(|r| r.to_string()).collect(),
            secret_set: app.secret.is_some(),
            link_prefix: app.link_prefix.clone(),
            confirm_page: app.confirm_page.clone(),
            created_at: iso(app.created_at),
            updated_at: iso(app.updated_at),
        }
    }
}

/// A pool's WeChat apps.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WechatAppList {
    /// In the order they were added.
    pub(crate) apps: Vec<WechatAppView>,
}
