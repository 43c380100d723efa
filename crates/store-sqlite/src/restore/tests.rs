//! What a restore accepts: a backup of this schema, or an older one; not a newer schema, nor a SQLite file that is
//! not denglu's.

use std::{path::Path, time::Duration};

use sqlx::{Connection, sqlite::SqliteConnection};

use super::restore;
use crate::{MIGRATOR, backup, connect};

fn url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

/// A backup of a fresh database, in `folder`.
async fn fresh_backup(folder: &Path) -> std::path::PathBuf {
    let live = folder.join("live.db");
    connect(&url(&live), 1, Duration::from_secs(5))
        .await
        .expect("store");
    let copy = folder.join("backup.db");
    backup(&url(&live), &copy).await.expect("backup");
    copy
}

async fn execute(file: &Path, statement: &str) {
    let mut connection = SqliteConnection::connect(&format!("{}?mode=rwc", url(file)))
        .await
        .expect("open");
    sqlx::query(statement)
        .execute(&mut connection)
        .await
        .expect("statement");
    connection.close().await.expect("close");
}

#[tokio::test]
async fn a_backup_of_this_schema_is_restored_into_a_new_database() {
    let folder = tempfile::tempdir().expect("temp dir");
    let copy = fresh_backup(folder.path()).await;
    let target = folder.path().join("restored").join("denglu.db");
    let restored = restore(&url(&target), &copy, false)
        .await
        .expect("restored");
    let latest = MIGRATOR
        .iter()
        .map(|m| m.version)
        .max()
        .expect("migrations");
    assert_eq!((restored.schema, restored.latest), (latest, latest));
    assert_eq!(
        restored.bytes,
        std::fs::metadata(&copy).expect("backup").len()
    );
    connect(&url(&target), 1, Duration::from_secs(5))
        .await
        .expect("a store opens on it");
}

#[tokio::test]
async fn a_newer_schema_and_a_database_that_is_not_denglus_are_refused() {
    let folder = tempfile::tempdir().expect("temp dir");
    let copy = fresh_backup(folder.path()).await;
    execute(
        &copy,
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (9999, 'from the future', TRUE, x'00', 0)",
    )
    .await;
    let target = folder.path().join("denglu.db");
    let error = restore(&url(&target), &copy, false)
        .await
        .expect_err("refused")
        .to_string();
    assert!(
        error.contains("schema version 9999") && error.contains("newer"),
        "{error}"
    );

    let other = folder.path().join("other.db");
    execute(&other, "CREATE TABLE notes (body TEXT)").await;
    let error = restore(&url(&target), &other, false)
        .await
        .expect_err("refused")
        .to_string();
    assert!(error.contains("is not a denglu database"), "{error}");
    assert!(!target.exists(), "nothing is written");
}
