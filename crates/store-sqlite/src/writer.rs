//! SQLite's one writer, shared well. SQLite lets one connection write at a time; a writer that finds the database
//! locked waits in SQLite's busy handler, which sleeps 1 to 100 ms between tries. Here writes take turns on one async
//! lock instead, handed over the moment the last writer is done, and whoever holds the turn runs every transaction
//! that is waiting for one in a single commit (a group commit): on a busy server one commit serves many requests.

use std::sync::{Arc, Mutex, PoisonError};

use denglu_store::{StoreError, StoreResult};
use denglu_store_sql::Statement;
use sqlx::Connection;
use tokio::sync::{OwnedMutexGuard, oneshot};

use crate::{SqliteBackend, backend::arguments, errors::map_err};

/// The turn to write and the transactions waiting for it, shared by the clones of a backend.
#[derive(Debug, Default)]
pub(crate) struct Writer {
    turn: Arc<tokio::sync::Mutex<()>>,
    waiting: Mutex<Vec<Job>>,
}

/// A transaction waiting to be run, and where its outcome goes.
#[derive(Debug)]
struct Job {
    statements: Vec<Statement>,
    done: oneshot::Sender<StoreResult<Vec<u64>>>,
}

impl Writer {
    /// The turn to write, for a single statement run outside [`Writer::execute`] (one that returns rows).
    pub(crate) async fn turn(&self) -> OwnedMutexGuard<()> {
        Arc::clone(&self.turn).lock_owned().await
    }

    /// Runs `statements` in one transaction, committed together with the others waiting; how many rows each changed.
    /// Its outcome is its own: when a transaction of the group fails, the group is rolled back and each of its
    /// transactions run again alone. The group runs in a task of its own, so a caller that goes away (a client that
    /// hung up) abandons neither its own transaction nor the others'.
    pub(crate) async fn execute(
        &self,
        backend: &SqliteBackend,
        statements: &[Statement],
    ) -> StoreResult<Vec<u64>> {
        let (done, outcome) = oneshot::channel();
        self.wait(Job {
            statements: statements.to_vec(),
            done,
        });
        let turn = self.turn().await;
        let group = std::mem::take(&mut *self.waiting());
        if !group.is_empty() {
            let backend = backend.clone();
            tokio::spawn(async move {
                run_group(&backend, group).await;
                drop(turn);
            });
        }
        outcome
            .await
            .unwrap_or_else(|_| Err(StoreError::Other("the SQLite writer stopped".to_owned())))
    }

    fn wait(&self, job: Job) {
        self.waiting().push(job);
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, Vec<Job>> {
        self.waiting.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs the group in one transaction; when one of its statements fails, each of its transactions alone (so that one
/// conflict fails one request); when the database is unavailable, the group fails as one.
async fn run_group(backend: &SqliteBackend, group: Vec<Job>) {
    if group.len() > 1 {
        let statements: Vec<&[Statement]> =
            group.iter().map(|job| job.statements.as_slice()).collect();
        match run(backend, &statements).await {
            Ok(changed) => {
                for (job, changed) in group.into_iter().zip(changed) {
                    // A caller that went away does not need its answer.
                    drop(job.done.send(Ok(changed)));
                }
                return;
            }
            Err(StoreError::Unavailable(why)) => {
                for job in group {
                    drop(job.done.send(Err(StoreError::Unavailable(why.clone()))));
                }
                return;
            }
            Err(_) => {}
        }
    }
    for job in group {
        let outcome = run(backend, &[job.statements.as_slice()]).await;
        drop(job.done.send(outcome.map(|mut changed| changed.remove(0))));
    }
}

/// Runs the transactions in one: how many rows each statement of each changed.
async fn run(backend: &SqliteBackend, transactions: &[&[Statement]]) -> StoreResult<Vec<Vec<u64>>> {
    let mut connection = backend.connection().await?;
    let mut transaction = connection.begin().await.map_err(map_err)?;
    let mut changed = Vec::with_capacity(transactions.len());
    for statements in transactions {
        let mut counts = Vec::with_capacity(statements.len());
        for statement in *statements {
            let done = sqlx::query_with(&statement.sql, arguments(&statement.params)?)
                .execute(&mut *transaction)
                .await
                .map_err(map_err)?;
            counts.push(done.rows_affected());
        }
        changed.push(counts);
    }
    transaction.commit().await.map_err(map_err)?;
    Ok(changed)
}
