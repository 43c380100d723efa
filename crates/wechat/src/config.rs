//! How the client reaches WeChat: base URL, timeouts, token refresh margin and busy retries.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Client settings. Every field has a production default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClientConfig {
    /// WeChat's API base URL, without a trailing slash. A simulator's URL in development and tests.
    pub api_base_url: String,
    /// How long to wait for a TCP/TLS connection, in milliseconds.
    pub connect_timeout_ms: u64,
    /// How long a whole request may take, in milliseconds.
    pub timeout_ms: u64,
    /// A cached access token is replaced this many seconds before it expires.
    pub token_refresh_margin_secs: u64,
    /// How many times a call that consumes nothing is retried after "system busy" (-1).
    pub busy_retries: u32,
    /// The first back-off after "system busy", in milliseconds; it doubles with each retry.
    pub busy_backoff_ms: u64,
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self {
            api_base_url: "https://api.weixin.qq.com".to_owned(),
            connect_timeout_ms: 3_000,
            timeout_ms: 10_000,
            token_refresh_margin_secs: 300,
            busy_retries: 3,
            busy_backoff_ms: 200,
        }
    }
}

impl ClientConfig {
    pub(crate) fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms)
    }

    pub(crate) fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }

    /// The back-off before retry number `attempt` (0-based).
    pub(crate) fn busy_backoff(&self, attempt: u32) -> Duration {
        Duration::from_millis(self.busy_backoff_ms.saturating_mul(1 << attempt.min(16)))
    }
}
