//! The fleet's processes: a fresh PostgreSQL database, the WeChat simulator, three `denglu serve` replicas sharing
//! it, and nginx in front of them; all stopped, and the database dropped, when the fleet is dropped.

use std::{
    fs::File,
    path::{Path, PathBuf},
    process::{Command, ExitStatus, Stdio},
    time::{Duration, Instant},
};

use crate::support::{
    Running,
    admin::{field, run},
    denglu, free_port,
    postgres::Database,
    simulator::Simulator,
    wait_until_ok,
};

/// Where the test expects nginx (Debian's `nginx` or `nginx-light`).
pub(crate) const NGINX: &str = "/usr/sbin/nginx";

/// The scanner mini program registered in the simulator and configured on every replica.
pub(crate) const SCANNER: (&str, &str) = ("wx0f1ee7000000f1ee", "fleet-scanner-app-secret");

/// How many replicas the fleet runs.
pub(crate) const REPLICAS: usize = 3;

/// One `denglu serve` process.
pub(crate) struct Replica {
    /// `http://127.0.0.1:<its port>`: talk to it without nginx.
    pub(crate) base: String,
    port: u16,
    process: Option<Running>,
    log: PathBuf,
}

impl Replica {
    /// Kills the process with SIGKILL, as `kill -9` would, and reaps it.
    pub(crate) fn kill(&mut self) {
        if let Some(mut running) = self.process.take() {
            running.0.kill().expect("SIGKILL");
            running.0.wait().expect("reaped");
        }
    }

    /// Stops the process with SIGTERM, as systemd does, and waits for it to exit (panics after 10 s); answers its
    /// exit status.
    pub(crate) fn terminate(&mut self) -> ExitStatus {
        let mut running = self.process.take().expect("a running replica");
        let sent = Command::new("kill")
            .args(["-TERM", &running.0.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success(), "SIGTERM sent");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = running.0.try_wait().expect("wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "{} still runs 10 s after SIGTERM",
                self.base
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// The whole fleet, with the pool made for the test.
pub(crate) struct Fleet {
    /// nginx's URL, which is also every replica's public URL.
    pub(crate) base: String,
    /// The WeChat simulator.
    pub(crate) sim: Simulator,
    pub(crate) replicas: Vec<Replica>,
    pub(crate) pool: String,
    /// The pool's secret as created (scenarios that rotate it keep the new one themselves).
    pub(crate) secret: String,
    key: String,
    nginx: Option<Nginx>,
    dir: tempfile::TempDir,
    database: Database,
}

impl Fleet {
    /// Starts the simulator, makes the database and the pool, then three replicas and nginx; answers once nginx
    /// serves.
    pub(crate) fn start(postgres: &str) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let key = run(&mut denglu(dir.path(), None, &["keygen"]))
            .trim()
            .to_owned();
        let sim = Simulator::start(dir.path(), SCANNER);

        let database = Database::create(postgres, "fleet");
        let admin = |args: &[&str]| {
            let mut command = denglu(dir.path(), Some(&key), args);
            command.env("DENGLU_DATABASE__URL", &database.url);
            run(&mut command)
        };
        admin(&["migrate"]);
        let created = admin(&["pool", "create", "--name", "Fleet"]);
        let (pool, secret) = (field(&created, "id"), field(&created, "secret"));

        let nginx_port = free_port();
        let base = format!("http://127.0.0.1:{nginx_port}");
        let mut replicas: Vec<Replica> = (0..REPLICAS)
            .map(|i| {
                let port = free_port();
                let log = dir.path().join(format!("replica-{i}.log"));
                let mut command = denglu(dir.path(), Some(&key), &["serve"]);
                command
                    .env("DENGLU_DATABASE__URL", &database.url)
                    .env("DENGLU_DATABASE__MAX_CONNECTIONS", "4")
                    .env("DENGLU_LISTEN", format!("127.0.0.1:{port}"))
                    .env("DENGLU_PUBLIC_URL", &base)
                    .env("DENGLU_WECHAT__API_BASE_URL", &sim.base)
                    .env("DENGLU_SCANNER__APPID", SCANNER.0)
                    .env("DENGLU_SCANNER__SECRET", SCANNER.1)
                    .env("DENGLU_HTTP__TRUST_FORWARDED_FOR", "true")
                    .env("DENGLU_UPLOADS__FOLDER", dir.path().join("uploads"))
                    .stdout(Stdio::null())
                    .stderr(File::create(&log).expect("log file"));
                let child = command.spawn().expect("denglu serve starts");
                Replica {
                    base: format!("http://127.0.0.1:{port}"),
                    port,
                    process: Some(Running(child)),
                    log,
                }
            })
            .collect();
        for replica in &mut replicas {
            let process = replica.process.as_mut().expect("just started");
            wait_until_ok(&format!("{}/readyz", replica.base), process);
        }

        let conf = dir.path().join("nginx.conf");
        std::fs::write(&conf, nginx_conf(dir.path(), nginx_port, &replicas)).expect("nginx.conf");
        let nginx = Command::new(NGINX)
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&conf)
            .arg("-e")
            .arg(dir.path().join("nginx-error.log"))
            .stdout(Stdio::null())
            .stderr(File::create(dir.path().join("nginx-stderr.log")).expect("log file"))
            .spawn()
            .expect("nginx starts");
        let mut nginx = Running(nginx);
        wait_until_ok(&format!("{base}/readyz"), &mut nginx);
        let nginx = Some(Nginx(nginx));

        Self {
            base,
            sim,
            replicas,
            pool,
            secret,
            key,
            nginx,
            dir,
            database,
        }
    }

    /// Runs an admin command (`denglu pool …`, `denglu user …`) on the fleet's database; answers its output.
    pub(crate) fn admin(&self, args: &[&str]) -> String {
        let mut command = denglu(self.dir.path(), Some(&self.key), args);
        command.env("DENGLU_DATABASE__URL", &self.database.url);
        run(&mut command)
    }

    /// The replica addresses nginx sent requests to, per its access log (one entry per try).
    pub(crate) fn upstreams_used(&self) -> Vec<String> {
        std::fs::read_to_string(self.dir.path().join("access.log"))
            .unwrap_or_default()
            .lines()
            .filter_map(|line| line.split_once(" upstream="))
            .flat_map(|(_, upstreams)| upstreams.split(", "))
            .map(|upstream| upstream.trim().to_owned())
            .collect()
    }

    /// `127.0.0.1:<port>` of each replica, as nginx logs it.
    pub(crate) fn upstream_addresses(&self) -> Vec<String> {
        self.replicas
            .iter()
            .map(|replica| format!("127.0.0.1:{}", replica.port))
            .collect()
    }

    /// The nginx access log, for messages.
    pub(crate) fn access_log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("access.log")).unwrap_or_default()
    }
}

