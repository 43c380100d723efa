//! Runs the shared SQL statements on a PostgreSQL connection pool.

use std::{sync::Arc, time::Duration};

use async_trait::async_trait;
use denglu_store::{EVERY_QR_SCENE, QrChanges, Revocation, Revocations, StoreError, StoreResult};
use denglu_store_sql::{Param, PoolWatch, SqlBackend, Statement};
use sqlx::{
    Arguments, Connection, FromRow, PgPool,
    postgres::{PgArguments, PgListener, PgRow},
};
use tokio::sync::broadcast;

use crate::errors::map_err;

/// The LISTEN/NOTIFY channel of QR session changes.
const QR_CHANNEL: &str = "denglu_qr_changes";
/// The LISTEN/NOTIFY channel of revocations (see [`Revocation::to_payload`]).
const REVOCATION_CHANNEL: &str = "denglu_revocations";

/// A PostgreSQL connection pool as a [`SqlBackend`]. Change notices travel between replicas by LISTEN/NOTIFY.
#[derive(Debug, Clone)]
pub struct PostgresBackend {
    pool: PgPool,
    watch: Arc<PoolWatch>,
    notices: Notices,
}

/// This process's subscribers to each kind of notice.
#[derive(Debug, Clone)]
struct Notices {
    qr_changes: broadcast::Sender<Arc<str>>,
    revocations: broadcast::Sender<Revocation>,
}

/// What the relay holds: it stops when the backend is gone.
struct WeakNotices {
    qr_changes: broadcast::WeakSender<Arc<str>>,
    revocations: broadcast::WeakSender<Revocation>,
}

impl WeakNotices {
    fn upgrade(&self) -> Option<Notices> {
        Some(Notices {
            qr_changes: self.qr_changes.upgrade()?,
            revocations: self.revocations.upgrade()?,
        })
    }
}

impl PostgresBackend {
    /// Wraps a migrated pool and starts listening for other replicas' notices.
    pub(crate) async fn new(pool: PgPool) -> StoreResult<Self> {
        let notices = Notices {
            qr_changes: broadcast::channel(1024).0,
            revocations: broadcast::channel(1024).0,
        };
        let mut listener = PgListener::connect_with(&pool).await.map_err(map_err)?;
        listener
            .listen_all([QR_CHANNEL, REVOCATION_CHANNEL])
            .await
            .map_err(map_err)?;
        let weak = WeakNotices {
            qr_changes: notices.qr_changes.downgrade(),
            revocations: notices.revocations.downgrade(),
        };
        tokio::spawn(relay(listener, weak));
        Ok(Self {
            pool,
            watch: Arc::default(),
            notices,
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

    async fn notify(&self, channel: &str, payload: &str) -> StoreResult<()> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(channel)
            .bind(payload)
            .execute(&self.pool)
            .await
            .map(drop)
            .map_err(map_err)
    }
}

/// Forwards notices to this process's subscribers until the backend is dropped. When the notice connection is lost,
/// it reconnects, then sends [`EVERY_QR_SCENE`] and [`Revocation::Everyone`]: what was announced meanwhile never
/// arrives, so every watcher re-reads its session and every remembered standing is forgotten.
async fn relay(mut listener: PgListener, subscribers: WeakNotices) {
    loop {
        let received = listener.try_recv().await;
        let Some(notices) = subscribers.upgrade() else {
            return;
        };
        // Nobody listening is fine.
        match received {
            Ok(Some(notice)) if notice.channel() == REVOCATION_CHANNEL => {
                drop(
                    notices
                        .revocations
                        .send(Revocation::from_payload(notice.payload())),
                );
            }
            Ok(Some(notice)) => drop(notices.qr_changes.send(notice.payload().into())),
            Ok(None) | Err(_) => {
                if let Err(error) = &received {
                    tracing::warn!(%error, "lost the PostgreSQL notice connection; reconnecting");
                } else {
                    tracing::warn!("lost the PostgreSQL notice connection; reconnected");
                }
                drop(notices);
                if !reconnect(&mut listener, &subscribers).await {
                    return;
                }
                if let Some(notices) = subscribers.upgrade() {
                    drop(notices.qr_changes.send(EVERY_QR_SCENE.into()));
                    drop(notices.revocations.send(Revocation::Everyone));
                }
            }
        }
    }
}

/// Makes sure the listener is connected and listening, trying every second; false when the backend went away.
async fn reconnect(listener: &mut PgListener, subscribers: &WeakNotices) -> bool {
    loop {
        if subscribers.upgrade().is_none() {
            return false;
        }
        // Listening again on the channels opens a connection if there is none, and leaves one listen each.
        let listening = match listener.unlisten_all().await {
            Ok(()) => listener.listen_all([QR_CHANNEL, REVOCATION_CHANNEL]).await,
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

    // This process hears at once (its own notice comes back later too, and only wakes its watchers again).
    async fn announce_qr_change(&self, scene: &str) -> StoreResult<()> {
        drop(self.notices.qr_changes.send(scene.into()));
        self.notify(QR_CHANNEL, scene).await
    }

    fn qr_changes(&self) -> QrChanges {
        self.notices.qr_changes.subscribe()
    }

    // This process hears at once (its own notice comes back later too, and changes nothing more).
    async fn announce_revocation(&self, notice: &Revocation) -> StoreResult<()> {
        drop(self.notices.revocations.send(notice.clone()));
        self.notify(REVOCATION_CHANNEL, &notice.to_payload()).await
    }

    fn revocations(&self) -> Revocations {
        self.notices.revocations.subscribe()
    }

    fn notices_reach_every_process(&self) -> bool {
        true
    }
}
