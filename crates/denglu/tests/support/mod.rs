//! Running the built binary in tests: a clean environment, free ports, children killed at the end, banners read,
//! and waiting for a URL to answer. The submodules hold what several test binaries start on top of that.
//!
//! Every test binary compiles this module on its own and uses only part of it: each declares it with
//! `#[allow(dead_code)]`.

pub(crate) mod admin;
pub(crate) mod postgres;
pub(crate) mod server;
pub(crate) mod simulator;

use std::{
    io::{BufRead, BufReader},
    net::TcpListener,
    path::Path,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// `denglu args…` in `data`, with no inherited `DENGLU_*` variables, the database in `data`, cheap password
/// hashing, and `key` as the master key if given.
pub(crate) fn denglu(data: &Path, key: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_denglu"));
    command.current_dir(data).args(args).env_remove("RUST_LOG");
    for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("DENGLU_")) {
        command.env_remove(name);
    }
    command.env(
        "DENGLU_DATABASE__URL",
        format!("sqlite://{}", data.join("denglu.db").display()),
    );
    command
        .env("DENGLU_PASSWORDS__MEMORY_KIB", "1024")
        .env("DENGLU_PASSWORDS__ITERATIONS", "1");
    if let Some(key) = key {
        command.env("DENGLU_MASTER_KEY", key);
    }
    command
}

/// A port nothing listens on right now.
pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

/// A child process killed when the test ends.
pub(crate) struct Running(pub(crate) Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command` and reads its standard output up to the first line containing `last`: the banner.
pub(crate) fn start_with_banner(mut command: Command, last: &str) -> (Running, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("denglu starts");
    let stdout = child.stdout.take().expect("stdout");
    let running = Running(child);
    let mut banner = String::new();
    let mut lines = BufReader::new(stdout).lines().map_while(Result::ok);
    for line in lines.by_ref() {
        banner.push_str(&line);
        banner.push('\n');
        if line.contains(last) {
            break;
        }
    }
    std::thread::spawn(move || lines.for_each(drop));
    (running, banner)
}

/// Waits until `url` answers with a success status, trying every 20 ms; panics if `process`, the one serving it,
/// exits first, or after 30 s.
pub(crate) fn wait_until_ok(url: &str, process: &mut Running) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if reqwest::blocking::get(url).is_ok_and(|reply| reply.status().is_success()) {
            return;
        }
        if let Ok(Some(status)) = process.0.try_wait() {
            panic!("the process behind {url} exited: {status}");
        }
        assert!(Instant::now() < deadline, "{url} never answered");
        std::thread::sleep(Duration::from_millis(20));
    }
}
