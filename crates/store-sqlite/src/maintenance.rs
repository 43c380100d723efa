//! Work on a SQLite database file beside the store: a consistent copy while servers use it, and a check that the
//! file opens as a database.

use std::{
    fs::{self, File, OpenOptions},
    io::ErrorKind,
    path::Path,
    str::FromStr,
    time::Duration,
};

use denglu_store::{StoreError, StoreResult};
use sqlx::{
    Connection,
    sqlite::{SqliteConnectOptions, SqliteConnection},
};

/// What [`probe`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probed {
    /// The file exists and answers as a SQLite database.
    Answered,
    /// There is no file yet; opening the store creates it.
    Missing,
}

/// Options for an existing database at `url`, with the same busy timeout as the store, never creating the file.
pub(crate) fn existing(url: &str) -> StoreResult<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::Other(format!("invalid SQLite URL: {e}")))?
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(5)))
}

/// Opens the database at `url` without creating, changing or migrating it, and reads its schema.
pub async fn probe(url: &str) -> StoreResult<Probed> {
    let options = existing(url)?;
    if !options.get_filename().exists() {
        return Ok(Probed::Missing);
    }
    let file = options.get_filename().display().to_string();
    let mut connection = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot open {file}: {e}")))?;
    let read = sqlx::query("SELECT count(*) FROM sqlite_master")
        .execute(&mut connection)
        .await
        .map_err(|e| {
            StoreError::Unavailable(format!("{file} is not a readable SQLite database: {e}"))
        });
    let _ = connection.close().await;
    read.map(|_| Probed::Answered)
}

/// Copies the database at `url` into the new file `to` with `VACUUM INTO`: a consistent snapshot, taken in one read
/// transaction, so servers keep reading and writing (WAL mode) while it runs. `to` must not exist; it is created
/// readable by its owner only (it holds password hashes and sealed keys) and synced to disk before this returns. On
/// failure nothing is left at `to`.
pub async fn backup(url: &str, to: &Path) -> StoreResult<()> {
    let options = existing(url)?;
    let source = options.get_filename().to_path_buf();
    if !source.is_file() {
        return Err(StoreError::Other(format!(
            "there is no SQLite database at {}",
            source.display()
        )));
    }
    let target = to
        .to_str()
        .ok_or_else(|| StoreError::Other(format!("{} is not a UTF-8 path", to.display())))?;
    create_empty(to)?;
    let copied = copy(&options, target).await;
    let synced = copied.and_then(|()| {
        File::open(to)
            .and_then(|file| file.sync_all())
            .map_err(|e| StoreError::Other(format!("cannot sync {}: {e}", to.display())))
    });
    if synced.is_err() {
        let _ = fs::remove_file(to);
    }
    synced
}

/// Creates `to` empty and owner-only, refusing a file that is already there.
fn create_empty(to: &Path) -> StoreResult<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(to).map(drop).map_err(|e| {
        StoreError::Other(match e.kind() {
            ErrorKind::AlreadyExists => format!(
                "{} already exists; a backup never overwrites a file: choose a new name or remove it first",
                to.display()
            ),
            _ => format!("cannot create {}: {e}", to.display()),
        })
    })
}

/// Runs `VACUUM INTO` from the database of `options` into the (empty) file `target`.
async fn copy(options: &SqliteConnectOptions, target: &str) -> StoreResult<()> {
    let source = options.get_filename().display().to_string();
    let mut connection = SqliteConnection::connect_with(options)
        .await
        .map_err(|e| StoreError::Unavailable(format!("cannot open {source}: {e}")))?;
    let copied = sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut connection)
        .await
        .map_err(|e| StoreError::Other(format!("cannot copy {source} into {target}: {e}")));
    let _ = connection.close().await;
    copied.map(drop)
}
