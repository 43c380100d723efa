//! A pool's QR login settings: how its QR codes are made, how long they live, where the browser goes after login.

use std::fmt;

use chrono::{DateTime, Duration, Utc};

use crate::{DomainError, PoolId, ScannerChoice};

/// How a pool's QR codes are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QrMode {
    /// A plain QR code of a link the scanner mini program opens ("scan ordinary link QR code"), drawn by denglu,
    /// with the pool's logo in the middle. Uses no WeChat quota.
    #[default]
    Url,
    /// A mini program code from WeChat's `getwxacodeunlimit`.
    Wxacode,
}

impl QrMode {
    /// The setting's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Url => "url",
            Self::Wxacode => "wxacode",
        }
    }

    /// Reads a setting's name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "url" => Some(Self::Url),
            "wxacode" => Some(Self::Wxacode),
            _ => None,
        }
    }
}

/// How long a QR code or an app ticket lives: 30 to 600 seconds, 120 by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShortLifetime(u32);

impl ShortLifetime {
    /// Checks the range.
    pub fn from_seconds(seconds: i64) -> Result<Self, DomainError> {
        u32::try_from(seconds)
            .ok()
            .filter(|s| (30..=600).contains(s))
            .map(Self)
            .ok_or(DomainError::InvalidShortLifetime)
    }

    /// The lifetime in seconds.
    pub fn seconds(self) -> u32 {
        self.0
    }

    /// The lifetime as a duration.
    pub fn duration(self) -> Duration {
        Duration::seconds(i64::from(self.0))
    }
}

impl Default for ShortLifetime {
    fn default() -> Self {
        Self(120)
    }
}

/// Where the browser is sent after a QR login: an absolute `http` or `https` URL without a fragment.
#[derive(Clone, PartialEq, Eq)]
pub struct CallbackUrl(String);

impl CallbackUrl {
    /// Checks that `value` is an absolute http(s) URL with a host and no fragment.
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let url = url::Url::parse(value).map_err(|_| DomainError::InvalidCallbackUrl)?;
        let web = matches!(url.scheme(), "http" | "https");
        if web && url.host().is_some() && url.fragment().is_none() && value.len() <= 2048 {
            Ok(Self(url.into()))
        } else {
            Err(DomainError::InvalidCallbackUrl)
        }
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for CallbackUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CallbackUrl({})", self.0)
    }
}

/// A pool's QR login settings. A pool without stored settings uses the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSettings {
    /// The pool.
    pub pool_id: PoolId,
    /// How codes are made.
    pub mode: QrMode,
    /// How long codes live.
    pub lifetime: ShortLifetime,
    /// Where the browser goes after login (`redirect` in the replies); none means the page handles it.
    pub callback_url: Option<CallbackUrl>,
    /// Which mini program opens the pool's codes when the browser does not ask for the pool's own.
    pub scanner: ScannerChoice,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl QrSettings {
    /// The defaults of a pool.
    pub fn defaults(pool_id: PoolId, now: DateTime<Utc>) -> Self {
        Self {
            pool_id,
            mode: QrMode::default(),
            lifetime: ShortLifetime::default(),
            callback_url: None,
            scanner: ScannerChoice::default(),
            updated_at: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn callback_urls_are_absolute_web_urls() {
        assert!(CallbackUrl::parse("https://app.example.com/callback?x=1").is_ok());
        assert!(CallbackUrl::parse("http://127.0.0.1:3000/cb").is_ok());
        for bad in [
            "javascript:alert(1)",
            "/relative/path",
            "ftp://example.com/",
            "https://example.com/#/redirect",
            "data:text/html,hi",
            "",
        ] {
            assert_eq!(
                CallbackUrl::parse(bad),
                Err(DomainError::InvalidCallbackUrl),
                "{bad}"
            );
        }
    }

    #[test]
    fn lifetimes_are_30_to_600_seconds() {
        assert_eq!(ShortLifetime::default().seconds(), 120);
        assert!(
            ShortLifetime::from_seconds(30).is_ok() && ShortLifetime::from_seconds(600).is_ok()
        );
        for bad in [-1, 0, 29, 601, i64::MAX] {
            assert_eq!(
                ShortLifetime::from_seconds(bad),
                Err(DomainError::InvalidShortLifetime)
            );
        }
        assert_eq!(QrMode::parse("wxacode"), Some(QrMode::Wxacode));
        assert_eq!(QrMode::parse("other"), None);
    }
}
