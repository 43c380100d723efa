//! The admin route of the audit log: events filtered by pool, user, actor, kind, result and time, newest first.

use axum::{Json, extract::State};
use denglu_domain::{AuditFilter, PoolId, UserId};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::AdminCaller,
        body::{AdminQuery, parse, time},
        reply::{AuditEventView, AuditPage},
    },
    native::ErrorBody,
};

/// An audit log query.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct AuditQuery {
    /// Only events of this pool (a pool admin's token sees only its pools' events anyway).
    pool: Option<String>,
    /// Only events about this user.
    user: Option<String>,
    /// Only events by this actor (`cli`, `token:<id>`).
    actor: Option<String>,
    /// Only events of this kind, or under it (`user` matches `user.block`).
    kind: Option<String>,
    /// `ok`: only events that succeeded (no `code`); `failed`: only events that failed (a `code`).
    result: Option<String>,
    /// Only events at or after this RFC 3339 time.
    since: Option<String>,
    /// Only events before this RFC 3339 time.
    until: Option<String>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1 to 500 (default 100).
    limit: Option<String>,
}

fn short_text(name: &str, value: Option<&String>) -> Result<Option<String>, AdminError> {
    match value {
        Some(text) if text.is_empty() || text.len() > 128 || text.contains('\0') => Err(
            AdminError::invalid(format!("invalid `{name}`: 1 to 128 characters, no NUL")),
        ),
        other => Ok(other.cloned()),
    }
}

impl AuditQuery {
    fn filter(&self) -> Result<AuditFilter, AdminError> {
        Ok(AuditFilter {
            pools: self
                .pool
                .as_deref()
                .map(|raw| {
                    PoolId::parse(raw).map(|pool| vec![pool]).map_err(|_| {
                        AdminError::invalid("invalid `pool`: a pool id (24 hex characters)")
                    })
                })
                .transpose()?,
            user: self
                .user
                .as_deref()
                .map(|raw| {
                    UserId::parse(raw).map_err(|_| {
                        AdminError::invalid("invalid `user`: a user id (24 hex characters)")
                    })
                })
                .transpose()?,
            actor: short_text("actor", self.actor.as_ref())?,
            kind: short_text("kind", self.kind.as_ref())?,
            result: parse("result", self.result.as_deref(), "ok or failed")?,
            since: time("since", self.since.as_deref())?,
            until: time("until", self.until.as_deref())?,
            before_id: match parse::<i64>(
                "cursor",
                self.cursor.as_deref(),
                "the `nextCursor` of a page",
            )? {
                Some(id) if id <= 0 => {
                    return Err(AdminError::invalid(
                        "invalid `cursor`: the `nextCursor` of a page",
                    ));
                }
                other => other,
            },
            limit: match parse::<u32>("limit", self.limit.as_deref(), "a number from 1 to 500")? {
                None => 100,
                Some(limit @ 1..=500) => limit,
                Some(_) => {
                    return Err(AdminError::invalid(
                        "invalid `limit`: a number from 1 to 500",
                    ));
                }
            },
        })
    }
}

/// Audit events, newest first: every admin change, who made it, from where, and what changed.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(AuditQuery),
    responses((status = 200, body = AuditPage),
        (status = 400, description = "1002 a parameter is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the token does not cover the pool asked for", body = ErrorBody)))]
pub(crate) async fn events(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminQuery(query): AdminQuery<AuditQuery>,
) -> Result<Json<AuditPage>, AdminError> {
    let filter = query.filter()?;
    let limit = filter.limit as usize;
    let events = state.services.admin(&operator).audit_events(filter).await?;
    Ok(Json(AuditPage {
        next_cursor: (events.len() == limit)
            .then(|| events.last().map(|event| event.id.to_string()))
            .flatten(),
        events: events.iter().map(AuditEventView::from).collect(),
    }))
}
