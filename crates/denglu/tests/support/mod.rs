//! Running the built binary in tests: a clean environment, free ports, children killed at the end, banners read.

use std::{
    io::{BufRead, BufReader},
    net::TcpListener,
    path::Path,
    process::{Child, Command, Stdio},
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
