//! Retrying "system busy" (-1) with doubling back-off, a bounded number of times.

use std::future::Future;

use crate::{ClientConfig, WechatError};

/// Runs `call` until it succeeds, fails with anything but -1, or has been retried `config.busy_retries` times.
/// Only for calls that consume nothing: never for a login or phone code exchange.
pub(crate) async fn retrying_busy<T, F, Fut>(
    config: &ClientConfig,
    mut call: F,
) -> Result<T, WechatError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, WechatError>>,
{
    let mut attempt = 0;
    loop {
        match call().await {
            Err(error) if error.is_busy() && attempt < config.busy_retries => {
                tracing::debug!(attempt, "WeChat is busy, retrying");
                tokio::time::sleep(config.busy_backoff(attempt)).await;
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}
