//! A fresh PostgreSQL database for one test, made and dropped with `psql`.

use std::{
    process::Command,
    time::{SystemTime, UNIX_EPOCH},
};

/// A database made for one test on a PostgreSQL server; dropped, with whatever is still connected to it, when this
/// is dropped.
pub(crate) struct Database {
    /// The URL `denglu` is given.
    pub(crate) url: String,
    /// The server's URL `psql` connects to.
    server: String,
    name: String,
}

impl Database {
    /// Creates `denglu_<label>_<process id>_<nanoseconds>` on the server at `server` (a URL naming any database on
    /// it, such as `TEST_DATABASE_URL`); panics if the server does not let the test create it.
    pub(crate) fn create(server: &str, label: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("clock after 1970")
            .subsec_nanos();
        let name = format!("denglu_{label}_{}_{nanos:09}", std::process::id());
        psql(server, &format!("CREATE DATABASE \"{name}\"")).unwrap_or_else(|error| {
            panic!(
                "the PostgreSQL server at {server} does not let this test create a database (set TEST_DATABASE_URL \
                 to a server with trust auth): {error}"
            )
        });
        let mut url = reqwest::Url::parse(server).expect("TEST_DATABASE_URL is a URL");
        url.set_path(&format!("/{name}"));
        Self {
            url: url.to_string(),
            server: server.to_owned(),
            name,
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        if let Err(error) = psql(&self.server, &drop) {
            eprintln!("could not drop the database {}: {error}", self.name);
        }
    }
}

/// Runs one SQL statement with `psql` on `server`.
fn psql(server: &str, statement: &str) -> Result<(), String> {
    let output = Command::new("psql")
        .args([server, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", statement])
        .env("PGCONNECT_TIMEOUT", "5")
        .output()
        .map_err(|e| format!("cannot run psql (the PostgreSQL client tools): {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    }
}
