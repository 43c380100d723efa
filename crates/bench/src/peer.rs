//! The peer: oidc-provider (the OpenID Connect engine inside Logto) run by `peer/server.mjs` in one Node.js process,
//! a child of the tool on a loopback port like the denglu server, its resident memory read from `/proc` the same way.

use std::{
    fs,
    path::Path,
    process::Stdio,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, anyhow, bail};
use tokio::process::{Child, Command};

use crate::{
    cli::Options,
    oidc,
    server::{free_port, status_kib, tail},
};

/// The peer's one client.
pub(crate) const CLIENT_ID: &str = "bench";

/// A running peer.
pub(crate) struct Peer {
    child: Child,
    pid: u32,
    pub(crate) base: String,
    /// From spawning Node.js to the first `200` from `/healthz`.
    pub(crate) startup: Duration,
    /// oidc-provider's version, from its installed package.json.
    pub(crate) version: String,
    /// `node --version`.
    pub(crate) node_version: String,
}

impl Peer {
    /// Starts `node server.mjs` in `--peer-dir` with the client's secret, and waits until `/healthz` answers.
    pub(crate) async fn start(
        options: &Options,
        http: &reqwest::Client,
        secret: &str,
        log_file: &Path,
    ) -> Result<Self> {
        let version = installed_version(&options.peer_dir)?;
        let node_version = node_version(options).await?;
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        let log = fs::File::create(log_file)
            .with_context(|| format!("cannot create {}", log_file.display()))?;
        let mut command = Command::new(&options.node);
        command
            .arg("server.mjs")
            .current_dir(&options.peer_dir)
            .env("NODE_ENV", "production")
            .env("PEER_PORT", port.to_string())
            .env("PEER_CLIENT_SECRET", secret)
            .env("PEER_REDIRECT_URI", oidc::REDIRECT_URI)
            .env("PEER_CODE_CHALLENGE", oidc::challenge())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true);
        let started = Instant::now();
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start {}", options.node.display()))?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow!("the peer exited at once"))?;
        let health = format!("{base}/healthz");
        loop {
            if let Some(status) = child.try_wait()? {
                bail!(
                    "the peer exited with {status} before it was ready; its log:\n{}",
                    tail(log_file)
                );
            }
            let answered = http.get(&health).send().await;
            if answered.is_ok_and(|response| response.status().is_success()) {
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                bail!(
                    "the peer was not ready after 30 s; its log:\n{}",
                    tail(log_file)
                );
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(Self {
            startup: started.elapsed(),
            child,
            pid,
            base,
            version,
            node_version,
        })
    }

    /// The peer's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.pid
    }

    /// The peer's resident set size now, in bytes.
    pub(crate) fn rss(&self) -> Result<u64> {
        status_kib(self.pid, "VmRSS:").map(|kib| kib * 1024)
    }

    /// The peer's peak resident set size so far, in bytes.
    pub(crate) fn peak_rss(&self) -> Result<u64> {
        status_kib(self.pid, "VmHWM:").map(|kib| kib * 1024)
    }

    /// `count` authorization codes made inside the peer (its `/bench/codes` route), each for its own account.
    pub(crate) async fn codes(&self, http: &reqwest::Client, count: usize) -> Result<Vec<String>> {
        let answer = crate::client::json(
            http.get(format!("{}/bench/codes", self.base))
                .query(&[("count", count)])
                .send()
                .await?,
        )
        .await?;
        serde_json::from_value(answer["codes"].clone()).context("the peer's codes are not a list")
    }

    /// Stops the peer (SIGKILL, as the server).
    pub(crate) async fn stop(mut self) -> Result<()> {
        self.child.kill().await.context("cannot stop the peer")
    }
}

/// The version of oidc-provider installed in the peer's folder; an error telling how to install it otherwise.
fn installed_version(folder: &Path) -> Result<String> {
    let manifest = folder.join("node_modules/oidc-provider/package.json");
    let text = fs::read_to_string(&manifest).map_err(|_| {
        anyhow!(
            "oidc-provider is not installed in {}: run `npm ci` there (scripts/bench.sh does), or pass --no-peer",
            folder.display()
        )
    })?;
    let package: serde_json::Value = serde_json::from_str(&text)?;
    crate::client::text(&package, "/version")
}

async fn node_version(options: &Options) -> Result<String> {
    let output = Command::new(&options.node)
        .arg("--version")
        .output()
        .await
        .with_context(|| {
            format!(
                "cannot run {} (Node.js runs the peer)",
                options.node.display()
            )
        })?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}
