//! Shutting down: one flag, set once, that ends every push stream with a final `reconnect` event and turns the
//! readiness probe to 503, and the bounded wait for the requests still in flight.

use std::{future::Future, sync::Arc, time::Duration};

use tokio::sync::watch;

/// Whether the server is shutting down. Every clone shares the flag; [`Drain::start`] sets it for all of them.
#[derive(Debug, Clone)]
pub struct Drain(Arc<watch::Sender<bool>>);

impl Default for Drain {
    fn default() -> Self {
        Self(Arc::new(watch::Sender::new(false)))
    }
}

impl Drain {
    /// Starts draining; later calls change nothing.
    pub fn start(&self) {
        self.0.send_replace(true);
    }

    /// Whether draining has started.
    pub fn started(&self) -> bool {
        *self.0.borrow()
    }

    /// Completes once draining has started (at once if it has).
    pub async fn wait(&self) {
        let mut started = self.0.subscribe();
        // The sender lives as long as `self`, so the wait ends only when the flag is set.
        let _ = started.wait_for(|draining| *draining).await;
    }

    /// Completes when `signal` does, after starting to drain: what the server loop stops on.
    pub(crate) fn on(
        &self,
        signal: impl Future<Output = ()> + Send + 'static,
    ) -> impl Future<Output = ()> + Send + 'static {
        let drain = self.clone();
        async move {
            signal.await;
            drain.start();
        }
    }

    /// Completes `grace` after draining started: the longest the requests in flight may take.
    pub(crate) async fn deadline(&self, grace: Duration) {
        self.wait().await;
        tokio::time::sleep(grace).await;
    }
}
