//! Per-client-address rate limits of this replica (GCRA, via `governor`): QR codes requested and QR polls.
//! Each replica counts on its own, so behind N replicas a client gets up to N times the limit.

use std::{net::IpAddr, num::NonZeroU32};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::HttpSettings;

/// Past this many tracked addresses, idle ones are forgotten.
const MAX_TRACKED: usize = 100_000;

/// The limits, shared by every request of the router.
pub(crate) struct RateLimits {
    qr_starts: Option<DefaultKeyedRateLimiter<IpAddr>>,
    qr_polls: Option<DefaultKeyedRateLimiter<IpAddr>>,
}

/// What a limit is about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Limited {
    /// Requesting a QR code.
    QrStart,
    /// Polling a QR code.
    QrPoll,
}

impl RateLimits {
    pub(crate) fn new(http: &HttpSettings) -> Self {
        Self {
            qr_starts: per_minute(http.qr_starts_per_minute),
            qr_polls: per_minute(http.qr_polls_per_minute),
        }
    }

    /// Whether `ip` may go on; requests without a known address are not limited.
    pub(crate) fn allows(&self, what: Limited, ip: Option<IpAddr>) -> bool {
        let limiter = match what {
            Limited::QrStart => &self.qr_starts,
            Limited::QrPoll => &self.qr_polls,
        };
        let (Some(limiter), Some(ip)) = (limiter, ip) else {
            return true;
        };
        if limiter.len() > MAX_TRACKED {
            limiter.retain_recent();
        }
        limiter.check_key(&ip).is_ok()
    }
}

fn per_minute(limit: u32) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    NonZeroU32::new(limit).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}
