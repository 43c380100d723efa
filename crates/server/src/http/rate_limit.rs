//! Per-client-address rate limits of this replica (GCRA, via the services' `KeyedLimit`): QR codes requested and QR polls.
//! Each replica counts on its own, so behind N replicas a client gets up to N times the limit.

use std::net::IpAddr;

use denglu_service::KeyedLimit;

use crate::HttpSettings;

/// The limits, shared by every request of the router.
pub(crate) struct RateLimits {
    qr_starts: Option<KeyedLimit<IpAddr>>,
    qr_polls: Option<KeyedLimit<IpAddr>>,
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
        limiter.allows(&ip)
    }
}

/// A limit of `limit` a minute per address; none for 0.
fn per_minute(limit: u32) -> Option<KeyedLimit<IpAddr>> {
    (limit > 0).then(|| KeyedLimit::per_minute(limit))
}
