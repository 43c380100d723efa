//! The simulator's clock: real time plus an offset that tests can advance.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in simulated time, in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Instant(i64);

impl Instant {
    /// Whole seconds since the Unix epoch (for watermarks and summaries).
    pub(crate) fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// This instant moved forward by `seconds`.
    pub(crate) fn plus_seconds(self, seconds: u64) -> Self {
        let millis = i64::try_from(seconds)
            .unwrap_or(i64::MAX / 2)
            .saturating_mul(1000);
        Self(self.0.saturating_add(millis))
    }

    /// Seconds from `self` until `later`, rounded up (0 when `later` is not after `self`).
    pub(crate) fn seconds_until(self, later: Self) -> u64 {
        let millis = u64::try_from(later.0.saturating_sub(self.0)).unwrap_or(0);
        millis.div_ceil(1000)
    }
}

/// Real time shifted by an offset that only grows.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    offset: Duration,
}

impl Clock {
    /// The current simulated time.
    pub(crate) fn now(&self) -> Instant {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let total = real.saturating_add(self.offset);
        Instant(i64::try_from(total.as_millis()).unwrap_or(i64::MAX / 2))
    }

    /// Moves simulated time forward.
    pub(crate) fn advance(&mut self, by: Duration) {
        self.offset = self.offset.saturating_add(by);
    }
}
