//! What a crash test runs on: a database (a SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is
//! set), a master key, a pool, a WeChat simulator process, and `denglu serve` processes started and killed on them.

use std::{
    fs::File,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use crate::support::{Running, denglu, free_port, start_with_banner};

/// The deployment's scanner mini program, registered in the simulator: AppID and AppSecret.
pub(crate) const SCANNER: (&str, &str) = ("wx00000000000c4a51", "crash-test-secret");

/// The database the servers share; a PostgreSQL one is dropped with it.
pub(crate) struct Database {
    /// The URL `denglu` is given.
    pub(crate) url: String,
    /// On PostgreSQL: the server's admin URL and the database's name.
    postgres: Option<(String, String)>,
}

/// Runs one statement with `psql` on the PostgreSQL server at `admin_url`.
fn psql(admin_url: &str, statement: &str) {
    let output = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin_url, "-c"])
        .arg(statement)
        .output()
        .expect("psql runs (the PostgreSQL client tools are installed)");
    assert!(
        output.status.success(),
        "psql {statement}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

impl Database {
    /// A fresh database: on the PostgreSQL server of `TEST_DATABASE_URL` when it is set, else a file in `data`.
    pub(crate) fn new(data: &Path) -> Self {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                let nanos = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .expect("clock after 1970")
                    .subsec_nanos();
                let name = format!("denglu_crash_{}_{nanos:09}", std::process::id());
                psql(&admin_url, &format!("CREATE DATABASE \"{name}\""));
                let (server, _) = admin_url
                    .rsplit_once('/')
                    .expect("TEST_DATABASE_URL names a database");
                Self {
                    url: format!("{server}/{name}"),
                    postgres: Some((admin_url.clone(), name)),
                }
            }
            _ => Self {
                url: format!("sqlite://{}", data.join("denglu.db").display()),
                postgres: None,
            },
        }
    }

    /// `sqlite` or `postgres`, for the figures.
    pub(crate) fn backend(&self) -> &'static str {
        if self.postgres.is_some() {
            "postgres"
        } else {
            "sqlite"
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres {
            psql(
                admin_url,
                &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            );
        }
    }
}

/// A database with a pool on it, a master key, and a WeChat simulator holding the scanner mini program.
pub(crate) struct World {
    pub(crate) database: Database,
    pub(crate) key: String,
    pub(crate) pool: String,
    pub(crate) pool_secret: String,
    /// The simulator's base URL (WeChat's API and its control API under `/__sim`).
    pub(crate) wechat: String,
    /// The port every server listens on: a restart is on the same address, so the public URL, and with it the
    /// tokens' issuer, stays the same.
    port: u16,
    _wechat: Running,
    data: tempfile::TempDir,
}

/// The value of the line `name …` of an admin command's output.
fn field(text: &str, name: &str) -> String {
    text.lines()
        .find_map(|line| {
            line.trim()
                .strip_prefix(name)
                .map(|rest| rest.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no '{name}' in:\n{text}"))
}

impl World {
    pub(crate) fn new() -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let database = Database::new(data.path());
        let key = run(&mut denglu(data.path(), None, &["keygen"]))
            .trim()
            .to_owned();

        let port = free_port();
        let (wechat_process, _) = start_with_banner(
            denglu(
                data.path(),
                None,
                &[
                    "wechat-sim",
                    "--listen",
                    &format!("127.0.0.1:{port}"),
                    "--app",
                    &format!("{}:{}", SCANNER.0, SCANNER.1),
                ],
            ),
            SCANNER.0,
        );
        let wechat = format!("http://127.0.0.1:{port}");
        wait_for(&format!("{wechat}/__sim/state"), "the WeChat simulator");

        let mut world = Self {
            database,
            key,
            pool: String::new(),
            pool_secret: String::new(),
            wechat,
            port: free_port(),
            _wechat: wechat_process,
            data,
        };
        let created = run(&mut world.command(&["pool", "create", "--name", "Crash"]));
        world.pool = field(&created, "id");
        world.pool_secret = field(&created, "secret");
        world
    }

    /// `denglu args…` on this world's database, with its master key, scanner and simulator.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = denglu(self.data.path(), Some(&self.key), args);
        command
            .env("DENGLU_DATABASE__URL", &self.database.url)
            .env("DENGLU_WECHAT__API_BASE_URL", &self.wechat)
            .env("DENGLU_SCANNER__APPID", SCANNER.0)
            .env("DENGLU_SCANNER__SECRET", SCANNER.1)
            // Each request of the test says it comes from an address of its own (`load::send`).
            .env("DENGLU_HTTP__TRUST_FORWARDED_FOR", "true");
        command
    }

    /// Starts `denglu serve`; its log goes to `<name>.log` in the data folder.
    pub(crate) fn serve(&self, name: &str) -> Server {
        let port = self.port;
        let log = self.data.path().join(format!("{name}.log"));
        let started = Instant::now();
        let child = self
            .command(&["serve", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(File::create(&log).expect("log file"))
            .spawn()
            .expect("denglu serve starts");
        Server {
            base: format!("http://127.0.0.1:{port}"),
            process: Running(child),
            started,
            log,
        }
    }
}

/// Runs an admin command to success; answers its standard output.
fn run(command: &mut Command) -> String {
    let output = command.output().expect("denglu runs");
    assert!(
        output.status.success(),
        "{command:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Waits until `url` answers at all.
fn wait_for(url: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::blocking::get(url).is_err() {
        assert!(Instant::now() < deadline, "{what} never answered at {url}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A `denglu serve` process.
pub(crate) struct Server {
    pub(crate) base: String,
    process: Running,
    started: Instant,
    log: PathBuf,
}

impl Server {
    /// Waits for `/readyz` to answer 200, polling every 10 ms; answers the time since the process was started.
    pub(crate) fn ready(&mut self) -> Duration {
        let client = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(5))
            .build()
            .expect("client");
        let deadline = self.started + Duration::from_secs(60);
        loop {
            let ready = client
                .get(format!("{}/readyz", self.base))
                .send()
                .is_ok_and(|reply| reply.status() == 200);
            if ready {
                return self.started.elapsed();
            }
            if let Some(status) = self.process.0.try_wait().expect("wait") {
                panic!("denglu serve exited ({status}):\n{}", self.log());
            }
            assert!(
                Instant::now() < deadline,
                "not ready after 60 s:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// SIGKILL (`kill -9`), then reaps the process.
    pub(crate) fn kill(&mut self) {
        self.process.0.kill().expect("SIGKILL");
        let status = self.process.0.wait().expect("reaped");
        assert!(!status.success(), "killed, not exited: {status}");
    }

    /// The server's log so far.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}
