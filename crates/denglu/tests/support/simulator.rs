//! The WeChat simulator as a process of its own (`denglu wechat-sim`).

use std::path::Path;

use super::{Running, denglu, free_port, start_with_banner, wait_until_ok};

/// `denglu wechat-sim` on a free port, killed when this is dropped.
pub(crate) struct Simulator {
    /// Its base URL: WeChat's API, and its control API under `/__sim`.
    pub(crate) base: String,
    /// What it printed on start, up to the line of the mini program.
    pub(crate) banner: String,
    _process: Running,
}

impl Simulator {
    /// Starts it in `dir` with the mini program `app` (AppID, AppSecret) registered; answers once `/__sim/state`
    /// answers.
    pub(crate) fn start(dir: &Path, app: (&str, &str)) -> Self {
        let port = free_port();
        let (mut process, banner) = start_with_banner(
            denglu(
                dir,
                None,
                &[
                    "wechat-sim",
                    "--listen",
                    &format!("127.0.0.1:{port}"),
                    "--app",
                    &format!("{}:{}", app.0, app.1),
                ],
            ),
            app.0,
        );
        let base = format!("http://127.0.0.1:{port}");
        wait_until_ok(&format!("{base}/__sim/state"), &mut process);
        Self {
            base,
            banner,
            _process: process,
        }
    }
}
