//! The benchmark's HTTP client and the checks on what the server answers: a request only counts as served when
//! the answer is the success the flow expects.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// One client for every scenario: keep-alive connections, no proxy, generous timeouts, and redirects left to the
/// scenario (a request is one request; the OpenID Connect flows read their redirects).
pub(crate) fn client() -> Result<reqwest::Client> {
    reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(usize::MAX)
        .timeout(Duration::from_secs(60))
        .build()
        .context("cannot build the HTTP client")
}

/// Reads a JSON answer, failing on a non-2xx status.
pub(crate) async fn json(response: reqwest::Response) -> Result<Value> {
    let status = response.status();
    let body = response.text().await.context("reading the answer")?;
    if !status.is_success() {
        bail!("HTTP {status}: {}", shorten(&body));
    }
    serde_json::from_str(&body).with_context(|| format!("not JSON: {}", shorten(&body)))
}

/// Fails unless `value[field]` is the number `expected` (Authing-style `code` fields).
pub(crate) fn expect_code(value: &Value, field: &str, expected: u64) -> Result<()> {
    match value.get(field).and_then(Value::as_u64) {
        Some(code) if code == expected => Ok(()),
        _ => bail!(
            "expected {field} {expected}, got {}",
            shorten(&value.to_string())
        ),
    }
}

/// The text at a JSON pointer, or an error naming it.
pub(crate) fn text(value: &Value, pointer: &str) -> Result<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("no {pointer} in {}", shorten(&value.to_string())))
}

fn shorten(text: &str) -> String {
    text.chars().take(300).collect()
}
