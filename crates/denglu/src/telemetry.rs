//! Structured logs on standard error: text or JSON, filtered by the settings or `RUST_LOG`.

use tracing_subscriber::{EnvFilter, fmt};

use crate::settings::{LogFormat, LogSettings};

/// Installs the global subscriber. Call once, before anything logs.
pub(crate) fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match settings.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
