//! Settings: defaults, then a TOML file, then `DENGLU_*` environment variables (`__` for nesting, a `_FILE`
//! suffix to read a value from a file), then flags. `config/denglu.example.toml` documents every field.

use std::{
    fmt,
    net::SocketAddr,
    path::{Path, PathBuf},
};

use denglu_crypto::PasswordHasherParams;
use denglu_server::HttpSettings;
use denglu_wechat::ClientConfig;
use figment::{
    Figment,
    providers::{Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub(crate) mod checks;

const ENV_PREFIX: &str = "DENGLU_";

/// Every setting of the server.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Settings {
    /// Address the server listens on.
    pub(crate) listen: SocketAddr,
    /// The URL clients reach the server at (default `http://<listen>`); token issuers live under it.
    pub(crate) public_url: Option<String>,
    /// The master key: 32 random bytes in base64 (`denglu keygen`). Seals JWT secrets and private keys at rest.
    pub(crate) master_key: Option<Secret>,
    /// A file holding the master key, read at load when `master_key` is not set.
    pub(crate) master_key_file: Option<PathBuf>,
    /// Why the master key's file could not be read at load, if it could not: [`Settings::master_key_text`] tells the
    /// commands that need the key, so that the others run without it.
    #[serde(skip)]
    pub(crate) master_key_unreadable: Option<String>,
    /// Storage.
    pub(crate) database: DatabaseSettings,
    /// HTTP behaviour: body size, CORS, the client address, rate limits, and how long a shutdown waits for the
    /// requests in flight (`shutdown_grace_seconds`, see [`HttpSettings`]).
    pub(crate) http: HttpSettings,
    /// Argon2id cost of password hashing.
    pub(crate) passwords: PasswordHasherParams,
    /// How denglu reaches WeChat's server APIs.
    pub(crate) wechat: ClientConfig,
    /// The deployment's scanner mini program, which opens QR codes.
    pub(crate) scanner: ScannerSettings,
    /// Uploaded files.
    pub(crate) uploads: UploadSettings,
    /// How long expired records are kept.
    pub(crate) retention: RetentionSettings,
    /// Operators' browser sessions.
    pub(crate) admin: AdminSettings,
    /// Logging.
    pub(crate) log: LogSettings,
    /// Where Prometheus reads `/metrics`.
    pub(crate) metrics: MetricsSettings,
}

/// Storage settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct DatabaseSettings {
    /// `sqlite://path/file.db` (one node) or `postgres://user:password@host/db` (any number of replicas).
    pub(crate) url: DatabaseUrl,
    /// Connections in the pool.
    pub(crate) max_connections: u32,
    /// How long a request waits for a database connection before it fails with 503 (code 1000), in milliseconds.
    pub(crate) acquire_timeout_ms: u64,
}

/// The deployment's scanner mini program (its own "小登录"). QR login is off until `appid` and `secret` are set.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ScannerSettings {
    /// Its AppID.
    pub(crate) appid: Option<String>,
    /// Its AppSecret.
    pub(crate) secret: Option<Secret>,
    /// The link prefix registered for it in WeChat's "scan ordinary link QR codes" setting; default
    /// `<public_url>/s/`.
    pub(crate) link_prefix: Option<String>,
    /// The page that confirms a QR login (what mini program codes open).
    pub(crate) confirm_page: String,
}

impl Default for ScannerSettings {
    fn default() -> Self {
        Self {
            appid: None,
            secret: None,
            link_prefix: None,
            confirm_page: "pages/confirm/index".to_owned(),
        }
    }
}

/// Where earlier versions kept uploaded avatars as files (new ones are kept in the database).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct UploadSettings {
    /// The folder whose `avatars/` subfolder holds avatars uploaded before they were kept in the database; they are
    /// still served from it.
    pub(crate) folder: PathBuf,
}

impl Default for UploadSettings {
    fn default() -> Self {
        Self {
            folder: denglu_service::default_uploads_folder().to_path_buf(),
        }
    }
}

