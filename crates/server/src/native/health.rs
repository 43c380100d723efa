//! Liveness and readiness probes for load balancers and orchestrators.

use std::time::Duration;

use axum::{Json, extract::State, http::StatusCode};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{AppState, native::ErrorBody};

/// A probe's answer.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct HealthBody {
    /// `ok`.
    pub(crate) status: &'static str,
}

/// The process is up. Touches nothing.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = HealthBody)))]
pub(crate) async fn healthz() -> Json<HealthBody> {
    Json(HealthBody { status: "ok" })
}

/// How long the readiness probe waits for the database: a probe with a short timeout of its own gets an answer.
const READY_WITHIN: Duration = Duration::from_secs(1);

/// The server can serve: it is not shutting down, and its database answers within a second.
#[utoipa::path(get, path = "/readyz", tag = "health", responses(
    (status = 200, body = HealthBody),
    (status = 503, description = "the server is shutting down, or the database does not answer within a second", body = ErrorBody),
))]
pub(crate) async fn readyz(
    State(state): State<AppState>,
) -> Result<Json<HealthBody>, (StatusCode, Json<ErrorBody>)> {
    if state.drain.started() {
        return Err(unavailable("the server is shutting down"));
    }
    let why = match tokio::time::timeout(READY_WITHIN, state.services.store().ping()).await {
        Ok(Ok(())) => return Ok(Json(HealthBody { status: "ok" })),
        Ok(Err(error)) => error.to_string(),
        Err(_) => format!("no answer within {} ms", READY_WITHIN.as_millis()),
    };
    tracing::warn!(%why, "readiness check failed");
    Err(unavailable("the database is unreachable"))
}

/// A 503 answer with code 1000 and `message`.
fn unavailable(message: &str) -> (StatusCode, Json<ErrorBody>) {
    let body = ErrorBody {
        code: 1000,
        message: message.to_owned(),
    };
    (StatusCode::SERVICE_UNAVAILABLE, Json(body))
}
