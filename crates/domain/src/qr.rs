//! QR login sessions (flow A): what a browser asked for, who scanned it, and the rules of its life cycle.

use chrono::{DateTime, Duration, Utc};

use crate::{AppId, DomainError, PoolId, Sealed, SecretHash, UserId};

/// Where a QR session is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrState {
    /// Shown, not scanned yet.
    Pending,
    /// A WeChat user scanned it and sees the confirm page.
    Scanned,
    /// The user confirmed; the browser has not collected the result yet.
    Confirmed,
    /// The browser collected the result (the token left the server, once).
    Claimed,
    /// The user refused.
    Cancelled,
}

impl QrState {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Scanned => "scanned",
            Self::Confirmed => "confirmed",
            Self::Claimed => "claimed",
            Self::Cancelled => "cancelled",
        }
    }

    /// Reads a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Pending,
            Self::Scanned,
            Self::Confirmed,
            Self::Claimed,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|state| state.as_str() == name)
    }
}

/// The browser's poll secret (`random`): 12–64 characters of `[0-9A-Za-z_-]`. Only its hash is stored.
#[derive(Clone, PartialEq, Eq)]
pub struct PollSecret(String);

impl PollSecret {
    /// Checks the shape of a `random`.
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let allowed = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
        if (12..=64).contains(&value.len()) && value.bytes().all(allowed) {
            Ok(Self(value.to_owned()))
        } else {
            Err(DomainError::InvalidPollSecret)
        }
    }

    /// The secret text, for hashing.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PollSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PollSecret([redacted])")
    }
}

/// Who asks: the browser that asked for a QR (shown on the confirm page so the user can tell a phishing page from
/// their own browser), or the client of a login attempt (in the audit log).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Requester {
    /// The browser's address.
    pub ip: Option<String>,
    /// The browser's `User-Agent`.
    pub user_agent: Option<String>,
}

/// The WeChat user who scanned, and how to recognise them again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scanner {
    /// The mini program they scanned with.
    pub appid: AppId,
    /// Their openid in it.
    pub openid: String,
    /// Their unionid, when the mini program is bound to an open platform account.
    pub unionid: Option<String>,
    /// Their session key, sealed with context [`QrSession::session_key_context`]; for `encryptedData`.
    pub session_key: Sealed,
    /// Hash of the scan token handed to their mini program; confirm and cancel must present it.
    pub scan_token: SecretHash,
    /// Nickname they chose to show, if any.
    pub nickname: Option<String>,
    /// Avatar URL they chose to show, if any.
    pub avatar: Option<String>,
    /// When they scanned.
    pub at: DateTime<Utc>,
}

/// A QR login session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrSession {
    /// Scene id: what the QR encodes (22 characters, 128 random bits). Public: anyone who sees the QR knows it.
    pub scene: String,
    /// The pool.
    pub pool_id: PoolId,
    /// Hash of the browser's poll secret: only the browser that asked can collect the result.
    pub poll_secret: SecretHash,
    /// Where it is in its life.
    pub state: QrState,
    /// Whether the browser asked for the phone number (`enableFetchPhone`).
    pub phone_requested: bool,
    /// Whether the browser asked for the pool's own mini program (`useSelfWxapp`).
    pub use_self_wxapp: bool,
    /// Who asked.
    pub requester: Requester,
    /// Who scanned, once someone has.
    pub scanner: Option<Scanner>,
    /// The user the session logs in, once confirmed.
    pub user_id: Option<UserId>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
    /// After this it can no longer be scanned, confirmed or collected.
    pub expires_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

impl QrSession {
    /// A new pending session living `lifetime`.
    pub fn start(
        scene: String,
        pool_id: PoolId,
        poll_secret: SecretHash,
        options: QrOptions,
        requester: Requester,
        lifetime: Duration,
        now: DateTime<Utc>,
    ) -> Self {
        Self {
            scene,
            pool_id,
            poll_secret,
            state: QrState::Pending,
            phone_requested: options.phone_requested,
            use_self_wxapp: options.use_self_wxapp,
            requester,
            scanner: None,
            user_id: None,
            created_at: now,
            expires_at: now + lifetime,
            updated_at: now,
        }
    }

    /// Whether the session is past its lifetime at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires_at
    }

    /// The sealing context of a scanner's session key.
    pub fn session_key_context(scene: &str) -> String {
        format!("qr-session-key:{scene}")
    }
}

/// What the browser asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QrOptions {
    /// `enableFetchPhone`.
    pub phone_requested: bool,
    /// `useSelfWxapp`.
    pub use_self_wxapp: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poll_secrets_are_12_to_64_safe_characters() {
        assert!(PollSecret::parse("abcDEF012345").is_ok());
        assert!(PollSecret::parse(&"a_-".repeat(21)).is_ok());
        for bad in [
            "short",
            "has space here",
            "ünïcødé-chars",
            &"a".repeat(65),
            "abc/def/ghi/jkl",
        ] {
            assert_eq!(
                PollSecret::parse(bad),
                Err(DomainError::InvalidPollSecret),
                "{bad}"
            );
        }
    }

    #[test]
    fn states_round_trip_through_their_names() {
        for state in [
            QrState::Pending,
            QrState::Scanned,
            QrState::Confirmed,
            QrState::Claimed,
            QrState::Cancelled,
        ] {
            assert_eq!(QrState::parse(state.as_str()), Some(state));
        }
        assert_eq!(QrState::parse("expired"), None);
    }
}
