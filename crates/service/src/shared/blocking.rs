//! Running CPU-heavy work (Argon2, RSA key generation) off the async runtime, inside the caller's tracing span.

use crate::{ServiceError, ServiceResult};

/// Runs `work` on the blocking thread pool and waits for it.
pub(crate) async fn run_blocking<T, F>(work: F) -> ServiceResult<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || span.in_scope(work))
        .await
        .map_err(|e| ServiceError::Internal(format!("blocking task failed: {e}")))
}
