//! denglu's HTTP server: builds the router over the services and serves it until told to stop. Each API surface
//! has its own door (`native`, `admin`, `compat`), with its own error type, body extractor and reply types; `http` holds
//! what they share; `console` serves the operators' pages.

mod admin;
mod compat;
mod console;
mod drain;
mod http;
mod metrics;
mod native;
mod oidc;
mod openapi;
mod qr_status;
mod requester_place;
mod routes;
mod storage;
mod user_agent;
mod views;

use std::{future::Future, net::SocketAddr, sync::Arc, time::Duration};

use axum::Router;
use denglu_service::Services;
use tokio::net::TcpListener;

pub use drain::Drain;
pub use metrics::{metrics_behind_token, metrics_router};
pub use native::{ApiError, ErrorBody};
pub use openapi::{ApiDoc, document as openapi_document};
pub use storage::{Backend, Probed, Restored, backup_sqlite, connect, probe, restore_sqlite};
pub use views::user_json;

/// Where `denglu dev` signs a browser in to the console as its owner `dev`.
pub const DEV_CONSOLE_PATH: &str = "/console/dev-sign-in";

/// The development server's console sign-in (`GET` [`DEV_CONSOLE_PATH`]): no password, no code. Only `denglu dev`
/// merges it; [`router`] never serves it.
pub fn dev_console_router(state: AppState) -> Router {
    Router::new()
        .route(
            DEV_CONSOLE_PATH,
            axum::routing::get(admin::session::dev_sign_in),
        )
        .with_state(state)
}

/// HTTP behaviour that comes from the settings (the `[http]` settings table).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Origins allowed by CORS; `["*"]` allows any (no credentials are ever sent).
    pub cors_allowed_origins: Vec<String>,
    /// Take the client address from the last `X-Forwarded-For` entry (only behind one proxy that appends it).
    pub trust_forwarded_for: bool,
    /// QR codes one client address may request per minute (`/oauth/wxapp/qrcode`); 0 turns the limit off.
    pub qr_starts_per_minute: u32,
    /// QR polls one client address may make per minute (`/oauth/wxapp/confirm/qr`; opening `/api/v1/qr/events` counts
    /// as one); 0 turns the limit off.
    pub qr_polls_per_minute: u32,
    /// Password sign-ups one client address may attempt per minute (`POST /api/v1/pools/{pool}/users` and GraphQL
    /// `register` together); 0 turns the limit off.
    pub sign_ups_per_minute: u32,
    /// QR scans one client address (a phone) may send per minute (`/api/v1/scanner/sessions/{scene}/scan`, each
    /// spends a `wx.login` code); 0 turns the limit off.
    pub scans_per_minute: u32,
    /// App-launch tickets one client address (a phone) may mint per minute (`/api/v1/app-login/tickets`, each spends
    /// a `wx.login` code); 0 turns the limit off.
    pub ticket_mints_per_minute: u32,
    /// Ticket exchanges per minute for one pool from one client address (`/oauth/app2wxapp/auth/{pool}`). The app's
    /// backend calls it for every user from a few addresses, so the default is high; the key is the pool and the
    /// address, not the pool alone, so that nobody who knows a pool id can use up its quota and lock its real
    /// backend out. 0 turns the limit off.
    pub ticket_exchanges_per_minute: u32,
    /// Mini program SDK calls one client address may make per minute (`/oauth/wechatapp/{auth,getphone,phone,
    /// decrypt}` together, each spends a `wx.login` code); 0 turns the limit off.
    pub wechatapp_calls_per_minute: u32,
    /// Avatar uploads one client address may make per minute (`/api/v1/users/{user}/avatar`); 0 turns the limit
    /// off.
    pub avatar_uploads_per_minute: u32,
    /// On SIGTERM or Ctrl-C, how long requests in flight may take before the server exits anyway, in seconds. Push
    /// streams end at once with a `reconnect` event and `/readyz` answers 503; 0 cuts everything at once.
    pub shutdown_grace_seconds: u64,
}

impl HttpSettings {
    /// [`Self::shutdown_grace_seconds`].
    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_seconds)
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            cors_allowed_origins: vec!["*".to_owned()],
            trust_forwarded_for: false,
            qr_starts_per_minute: 60,
            qr_polls_per_minute: 600,
            sign_ups_per_minute: 30,
            scans_per_minute: 120,
            ticket_mints_per_minute: 120,
            ticket_exchanges_per_minute: 3000,
            wechatapp_calls_per_minute: 300,
            avatar_uploads_per_minute: 60,
            shutdown_grace_seconds: 10,
        }
    }
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The application services.
    pub services: Services,
    /// HTTP settings.
    pub http: Arc<HttpSettings>,
    /// Set when the server starts shutting down.
    pub drain: Drain,
}

/// The whole application: routes plus the shared middleware, every request counted in the services' metrics.
/// `/metrics` is not among them: see [`metrics_behind_token`] and [`metrics_router`].
pub fn router(state: AppState) -> Router {
    let http = Arc::clone(&state.http);
    let metrics = state.services.metrics().clone();
    let limits = Arc::new(http::RateLimits::new(&http, metrics.clone()));
    let routes = routes::routes()
        .layer(axum::Extension(limits))
        .with_state(state);
    http::measured(http::apply_layers(routes, &http), metrics)
}

/// Serves `state` on `listener` until `shutdown` completes, then drains (see [`serve_router`]).
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (drain, grace) = (state.drain.clone(), state.http.shutdown_grace());
    serve_router(listener, router(state), shutdown, &drain, grace).await
}

/// Serves `app` (normally [`router`], perhaps with more routes merged in, as `denglu dev` does with its WeChat
/// simulator) on `listener` until `shutdown` completes. Handlers see the peer address. Then it starts `drain` (the
/// one in the app's state: push streams send `reconnect` and end, `/readyz` answers 503), stops accepting
/// connections, and returns once the requests in flight are answered, or `grace` after the drain started.
pub async fn serve_router(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
    drain: &Drain,
    grace: Duration,
) -> std::io::Result<()> {
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    let server = axum::serve(listener, app).with_graceful_shutdown(drain.on(shutdown));
    tokio::select! {
        served = server.into_future() => served,
        () = drain.deadline(grace) => {
            tracing::warn!(
                grace_seconds = grace.as_secs(),
                "requests still in flight when the shutdown grace ran out: cut"
            );
            Ok(())
        }
    }
}
