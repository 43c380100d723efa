//! A per-minute limit of this replica per key (a WeChat user, a client address; GCRA via `governor`) that forgets
//! idle keys once it tracks many, so that callers inventing keys cannot grow this replica's memory without bound. The
//! server's rate limits use it too.

use std::{
    hash::Hash,
    num::NonZeroU32,
    sync::{Arc, Mutex, PoisonError},
    time::{Duration, Instant},
};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Keys tracked before idle ones are dropped.
const MAX_TRACKED: usize = 10_000;
/// The shortest time between two sweeps, so that many busy keys do not cost a sweep per request.
const SWEEP_INTERVAL: Duration = Duration::from_secs(1);

/// A limit per key of type `K`; its clones share the counts.
pub struct KeyedLimit<K: Hash + Eq + Clone = String> {
    limiter: Arc<DefaultKeyedRateLimiter<K>>,
    last_sweep: Arc<Mutex<Instant>>,
}

impl<K: Hash + Eq + Clone> Clone for KeyedLimit<K> {
    fn clone(&self) -> Self {
        Self {
            limiter: Arc::clone(&self.limiter),
            last_sweep: Arc::clone(&self.last_sweep),
        }
    }
}

impl<K: Hash + Eq + Clone> KeyedLimit<K> {
    /// `per_minute` events per key and minute (at least 1).
    pub fn per_minute(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota)),
            last_sweep: Arc::new(Mutex::new(Instant::now())),
        }
    }

    /// One event per key and `period`, with no burst.
    pub fn one_per(period: Duration) -> Self {
        let quota =
            Quota::with_period(period).unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN));
        Self {
            limiter: Arc::new(RateLimiter::keyed(quota)),
            last_sweep: Arc::new(Mutex::new(Instant::now())),
        }
    }

    /// Counts one event for `key`; whether it is within the limit.
    pub fn allows(&self, key: &K) -> bool {
        if self.limiter.len() > MAX_TRACKED {
            self.sweep();
        }
        self.limiter.check_key(key).is_ok()
    }

    /// Drops the keys whose limit is full again (they behave exactly as unknown keys), at most once a second.
    fn sweep(&self) {
        let mut last = self
            .last_sweep
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if last.elapsed() >= SWEEP_INTERVAL {
            *last = Instant::now();
            self.limiter.retain_recent();
        }
    }

    /// Keys tracked now.
    #[cfg(test)]
    fn tracked(&self) -> usize {
        self.limiter.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_gets_its_quota_and_no_more() {
        let limit = KeyedLimit::per_minute(3);
        let (alice, bob) = ("alice".to_owned(), "bob".to_owned());
        assert!((0..3).all(|_| limit.allows(&alice)));
        assert!(!limit.allows(&alice));
        assert!(limit.allows(&bob), "keys are counted apart");
    }

    #[test]
    fn idle_keys_are_forgotten_once_many_are_tracked() {
        // Six million a minute: a key is as good as new 10 µs after its event.
        let limit = KeyedLimit::per_minute(6_000_000);
        for n in 0..=MAX_TRACKED {
            assert!(limit.allows(&n));
        }
        assert_eq!(limit.tracked(), MAX_TRACKED + 1);
        std::thread::sleep(Duration::from_millis(20));
        *limit.last_sweep.lock().expect("lock") = Instant::now() - SWEEP_INTERVAL;
        assert!(limit.allows(&(MAX_TRACKED + 1)));
        assert_eq!(limit.tracked(), 1, "only the key just counted");
    }
}
