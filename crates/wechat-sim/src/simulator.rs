//! The [`Simulator`] handle, its HTTP router and [`serve`].

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use tokio::net::TcpListener;

use crate::config::SimConfig;
use crate::sim_error::SimError;
use crate::state::State;

/// A running simulated WeChat platform. Cheap to clone; clones share one state.
///
/// The WeChat API is served at WeChat's paths (`/sns/jscode2session`, `/cgi-bin/token`, …)
/// and the control API under [`CONTROL_PREFIX`](crate::CONTROL_PREFIX). Every control
/// endpoint has a method here too, so Rust tests can use either.
#[derive(Debug, Clone)]
pub struct Simulator {
    state: Arc<Mutex<State>>,
}

impl Simulator {
    /// A simulator with the given configuration, or an error naming what is invalid.
    pub fn new(config: SimConfig) -> Result<Self, SimError> {
        config.validate()?;
        let mut seen = std::collections::BTreeSet::new();
        if let Some(dup) = config
            .apps
            .iter()
            .find(|app| !seen.insert(app.appid.as_str()))
        {
            return Err(SimError::InvalidInput(format!(
                "appid {} listed twice",
                dup.appid
            )));
        }
        Ok(Self {
            state: Arc::new(Mutex::new(State::new(config))),
        })
    }

    /// Routes for the WeChat API and the control API, ready to be served or nested.
    ///
    /// The IP whitelist needs the caller's address: serve with
    /// `into_make_service_with_connect_info::<SocketAddr>()` (as [`serve`] does); without it
    /// an app that has a whitelist refuses every token request.
    pub fn router(&self) -> Router {
        crate::api::routes()
            .merge(crate::control::routes())
            .with_state(self.clone())
    }

    /// Runs `f` with the state locked. The lock is released before `f`'s result is used,
    /// so it is never held across an `.await`.
    pub(crate) fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let mut guard = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut guard)
    }
}

/// Serves `sim` on a free loopback port in the background for as long as the runtime runs; answers its base URL
/// (`http://127.0.0.1:PORT`), what a WeChat client's `api_base_url` is set to.
pub async fn serve_on_loopback(sim: Simulator) -> std::io::Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(serve(listener, sim, std::future::pending()));
    Ok(base)
}

/// Serves `sim` on `listener` until `shutdown` completes.
///
/// Connections carry their peer address, so per-app IP whitelists work.
pub async fn serve(
    listener: TcpListener,
    sim: Simulator,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = sim
        .router()
        .into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
