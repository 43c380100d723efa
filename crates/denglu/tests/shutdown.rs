//! SIGTERM with a browser waiting on the push channel, as in a rolling restart: `denglu serve` (the built binary) ends
//! the browser's stream with a `reconnect` event, answers the request still in flight, and exits long before its
//! shutdown grace; started again on the same database and address, it serves the reopened stream of the same QR
//! session up to the `confirmed` event with a token that works.

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

use std::{
    fs::File,
    io::{BufRead, BufReader},
    process::{Command, ExitStatus, Stdio},
    sync::mpsc::{self, Receiver, RecvTimeoutError},
    time::{Duration, Instant},
};

use serde_json::{Value, json};
use support::{
    Running,
    admin::{field, run},
    denglu, free_port,
    simulator::Simulator,
    wait_until_ok,
};

/// The deployment's scanner mini program, registered in the simulator: AppID and AppSecret.
const SCANNER: (&str, &str) = ("wx00000000005d0e01", "shutdown-test-secret");
/// The shutdown grace the servers run with: the test shows they exit long before it.
const GRACE: Duration = Duration::from_secs(30);
/// How long WeChat takes to answer the scan that is in flight when SIGTERM comes.
const SLOW_WECHAT: Duration = Duration::from_millis(1500);
/// Well under the grace: how soon the stopped server must have exited.
const PROMPTLY: Duration = Duration::from_secs(6);

/// A browser's push stream: its events (name and data) arrive on a channel, which closes when the stream ends.
struct EventStream(Receiver<(String, Value)>);

impl EventStream {
    fn open(url: &str) -> Self {
        let client = reqwest::blocking::Client::builder()
            .timeout(None)
            .build()
            .expect("client");
        let response = client.get(url).send().expect("the stream opens");
        assert_eq!(response.status(), 200, "{url}");
        let (sender, events) = mpsc::channel();
        std::thread::spawn(move || {
            let (mut name, mut data) = (None, None);
            for line in BufReader::new(response).lines().map_while(Result::ok) {
                if let Some(value) = line.strip_prefix("event: ") {
                    name = Some(value.to_owned());
                } else if let Some(value) = line.strip_prefix("data: ") {
                    data = Some(serde_json::from_str(value).expect("JSON data"));
                } else if line.is_empty()
                    && let (Some(name), Some(data)) = (name.take(), data.take())
                    && sender.send((name, data)).is_err()
                {
                    return;
                }
            }
        });
        Self(events)
    }

    /// The next event; panics if none comes within 5 s.
    fn next(&self) -> (String, Value) {
        self.0
            .recv_timeout(Duration::from_secs(5))
            .unwrap_or_else(|e| panic!("no event within 5 s: {e}"))
    }

    /// Whether the server ends the stream within 5 s with nothing more sent.
    fn ends(&self) -> bool {
        self.0.recv_timeout(Duration::from_secs(5)) == Err(RecvTimeoutError::Disconnected)
    }
}

/// A data folder with a SQLite database holding a pool, a master key and the WeChat simulator, and the one address
/// every server of the test listens on.
struct World {
    data: tempfile::TempDir,
    key: String,
    pool: String,
    wechat: Simulator,
    port: u16,
}