/// How long records are kept once they are of no more use.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct RetentionSettings {
    /// How long an expired QR session (with its client address and user agent) or app-login ticket is kept after
    /// it expires, for support, in seconds; `0` deletes it at the next purge (every minute).
    pub(crate) expired_grace_seconds: u64,
    /// How long the audit log keeps an event (admin changes), in days; `0` keeps events for ever.
    pub(crate) audit_log_days: u64,
}

impl Default for RetentionSettings {
    fn default() -> Self {
        Self {
            expired_grace_seconds: 86_400,
            audit_log_days: 365,
        }
    }
}

impl RetentionSettings {
    /// The grace period after expiry.
    pub(crate) fn expired_grace(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.expired_grace_seconds)
    }

    /// How long audit events are kept; `None` for ever.
    pub(crate) fn audit_log(&self) -> Option<std::time::Duration> {
        (self.audit_log_days > 0)
            .then(|| std::time::Duration::from_secs(self.audit_log_days.saturating_mul(86_400)))
    }
}

/// Operators' browser sessions (the admin API's sign-in; admin API tokens have their own expiry).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct AdminSettings {
    /// A session ends after this many minutes without a request.
    pub(crate) session_idle_minutes: u32,
    /// A session ends this many hours after sign-in, however busy.
    pub(crate) session_hours: u32,
}

impl Default for AdminSettings {
    fn default() -> Self {
        Self {
            session_idle_minutes: 30,
            session_hours: 12,
        }
    }
}

impl AdminSettings {
    /// The session timeouts, for the services.
    pub(crate) fn sessions(&self) -> denglu_service::OperatorSessionPolicy {
        denglu_service::OperatorSessionPolicy {
            idle: chrono::TimeDelta::minutes(self.session_idle_minutes.into()),
            absolute: chrono::TimeDelta::hours(self.session_hours.into()),
        }
    }
}

/// Where Prometheus reads `/metrics` (`docs/metrics.md`). With neither field set there is no metrics endpoint.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct MetricsSettings {
    /// An address of its own for `/metrics`, such as `127.0.0.1:9464`: whoever reaches it reads the metrics.
    pub(crate) listen: Option<SocketAddr>,
    /// Also serve `/metrics` on the main address, to requests with `Authorization: Bearer <this token>`.
    pub(crate) bearer_token: Option<Secret>,
}

/// Logging settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct LogSettings {
    /// `text` or `json`.
    pub(crate) format: LogFormat,
    /// A tracing filter, e.g. `info` or `denglu=debug,info`. `RUST_LOG` wins when set.
    pub(crate) filter: String,
    /// Also log a line with its timings (`time.busy`, `time.idle`) when a span the filter lets through closes.
    pub(crate) spans: bool,
}

/// How log lines look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            master_key: None,
            master_key_file: None,
            master_key_unreadable: None,
            database: DatabaseSettings::default(),
            http: HttpSettings::default(),
            passwords: PasswordHasherParams::default(),
            wechat: ClientConfig::default(),
            scanner: ScannerSettings::default(),
            uploads: UploadSettings::default(),
            retention: RetentionSettings::default(),
            admin: AdminSettings::default(),
            log: LogSettings::default(),
            metrics: MetricsSettings::default(),
        }
    }
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        Self {
            url: DatabaseUrl("sqlite://data/denglu.db".to_owned()),
            max_connections: 16,
            acquire_timeout_ms: 2_000,
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            filter: "info".to_owned(),
            spans: false,
        }
    }
}

impl Settings {
    /// The master key's text, if one is set; an error naming the file when its file could not be read.
    pub(crate) fn master_key_text(&self) -> Result<Option<&Secret>, String> {
        match &self.master_key_unreadable {
            Some(why) => Err(why.clone()),
            None => Ok(self.master_key.as_ref()),
        }
    }

    /// The public URL, defaulting to `http://<listen>`.
    pub(crate) fn public_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.listen))
    }
}

/// A secret setting; `Debug` never shows it.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub(crate) fn new(value: String) -> Self {
        Self(value)
    }

    /// The value.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A database URL; `Debug` and `Display` hide its password.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct DatabaseUrl(pub(crate) String);

