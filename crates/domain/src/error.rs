//! Errors raised when a value breaks a domain rule.

/// A value that does not satisfy a domain rule. Messages are safe to show to API clients.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// An id that is not 24 lowercase or uppercase hex characters.
    #[error("{what} must be 24 hexadecimal characters")]
    InvalidId {
        /// Which id ("userPoolId", "user id", …).
        what: &'static str,
    },
    /// An e-mail address that does not look like one.
    #[error("the e-mail address is not valid")]
    InvalidEmail,
    /// A username outside the allowed length or alphabet.
    #[error("a username has 1 to 64 characters and no spaces, '@' or control characters")]
    InvalidUsername,
    /// An operator name outside the allowed length or alphabet.
    #[error("an operator name has 1 to 64 characters of a-z, 0-9, '.', '_' and '-'")]
    InvalidOperatorName,
    /// A password that is too short or too long.
    #[error("a password has 6 to 128 characters")]
    InvalidPassword,
    /// A sign-up with neither a username nor an e-mail.
    #[error("give a username or an e-mail address")]
    MissingAccountName,
    /// A pool name outside the allowed length.
    #[error("a pool name has 1 to 100 characters")]
    InvalidPoolName,
    /// A token lifetime outside the allowed range.
    #[error("a token lifetime is between 60 seconds and 365 days")]
    InvalidTokenLifetime,
    /// A WeChat AppID that is not `wx` followed by 16 hexadecimal characters.
    #[error("a WeChat AppID is 'wx' followed by 16 hexadecimal characters")]
    InvalidAppId,
    /// A WeChat app name that is empty, too long or has control characters.
    #[error("an app name has 1 to 64 characters and no control characters")]
    InvalidAppName,
    /// A field of an application (OIDC client) that breaks a rule; `field` is its camelCase name on the admin API.
    #[error("{field}: {reason}")]
    InvalidClient {
        /// The field.
        field: &'static str,
        /// What is wrong, safe to show.
        reason: String,
    },
    /// A QR poll secret (`random`) of the wrong length or alphabet.
    #[error("random must be 12 to 64 characters of 0-9, A-Z, a-z, '_' and '-'")]
    InvalidPollSecret,
    /// A code challenge that is not 43 characters of unpadded base64url.
    #[error(
        "codeChallenge is BASE64URL(SHA-256(code_verifier)) without padding: 43 characters of A-Z, a-z, 0-9, '-' and '_'"
    )]
    InvalidCodeChallenge,
    /// A callback URL that is not an absolute http(s) URL.
    #[error("a callback URL is an absolute http:// or https:// URL")]
    InvalidCallbackUrl,
    /// A QR code or ticket lifetime outside the allowed range.
    #[error("a QR code or an app ticket lives between 30 and 600 seconds")]
    InvalidShortLifetime,
    /// An unknown JWT algorithm name.
    #[error("unknown JWT algorithm '{0}': use HS256, RS256 or ES256")]
    UnknownAlgorithm(String),
    /// An unknown registration policy name.
    #[error("unknown registration policy '{0}': use open, login-only or match-verified-phone")]
    UnknownRegistrationPolicy(String),
}
