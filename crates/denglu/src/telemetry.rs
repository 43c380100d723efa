//! Structured logs on standard error: text or JSON, filtered by the settings or `RUST_LOG`; with `log.spans`, a
//! line with its timings for every span that closes.

use tracing_subscriber::{EnvFilter, fmt, fmt::format::FmtSpan};

use crate::settings::{LogFormat, LogSettings};

/// Installs the global subscriber. Call once, before anything logs.
pub(crate) fn init(settings: &LogSettings) {
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&settings.filter))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let spans = if settings.spans {
        FmtSpan::CLOSE
    } else {
        FmtSpan::NONE
    };
    let builder = fmt()
        .with_env_filter(filter)
        .with_span_events(spans)
        .with_writer(std::io::stderr);
    match settings.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
