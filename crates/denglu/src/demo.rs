//! `denglu dev`'s pages, served from files built into the binary: the start page (`/`), the web demo (`/demo/qr`)
//! and its callback, and whatever else lives in `crates/denglu/demo/`. The scanner mini program's page logic
//! (`miniprogram/lib`) and the mini program SDK (`sdk/wxapp/authing`) are served too, so the simulated phone runs
//! their real code. `/demo/config.json` tells the pages the demo pool, the simulator and the demo OpenID Connect
//! application, which the relying-party page (`/demo/oidc`, also its callback) and the device page (`/demo/device`)
//! log in with.

use axum::{
    Json, Router,
    extract::Path,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use rust_embed::RustEmbed;
use serde::Serialize;

use crate::demo_oidc::DemoClient;

/// The demo pages.
#[derive(RustEmbed)]
#[folder = "demo/"]
struct Pages;

/// The scanner mini program's sources.
#[derive(RustEmbed)]
#[folder = "../../miniprogram/"]
#[include = "lib/*.js"]
#[include = "pages/**/*"]
#[include = "templates/*"]
#[include = "app.json"]
struct MiniProgram;

/// The mini program SDK's sources.
#[derive(RustEmbed)]
#[folder = "../../sdk/wxapp/authing/"]
struct WxappSdk;

/// Where the demo callback page is served; dev points the demo pool's QR callback here.
pub(crate) const CALLBACK_PATH: &str = "/demo/callback";

/// The relying-party demo page, where logging out comes back to.
pub(crate) const OIDC_PATH: &str = "/demo/oidc";

/// Where the provider sends the relying-party demo the code: the same page.
pub(crate) const OIDC_CALLBACK_PATH: &str = "/demo/oidc/callback";

/// What the pages need to know, served as `/demo/config.json`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct DemoConfig {
    /// The demo pool's id.
    pub(crate) pool_id: String,
    /// The demo pool's secret (dev only: the banner shows it too).
    pub(crate) pool_secret: String,
    /// The simulator's WeChat API base path.
    pub(crate) simulator: String,
    /// The simulator's control API base path.
    pub(crate) control: String,
    /// The demo mini program (the deployment's scanner).
    pub(crate) appid: String,
    /// Its original id, what apps launch it by.
    pub(crate) original_id: String,
    /// The data folder (SQLite database, master key, demo pool, uploads).
    pub(crate) data_folder: String,
    /// The demo application (OpenID Connect client), when it could be made.
    pub(crate) oidc: Option<DemoClient>,
}

/// The demo routes.
pub(crate) fn routes(config: DemoConfig) -> Router {
    Router::new()
        .route("/", get(|| std::future::ready(page::<Pages>("index.html"))))
        .route(
            "/demo/config.json",
            get(move || std::future::ready(Json(config.clone()))),
        )
        .route(
            OIDC_PATH,
            get(|| std::future::ready(page::<Pages>("oidc.html"))),
        )
        .route(
            OIDC_CALLBACK_PATH,
            get(|| std::future::ready(page::<Pages>("oidc.html"))),
        )
        .route(
            "/demo/miniprogram/{*path}",
            get(|Path(path): Path<String>| std::future::ready(page::<MiniProgram>(&path))),
        )
        .route(
            "/demo/sdk-wxapp/{*path}",
            get(|Path(path): Path<String>| std::future::ready(page::<WxappSdk>(&path))),
        )
        .route(
            "/demo/{*path}",
            get(|Path(path): Path<String>| std::future::ready(demo_page(&path))),
        )
}

/// A demo file; an extension-less path is its `.html` page (`/demo/qr` → `qr.html`).
fn demo_page(path: &str) -> Response {
    let has_extension = path
        .rsplit('/')
        .next()
        .is_some_and(|name| name.contains('.'));
    if has_extension {
        page::<Pages>(path)
    } else {
        page::<Pages>(&format!("{path}.html"))
    }
}

/// The embedded file at `path` with its MIME type, or 404.
fn page<Files: RustEmbed>(path: &str) -> Response {
    let Some(file) = Files::get(path) else {
        return (StatusCode::NOT_FOUND, "no such demo file").into_response();
    };
    let mime = file.metadata.mimetype().to_owned();
    let mut response = file.data.into_owned().into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