impl World {
    fn new() -> Self {
        let data = tempfile::tempdir().expect("temp dir");
        let key = run(&mut denglu(data.path(), None, &["keygen"]))
            .trim()
            .to_owned();
        let pool = field(
            &run(&mut denglu(
                data.path(),
                Some(&key),
                &["pool", "create", "--name", "Roll"],
            )),
            "id",
        );
        let wechat = Simulator::start(data.path(), SCANNER);
        Self {
            data,
            key,
            pool,
            wechat,
            port: free_port(),
        }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Starts `denglu serve` (its log in `<name>.log`) and waits until it is ready.
    fn serve(&self, name: &str) -> Running {
        let log = self.data.path().join(format!("{name}.log"));
        let mut command: Command = denglu(
            self.data.path(),
            Some(&self.key),
            &["serve", "--listen", &format!("127.0.0.1:{}", self.port)],
        );
        command
            .env("DENGLU_WECHAT__API_BASE_URL", &self.wechat.base)
            .env("DENGLU_SCANNER__APPID", SCANNER.0)
            .env("DENGLU_SCANNER__SECRET", SCANNER.1)
            .env(
                "DENGLU_HTTP__SHUTDOWN_GRACE_SECONDS",
                GRACE.as_secs().to_string(),
            )
            .stdout(Stdio::null())
            .stderr(File::create(&log).expect("log file"));
        let mut server = Running(command.spawn().expect("denglu serve starts"));
        wait_until_ok(&format!("{}/readyz", self.base()), &mut server);
        server
    }

    /// A `wx.login` code of a new WeChat user of the scanner.
    fn login_code(&self, nickname: &str) -> String {
        let user =
            control(&self.wechat.base, "users", &json!({"nickname": nickname}))["user"].clone();
        control(
            &self.wechat.base,
            "login",
            &json!({"appid": SCANNER.0, "user": user}),
        )["code"]
            .as_str()
            .expect("code")
            .to_owned()
    }

    fn log(&self, name: &str) -> String {
        std::fs::read_to_string(self.data.path().join(format!("{name}.log"))).unwrap_or_default()
    }
}

/// A call to the simulator's control API.
fn control(sim: &str, path: &str, body: &Value) -> Value {
    let reply = reqwest::blocking::Client::new()
        .post(format!("{sim}/__sim/{path}"))
        .json(body)
        .send()
        .expect("the simulator answers");
    assert!(reply.status().is_success(), "simulator {path}");
    reply.json().expect("JSON")
}

/// Sends SIGTERM to `server`, as systemd and orchestrators stop a process.
fn terminate(server: &Running) {
    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

/// Waits for `server` to exit, at most `within`; answers its exit status and when it was seen.
fn exited(server: &mut Running, within: Duration) -> (ExitStatus, Instant) {
    let deadline = Instant::now() + within;
    loop {
        if let Some(status) = server.0.try_wait().expect("wait") {
            return (status, Instant::now());
        }
        assert!(
            Instant::now() < deadline,
            "still running {within:?} after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn post(url: &str, body: &Value) -> (u16, Value) {
    let reply = reqwest::blocking::Client::new()
        .post(url)
        .json(body)
        .send()
        .expect("answered");
    (reply.status().as_u16(), reply.json().unwrap_or(Value::Null))
}

#[test]
fn a_sigterm_tells_the_waiting_browser_to_reconnect_and_the_login_completes_after_the_restart() {
    let world = World::new();
    let base = world.base();
    let mut first = world.serve("first");

    let random = "rollingRestart0001";
    let started: Value = reqwest::blocking::get(format!(
        "{base}/oauth/wxapp/qrcode/{}?random={random}&useSelfWxapp=false&enableFetchPhone=false",
        world.pool
    ))
    .expect("QR code")
    .json()
    .expect("JSON");
    let scene = started["data"]["scene"].as_str().expect("scene").to_owned();
    let events = format!("{base}/api/v1/qr/events?random={random}");
    let stream = EventStream::open(&events);
    let (name, data) = stream.next();
    assert_eq!(
        (name.as_str(), &data["state"]),
        ("state", &json!("pending")),
        "{data}"
    );

    // The phone's scan is in flight, WeChat slow to answer it, when the server is told to stop.
    control(
        &world.wechat.base,
        "faults",
        &json!({"api": "jscode2session", "delay_ms": SLOW_WECHAT.as_millis(), "times": 1}),
    );
    let code = world.login_code("Roll");
    let scan_url = format!("{base}/api/v1/scanner/sessions/{scene}/scan");
    let scan = std::thread::spawn(move || {
        let answer = post(&scan_url, &json!({"code": code}));
        (answer, Instant::now())
    });
    std::thread::sleep(Duration::from_millis(300));
    let stopped = Instant::now();
    terminate(&first);

    let (name, data) = stream.next();
    let told = stopped.elapsed();
    assert_eq!(name, "reconnect", "{data}");
    assert!(stream.ends(), "the stream ends after its reconnect event");
    let ((status, scanned), answered) = scan.join().expect("the scan thread");
    assert_eq!(status, 200, "the scan in flight is answered: {scanned}");
    let scan_token = scanned["scanToken"]
        .as_str()
        .expect("scan token")
        .to_owned();
    let (exit, exited_at) = exited(&mut first, PROMPTLY);
    assert!(
        exit.success(),
        "a clean exit: {exit}\n{}",
        world.log("first")
    );
    assert!(
        exited_at >= answered,
        "the request in flight was answered before the exit"
    );
    assert!(
        told < SLOW_WECHAT,
        "the browser was told at once, not after the request in flight ({told:?})"
    );
    assert!(
        world.log("first").contains("shutting down"),
        "{}",
        world.log("first")
    );

    let _second = world.serve("second");
    let stream = EventStream::open(&events);
    let (name, data) = stream.next();
    assert_eq!(
        (name.as_str(), &data["state"]),
        ("state", &json!("scanned")),
        "{data}"
    );
    let (status, confirmed) = post(
        &format!("{base}/api/v1/scanner/sessions/{scene}/confirm"),
        &json!({"scanToken": scan_token}),
    );
    assert_eq!(status, 200, "{confirmed}");
    let (name, data) = stream.next();
    assert_eq!(name, "confirmed", "{data}");
    let token = data["data"]["token"].as_str().expect("the token");
    let me = reqwest::blocking::Client::new()
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(token)
        .send()
        .expect("answered");
    assert_eq!(me.status(), 200, "the token works");
    eprintln!(
        "shutdown: reconnect event {told:.0?} after SIGTERM; exit {:.0?} after it, {:.0?} after the request in flight \
         was answered (grace {GRACE:?})",
        exited_at.duration_since(stopped),
        exited_at.duration_since(answered),
    );
}
