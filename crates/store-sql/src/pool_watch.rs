//! [`PoolWatch`]: how long requests wait for a pooled connection, and how often they give up, which sqlx's pool does
//! not count itself.

use std::{
    future::Future,
    sync::atomic::{AtomicU64, Ordering},
    time::Instant,
};

use denglu_store::PoolUse;

/// Counts a backend's connection acquires. Shared by the clones of one backend.
#[derive(Debug, Default)]
pub struct PoolWatch {
    acquires: AtomicU64,
    wait_micros: AtomicU64,
    timeouts: AtomicU64,
}

impl PoolWatch {
    /// Awaits `acquiring` (a pool's `acquire()`), counting a connection handed out and the wait for it, or a
    /// timeout.
    pub async fn acquire<C>(
        &self,
        acquiring: impl Future<Output = Result<C, sqlx::Error>>,
    ) -> Result<C, sqlx::Error> {
        let started = Instant::now();
        let acquired = acquiring.await;
        let waited = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        match &acquired {
            Ok(_) => {
                self.acquires.fetch_add(1, Ordering::Relaxed);
                self.wait_micros.fetch_add(waited, Ordering::Relaxed);
            }
            Err(sqlx::Error::PoolTimedOut) => {
                self.timeouts.fetch_add(1, Ordering::Relaxed);
            }
            Err(_) => {}
        }
        acquired
    }

    /// The pool's use: `size` open connections of which `idle` are idle, at most `max`, and what was counted.
    pub fn pool_use(&self, size: u32, idle: usize, max: u32) -> PoolUse {
        let idle = u32::try_from(idle).unwrap_or(u32::MAX);
        PoolUse {
            in_use: size.saturating_sub(idle),
            idle,
            max,
            acquires: self.acquires.load(Ordering::Relaxed),
            // Exact below 2^53 µs (285 years).
            acquire_wait_seconds: self.wait_micros.load(Ordering::Relaxed) as f64 / 1e6,
            acquire_timeouts: self.timeouts.load(Ordering::Relaxed),
        }
    }
}
