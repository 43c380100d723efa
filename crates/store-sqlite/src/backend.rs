//! Runs the shared SQL statements on a SQLite connection pool.

use std::sync::Arc;

use async_trait::async_trait;
use denglu_store::{QrChanges, Revocation, Revocations, StoreError, StoreResult};
use denglu_store_sql::{Param, PoolWatch, SqlBackend, Statement};
use sqlx::{
    Arguments, FromRow, SqlitePool,
    sqlite::{SqliteArguments, SqliteRow},
};

use tokio::sync::broadcast;

use crate::{errors::map_err, writer::Writer};

/// A SQLite connection pool as a [`SqlBackend`]. One node only, so change notices stay in this process.
#[derive(Debug, Clone)]
pub struct SqliteBackend {
    pool: SqlitePool,
    /// Writes take turns and commit in groups (see [`Writer`]).
    writer: Arc<Writer>,
    watch: Arc<PoolWatch>,
    qr_changes: broadcast::Sender<Arc<str>>,
    revocations: broadcast::Sender<Revocation>,
}

impl SqliteBackend {
    /// Wraps a migrated pool.
    pub(crate) fn new(pool: SqlitePool) -> Self {
        Self {
            pool,
            writer: Arc::default(),
            watch: Arc::default(),
            qr_changes: broadcast::channel(1024).0,
            revocations: broadcast::channel(1024).0,
        }
    }

    async fn fetch<R>(&self, statement: &Statement) -> StoreResult<Vec<R>>
    where
        R: for<'r> FromRow<'r, SqliteRow> + Send + Unpin,
    {
        let _turn = if writes(&statement.sql) {
            Some(self.writer.turn().await)
        } else {
            None
        };
        let mut connection = self.connection().await?;
        sqlx::query_as_with(&statement.sql, arguments(&statement.params)?)
            .fetch_all(&mut *connection)
            .await
            .map_err(map_err)
    }

    /// A connection of the pool, its wait counted.
    pub(crate) async fn connection(&self) -> StoreResult<sqlx::pool::PoolConnection<sqlx::Sqlite>> {
        self.watch
            .acquire(self.pool.acquire())
            .await
            .map_err(map_err)
    }
}

/// Whether a statement may write (anything but a `SELECT`), so takes a writer's turn.
fn writes(sql: &str) -> bool {
    !sql.trim_start()
        .get(..6)
        .is_some_and(|word| word.eq_ignore_ascii_case("SELECT"))
}

pub(crate) fn arguments(params: &[Param]) -> StoreResult<SqliteArguments<'_>> {
    let mut arguments = SqliteArguments::default();
    for param in params {
        match param {
            Param::Text(value) => arguments.add(value.as_deref()),
            Param::Bytes(value) => arguments.add(value.as_deref()),
            Param::Int(value) => arguments.add(*value),
            Param::OptionalInt(value) => arguments.add(*value),
            Param::Bool(value) => arguments.add(*value),
            Param::Time(value) => arguments.add(*value),
        }
        .map_err(|e| StoreError::Other(format!("cannot bind a parameter: {e}")))?;
    }
    Ok(arguments)
}

denglu_store_sql::row_source!(SqliteBackend);

#[async_trait]
impl SqlBackend for SqliteBackend {
    fn pool_use(&self) -> denglu_store::PoolUse {
        let max = self.pool.options().get_max_connections();
        self.watch
            .pool_use(self.pool.size(), self.pool.num_idle(), max)
    }

    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(map_err)
    }

    async fn execute(&self, statements: &[Statement]) -> StoreResult<Vec<u64>> {
        self.writer.execute(self, statements).await
    }

    // SQLite writers take turns: nothing to skip.
    fn skip_locked(&self) -> &'static str {
        ""
    }

    async fn announce_qr_change(&self, scene: &str) -> StoreResult<()> {
        // Nobody listening is fine.
        let _ = self.qr_changes.send(scene.into());
        Ok(())
    }

    fn qr_changes(&self) -> QrChanges {
        self.qr_changes.subscribe()
    }

    async fn announce_revocation(&self, notice: &Revocation) -> StoreResult<()> {
        // Nobody listening is fine.
        let _ = self.revocations.send(notice.clone());
        Ok(())
    }

    fn revocations(&self) -> Revocations {
        self.revocations.subscribe()
    }

    fn notices_reach_every_process(&self) -> bool {
        false
    }
}
