//! `denglu wechat-sim`: the WeChat simulator on its own port, for developing and testing integrations offline; and
//! the demo mini program that `denglu dev` registers in its embedded simulator.

use std::{io::Write, net::SocketAddr, path::Path};

use denglu_wechat_sim::{AppConfig, CONTROL_PREFIX, SimConfig, Simulator};

use crate::{
    app::{self, StartError},
    cli::WechatSimArgs,
};

/// The demo mini program's AppID, registered when no other app is configured.
pub(crate) const DEMO_APPID: &str = "wxd000000000000001";
/// The demo mini program's AppSecret (the simulator is local; this is no real secret).
pub(crate) const DEMO_SECRET: &str = "denglu-demo-app-secret";

/// The demo mini program's published pages: those of the scanner mini program in `miniprogram/`.
const DEMO_PAGES: [&str; 3] = ["pages/confirm/index", "routes/explore", "routers/explore"];

/// The demo mini program's original id (`gh_…`), what apps launch it by.
pub(crate) fn demo_original_id() -> String {
    AppConfig::new(DEMO_APPID, DEMO_SECRET).effective_original_id()
}

/// A simulator configuration with the demo mini program.
pub(crate) fn demo_config() -> SimConfig {
    let mut app = AppConfig::new(DEMO_APPID, DEMO_SECRET);
    app.pages = DEMO_PAGES.iter().map(|page| (*page).to_owned()).collect();
    SimConfig {
        apps: vec![app],
        ..SimConfig::default()
    }
}

/// Runs the standalone simulator until Ctrl-C or SIGTERM.
pub(crate) async fn run(args: WechatSimArgs) -> Result<(), StartError> {
    let mut config = match &args.sim_config {
        Some(path) => read_config(path)?,
        None => SimConfig::default(),
    };
    for app in &args.app {
        let (appid, secret) = app
            .split_once(':')
            .ok_or_else(|| format!("--app {app}: write it as APPID:SECRET"))?;
        config.apps.retain(|known| known.appid != appid);
        config.apps.push(AppConfig::new(appid, secret));
    }
    if config.apps.is_empty() {
        config.apps = demo_config().apps;
    }
    let apps = config.apps.clone();
    let simulator =
        Simulator::new(config).map_err(|e| format!("invalid simulator settings: {e}"))?;
    let listener = app::bind(args.listen).await?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    print_banner(address, &apps);
    denglu_wechat_sim::serve(listener, simulator, app::shutdown_signal())
        .await
        .map_err(|e| e.to_string())
}

fn read_config(path: &Path) -> Result<SimConfig, StartError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn print_banner(address: SocketAddr, apps: &[AppConfig]) {
    let base = format!("http://{address}");
    let mut banner = format!(
        "\n  WeChat simulator {version} is ready\n\n\
         \x20 WeChat API   {base}   (use it as WeChat's base URL: DENGLU_WECHAT__API_BASE_URL={base})\n\
         \x20 Control API  {base}{CONTROL_PREFIX}   (users, wx.login, phone numbers, scans, clock, faults)\n\
         \x20 Docs         docs/wechat-simulator.md\n\n\
         \x20 Mini programs:\n",
        version = env!("CARGO_PKG_VERSION"),
    );
    for app in apps {
        banner.push_str(&format!(
            "    {}  secret {}  original id {}\n",
            app.appid,
            app.secret,
            app.effective_original_id()
        ));
    }
    // A closed stdout must not stop the simulator, so the banner's write error is ignored.
    let _ = std::io::stdout().lock().write_all(banner.as_bytes());
}
