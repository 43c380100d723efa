//! The load driver: a fixed number of connections, each sending its next request as soon as the last one is
//! answered (a closed loop), until a request count or a deadline is reached; every latency goes in a histogram.

use std::{
    future::Future,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use anyhow::Result;
use hdrhistogram::Histogram;

/// How much load: `connections` loops, at most `requests` requests in all, for at most `time`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Load {
    pub(crate) connections: usize,
    pub(crate) requests: Option<usize>,
    pub(crate) time: Duration,
}

/// What one run measured.
#[derive(Debug, Clone)]
pub(crate) struct Stats {
    pub(crate) ok: u64,
    pub(crate) errors: u64,
    pub(crate) first_error: Option<String>,
    pub(crate) elapsed: Duration,
    pub(crate) latencies: Histogram<u64>,
}

impl Stats {
    /// Successful requests per second.
    pub(crate) fn throughput(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64().max(f64::EPSILON)
    }

    /// A latency quantile in milliseconds.
    pub(crate) fn quantile_ms(&self, quantile: f64) -> f64 {
        self.latencies.value_at_quantile(quantile) as f64 / 1000.0
    }
}

/// A latency histogram in microseconds, from 1 µs to 10 minutes, 3 significant digits.
pub(crate) fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("constant histogram bounds are valid")
}

/// Runs `request(n)` for n = 0, 1, 2, … under `load`. A request that returns an error is counted, not retried.
pub(crate) async fn run<F, Fut>(load: Load, request: F) -> Stats
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<()>> + Send,
{
    let request = Arc::new(request);
    let next = Arc::new(AtomicUsize::new(0));
    let first_error = Arc::new(Mutex::new(None));
    let started = Instant::now();
    let deadline = started + load.time;
    let limit = load.requests.unwrap_or(usize::MAX);
    let loops: Vec<_> = (0..load.connections.max(1))
        .map(|_| {
            let request = Arc::clone(&request);
            let next = Arc::clone(&next);
            let first_error = Arc::clone(&first_error);
            tokio::spawn(async move {
                let mut latencies = histogram();
                let mut errors = 0u64;
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= limit || Instant::now() >= deadline {
                        break;
                    }
                    let sent = Instant::now();
                    match request(n).await {
                        Ok(()) => latencies.saturating_record(micros(sent.elapsed())),
                        Err(error) => {
                            errors += 1;
                            let mut first = first_error.lock().unwrap_or_else(|e| e.into_inner());
                            first.get_or_insert_with(|| format!("{error:#}"));
                        }
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = histogram();
    let mut errors = 0;
    for handle in loops {
        if let Ok((part, failed)) = handle.await {
            let _ = latencies.add(&part);
            errors += failed;
        }
    }
    let elapsed = started.elapsed();
    let first_error = first_error.lock().unwrap_or_else(|e| e.into_inner()).take();
    Stats {
        ok: latencies.len(),
        errors,
        first_error,
        elapsed,
        latencies,
    }
}

/// A duration in whole microseconds.
pub(crate) fn micros(duration: Duration) -> u64 {
    u64::try_from(duration.as_micros()).unwrap_or(u64::MAX)
}
