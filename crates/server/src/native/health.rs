//! Liveness and readiness probes for load balancers and orchestrators.

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

/// The server can serve: its database answers.
#[utoipa::path(get, path = "/readyz", tag = "health", responses(
    (status = 200, body = HealthBody),
    (status = 503, description = "the database does not answer", body = ErrorBody),
))]
pub(crate) async fn readyz(
    State(state): State<AppState>,
) -> Result<Json<HealthBody>, (StatusCode, Json<ErrorBody>)> {
    match state.services.store().ping().await {
        Ok(()) => Ok(Json(HealthBody { status: "ok" })),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            let body = ErrorBody {
                code: 1000,
                message: "the database is unreachable".to_owned(),
            };
            Err((StatusCode::SERVICE_UNAVAILABLE, Json(body)))
        }
    }
}
