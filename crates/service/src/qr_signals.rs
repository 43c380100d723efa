//! In-process notice of QR session changes, so that a waiting browser hears about a scan or a confirmation at once.
//! Other replicas' changes are seen by the waiters' periodic re-check.

use std::sync::Arc;

use tokio::sync::broadcast;

/// Scenes whose session just changed.
#[derive(Clone)]
pub(crate) struct QrSignals(broadcast::Sender<Arc<str>>);

impl QrSignals {
    pub(crate) fn new() -> Self {
        Self(broadcast::channel(1024).0)
    }

    /// Tells the waiters that the session of `scene` changed.
    pub(crate) fn changed(&self, scene: &str) {
        // No receiver is fine: nobody is waiting.
        let _ = self.0.send(scene.into());
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Arc<str>> {
        self.0.subscribe()
    }
}
