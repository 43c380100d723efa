//! The waiting QR sessions a replica has been polled for, remembered so that a browser's poll while nobody has
//! scanned reads no store: a scan, confirm or cancel on any replica announces its scene, and the notice makes every
//! replica forget that session before its next poll is answered.

use std::{sync::Arc, time::Duration};

use denglu_domain::{QrSession, QrState, SecretHash};
use denglu_store::{EVERY_QR_SCENE, QrChanges};
use moka::sync::Cache;

use crate::shared::heard::Heard;

/// How many waiting sessions a replica remembers; past it the least used are read again.
const MAX_WAITING: u64 = 100_000;

/// How long a remembered session is trusted without a notice: only a safety net, since every change a browser can
/// see is announced (the claim, which no notice tells, is of a confirmed session, which is never remembered).
const WAITING_TTL: Duration = Duration::from_secs(15);

/// The per-replica memory of waiting sessions, shared by the clones of [`Core`](crate::Core).
#[derive(Clone)]
pub(crate) struct WaitingSessions {
    by_secret: Cache<SecretHash, QrSession>,
    secrets: Cache<Arc<str>, SecretHash>,
    notices: Heard<Arc<str>>,
}

impl Default for WaitingSessions {
    fn default() -> Self {
        Self {
            by_secret: Cache::builder()
                .max_capacity(MAX_WAITING)
                .time_to_live(WAITING_TTL)
                .build(),
            secrets: Cache::builder()
                .max_capacity(MAX_WAITING)
                .time_to_live(WAITING_TTL)
                .build(),
            notices: Heard::default(),
        }
    }
}

impl WaitingSessions {
    /// The remembered waiting session of this poll secret, after forgetting every one the notices heard since named;
    /// and how many notices were ever heard, for [`WaitingSessions::remember`]. `subscribe` is the store's
    /// [`qr_changes`](denglu_store::Store::qr_changes), called once.
    pub(crate) fn get(
        &self,
        secret: &SecretHash,
        subscribe: impl FnOnce() -> QrChanges,
    ) -> (Option<QrSession>, u64) {
        let heard = self.hear(subscribe);
        (self.by_secret.get(secret), heard)
    }

    /// Remembers a session read from the store if it is waiting (pending or scanned), unless a notice came while it
    /// was read (`heard` is what [`WaitingSessions::get`] returned before the read).
    pub(crate) fn remember(
        &self,
        session: &QrSession,
        heard: u64,
        subscribe: impl FnOnce() -> QrChanges,
    ) {
        let waiting = matches!(session.state, QrState::Pending | QrState::Scanned);
        if waiting && self.hear(subscribe) == heard {
            self.secrets
                .insert(session.scene.as_str().into(), session.poll_secret.clone());
            self.by_secret
                .insert(session.poll_secret.clone(), session.clone());
        }
    }

    fn hear(&self, subscribe: impl FnOnce() -> QrChanges) -> u64 {
        self.notices.hear(subscribe, |notice| match notice {
            Some(scene) if &*scene != EVERY_QR_SCENE => {
                if let Some(secret) = self.secrets.remove(&scene) {
                    self.by_secret.invalidate(&secret);
                }
            }
            Some(_) | None => {
                self.by_secret.invalidate_all();
                self.secrets.invalidate_all();
            }
        })
    }
}

#[cfg(test)]
mod tests;
