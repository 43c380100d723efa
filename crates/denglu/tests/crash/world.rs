//! What a crash test runs on: a database (a SQLite file, or a fresh PostgreSQL database when `TEST_DATABASE_URL` is
//! set), a master key, a pool, a WeChat simulator process, and `denglu serve` processes started and killed on them.

use std::{
    fs::File,
    path::{Path, PathBuf},
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use crate::support::{
    Running,
    admin::{field, run},
    denglu, free_port, postgres,
    simulator::Simulator,
};

/// The deployment's scanner mini program, registered in the simulator: AppID and AppSecret.
pub(crate) const SCANNER: (&str, &str) = ("wx00000000000c4a51", "crash-test-secret");

/// The database the servers share: a fresh PostgreSQL one when `TEST_DATABASE_URL` names a PostgreSQL server (dropped
/// with this), else a SQLite file in the data folder.
pub(crate) struct Database {
    /// The URL `denglu` is given.
    pub(crate) url: String,
    postgres: Option<postgres::Database>,
}

impl Database {
    fn new(data: &Path) -> Self {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(server) if server.starts_with("postgres") => {
                let database = postgres::Database::create(&server, "crash");
                Self {
                    url: database.url.clone(),
                    postgres: Some(database),
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

/// A database with a pool on it, a master key, and a WeChat simulator holding the scanner mini program.
pub(crate) struct World {
    pub(crate) database: Database,
    pub(crate) key: String,
    pub(crate) pool: String,
    pub(crate) pool_secret: String,
    /// The WeChat simulator.
    pub(crate) wechat: Simulator,
    /// The port every server listens on: a restart is on the same address, so the public URL, and with it the
    /// tokens' issuer, stays the same.
    port: u16,
    data: tempfile::TempDir,
}

impl World {
    pub(crate) fn new() -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let database = Database::new(data.path());
        let key = run(&mut denglu(data.path(), None, &["keygen"]))
            .trim()
            .to_owned();

        let wechat = Simulator::start(data.path(), SCANNER);

        let mut world = Self {
            database,
            key,
            pool: String::new(),
            pool_secret: String::new(),
            wechat,
            port: free_port(),
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
            .env("DENGLU_WECHAT__API_BASE_URL", &self.wechat.base)
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
