//! `denglu dev`: a zero-config server for development. Everything lives in one data folder: the SQLite database,
//! a generated master key, and the demo pool's secret (kept only here, so the banner can show it on every start).
//! With `--database-url`, the database is that one instead (PostgreSQL, say); the rest stays in the folder. The
//! metrics are open at `/metrics` on the same address, whatever the `[metrics]` settings say.

use std::{
    fs,
    io::Write,
    net::SocketAddr,
    path::{Path, PathBuf},
};

use denglu_domain::{JwtAlgorithm, PoolId, PoolName, RegistrationPolicy, TokenLifetime};
use denglu_service::{CreatePool, QrSettingsChange, Services};
use denglu_wechat_sim::{CONTROL_PREFIX, Simulator};
use serde::{Deserialize, Serialize};

use crate::{
    app::{self, StartError},
    cli::DevArgs,
    demo, demo_oidc,
    settings::{DatabaseUrl, Secret, Settings},
    wechat_sim::{self, DEMO_APPID, DEMO_SECRET},
};

/// Where the embedded WeChat simulator is mounted; the server's WeChat base URL points here.
const SIMULATOR_PATH: &str = "/wechat-sim";

/// The demo pool as remembered in the data folder.
#[derive(Debug, Serialize, Deserialize)]
struct DemoPool {
    id: String,
    secret: String,
}

/// Runs the development server; on the SQLite file of the data folder unless `own_database` (`--database-url`).
pub(crate) async fn run(
    mut settings: Settings,
    args: DevArgs,
    own_database: bool,
) -> Result<(), StartError> {
    let data = args.data_dir;
    fs::create_dir_all(&data)
        .map_err(|e| format!("cannot create the data folder {}: {e}", data.display()))?;
    let key = read_or_create(
        &data.join("master.key"),
        denglu_crypto::MasterKey::generate_base64,
    )?;
    settings.master_key = Some(Secret::new(key));
    settings.master_key_unreadable = None;
    if !own_database {
        settings.database.url =
            DatabaseUrl(format!("sqlite://{}", data.join("denglu.db").display()));
    }
    settings.uploads.folder = data.join("uploads");
    if let Some(listen) = args.listen {
        settings.listen = listen;
    }
    let listener = app::bind(settings.listen).await?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let simulator = Simulator::new(wechat_sim::demo_config())
        .map_err(|e| format!("cannot start the WeChat simulator: {e}"))?;
    settings.wechat.api_base_url = format!("http://{address}{SIMULATOR_PATH}");
    settings.scanner.appid = Some(DEMO_APPID.to_owned());
    settings.scanner.secret = Some(Secret::new(DEMO_SECRET.to_owned()));
    let services = app::services(&settings).await?;
    let demo = demo_pool(&services, &data).await?;
    let callback = format!("{}{}", settings.public_url(), demo::CALLBACK_PATH);
    use_demo_callback(&services, &demo, callback).await?;
    let pool_id = PoolId::parse(&demo.id).map_err(|e| e.to_string())?;
    let oidc = match demo_oidc::ensure(&services, &pool_id, &settings.public_url()).await {
        Ok(client) => Some(client),
        Err(error) => {
            tracing::warn!(%error, "no demo OpenID Connect application: /demo/oidc will not work");
            None
        }
    };
    let _housekeeping = app::housekeeping(&settings, &services);
    let state = app::state(&settings, services);
    let drain = state.drain.clone();
    let metrics = denglu_server::metrics_router(state.services.metrics().clone());
    let console = denglu_server::dev_console_router(state.clone());
    let router = denglu_server::router(state)
        .merge(console)
        .merge(metrics)
        .nest(SIMULATOR_PATH, simulator.router())
        .merge(demo::routes(demo::DemoConfig {
            pool_id: demo.id.clone(),
            pool_secret: demo.secret.clone(),
            simulator: SIMULATOR_PATH.to_owned(),
            control: format!("{SIMULATOR_PATH}{CONTROL_PREFIX}"),
            appid: DEMO_APPID.to_owned(),
            original_id: wechat_sim::demo_original_id(),
            data_folder: data.display().to_string(),
            oidc: oidc.clone(),
        }));
    app::serve(listener, router, &drain, &settings, |address| {
        print_banner(address, &settings, &demo, oidc.as_ref(), &data)
    })
    .await
}

/// Points the demo pool's QR callback at the demo callback page (on this run's address), unless someone set another.
async fn use_demo_callback(
    services: &Services,
    demo: &DemoPool,
    callback: String,
) -> Result<(), StartError> {
    let id = PoolId::parse(&demo.id).map_err(|e| e.to_string())?;
    let settings = services
        .qr()
        .settings(&id)
        .await
        .map_err(|e| e.to_string())?;
    let ours = settings
        .callback_url
        .as_ref()
        .is_none_or(|url| url.as_str().ends_with(demo::CALLBACK_PATH));
    if ours && settings.callback_url.as_ref().map(|u| u.as_str()) != Some(callback.as_str()) {
        let change = QrSettingsChange {
            callback_url: Some(Some(callback)),
            ..QrSettingsChange::default()
        };
        services
            .qr()
            .change_settings(&id, change)
            .await
            .map_err(|e| format!("cannot set the demo pool's QR callback: {e}"))?;
    }
    Ok(())
}

