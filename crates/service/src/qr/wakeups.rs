//! Per-scene wake-ups for the QR push channel: one relay task reads the store's change notices and wakes only the
//! streams watching the changed scene, so a confirmation costs one wake-up, not one per waiting browser.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard, PoisonError, Weak},
    time::Duration,
};

use chrono::{DateTime, Utc};
use denglu_domain::{Clock, QrSession};
use denglu_store::{EVERY_QR_SCENE, QrChanges};
use tokio::sync::{broadcast::error::RecvError, watch};

use crate::QrLogin;

/// How long a waiting stream goes without re-reading its session when no notice comes. Only a safety net: notices
/// are reliable within a replica (SQLite serves one node) and between replicas on PostgreSQL (LISTEN/NOTIFY).
const RECHECK: Duration = Duration::from_secs(15);

/// The scenes being watched in this process, shared by the clones of [`Core`](crate::Core).
#[derive(Clone, Default)]
pub(crate) struct QrWakeups {
    scenes: Arc<Mutex<Scenes>>,
}

/// The registry behind the lock. The lock is only ever held by short synchronous code, never across an `.await`.
#[derive(Default)]
struct Scenes {
    /// One entry per watched scene, removed with its last watcher.
    entries: HashMap<Arc<str>, Entry>,
    /// Whether the relay task runs; it starts with the first watcher.
    relaying: bool,
}

/// A watched scene: the signal its watchers wait on and how many they are.
struct Entry {
    signal: watch::Sender<()>,
    watchers: usize,
}

impl QrWakeups {
    /// Starts watching `scene`. The first call also starts the relay on a receiver from `changes`, which must be
    /// called inside a Tokio runtime.
    fn watch(&self, scene: &str, changes: impl FnOnce() -> QrChanges) -> Notices {
        let mut scenes = lock(&self.scenes);
        if !scenes.relaying {
            scenes.relaying = true;
            tokio::spawn(relay(changes(), Arc::downgrade(&self.scenes)));
        }
        let scene = match scenes.entries.get_key_value(scene) {
            Some((key, _)) => Arc::clone(key),
            None => scene.into(),
        };
        let entry = scenes
            .entries
            .entry(Arc::clone(&scene))
            .or_insert_with(|| Entry {
                signal: watch::channel(()).0,
                watchers: 0,
            });
        entry.watchers += 1;
        let receiver = entry.signal.subscribe();
        Notices {
            scene,
            receiver,
            scenes: Arc::clone(&self.scenes),
        }
    }

    /// How many scenes have watchers.
    #[cfg(test)]
    fn watched(&self) -> usize {
        lock(&self.scenes).entries.len()
    }
}

/// Locks the registry; a panic elsewhere cannot leave it inconsistent (every change is one map operation).
fn lock(scenes: &Mutex<Scenes>) -> MutexGuard<'_, Scenes> {
    scenes.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Dispatches the store's notices by scene until the store or the registry goes away.
async fn relay(mut changes: QrChanges, scenes: Weak<Mutex<Scenes>>) {
    loop {
        let received = changes.recv().await;
        let Some(scenes) = scenes.upgrade() else {
            return;
        };
        match received {
            Ok(scene) if &*scene == EVERY_QR_SCENE => {
                tracing::info!("QR change notices may have been lost; waking every stream");
                wake_all(&scenes);
            }
            Ok(scene) => {
                if let Some(entry) = lock(&scenes).entries.get(&*scene) {
                    entry.signal.send_replace(());
                }
            }
            Err(RecvError::Lagged(missed)) => {
                // Which scenes changed is lost: wake every watcher, each re-reads its own session.
                tracing::warn!(
                    missed,
                    "QR change notices came faster than relayed; waking every stream"
                );
                wake_all(&scenes);
            }
            Err(RecvError::Closed) => return,
        }
    }
}

/// Wakes every watcher: each re-reads its own session.
fn wake_all(scenes: &Mutex<Scenes>) {
    for entry in lock(scenes).entries.values() {
        entry.signal.send_replace(());
    }
}

/// One watcher's registration; dropping it removes the scene's entry when it was the last watcher.
struct Notices {
    scene: Arc<str>,
    receiver: watch::Receiver<()>,
    scenes: Arc<Mutex<Scenes>>,
}

impl Notices {
    /// Resolves once a notice about the scene has come since the previous call returned (or since the
    /// registration, for the first call).
    async fn next(&mut self) {
        if self.receiver.changed().await.is_err() {
            // The entry lives while this watcher does, so its signal cannot close; should it ever, never wake.
            std::future::pending::<()>().await;
        }
    }
}

impl Drop for Notices {
    fn drop(&mut self) {
        let mut scenes = lock(&self.scenes);
        if let Some(entry) = scenes.entries.get_mut(&self.scene) {
            entry.watchers -= 1;
            if entry.watchers == 0 {
                scenes.entries.remove(&self.scene);
            }
        }
    }
}

/// A push stream's watch on its QR session: woken by notices about the session's scene, by its expiry, or by the
/// periodic re-check. Dropping it stops watching.
pub struct QrWatch {
    notices: Notices,
    expires_at: DateTime<Utc>,
    clock: Arc<dyn Clock>,
}

impl QrWatch {
    /// Waits until the session may have changed: a notice about it came (also one that came since the previous
    /// wait), it expired (by the service clock), or 15 s passed. Then re-read it.
    pub async fn wait(&mut self) {
        let until_expiry = (self.expires_at - self.clock.now())
            .to_std()
            .unwrap_or(Duration::ZERO);
        tokio::select! {
            () = tokio::time::sleep(until_expiry.min(RECHECK)) => {}
            () = self.notices.next() => {}
        }
    }
}

impl QrLogin<'_> {
    /// Starts watching a waiting QR session for [`QrWatch::wait`]. Read the session again after this call before
    /// waiting: a change between the read that found `session` and this call brings no notice.
    pub fn watch(&self, session: &QrSession) -> QrWatch {
        QrWatch {
            notices: self
                .qr_wakeups
                .watch(&session.scene, || self.store.qr_changes()),
            expires_at: session.expires_at,
            clock: Arc::clone(&self.clock),
        }
    }
}

#[cfg(test)]
mod tests;
