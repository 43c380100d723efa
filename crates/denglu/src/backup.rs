//! `denglu backup --to FILE`: a consistent copy of the SQLite database, taken while servers keep using it; `denglu
//! restore --from FILE` puts such a copy in the database's place while no server uses it. PostgreSQL has its own
//! tools (pg_dump, pg_restore); these say so instead of copying.

use std::{path::Path, time::Instant};

use denglu_server::Backend;

use crate::settings::Settings;

/// Where PostgreSQL users are sent.
const POSTGRES_TOOLS: &str = "back it up with pg_dump (pg_dump -Fc -f denglu.dump DATABASE_URL) and restore it with \
                              pg_restore --clean; see \"Backups and restore\" in docs/operations.md";

/// Copies the configured SQLite database into the new file `to`; refuses PostgreSQL and an existing file.
pub(crate) async fn run(settings: &Settings, to: &Path) -> Result<(), String> {
    let url = &settings.database.url;
    match Backend::of(url.expose())? {
        Backend::Postgres => Err(format!(
            "the database {url} is PostgreSQL, which `denglu backup` does not copy: {POSTGRES_TOOLS}"
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

/// Replaces the configured SQLite database with the backup `from` (an existing database only with `force`);
/// refuses PostgreSQL.
pub(crate) async fn restore(settings: &Settings, from: &Path, force: bool) -> Result<(), String> {
    let url = &settings.database.url;
    if Backend::of(url.expose())? == Backend::Postgres {
        return Err(format!(
            "the database {url} is PostgreSQL, which `denglu restore` does not write: {POSTGRES_TOOLS}"
        ));
    }
    let restored = denglu_server::restore_sqlite(url.expose(), from, force)
        .await
        .map_err(|e| format!("cannot restore {url}: {e}"))?;
    println!(
        "restored {url} from {} ({} bytes, schema version {})",
        from.display(),
        restored.bytes,
        restored.schema
    );
    if restored.schema < restored.latest {
        println!(
            "denglu serve (or denglu migrate) brings it to schema version {} when it starts",
            restored.latest
        );
    }
    println!("start denglu with the master key the backup was made with");
    Ok(())
}
