//! Simulator configuration: the mini programs it knows and the platform's limits.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::sim_error::SimError;

/// Everything the simulator needs to start; loadable from TOML or JSON.
///
/// `SimConfig::default()` has no apps and WeChat's documented limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimConfig {
    /// The mini programs the simulator serves.
    pub apps: Vec<AppConfig>,
    /// Lifetime of access tokens in seconds (`expires_in`), default 7200.
    pub token_expires_in: u64,
    /// Lifetime of `wx.login` codes and phone codes in seconds, default 300.
    pub code_lifetime: u64,
    /// When true every `login` issues a new session_key and kills the old one; default false
    /// (the key stays stable while the session lives, as commonly observed).
    pub rotate_session_key_on_login: bool,
    /// Rate limits and daily quotas.
    pub quotas: Quotas,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            apps: Vec::new(),
            token_expires_in: 7200,
            code_lifetime: 300,
            rotate_session_key_on_login: false,
            quotas: Quotas::default(),
        }
    }
}

impl SimConfig {
    /// Checks lifetimes and every app; the simulator refuses an invalid configuration.
    pub fn validate(&self) -> Result<(), SimError> {
        if self.token_expires_in == 0 || self.code_lifetime == 0 {
            return Err(SimError::InvalidInput(
                "token_expires_in and code_lifetime must be positive".to_owned(),
            ));
        }
        self.apps.iter().try_for_each(AppConfig::validate)
    }
}

/// Platform limits; all windows are sliding so tests can reset them with `advance`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Quotas {
    /// `jscode2session` calls per (app, user) per 60 s before `45011`, default 100.
    pub jscode2session_per_user_per_minute: u32,
    /// `/cgi-bin/token` issues per app per 24 h before `45009`, default 2000.
    pub token_per_day: u32,
    /// Effective `stable_token` force refreshes per app per 24 h before `45009`, default 20.
    pub stable_force_refresh_per_day: u32,
    /// Minimum seconds between effective force refreshes, default 30; a force call sooner
    /// returns the current token without refreshing.
    pub stable_force_refresh_interval: u64,
}

impl Default for Quotas {
    fn default() -> Self {
        Self {
            jscode2session_per_user_per_minute: 100,
            token_per_day: 2000,
            stable_force_refresh_per_day: 20,
            stable_force_refresh_interval: 30,
        }
    }
}

/// One mini program registered with the simulator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    /// AppID: `wx` followed by 16 lowercase hex digits.
    pub appid: String,
    /// AppSecret (any non-empty text; real ones are 32 hex digits).
    pub secret: String,
    /// Open Platform account the app is bound to; `unionid` is returned only when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bound_open_platform: Option<String>,
    /// Original id `gh_` + 12 hex, used by `launch_mini_program`; derived from the appid
    /// when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_id: Option<String>,
    /// Pages of the published version (`pages/index/index`); the first is the home page.
    #[serde(default)]
    pub pages: Vec<String>,
    /// When set, only these caller IPs may get access tokens (`40164` otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip_whitelist: Option<Vec<IpAddr>>,
}

impl AppConfig {
    /// A minimal app with the given credentials, no pages, no binding and no whitelist.
    pub fn new(appid: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            appid: appid.into(),
            secret: secret.into(),
            bound_open_platform: None,
            original_id: None,
            pages: Vec::new(),
            ip_whitelist: None,
        }
    }

    /// The original id: the configured one, or `gh_` + 12 hex derived from the appid.
    pub fn effective_original_id(&self) -> String {
        match &self.original_id {
            Some(id) => id.clone(),
            None => {
                let digest = Sha256::digest(self.appid.as_bytes());
                let hex = hex::encode(digest);
                format!("gh_{}", hex.get(..12).unwrap_or_default())
            }
        }
    }

    /// The home page: the first published page, or `""` when none are configured.
    pub(crate) fn home_page(&self) -> &str {
        self.pages.first().map_or("", String::as_str)
    }

    /// Checks the identifier formats and that the secret is not empty.
    pub fn validate(&self) -> Result<(), SimError> {
        let invalid = |what: &str| Err(SimError::InvalidInput(what.to_owned()));
        if !has_hex_tail(&self.appid, "wx", 16) {
            return invalid("appid must be `wx` followed by 16 lowercase hex digits");
        }
        if self.secret.is_empty() {
            return invalid("secret must not be empty");
        }
        if let Some(id) = &self.original_id
            && !has_hex_tail(id, "gh_", 12)
        {
            return invalid("original_id must be `gh_` followed by 12 lowercase hex digits");
        }
        if self.bound_open_platform.as_deref() == Some("") {
            return invalid("bound_open_platform must not be empty when set");
        }
        if self
            .pages
            .iter()
            .any(|p| p.is_empty() || p.starts_with('/') || p.contains('?'))
        {
            return invalid("pages must be non-empty paths without a leading `/` or a query");
        }
        Ok(())
    }
}

/// True when `value` is `prefix` followed by exactly `len` lowercase hex digits.
fn has_hex_tail(value: &str, prefix: &str, len: usize) -> bool {
    value.strip_prefix(prefix).is_some_and(|tail| {
        tail.len() == len
            && tail
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}
