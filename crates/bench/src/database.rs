//! A fresh, empty database for one suite: a SQLite file in a temporary folder, or a throwaway PostgreSQL
//! database that is dropped afterwards.

use std::path::Path;

use anyhow::{Context, Result};
use sqlx::{Connection, Executor, PgConnection};

use crate::cli::Database;

/// A database made for one suite.
pub(crate) struct Fresh {
    pub(crate) url: String,
    /// The PostgreSQL server and database name to drop at the end.
    postgres: Option<(String, String)>,
}

impl Fresh {
    /// Makes the database: `folder` holds a SQLite file; `postgres_url` is any database on the server to use.
    pub(crate) async fn create(kind: Database, folder: &Path, postgres_url: &str) -> Result<Self> {
        match kind {
            Database::Sqlite => Ok(Self {
                url: format!("sqlite://{}", folder.join("bench.db").display()),
                postgres: None,
            }),
            Database::Postgres => {
                let name = format!("denglu_bench_{}", std::process::id());
                let mut admin = PgConnection::connect(postgres_url)
                    .await
                    .with_context(|| format!("cannot connect to PostgreSQL at {postgres_url}"))?;
                admin
                    .execute(format!("DROP DATABASE IF EXISTS {name}").as_str())
                    .await?;
                admin
                    .execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .context("cannot create the benchmark database")?;
                let url = replace_database(postgres_url, &name)?;
                Ok(Self {
                    url,
                    postgres: Some((postgres_url.to_owned(), name)),
                })
            }
        }
    }

    /// Drops the PostgreSQL database (a SQLite file goes with its temporary folder).
    pub(crate) async fn drop_database(self) -> Result<()> {
        if let Some((server, name)) = self.postgres {
            let mut admin = PgConnection::connect(&server).await?;
            admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await
                .context("cannot drop the benchmark database")?;
        }
        Ok(())
    }
}

/// The same server URL with another database name.
fn replace_database(url: &str, name: &str) -> Result<String> {
    let mut parsed = reqwest::Url::parse(url).context("the PostgreSQL URL does not parse")?;
    parsed.set_path(&format!("/{name}"));
    Ok(parsed.to_string())
}
