//! What the admin API answers about a pool's login settings: its QR settings and its app-launched login settings.

use denglu_domain::{AppLoginSettings, QrSettings};
use serde::Serialize;
use utoipa::ToSchema;

/// A pool's QR settings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PoolQrSettingsView {
    /// `url` (a QR code drawn by denglu with the pool's logo) or `wxacode` (a mini program code from WeChat).
    pub(crate) mode: String,
    /// How long a code can be scanned and collected, in seconds.
    pub(crate) lifetime_seconds: u32,
    /// Where the browser goes after login; `null` when the page handles it.
    pub(crate) callback_url: Option<String>,
    /// `deployment` or `pool`: which mini program opens the pool's codes when the browser does not ask for the
    /// pool's own (see the pool's WeChat apps).
    pub(crate) scanner: String,
}

impl From<&QrSettings> for PoolQrSettingsView {
    fn from(settings: &QrSettings) -> Self {
        Self {
            mode: settings.mode.as_str().to_owned(),
            lifetime_seconds: settings.lifetime.seconds(),
            callback_url: settings
                .callback_url
                .as_ref()
                .map(|url| url.as_str().to_owned()),
            scanner: settings.scanner.as_str().to_owned(),
        }
    }
}

/// A pool's app-launched login settings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PoolAppLoginSettingsView {
    /// How long a ticket can be exchanged, in seconds.
    pub(crate) ticket_lifetime_seconds: u32,
    /// Whether `POST /oauth/app2wxapp/auth/{pool}` needs the pool secret.
    pub(crate) require_secret: bool,
    /// Whether every ticket must be bound to a code challenge (PKCE-style).
    pub(crate) require_pkce: bool,
}

impl From<&AppLoginSettings> for PoolAppLoginSettingsView {
    fn from(settings: &AppLoginSettings) -> Self {
        Self {
            ticket_lifetime_seconds: settings.ticket_lifetime.seconds(),
            require_secret: settings.require_secret,
            require_pkce: settings.require_pkce,
        }
    }
}
