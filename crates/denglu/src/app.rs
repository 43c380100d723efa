//! Turns settings into running parts: the store, the services, the HTTP state, and the server loop.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::Router;
use denglu_crypto::{MasterKey, PasswordHasher};
use denglu_domain::{AppId, Clock, SystemClock};
use denglu_server::{AppState, Drain};
use denglu_service::{Metrics, ScannerApp, Services, wechat_client};
use denglu_wechat::AppCredentials;
use tokio::net::TcpListener;

use crate::settings::Settings;

/// Why the server could not start; printed as is.
pub(crate) type StartError = String;

/// The master key from the settings, or a message saying how to make one.
pub(crate) fn master_key(settings: &Settings) -> Result<MasterKey, StartError> {
    let Some(encoded) = settings.master_key_text()? else {
        return Err("no master key is configured. Make one with `denglu keygen`, keep it safe, and pass it as \
                    DENGLU_MASTER_KEY, DENGLU_MASTER_KEY_FILE (a file holding it), or `master_key` or \
                    `master_key_file` in the settings file. Losing it makes stored signing keys unreadable."
            .to_owned());
    };
    MasterKey::from_base64(encoded.expose()).map_err(|e| e.to_string())
}

/// Checks the master key, connects the store and wires the services, with the metrics they count in.
pub(crate) async fn services(settings: &Settings) -> Result<Services, StartError> {
    wire(settings, master_key(settings)?).await
}

/// The services for an admin command. A command that changes something or reads sealed material (signing keys,
/// AppSecrets) needs the master key, and fails without it as `serve` does. One that only reads what is stored in the
/// clear runs without it: with the key when it is at hand, else with a throwaway key, which such a command never
/// uses (it seals nothing and opens nothing).
pub(crate) async fn command_services(
    settings: &Settings,
    needs_master_key: bool,
) -> Result<Services, StartError> {
    match master_key(settings) {
        Ok(key) => wire(settings, key).await,
        Err(error) if needs_master_key => Err(error),
        Err(_) => {
            let throwaway = MasterKey::from_base64(&MasterKey::generate_base64())
                .expect("a generated master key is valid");
            wire(settings, throwaway).await
        }
    }
}

/// Connects the store and wires the services with `master_key`, with the metrics they count in.
async fn wire(settings: &Settings, master_key: MasterKey) -> Result<Services, StartError> {
    let store = denglu_server::connect(
        settings.database.url.expose(),
        settings.database.max_connections,
        Duration::from_millis(settings.database.acquire_timeout_ms),
    )
    .await
    .map_err(|e| format!("cannot open the database {}: {e}", settings.database.url))?;
    let hasher = PasswordHasher::new(settings.passwords)?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let metrics = Metrics::new(Arc::clone(&store));
    let wechat = wechat_client(
        settings.wechat.clone(),
        Arc::clone(&store),
        master_key.clone(),
        Arc::clone(&clock),
        &metrics,
    )
    .map_err(|e| format!("cannot set up the WeChat client: {e}"))?;
    let services = Services::new(
        store,
        clock,
        master_key,
        hasher,
        &settings.public_url(),
        wechat,
        metrics,
    )
    .with_uploads(&settings.uploads.folder)
    .with_operator_sessions(settings.admin.sessions());
    Ok(match scanner(settings)? {
        Some(scanner) => services.with_scanner(scanner),
        None => services,
    })
}

/// The scanner mini program of the settings; none when neither its AppID nor its secret is set.
pub(crate) fn scanner(settings: &Settings) -> Result<Option<ScannerApp>, StartError> {
    let scanner = &settings.scanner;
    let (appid, secret) = match (&scanner.appid, &scanner.secret) {
        (Some(appid), Some(secret)) => (appid, secret),
        (None, None) => return Ok(None),
        _ => return Err("set both scanner.appid and scanner.secret, or neither".to_owned()),
    };
    let appid = AppId::parse(appid).map_err(|e| format!("scanner.appid: {e}"))?;
    let link_prefix = scanner
        .link_prefix
        .clone()
        .unwrap_or_else(|| format!("{}/s/", settings.public_url()));
    Ok(Some(ScannerApp {
        credentials: AppCredentials::new(appid.as_str(), secret.expose()),
        appid,
        link_prefix,
        confirm_page: scanner.confirm_page.clone(),
    }))
}

/// The HTTP state for `services`.
pub(crate) fn state(settings: &Settings, services: Services) -> AppState {
    AppState {
        services,
        http: Arc::new(settings.http.clone()),
        drain: Drain::default(),
    }
}

/// The background purge of expired records (see [`denglu_service::housekeeping`]); dropping it stops the task.
pub(crate) struct Housekeeping(tokio::task::JoinHandle<()>);

impl Drop for Housekeeping {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts purging expired records every minute, keeping them `retention.expired_grace_seconds` after expiry, and
/// audit events `retention.audit_log_days`. Runs until the returned guard is dropped.
pub(crate) fn housekeeping(settings: &Settings, services: &Services) -> Housekeeping {
    Housekeeping(tokio::spawn(denglu_service::housekeeping(
        (**services).clone(),
        settings.retention.expired_grace(),
        settings.retention.audit_log(),
    )))
}

/// Binds the listen address.
pub(crate) async fn bind(listen: SocketAddr) -> Result<TcpListener, StartError> {
    TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))
}

/// Binds the listen address (and the metrics' own, if set), calls `on_ready` with the bound address, and serves
/// until Ctrl-C or SIGTERM.
pub(crate) async fn run(
    settings: &Settings,
    state: AppState,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), StartError> {
    let listener = bind(settings.listen).await?;
    let metrics = state.services.metrics().clone();
    let _metrics = crate::metrics::own_listener(&settings.metrics, &metrics).await?;
    let _housekeeping = housekeeping(settings, &state.services);
    let drain = state.drain.clone();
    let app = crate::metrics::on_main(&settings.metrics, metrics, denglu_server::router(state));
    serve(listener, app, &drain, settings, on_ready).await
}

/// Serves `app` on `listener` until Ctrl-C or SIGTERM, after calling `on_ready` with the bound address; then starts
/// `drain` (the app state's) and waits at most `http.shutdown_grace_seconds` for the requests in flight.
pub(crate) async fn serve(
    listener: TcpListener,
    app: Router,
    drain: &Drain,
    settings: &Settings,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), StartError> {
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(%address, "listening");
    on_ready(address);
    let grace = settings.http.shutdown_grace();
    denglu_server::serve_router(listener, app, shutdown_signal(), drain, grace)
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("stopped");
    Ok(())
}

pub(crate) async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: push streams told to reconnect, finishing requests in flight");
}
