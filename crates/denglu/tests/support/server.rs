//! `denglu serve` on a SQLite database in a folder, started and waited for.

use std::{
    path::Path,
    process::{Command, Stdio},
};

use super::{Running, denglu, free_port, wait_until_ok};

/// Starts `denglu serve` in `data` with master key `key` on a free port, its output discarded unless `configure`
/// (given the command before it is spawned) says otherwise; answers once `/healthz` answers 200, with the base URL.
pub(crate) fn serve(
    data: &Path,
    key: &str,
    configure: impl FnOnce(&mut Command),
) -> (Running, String) {
    let port = free_port();
    let mut command = denglu(
        data,
        Some(key),
        &["serve", "--listen", &format!("127.0.0.1:{port}")],
    );
    command.stdout(Stdio::null()).stderr(Stdio::null());
    configure(&mut command);
    let mut server = Running(command.spawn().expect("serve starts"));
    let base = format!("http://127.0.0.1:{port}");
    wait_until_ok(&format!("{base}/healthz"), &mut server);
    (server, base)
}
