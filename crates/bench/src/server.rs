//! The denglu server under test: a child process of the real binary, configured only through its documented
//! settings variables, and its resident memory read from `/proc`.

use std::{
    fs,
    net::TcpListener,
    path::{Path, PathBuf},
    process::Stdio,
    time::{Duration, Instant},
};

use anyhow::{Context, Result, anyhow, bail};
use tokio::process::{Child, Command};

/// Everything the server needs to know; the same for every start of one suite.
#[derive(Debug, Clone)]
pub(crate) struct ServerConfig {
    pub(crate) binary: PathBuf,
    pub(crate) database_url: String,
    pub(crate) master_key: String,
    pub(crate) wechat_base_url: String,
    pub(crate) scanner_appid: String,
    pub(crate) scanner_secret: String,
    pub(crate) uploads: PathBuf,
    pub(crate) log_file: PathBuf,
}

/// Argon2id cost the benchmark runs with: denglu's defaults, set explicitly so the report can name them.
pub(crate) const ARGON2_MEMORY_KIB: u32 = 19_456;
pub(crate) const ARGON2_ITERATIONS: u32 = 2;
pub(crate) const ARGON2_PARALLELISM: u32 = 1;

impl ServerConfig {
    /// The settings of every denglu command of the suite. Per-address rate limits are off (all load comes from
    /// one address; the password login is spread over addresses with X-Forwarded-For instead), logs are quiet.
    fn apply(&self, command: &mut Command) {
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("DENGLU_")) {
            command.env_remove(name);
        }
        command
            .env("DENGLU_DATABASE__URL", &self.database_url)
            .env("DENGLU_MASTER_KEY", &self.master_key)
            .env("DENGLU_WECHAT__API_BASE_URL", &self.wechat_base_url)
            .env("DENGLU_SCANNER__APPID", &self.scanner_appid)
            .env("DENGLU_SCANNER__SECRET", &self.scanner_secret)
            .env("DENGLU_UPLOADS__FOLDER", &self.uploads)
            .env("DENGLU_HTTP__QR_STARTS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__QR_POLLS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__SIGN_UPS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__SCANS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__TICKET_MINTS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__TICKET_EXCHANGES_PER_MINUTE", "0")
            .env("DENGLU_HTTP__WECHATAPP_CALLS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__AVATAR_UPLOADS_PER_MINUTE", "0")
            .env("DENGLU_HTTP__TRUST_FORWARDED_FOR", "true")
            .env(
                "DENGLU_PASSWORDS__MEMORY_KIB",
                ARGON2_MEMORY_KIB.to_string(),
            )
            .env(
                "DENGLU_PASSWORDS__ITERATIONS",
                ARGON2_ITERATIONS.to_string(),
            )
            .env(
                "DENGLU_PASSWORDS__PARALLELISM",
                ARGON2_PARALLELISM.to_string(),
            )
            .env("DENGLU_LOG__FILTER", "warn")
            .env_remove("RUST_LOG");
    }

    /// Runs an admin command (`denglu pool create …`) and returns what it printed.
    pub(crate) async fn admin(&self, args: &[&str]) -> Result<String> {
        let mut command = Command::new(&self.binary);
        self.apply(&mut command);
        let output = command
            .args(args)
            .output()
            .await
            .with_context(|| format!("cannot run {}", self.binary.display()))?;
        if !output.status.success() {
            bail!(
                "denglu {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

/// A running server.
pub(crate) struct Server {
    child: Child,
    pid: u32,
    pub(crate) base: String,
    /// From spawning the process to the first successful `/readyz`.
    pub(crate) startup: Duration,
}

impl Server {
    /// Starts `denglu serve` on a free loopback port and waits until `/readyz` answers 200.
    pub(crate) async fn start(config: &ServerConfig, client: &reqwest::Client) -> Result<Self> {
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&config.log_file)
            .with_context(|| format!("cannot open {}", config.log_file.display()))?;
        let mut command = Command::new(&config.binary);
        config.apply(&mut command);
        command
            .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
            .args(["--public-url", &base])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            .kill_on_drop(true);
        let started = Instant::now();
        let mut child = command
            .spawn()
            .with_context(|| format!("cannot start {}", config.binary.display()))?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow!("the server exited at once"))?;
        let ready = format!("{base}/readyz");
        loop {
            if let Some(status) = child.try_wait()? {
                bail!(
                    "the server exited with {status} before it was ready; its log:\n{}",
                    tail(&config.log_file)
                );
            }
            let answered = client.get(&ready).send().await;
            if answered.is_ok_and(|response| response.status().is_success()) {
                break;
            }
            if started.elapsed() > Duration::from_secs(30) {
                bail!(
                    "the server was not ready after 30 s; its log:\n{}",
                    tail(&config.log_file)
                );
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        Ok(Self {
            startup: started.elapsed(),
            child,
            pid,
            base,
        })
    }

    /// The server's process id.
    pub(crate) fn pid(&self) -> u32 {
        self.pid
    }

    /// The server's resident set size now, in bytes.
    pub(crate) fn rss(&self) -> Result<u64> {
        status_kib(self.pid, "VmRSS:").map(|kib| kib * 1024)
    }

    /// The server's peak resident set size so far, in bytes.
    pub(crate) fn peak_rss(&self) -> Result<u64> {
        status_kib(self.pid, "VmHWM:").map(|kib| kib * 1024)
    }

    /// Stops the server (SIGKILL: nothing it holds needs a clean shutdown for the benchmark).
    pub(crate) async fn stop(mut self) -> Result<()> {
        self.child.kill().await.context("cannot stop the server")
    }
}

/// A port nobody listens on right now.
pub(crate) fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("cannot find a free port")?;
    Ok(listener.local_addr()?.port())
}

/// A `kB` line of `/proc/<pid>/status`.
pub(crate) fn status_kib(pid: u32, field: &str) -> Result<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("cannot read the status of process {pid}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
        .ok_or_else(|| anyhow!("no {field} in /proc/{pid}/status"))
}

/// The last lines of a log file, for error messages.
pub(crate) fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}
