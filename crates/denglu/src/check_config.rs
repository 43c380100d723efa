//! `denglu check-config`: the settings `serve` would run with, checked the way `serve` checks them at start, and
//! the database asked whether it answers. Errors and warnings are printed in words; any error fails the command.

use std::{path::Path, time::Duration};

use denglu_server::Probed;

use crate::settings::{Settings, checks};

/// How long the database gets to answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Checks `settings` (read from `file`, if any, and the environment) and the database; prints what is wrong, or a
/// summary when nothing is.
pub(crate) async fn run(settings: &Settings, file: Option<&Path>) -> Result<(), String> {
    let mut found = checks::check(settings);
    let url = &settings.database.url;
    let database = match denglu_server::probe(url.expose(), PROBE_TIMEOUT).await {
        Ok(Probed::Answered) => "answers",
        Ok(Probed::Missing) => "no file yet: `serve` creates it",
        Err(error) => {
            if denglu_server::Backend::of(url.expose()).is_ok() {
                found
                    .errors
                    .push(format!("the database {url} cannot be reached: {error}"));
            }
            "unreachable"
        }
    };
    for error in &found.errors {
        eprintln!("error: {error}");
    }
    for warning in &found.warnings {
        eprintln!("warning: {warning}");
    }
    if !found.errors.is_empty() {
        return Err(format!(
            "{} in the settings: `serve` would refuse to start",
            count(found.errors.len(), "error")
        ));
    }
    let scanner = match &settings.scanner.appid {
        Some(appid) => format!("{appid} (QR login on)"),
        None => "not set (QR login off)".to_owned(),
    };
    let metrics = match (&settings.metrics.listen, &settings.metrics.bearer_token) {
        (None, None) => "off".to_owned(),
        (Some(listen), None) => format!("http://{listen}/metrics"),
        (None, Some(_)) => "/metrics behind the bearer token".to_owned(),
        (Some(listen), Some(_)) => {
            format!("http://{listen}/metrics, and /metrics behind the bearer token")
        }
    };
    let public_url = match &settings.public_url {
        Some(url) => url.clone(),
        None => format!("{} (public_url not set)", settings.public_url()),
    };
    println!(
        "the settings are fine{}: `serve` would start\n\
         \x20 settings file  {}\n\
         \x20 listen         {}\n\
         \x20 public URL     {public_url}\n\
         \x20 database       {url} ({database})\n\
         \x20 master key     set\n\
         \x20 WeChat API     {}\n\
         \x20 scanner        {scanner}\n\
         \x20 metrics        {metrics}",
        match found.warnings.len() {
            0 => String::new(),
            n => format!(", with {} (above)", count(n, "warning")),
        },
        file.map_or_else(
            || "none (defaults and DENGLU_* variables)".to_owned(),
            |f| f.display().to_string()
        ),
        settings.listen,
        settings.wechat.api_base_url,
    );
    Ok(())
}

/// `1 error`, `2 errors`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}
