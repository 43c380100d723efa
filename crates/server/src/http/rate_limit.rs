//! Rate limits of this replica on the login-like and WeChat-costly endpoints (GCRA, via the services' `KeyedLimit`):
//! per client address for what browsers and phones call (QR codes and polls, sign-ups, scans, ticket mints, the mini
//! program SDK's calls, avatar uploads), per pool and address for the ticket exchange that app backends call.
//! Each replica counts on its own, so behind N replicas a client gets up to N times the limit. Every refusal counts in
//! the metrics by limit.

use std::net::IpAddr;

use denglu_domain::PoolId;
use denglu_service::{ErrorCode, KeyedLimit, Metrics, ServiceError};

use crate::HttpSettings;

/// The limits, shared by every request of the router.
pub(crate) struct RateLimits {
    qr_starts: Option<KeyedLimit<IpAddr>>,
    qr_polls: Option<KeyedLimit<IpAddr>>,
    sign_ups: Option<KeyedLimit<IpAddr>>,
    scans: Option<KeyedLimit<IpAddr>>,
    ticket_mints: Option<KeyedLimit<IpAddr>>,
    wechatapp_calls: Option<KeyedLimit<IpAddr>>,
    avatar_uploads: Option<KeyedLimit<IpAddr>>,
    ticket_exchanges: Option<KeyedLimit<(PoolId, IpAddr)>>,
    metrics: Metrics,
}

/// What a per-address limit is about.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Limited {
    /// Requesting a QR code.
    QrStart,
    /// Polling a QR code.
    QrPoll,
    /// A password sign-up (native or GraphQL).
    SignUp,
    /// The scanner's scan of a QR code.
    Scan,
    /// Minting an app-launch ticket.
    TicketMint,
    /// A mini program SDK call (`/oauth/wechatapp/*`).
    WechatappCall,
    /// An avatar upload.
    AvatarUpload,
}

impl RateLimits {
    pub(crate) fn new(http: &HttpSettings, metrics: Metrics) -> Self {
        Self {
            qr_starts: per_minute(http.qr_starts_per_minute),
            qr_polls: per_minute(http.qr_polls_per_minute),
            sign_ups: per_minute(http.sign_ups_per_minute),
            scans: per_minute(http.scans_per_minute),
            ticket_mints: per_minute(http.ticket_mints_per_minute),
            wechatapp_calls: per_minute(http.wechatapp_calls_per_minute),
            avatar_uploads: per_minute(http.avatar_uploads_per_minute),
            ticket_exchanges: per_minute(http.ticket_exchanges_per_minute),
            metrics,
        }
    }

    /// Whether `ip` may go on; requests without a known address are not limited.
    pub(crate) fn allows(&self, what: Limited, ip: Option<IpAddr>) -> bool {
        let limiter = match what {
            Limited::QrStart => &self.qr_starts,
            Limited::QrPoll => &self.qr_polls,
            Limited::SignUp => &self.sign_ups,
            Limited::Scan => &self.scans,
            Limited::TicketMint => &self.ticket_mints,
            Limited::WechatappCall => &self.wechatapp_calls,
            Limited::AvatarUpload => &self.avatar_uploads,
        };
        let (Some(limiter), Some(ip)) = (limiter, ip) else {
            return true;
        };
        self.counted(limiter.allows(&ip), what.name())
    }

    /// [`RateLimits::allows`] as a result: `TooManyRequests` (4290) past the limit, in any surface's shape.
    pub(crate) fn check(&self, what: Limited, ip: Option<IpAddr>) -> Result<(), ServiceError> {
        refused_unless(self.allows(what, ip))
    }

    /// Counts a ticket exchange for `pool` from `ip`; `TooManyRequests` (4290) past the limit.
    pub(crate) fn check_exchange(
        &self,
        pool: &PoolId,
        ip: Option<IpAddr>,
    ) -> Result<(), ServiceError> {
        let (Some(limiter), Some(ip)) = (&self.ticket_exchanges, ip) else {
            return Ok(());
        };
        refused_unless(self.counted(limiter.allows(&(pool.clone(), ip)), "ticket_exchange"))
    }

    /// `allowed`, a refusal counted under `limit`.
    fn counted(&self, allowed: bool, limit: &'static str) -> bool {
        if !allowed {
            self.metrics.rate_limited(limit);
        }
        allowed
    }
}

impl Limited {
    /// The limit's name in the metrics.
    fn name(self) -> &'static str {
        match self {
            Self::QrStart => "qr_start",
            Self::QrPoll => "qr_poll",
            Self::SignUp => "sign_up",
            Self::Scan => "scan",
            Self::TicketMint => "ticket_mint",
            Self::WechatappCall => "wechatapp_call",
            Self::AvatarUpload => "avatar_upload",
        }
    }
}

fn refused_unless(allowed: bool) -> Result<(), ServiceError> {
    if allowed {
        Ok(())
    } else {
        Err(ServiceError::Refused(ErrorCode::TooManyRequests))
    }
}

/// A limit of `limit` a minute per key; none for 0.
fn per_minute<K: std::hash::Hash + Eq + Clone>(limit: u32) -> Option<KeyedLimit<K>> {
    (limit > 0).then(|| KeyedLimit::per_minute(limit))
}
