//! Runs the shared SQL statements on a PostgreSQL connection pool.

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use denglu_store::{EVERY_QR_SCENE, QrChanges, StoreError, StoreResult};
use denglu_store_sql::{Param, PoolWatch, SqlBackend, Statement};
use sqlx::{
    Arguments, Connection, FromRow, PgPool,
    postgres::{PgArguments, PgListener, PgRow},
};
use tokio::sync::broadcast;

use crate::errors::map_err;

/// The LISTEN/NOTIFY channel of QR session changes.
const QR_CHANNEL: &str = "denglu_qr_changes";

/// A PostgreSQL connection pool as a [`SqlBackend`]. Change notices travel between replicas by LISTEN/NOTIFY.
#[derive(Debug, Clone)]
pub struct PostgresBackend {
    pool: PgPool,
    watch: Arc<PoolWatch>,
    qr_changes: broadcast::Sender<Arc<str>>,
}

impl PostgresBackend {
    /// Wraps a migrated pool and starts listening for other replicas' notices.
    pub(crate) async fn new(pool: PgPool) -> StoreResult<Self> {
        let qr_changes = broadcast::channel(1024).0;
        let mut listener = PgListener::connect_with(&pool).await.map_err(map_err)?;
        listener.listen(QR_CHANNEL).await.map_err(map_err)?;
        tokio::spawn(relay(listener, broadcast::Sender::downgrade(&qr_changes)));
        Ok(Self {
            pool,
            watch: Arc::default(),
            qr_changes,
        })
    }

    async fn fetch<R>(&self, statement: &Statement) -> StoreResult<Vec<R>>
    where
        R: for<'r> FromRow<'r, PgRow> + Send + Unpin,
    {
        let mut connection = self.connection().await?;
        sqlx::query_as_with(&statement.sql, arguments(&statement.params)?)
            .fetch_all(&mut *connection)
            .await
            .map_err(map_err)
    }

    /// A connection of the pool, its wait counted.
    async fn connection(&self) -> StoreResult<sqlx::pool::PoolConnection<sqlx::Postgres>> {
        self.watch
            .acquire(self.pool.acquire())
            .await
            .map_err(map_err)
    }
}

/// Forwards notices to this process's subscribers until the backend is dropped. When the notice connection is lost,
/// it reconnects, then sends [`EVERY_QR_SCENE`]: what was announced meanwhile never arrives, so every watcher
/// re-reads its session at once instead of at its next periodic recheck.
async fn relay(mut listener: PgListener, subscribers: broadcast::WeakSender<Arc<str>>) {
    loop {
        let received = listener.try_recv().await;
        let Some(sender) = subscribers.upgrade() else {
            return;
        };
        // Nobody listening is fine.
        match received {
            Ok(Some(notice)) => drop(sender.send(notice.payload().into())),
            Ok(None) | Err(_) => {
                if let Err(error) = &received {
                    tracing::warn!(%error, "lost the PostgreSQL notice connection; reconnecting");
                } else {
                    tracing::warn!("lost the PostgreSQL notice connection; reconnected");
                }
                drop(sender);
                if !reconnect(&mut listener, &subscribers).await {
                    return;
                }
                if let Some(sender) = subscribers.upgrade() {
                    drop(sender.send(EVERY_QR_SCENE.into()));
                }
            }
        }
    }
}

/// Makes sure the listener is connected and listening, trying every second; false when the backend went away.
async fn reconnect(
    listener: &mut PgListener,
    subscribers: &broadcast::WeakSender<Arc<str>>,
) -> bool {
    loop {
        if subscribers.upgrade().is_none() {
            return false;
        }
        // Listening again on the channel opens a connection if there is none, and leaves one listen.
        let listening = match listener.unlisten(QR_CHANNEL).await {
            Ok(()) => listener.listen(QR_CHANNEL).await,
            Err(error) => Err(error),
        };
        match listening {
            Ok(()) => return true,
            Err(error) => {
                tracing::warn!(%error, "cannot reach PostgreSQL for notices yet");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

fn arguments(params: &[Param]) -> StoreResult<PgArguments> {
    let mut arguments = PgArguments::default();
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

denglu_store_sql::row_source!(PostgresBackend);

#[async_trait]
impl SqlBackend for PostgresBackend {
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
        let mut connection = self.connection().await?;
        let mut transaction = connection.begin().await.map_err(map_err)?;
        let mut changed = Vec::with_capacity(statements.len());
        for statement in statements {
            let done = sqlx::query_with(&statement.sql, arguments(&statement.params)?)
                .execute(&mut *transaction)
                .await
                .map_err(map_err)?;
            changed.push(done.rows_affected());
        }
        transaction.commit().await.map_err(map_err)?;
        Ok(changed)
    }

    // Rows another replica is deleting are skipped, not waited for.
    fn skip_locked(&self) -> &'static str {
        "FOR UPDATE SKIP LOCKED"
    }

    async fn announce_qr_change(&self, scene: &str) -> StoreResult<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(QR_CHANNEL)
            .bind(scene)
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(map_err)
    }

    fn qr_changes(&self) -> QrChanges {
        self.qr_changes.subscribe()
    }
}
