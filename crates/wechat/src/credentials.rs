//! An app's credentials and the per-user session key, both kept out of `Debug` output.

use std::fmt;

/// A mini program's AppID and AppSecret.
#[derive(Clone)]
pub struct AppCredentials {
    appid: String,
    secret: String,
}

impl AppCredentials {
    /// Credentials for the mini program `appid`.
    pub fn new(appid: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            appid: appid.into(),
            secret: secret.into(),
        }
    }

    /// The AppID.
    pub fn appid(&self) -> &str {
        &self.appid
    }

    pub(crate) fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for AppCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppCredentials")
            .field("appid", &self.appid)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// A user's `session_key` as `code2Session` returned it (base64 text). Never send it to a client or log it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionKey(String);

impl SessionKey {
    /// Wraps a session key read from storage.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The key, for decrypting open data or signing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKey([redacted])")
    }
}
