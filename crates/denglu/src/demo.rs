//! `denglu dev`'s demo pages: a QR login page using the web SDK exactly as an integrator would, and the callback
//! page that redirect mode lands on.

use axum::{Router, response::Html, routing::get};

const QR_PAGE: &str = include_str!("demo/qr.html");
const CALLBACK_PAGE: &str = include_str!("demo/callback.html");

/// Where the demo callback page is served; dev points the demo pool's QR callback here.
pub(crate) const CALLBACK_PATH: &str = "/demo/callback";

/// The demo routes for the pool `pool_id`.
pub(crate) fn routes(pool_id: &str) -> Router {
    let qr = Html(QR_PAGE.replace("{{POOL_ID}}", pool_id));
    Router::new()
        .route("/demo/qr", get(move || std::future::ready(qr.clone())))
        .route(
            CALLBACK_PATH,
            get(|| std::future::ready(Html(CALLBACK_PAGE))),
        )
}
