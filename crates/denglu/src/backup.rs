//! `denglu backup --to FILE`: a consistent copy of the SQLite database, taken while servers keep using it.
//! PostgreSQL has its own tools (pg_dump, pg_restore); this says so instead of copying.

use std::{path::Path, time::Instant};

use denglu_server::Backend;

use crate::settings::Settings;

/// Copies the configured SQLite database into the new file `to`; refuses PostgreSQL and an existing file.
pub(crate) async fn run(settings: &Settings, to: &Path) -> Result<(), String> {
    let url = &settings.database.url;
    match Backend::of(url.expose())? {
        Backend::Postgres => Err(format!(
            "the database {url} is PostgreSQL, which `denglu backup` does not copy: back it up with pg_dump \
             (pg_dump -Fc -f denglu.dump DATABASE_URL) and restore it with pg_restore --clean; see \"Backups and \
             restore\" in docs/operations.md"
        )),
        Backend::Sqlite => {
            let started = Instant::now();
            denglu_server::backup_sqlite(url.expose(), to)
                .await
                .map_err(|e| format!("cannot back up {url}: {e}"))?;
            let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or_default();
            println!(
                "backed up {url} to {} ({bytes} bytes, in {} ms)",
                to.display(),
                started.elapsed().as_millis()
            );
            Ok(())
        }
    }
}