impl DatabaseUrl {
    /// The full URL, for connecting.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((scheme, rest)) = self.0.split_once("://") else {
            return f.write_str(&self.0);
        };
        match rest.split_once('@') {
            Some((credentials, host)) => {
                let user = credentials.split(':').next().unwrap_or_default();
                write!(f, "{scheme}://{user}:***@{host}")
            }
            None => f.write_str(&self.0),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{self}\"")
    }
}

/// Settings and the warnings met while loading them (logged once logging is up).
pub(crate) struct Loaded {
    pub(crate) settings: Settings,
    pub(crate) warnings: Vec<String>,
}

/// Loads settings from `file` (if any), then `env` (name/value pairs, normally `std::env::vars()`).
/// Flags are applied by the caller afterwards.
pub(crate) fn load(file: Option<&Path>, env: &[(String, String)]) -> Result<Loaded, String> {
    let mut figment = Figment::from(Serialized::defaults(Settings::default()));
    if let Some(file) = file {
        if !file.is_file() {
            return Err(format!("settings file {} does not exist", file.display()));
        }
        figment = figment.merge(Toml::file(file));
    }
    let known = known_env_names();
    let mut warnings = Vec::new();
    let mut master_key_unreadable = None;
    for (name, value) in env.iter().filter(|(name, _)| name.starts_with(ENV_PREFIX)) {
        if name == "DENGLU_CONFIG" {
            continue;
        }
        if let Some(base) = name
            .strip_suffix("_FILE")
            .filter(|base| known.iter().any(|k| k == base))
        {
            match std::fs::read_to_string(value) {
                Ok(content) => {
                    figment = figment.merge((env_key(base), setting_value(content.trim())));
                }
                Err(e) if base == "DENGLU_MASTER_KEY" => {
                    master_key_unreadable = Some(format!("{name}: cannot read {value}: {e}"));
                }
                Err(e) => return Err(format!("{name}: cannot read {value}: {e}")),
            }
        } else if known.iter().any(|k| k == name) {
            figment = figment.merge((env_key(name), setting_value(value)));
        } else {
            warnings.push(format!("ignoring unknown setting variable {name}"));
        }
    }
    let mut settings: Settings = figment
        .extract()
        .map_err(|e| format!("invalid settings: {e}"))?;
    settings.master_key_unreadable = master_key_unreadable;
    if let (None, None, Some(path)) = (
        &settings.master_key,
        &settings.master_key_unreadable,
        &settings.master_key_file,
    ) {
        match std::fs::read_to_string(path) {
            Ok(key) => settings.master_key = Some(Secret::new(key.trim().to_owned())),
            Err(e) => {
                settings.master_key_unreadable = Some(format!(
                    "master_key_file: cannot read {}: {e}",
                    path.display()
                ));
            }
        }
    }
    Ok(Loaded { settings, warnings })
}

/// A variable's text as a setting value: numbers, booleans and `[a, b]` lists are typed, anything else is a string.
fn setting_value(text: &str) -> figment::value::Value {
    text.parse().unwrap_or_else(|never| match never {})
}

/// `DENGLU_DATABASE__URL` → `database.url`.
fn env_key(name: &str) -> String {
    name[ENV_PREFIX.len()..]
        .to_ascii_lowercase()
        .replace("__", ".")
}

/// Every variable name that maps to a setting, derived from the settings' own shape.
fn known_env_names() -> Vec<String> {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(fields) => {
                for (key, inner) in fields {
                    let name = if prefix.is_empty() {
                        key.to_uppercase()
                    } else {
                        format!("{prefix}__{}", key.to_uppercase())
                    };
                    walk(&name, inner, out);
                }
            }
            _ => out.push(format!("{ENV_PREFIX}{prefix}")),
        }
    }
    let mut names = Vec::new();
    let defaults = serde_json::to_value(Settings::default()).expect("settings always serialise");
    walk("", &defaults, &mut names);
    names
}

#[cfg(test)]
mod tests;
