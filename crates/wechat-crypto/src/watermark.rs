//! What decrypted data must satisfy: the watermark's appid and, optionally, its freshness.

use crate::{OpenDataError, Watermark};

/// How far in the future (seconds) a watermark timestamp may be before a freshness check rejects it,
/// to allow for clock skew between WeChat and this server.
pub const MAX_FUTURE_SKEW_SECS: i64 = 60;

/// What decrypted data must satisfy: a watermark naming this appid and, optionally, a fresh timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatermarkCheck<'a> {
    appid: &'a str,
    freshness: Option<Freshness>,
}

/// The freshness window of a [`WatermarkCheck`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Freshness {
    max_age_secs: i64,
    now_unix: i64,
}

impl<'a> WatermarkCheck<'a> {
    /// Checks only that the watermark names `appid`.
    pub fn appid(appid: &'a str) -> Self {
        Self {
            appid,
            freshness: None,
        }
    }

    /// Also rejects a timestamp older than `now_unix - max_age_secs` or later than
    /// `now_unix + MAX_FUTURE_SKEW_SECS`. A negative `max_age_secs` counts as 0.
    #[must_use]
    pub fn fresh_within(self, max_age_secs: i64, now_unix: i64) -> Self {
        Self {
            freshness: Some(Freshness {
                max_age_secs: max_age_secs.max(0),
                now_unix,
            }),
            ..self
        }
    }

    /// Checks a watermark: its appid first, then its freshness if asked for.
    pub fn verify(&self, watermark: &Watermark) -> Result<(), OpenDataError> {
        if watermark.appid != self.appid {
            return Err(OpenDataError::WatermarkMismatch {
                expected: self.appid.to_owned(),
                found: watermark.appid.clone(),
            });
        }
        if let Some(Freshness {
            max_age_secs,
            now_unix,
        }) = self.freshness
        {
            let oldest = now_unix.saturating_sub(max_age_secs);
            let latest = now_unix.saturating_add(MAX_FUTURE_SKEW_SECS);
            if !(oldest..=latest).contains(&watermark.timestamp) {
                return Err(OpenDataError::Stale {
                    timestamp: watermark.timestamp,
                    now: now_unix,
                });
            }
        }
        Ok(())
    }
}
