//! Housekeeping: deleting expired short-lived records (QR sessions, with their addresses, user agents and sealed
//! session keys; app-login tickets; the windows of shared rate limits; replaced avatars; operator sessions past their
//! absolute timeout) a grace period after they expire, and audit events past their retention, in batches, from any number of replicas.

use std::time::Duration;

use denglu_store::PurgeCount;

use crate::{Core, ServiceResult};

/// How many records of each kind one delete removes at most.
const PURGE_BATCH: u32 = 500;
/// How often [`housekeeping`] runs.
const HOUSEKEEPING_INTERVAL: Duration = Duration::from_secs(60);

impl Core {
    /// Deletes the QR sessions, app-login tickets, rate-limit windows, replaced avatars and operator sessions that
    /// expired more than `grace` ago, `batch` of each kind per delete, until a delete comes back short. Safe on several replicas at once: each record is deleted once.
    #[tracing::instrument(name = "housekeeping.purge_expired", skip(self))]
    pub async fn purge_expired(&self, grace: Duration, batch: u32) -> ServiceResult<PurgeCount> {
        let grace = chrono::Duration::from_std(grace).unwrap_or(chrono::Duration::MAX);
        let now = self.clock.now();
        let before = now
            .checked_sub_signed(grace)
            .unwrap_or(chrono::DateTime::<chrono::Utc>::MIN_UTC);
        let mut total = PurgeCount::default();
        loop {
            let deleted = self.store.purge_expired(before, batch).await?;
            total.add(deleted);
            if !deleted.filled_a_batch(batch) {
                break;
            }
        }
        if total != PurgeCount::default() {
            tracing::info!(
                qr_sessions = total.qr_sessions,
                app_tickets = total.app_tickets,
                rate_limit_windows = total.rate_limit_windows,
                avatars = total.avatars,
                operator_sessions = total.operator_sessions,
                oidc_sessions = total.oidc_sessions,
                oidc_codes = total.oidc_codes,
                oidc_grants = total.oidc_grants,
                oidc_device_codes = total.oidc_device_codes,
                "deleted expired records"
            );
        }
        Ok(total)
    }
}

/// Runs [`Core::purge_expired`] with `grace`, and [`Core::purge_audit`] with `audit_retention` unless it is `None`
/// (kept for ever), every [`HOUSEKEEPING_INTERVAL`], the first time one interval after the start (a start, or a
/// crash loop, does no purge of its own), for ever (the caller aborts it at shutdown). A failure is logged and the
/// next tick tries again.
pub async fn housekeeping(core: Core, grace: Duration, audit_retention: Option<Duration>) {
    let first = tokio::time::Instant::now() + HOUSEKEEPING_INTERVAL;
    let mut ticks = tokio::time::interval_at(first, HOUSEKEEPING_INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        if let Err(error) = core.purge_expired(grace, PURGE_BATCH).await {
            tracing::warn!(%error, "purging expired records failed; trying again in a minute");
        }
        if let Some(retention) = audit_retention
            && let Err(error) = core.purge_audit(retention, PURGE_BATCH).await
        {
            tracing::warn!(%error, "purging old audit events failed; trying again in a minute");
        }
    }
}