impl Drop for Fleet {
    fn drop(&mut self) {
        drop(self.nginx.take());
        for replica in &mut self.replicas {
            drop(replica.process.take());
        }
        if std::thread::panicking() {
            for (name, path) in self
                .replicas
                .iter()
                .map(|r| (r.base.clone(), r.log.clone()))
                .chain([
                    ("nginx".to_owned(), self.dir.path().join("nginx-error.log")),
                    (
                        "nginx access".to_owned(),
                        self.dir.path().join("access.log"),
                    ),
                ])
            {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let lines: Vec<&str> = text.lines().collect();
                let tail = lines[lines.len().saturating_sub(40)..].join("\n");
                eprintln!("fleet: last lines of the {name} log:\n{tail}");
            }
        }
    }
}

/// nginx's master process, stopped with SIGTERM so that it stops its worker too (SIGKILL would leave the worker
/// running, still listening).
struct Nginx(Running);

impl Drop for Nginx {
    fn drop(&mut self) {
        let stopped = Command::new("kill")
            .args(["-TERM", &self.0.0.id().to_string()])
            .status()
            .is_ok_and(|status| status.success());
        let deadline = Instant::now() + Duration::from_secs(10);
        while stopped && Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!("fleet: nginx did not stop on SIGTERM; killing its master");
    }
}

/// nginx in front of the replicas: round robin, the next replica on a connection error or timeout, no buffering
/// (for the push stream), the client's address appended to X-Forwarded-For; everything under `dir`.
fn nginx_conf(dir: &Path, port: u16, replicas: &[Replica]) -> String {
    let dir = dir.display();
    let servers: String = replicas
        .iter()
        .map(|r| {
            format!(
                "        server 127.0.0.1:{} max_fails=1 fail_timeout=30s;\n",
                r.port
            )
        })
        .collect();
    format!(
        "daemon off;
user root;
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/nginx-error.log warn;
events {{ worker_connections 512; }}
http {{
    log_format fleet '$request_method $uri $status upstream=$upstream_addr';
    access_log {dir}/access.log fleet;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream denglu {{
{servers}        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://denglu;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries {REPLICAS};
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            proxy_buffering off;
        }}
    }}
}}
"
    )
}