/// Reads a file, or writes it (owner-only) with `make()` first.
fn read_or_create(path: &Path, make: impl FnOnce() -> String) -> Result<String, StartError> {
    if !path.exists() {
        write_private(path, &make())?;
    }
    fs::read_to_string(path)
        .map(|s| s.trim().to_owned())
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn write_private(path: &Path, content: &str) -> Result<(), StartError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.write_all(content.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The remembered demo pool, or a new one when there is none (or it is gone from the database).
async fn demo_pool(services: &Services, data: &Path) -> Result<DemoPool, StartError> {
    let path: PathBuf = data.join("demo-pool.json");
    if let Ok(text) = fs::read_to_string(&path) {
        let remembered: DemoPool = serde_json::from_str(&text)
            .map_err(|e| format!("{} is corrupt: {e}", path.display()))?;
        let id = PoolId::parse(&remembered.id).map_err(|e| format!("{}: {e}", path.display()))?;
        if services.pool(&id).await.is_ok() {
            return Ok(remembered);
        }
    }
    let input = CreatePool {
        name: PoolName::parse("Demo").map_err(|e| e.to_string())?,
        algorithm: JwtAlgorithm::default(),
        token_lifetime: TokenLifetime::default(),
        registration_policy: RegistrationPolicy::Open,
    };
    let created = services
        .pools()
        .create(input)
        .await
        .map_err(|e| format!("cannot create the demo pool: {e}"))?;
    let demo = DemoPool {
        id: created.pool.id.to_string(),
        secret: created.secret,
    };
    let json = serde_json::to_string_pretty(&demo).map_err(|e| e.to_string())?;
    write_private(&path, &json)?;
    Ok(demo)
}

fn print_banner(
    address: SocketAddr,
    settings: &Settings,
    demo: &DemoPool,
    oidc: Option<&demo_oidc::DemoClient>,
    data: &Path,
) {
    let base = format!("http://{address}");
    let oidc = match oidc {
        Some(client) => format!(
            "\x20   OIDC demo  {base}{path}   (issuer {issuer}, client_id {id})\n\
             \x20   device     {base}/demo/device   (the device flow: a TV or command-line tool)\n",
            path = demo::OIDC_PATH,
            issuer = client.issuer,
            id = client.client_id,
        ),
        None => String::new(),
    };
    let public = settings.public_url();
    let pool = &demo.id;
    let data = data.display();
    let banner = format!(
        "\n  denglu {version} dev server is ready\n\n\
         \x20 Open         {base}/   (start page: every demo, the pool, the simulator)\n\
         \x20 Console      {base}{console}   (signed in as the owner dev)\n\
         \x20 Server       {base}\n\
         \x20 Health       {base}/healthz\n\
         \x20 API docs     {base}/api/v1/openapi.json\n\
         \x20 Metrics      {base}/metrics   (Prometheus text format, docs/metrics.md)\n\
         \x20 Data folder  {data}/ (master key, demo pool secret)\n\
         \x20 Database     {database}\n\n\
         \x20 Demo pool    Demo\n\
         \x20   id         {pool}\n\
         \x20   secret     {secret}\n\
         \x20   JWKS       {public}/api/v1/pools/{pool}/jwks.json\n\
         \x20   QR demo    {base}/demo/qr   (phone: {base}/demo/phone, app: {base}/demo/app, SDK: {base}/demo/sdk)\n\
         {oidc}\n\
         \x20 WeChat simulator (denglu talks to it instead of WeChat)\n\
         \x20   API        {base}{SIMULATOR_PATH}\n\
         \x20   control    {base}{SIMULATOR_PATH}{CONTROL_PREFIX}   (docs/wechat-simulator.md)\n\
         \x20   mini program  appid {DEMO_APPID}  secret {DEMO_SECRET}\n\n\
         \x20 Try it:\n\
         \x20   curl -X POST {base}/api/v1/pools/{pool}/users -H 'content-type: application/json' \\\n\
         \x20        -d '{{\"username\":\"alice\",\"password\":\"correct horse\"}}'\n\
         \x20   curl -X POST {base}/api/v1/pools/{pool}/login -H 'content-type: application/json' \\\n\
         \x20        -d '{{\"account\":\"alice\",\"password\":\"correct horse\"}}'\n\
         \x20   curl '{base}/authing/token?access_token=<token from the login>'\n\n\
         \x20 Admin commands on this data:\n\
         \x20   DENGLU_MASTER_KEY_FILE={data}/master.key denglu --database-url {database} pool list\n",
        version = env!("CARGO_PKG_VERSION"),
        secret = demo.secret,
        database = settings.database.url,
        console = denglu_server::DEV_CONSOLE_PATH,
    );
    // A closed stdout must not stop the server, so the banner's write error is ignored.
    let _ = std::io::stdout().lock().write_all(banner.as_bytes());
}
