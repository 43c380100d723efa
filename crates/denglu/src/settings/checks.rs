//! What is wrong with the settings before they are used: `serve` refuses to start on any error and logs the
//! warnings; `check-config` reports both, plus whether the database answers.

use std::net::IpAddr;

use url::{Host, Url};

use super::Settings;

/// What the checks found: errors refuse `serve`, warnings do not.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    /// What would stop the server from working; `serve` refuses to start.
    pub(crate) errors: Vec<String>,
    /// What works but is likely a mistake in production.
    pub(crate) warnings: Vec<String>,
}

impl Findings {
    /// The errors in one message, or nothing when there are none.
    pub(crate) fn refusal(&self) -> Option<String> {
        match self.errors.as_slice() {
            [] => None,
            [one] => Some(one.clone()),
            many => Some(format!(
                "{} problems in the settings:\n  - {}",
                many.len(),
                many.join("\n  - ")
            )),
        }
    }
}

/// For `serve`: logs the warnings, and refuses to start on any error.
pub(crate) fn enforce(settings: &Settings) -> Result<(), String> {
    let found = check(settings);
    for warning in &found.warnings {
        tracing::warn!("{warning}");
    }
    found.refusal().map_or(Ok(()), Err)
}

/// Checks the settings `serve` would run with. Reads nothing but the settings: the database is not contacted.
pub(crate) fn check(settings: &Settings) -> Findings {
    let mut found = Findings::default();
    if let Err(error) = crate::app::master_key(settings) {
        found.errors.push(error);
    }
    if let Err(error) = denglu_server::Backend::of(settings.database.url.expose()) {
        found.errors.push(format!("database.url: {error}"));
    }
    if let Err(error) = crate::app::scanner(settings) {
        found.errors.push(error);
    }
    wechat_base_url(&settings.wechat.api_base_url, &mut found);
    public_url(settings, &mut found);
    metrics(settings, &mut found);
    for (name, value) in zero_means_nothing_works(settings) {
        if value == 0 {
            found.errors.push(format!(
                "{name} is 0: nothing could work with it (see config/denglu.example.toml for the default)"
            ));
        }
    }
    found
}

/// The timeouts and sizes for which 0 would make every request fail (rate limits and the retention grace are not
/// here: 0 turns a limit off, and deletes expired records at once).
fn zero_means_nothing_works(settings: &Settings) -> [(&'static str, u64); 10] {
    [
        (
            "database.max_connections",
            settings.database.max_connections.into(),
        ),
        (
            "database.acquire_timeout_ms",
            settings.database.acquire_timeout_ms,
        ),
        (
            "http.max_body_bytes",
            u64::try_from(settings.http.max_body_bytes).unwrap_or(u64::MAX),
        ),
        (
            "wechat.connect_timeout_ms",
            settings.wechat.connect_timeout_ms,
        ),
        ("wechat.timeout_ms", settings.wechat.timeout_ms),
        ("passwords.memory_kib", settings.passwords.memory_kib.into()),
        ("passwords.iterations", settings.passwords.iterations.into()),
        (
            "passwords.parallelism",
            settings.passwords.parallelism.into(),
        ),
        (
            "admin.session_idle_minutes",
            settings.admin.session_idle_minutes.into(),
        ),
        ("admin.session_hours", settings.admin.session_hours.into()),
    ]
}

/// Whether `url`'s host is this machine: `localhost`, a 127.0.0.0/8 address or `::1`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// An absolute http(s) URL, or an error naming the setting.
fn http_url(name: &str, text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("{name} '{text}' is not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!(
            "{name} '{text}' must be an http(s) URL, such as https://login.example.com"
        ));
    }
    Ok(url)
}

/// WeChat's API is https; plain http is accepted only on this machine, where a simulator runs (`denglu dev` sets
/// its own and is not checked).
fn wechat_base_url(text: &str, found: &mut Findings) {
    let url = match http_url("wechat.api_base_url", text) {
        Ok(url) => url,
        Err(error) => return found.errors.push(error),
    };
    if url.scheme() == "https" {
        return;
    }
    if is_loopback(&url) {
        found.warnings.push(format!(
            "wechat.api_base_url is {text}: a WeChat simulator on this machine, not WeChat; logins of real WeChat \
             users cannot work"
        ));
    } else {
        found.errors.push(format!(
            "wechat.api_base_url is {text}: WeChat's API must be reached over https (https://api.weixin.qq.com); \
             plain http is accepted only for a simulator on this machine (localhost, 127.0.0.1, ::1)"
        ));
    }
}

/// `public_url` should be set, and https unless it is this machine.
fn public_url(settings: &Settings, found: &mut Findings) {
    let Some(text) = &settings.public_url else {
        found.warnings.push(format!(
            "public_url is not set: tokens are issued for {}, so serving on another address or behind a proxy \
             later invalidates every token issued; set public_url (DENGLU_PUBLIC_URL) to the URL clients use",
            settings.public_url()
        ));
        return;
    };
    match http_url("public_url", text) {
        Ok(url) if url.scheme() == "http" && !is_loopback(&url) => found.warnings.push(format!(
            "public_url is {text}, not https: tokens, pool secrets and QR logins would cross the network in clear; \
             serve behind a TLS proxy and set public_url to its https address"
        )),
        Ok(_) => {}
        Err(error) => found.errors.push(error),
    }
}

/// The metrics endpoint: a token that is not empty, an address of its own that is not the main one.
fn metrics(settings: &Settings, found: &mut Findings) {
    if let Some(token) = &settings.metrics.bearer_token {
        let length = token.expose().trim().chars().count();
        if length == 0 {
            found.errors.push(
                "metrics.bearer_token is empty: anyone could read /metrics; set a long random token (openssl \
                 rand -hex 32) or remove the setting"
                    .to_owned(),
            );
        } else if length < 16 {
            found.warnings.push(format!(
                "metrics.bearer_token has {length} characters: a guessable token lets anyone read /metrics; use \
                 a long random one (openssl rand -hex 32)"
            ));
        }
    }
    let Some(listen) = settings.metrics.listen else {
        return;
    };
    if listen == settings.listen {
        found.errors.push(format!(
            "metrics.listen is {listen}, the main listen address: give /metrics an address of its own, or set \
             metrics.bearer_token to serve it on the main one"
        ));
    } else if !listen.ip().is_loopback() {
        found.warnings.push(format!(
            "metrics.listen is {listen}, not this machine only: /metrics is open to whoever reaches that address; \
             make sure only your monitoring network does"
        ));
    }
}

#[cfg(test)]
mod tests;
