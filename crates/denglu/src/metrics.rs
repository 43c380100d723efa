//! `/metrics` where the `[metrics]` settings put it: on an address of its own, on the main one behind a bearer token,
//! both, or nowhere (the default).

use axum::Router;
use denglu_service::Metrics;

use crate::{
    app::{StartError, bind},
    settings::MetricsSettings,
};

/// The metrics' own listener; dropping it stops it.
pub(crate) struct OwnListener(tokio::task::JoinHandle<()>);

impl Drop for OwnListener {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Binds `metrics.listen`, if set, and serves `/metrics` there until the returned guard is dropped.
pub(crate) async fn own_listener(
    settings: &MetricsSettings,
    metrics: &Metrics,
) -> Result<Option<OwnListener>, StartError> {
    let Some(listen) = settings.listen else {
        return Ok(None);
    };
    let listener = bind(listen).await?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let app = denglu_server::metrics_router(metrics.clone());
    tracing::info!(%address, "metrics listening");
    Ok(Some(OwnListener(tokio::spawn(async move {
        // Never drained: the listener ends when its guard is dropped, after the main server stopped.
        let drain = denglu_server::Drain::default();
        let served = denglu_server::serve_router(
            listener,
            app,
            std::future::pending(),
            &drain,
            std::time::Duration::ZERO,
        );
        if let Err(error) = served.await {
            tracing::error!(%error, "the metrics listener stopped");
        }
    }))))
}

/// `app` with `/metrics` behind `metrics.bearer_token`, if set.
pub(crate) fn on_main(settings: &MetricsSettings, metrics: Metrics, app: Router) -> Router {
    match &settings.bearer_token {
        Some(token) => app.merge(denglu_server::metrics_behind_token(
            metrics,
            token.expose().trim(),
        )),
        None => app,
    }
}
