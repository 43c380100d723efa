//! `GET /metrics`: the server's metrics in Prometheus' text format, kept off the public API. Either on a listener of
//! its own ([`metrics_router`], for an address only the monitoring network reaches) or on the main listener behind
//! `Authorization: Bearer <token>` ([`metrics_behind_token`]). Scrapes are not counted as requests, and the route is
//! not in the OpenAPI document (it is not part of the API clients use).

use std::sync::Arc;

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use denglu_service::{METRICS_CONTENT_TYPE, Metrics};
use subtle::ConstantTimeEq;

use crate::http::bearer_token;

/// `/metrics` for a listener of its own: anyone who reaches the address may read it.
pub fn metrics_router(metrics: Metrics) -> Router {
    Router::new()
        .route("/metrics", get(render))
        .with_state(metrics)
}

/// `/metrics` for merging into the main router: answered only with `Authorization: Bearer <token>`, else 401.
pub fn metrics_behind_token(metrics: Metrics, token: &str) -> Router {
    let guarded = Guarded {
        metrics,
        token: token.into(),
    };
    Router::new()
        .route("/metrics", get(render_guarded))
        .with_state(guarded)
}

#[derive(Clone)]
struct Guarded {
    metrics: Metrics,
    token: Arc<str>,
}

async fn render(State(metrics): State<Metrics>) -> Response {
    (
        [(header::CONTENT_TYPE, METRICS_CONTENT_TYPE)],
        metrics.render(),
    )
        .into_response()
}

async fn render_guarded(State(guarded): State<Guarded>, headers: HeaderMap) -> Response {
    let given = bearer_token(&headers).unwrap_or_default();
    if !bool::from(given.as_bytes().ct_eq(guarded.token.as_bytes())) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer realm=\"metrics\"")],
            "GET /metrics needs Authorization: Bearer and the metrics token\n",
        )
            .into_response();
    }
    render(State(guarded.metrics)).await
}
