//! Putting a backup in the database's place: the backup is checked (a SQLite file whose migrations this binary
//! knows), a database in use is left alone, and the file is replaced by one rename, so a failure leaves the old
//! database or the new one, never part of either.

use std::{
    fs::{self, File, OpenOptions},
    io::{self, ErrorKind},
    path::{Path, PathBuf},
};

use denglu_store::{StoreError, StoreResult};
use sqlx::{
    Connection, Row,
    sqlite::{SqliteConnectOptions, SqliteConnection},
};

use crate::{MIGRATOR, maintenance::existing};

/// What [`restore`] put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restored {
    /// The backup's schema version: its latest migration.
    pub schema: i64,
    /// The latest migration this binary knows; the server brings the database to it when it starts.
    pub latest: i64,
    /// The size of the restored file.
    pub bytes: u64,
}

/// Replaces the database at `url` with the backup `from`. Refuses a backup that is not a denglu SQLite database at a
/// schema version this binary knows, an existing database unless `force`, and a database some process has open (a
/// running server always has). Writes a temporary file beside the database, syncs it, removes the old database's
/// `-wal` and `-shm` files and renames the copy into place.
pub async fn restore(url: &str, from: &Path, force: bool) -> StoreResult<Restored> {
    let options = existing(url)?;
    let target = options.get_filename().to_path_buf();
    let schema = check_backup(from).await?;
    if target.exists() {
        if !force {
            return Err(StoreError::Other(format!(
                "{} already exists; pass --force to replace it with the backup (stop every server that uses it \
                 first)",
                target.display()
            )));
        }
        close_unused(&options).await?;
    }
    let temp = copy_beside(from, &target)?;
    let replaced = remove_journal(&target).and_then(|()| {
        fs::rename(&temp, &target)
            .map_err(|e| other(&format!("cannot move the copy to {}", target.display()), &e))
    });
    if let Err(error) = replaced {
        let _ = fs::remove_file(&temp);
        return Err(error);
    }
    sync_folder(&target)?;
    Ok(Restored {
        schema,
        latest: MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0),
        bytes: fs::metadata(&target).map(|m| m.len()).unwrap_or_default(),
    })
}

/// Checks that `from` is a whole denglu SQLite database (no `-wal` beside it) whose migrations all ran and are
/// known to this binary, unchanged; answers its schema version.
async fn check_backup(from: &Path) -> StoreResult<i64> {
    let shown = from.display();
    if !from.is_file() {
        return Err(StoreError::Other(format!(
            "there is no backup file at {shown}"
        )));
    }
    if with_suffix(from, "-wal").exists() {
        return Err(StoreError::Other(format!(
            "{shown} has a -wal file beside it: it is a database in use, not a backup; make one with `denglu backup`"
        )));
    }
    let options = SqliteConnectOptions::new()
        .filename(from)
        .read_only(true)
        .immutable(true);
    let mut connection = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| StoreError::Other(format!("cannot open {shown}: {e}")))?;
    let applied = applied_migrations(&mut connection).await;
    let _ = connection.close().await;
    let applied = applied.map_err(|e| StoreError::Other(format!("{shown} {e}")))?;
    let mut schema = 0;
    for (version, checksum, success) in applied {
        let Some(known) = MIGRATOR.iter().find(|m| m.version == version) else {
            return Err(StoreError::Other(format!(
                "{shown} has schema version {version}, which this denglu does not know: it was made by a newer \
                 version; restore it with that version"
            )));
        };
        if !success || *known.checksum != *checksum {
            return Err(StoreError::Other(format!(
                "{shown}: its migration {version} failed or differs from this denglu's; it cannot be restored"
            )));
        }
        schema = version;
    }
    Ok(schema)
}

/// The migrations recorded in the database: version, checksum, success; an error in words when it is not a readable
/// denglu database.
async fn applied_migrations(
    connection: &mut SqliteConnection,
) -> Result<Vec<(i64, Vec<u8>, bool)>, String> {
    let check: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut *connection)
        .await
        .map_err(|e| format!("is not a readable SQLite database: {e}"))?;
    if check != "ok" {
        return Err(format!("is damaged: {check}"));
    }
    let rows =
        sqlx::query("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&mut *connection)
            .await
            .map_err(|e| format!("is not a denglu database (no migrations table: {e})"))?;
    if rows.is_empty() {
        return Err("is not a denglu database (no migration ran in it)".to_owned());
    }
    rows.iter()
        .map(|row| Ok((row.try_get(0)?, row.try_get(1)?, row.try_get(2)?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(|e| format!("has an unreadable migrations table: {e}"))
}

/// Takes the database out of WAL mode, which SQLite allows only when no other connection has it open: that refuses
/// a database a server uses, and folds the old `-wal` into the file before it is replaced.
async fn close_unused(options: &SqliteConnectOptions) -> StoreResult<()> {
    let shown = options.get_filename().display().to_string();
    let in_use = || {
        StoreError::Other(format!(
            "{shown} is in use: a denglu server or command has it open. Stop every one of them, then restore"
        ))
    };
    let mut connection = SqliteConnection::connect_with(options)
        .await
        .map_err(|e| StoreError::Other(format!("cannot open {shown}: {e}")))?;
    let mode: Result<String, _> = sqlx::query_scalar("PRAGMA journal_mode = DELETE")
        .fetch_one(&mut connection)
        .await;
    let _ = connection.close().await;
    match mode {
        Ok(mode) if mode.eq_ignore_ascii_case("delete") => Ok(()),
        Ok(_) => Err(in_use()),
        Err(sqlx::Error::Database(e)) if e.message().contains("locked") => Err(in_use()),
        Err(e) => Err(StoreError::Other(format!(
            "cannot close {shown}'s journal: {e}"
        ))),
    }
}

/// Copies `from` into a new owner-only file in `target`'s folder, synced to disk; answers its path.
fn copy_beside(from: &Path, target: &Path) -> StoreResult<PathBuf> {
    if let Some(folder) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(folder)
            .map_err(|e| other(&format!("cannot create {}", folder.display()), &e))?;
    }
    let temp = with_suffix(target, &format!(".restoring-{}", std::process::id()));
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let copied = options.open(&temp).and_then(|mut file| {
        io::copy(&mut File::open(from)?, &mut file)?;
        file.sync_all()
    });
    if let Err(error) = copied {
        if error.kind() != ErrorKind::AlreadyExists {
            let _ = fs::remove_file(&temp);
        }
        return Err(other(
            &format!("cannot copy {} to {}", from.display(), temp.display()),
            &error,
        ));
    }
    Ok(temp)
}

/// Removes the `-wal` and `-shm` files of the database at `target`: they belong to the database being replaced,
/// and SQLite would replay an old `-wal` into the restored file.
fn remove_journal(target: &Path) -> StoreResult<()> {
    for suffix in ["-wal", "-shm"] {
        let file = with_suffix(target, suffix);
        match fs::remove_file(&file) {
            Err(e) if e.kind() != ErrorKind::NotFound => {
                return Err(other(&format!("cannot remove {}", file.display()), &e));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Syncs the folder of `target`, so that the rename survives a power cut.
fn sync_folder(target: &Path) -> StoreResult<()> {
    let folder = match target.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    File::open(folder)
        .and_then(|folder| folder.sync_all())
        .map_err(|e| other(&format!("cannot sync {}", folder.display()), &e))
}

/// `path` with `suffix` appended to its file name, as SQLite names `-wal` and `-shm` files.
fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn other(what: &str, error: &io::Error) -> StoreError {
    StoreError::Other(format!("{what}: {error}"))
}

#[cfg(test)]
mod tests;
