//! Reading the audit log within the operator's scope, and deleting events past their retention.

use std::time::Duration;

use chrono::{DateTime, Utc};
use denglu_domain::{AdminScope, AuditEvent, AuditFilter};

use crate::{Core, ServiceError, ServiceResult, admin::Admin};

/// The most events one query returns.
const MAX_PAGE: u32 = 500;

impl Admin<'_> {
    /// The events `filter` selects, newest first, at most 500. A pool admin sees
    /// only their pools' events and must name only their pools; an owner sees everything.
    #[tracing::instrument(skip_all)]
    pub async fn audit_events(&self, mut filter: AuditFilter) -> ServiceResult<Vec<AuditEvent>> {
        if let AdminScope::Pools(mine) = self.operator.scope() {
            filter.pools = Some(match filter.pools.take() {
                None => mine.clone(),
                Some(asked) => {
                    if let Some(other) = asked.iter().find(|pool| !mine.contains(pool)) {
                        tracing::debug!(pool_id = %other, "audit query outside the operator's pools");
                        return Err(ServiceError::Denied("you do not administer this pool"));
                    }
                    asked
                }
            });
        }
        filter.limit = filter.limit.clamp(1, MAX_PAGE);
        Ok(self.store.admin().audit_events(&filter).await?)
    }
}

impl Core {
    /// Deletes the audit events older than `retention`, `batch` at a time until a batch comes back short; how many.
    #[tracing::instrument(name = "housekeeping.purge_audit", skip(self))]
    pub async fn purge_audit(&self, retention: Duration, batch: u32) -> ServiceResult<u64> {
        let retention = chrono::Duration::from_std(retention).unwrap_or(chrono::Duration::MAX);
        let before = self
            .clock
            .now()
            .checked_sub_signed(retention)
            .unwrap_or(DateTime::<Utc>::MIN_UTC);
        let mut total = 0;
        loop {
            let deleted = self.store.admin().purge_audit(before, batch).await?;
            total += deleted;
            if deleted < u64::from(batch) {
                break;
            }
        }
        if total > 0 {
            tracing::info!(events = total, "deleted audit events past their retention");
        }
        Ok(total)
    }
}
