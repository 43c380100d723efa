//! User pools: the tenant every user, token and setting belongs to.

use std::{fmt, str::FromStr};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::{DomainError, PoolId, SecretHash};

/// A user pool as stored. Its readable secrets (JWT secret, private keys) live in the signing keys, sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pool {
    /// The pool id (`userPoolId`).
    pub id: PoolId,
    /// A human name, shown on confirm pages and in the console.
    pub name: PoolName,
    /// Hash of the pool secret; the secret itself is shown once and never stored.
    pub secret_hash: SecretHash,
    /// The algorithm user tokens are signed with, and the only one accepted when verifying them.
    pub jwt_algorithm: JwtAlgorithm,
    /// How long a user token lives.
    pub token_lifetime: TokenLifetime,
    /// Who may sign up.
    pub registration_policy: RegistrationPolicy,
    /// When the pool was created.
    pub created_at: DateTime<Utc>,
    /// When a setting or the secret last changed.
    pub updated_at: DateTime<Utc>,
}

/// `raw` trimmed, when that is 1 to `max` characters without control characters: the rule for the names people
/// give pools, WeChat apps and applications.
pub(crate) fn display_name(raw: &str, max: usize) -> Option<String> {
    let name = raw.trim();
    ((1..=max).contains(&name.chars().count()) && !name.chars().any(char::is_control))
        .then(|| name.to_owned())
}

/// A pool's display name: 1 to 100 characters after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PoolName(String);

impl PoolName {
    /// Trims and checks the length.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        display_name(raw, 100)
            .map(Self)
            .ok_or(DomainError::InvalidPoolName)
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PoolName {
    type Error = DomainError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<PoolName> for String {
    fn from(name: PoolName) -> Self {
        name.0
    }
}

/// JWT signing algorithms a pool can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum JwtAlgorithm {
    /// HMAC-SHA256 with the pool's JWT secret: what Authing-era backends verify locally.
    HS256,
    /// RSA PKCS#1 v1.5 with SHA-256, 2048-bit keys, published as JWKS.
    RS256,
    /// ECDSA P-256 with SHA-256, published as JWKS. The default: cheap to sign, small tokens.
    #[default]
    ES256,
}

impl JwtAlgorithm {
    /// The JOSE name (`HS256`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::HS256 => "HS256",
            Self::RS256 => "RS256",
            Self::ES256 => "ES256",
        }
    }

    /// Whether the verification key can be published.
    pub fn is_asymmetric(self) -> bool {
        !matches!(self, Self::HS256)
    }
}

impl fmt::Display for JwtAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for JwtAlgorithm {
    type Err = DomainError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw.to_ascii_uppercase().as_str() {
            "HS256" => Ok(Self::HS256),
            "RS256" => Ok(Self::RS256),
            "ES256" => Ok(Self::ES256),
            _ => Err(DomainError::UnknownAlgorithm(raw.to_owned())),
        }
    }
}

/// Lifetime of a user token: 60 seconds to 365 days; 15 days by default, as Authing documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetime(u32);

impl TokenLifetime {
    const MIN_SECONDS: u32 = 60;
    const MAX_SECONDS: u32 = 365 * 24 * 3600;
    const DEFAULT_SECONDS: u32 = 15 * 24 * 3600;

    /// Checks a lifetime given in seconds.
    pub fn from_seconds(seconds: i64) -> Result<Self, DomainError> {
        u32::try_from(seconds)
            .ok()
            .filter(|s| (Self::MIN_SECONDS..=Self::MAX_SECONDS).contains(s))
            .map(Self)
            .ok_or(DomainError::InvalidTokenLifetime)
    }

    /// Parses `3600`, `3600s`, `90m`, `12h` or `15d`.
    pub fn parse_human(raw: &str) -> Result<Self, DomainError> {
        let raw = raw.trim();
        let (digits, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
            Some(at) => raw.split_at(at),
            None => (raw, "s"),
        };
        let factor = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86_400,
            _ => return Err(DomainError::InvalidTokenLifetime),
        };
        let count: i64 = digits
            .parse()
            .map_err(|_| DomainError::InvalidTokenLifetime)?;
        Self::from_seconds(count.saturating_mul(factor))
    }

    /// The lifetime in seconds.
    pub fn seconds(self) -> u32 {
        self.0
    }

    /// The lifetime as a duration.
    pub fn duration(self) -> Duration {
        Duration::seconds(i64::from(self.0))
    }
}

impl Default for TokenLifetime {
    fn default() -> Self {
        Self(Self::DEFAULT_SECONDS)
    }
}

/// Who may create an account in a pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RegistrationPolicy {
    /// Anyone may sign up (the default).
    #[default]
    Open,
    /// Only existing users may log in; sign-up is refused.
    LoginOnly,
    /// A new WeChat identity is attached to the existing user with the same server-verified phone; nobody else signs up.
    MatchVerifiedPhone,
}

impl RegistrationPolicy {
    /// The setting's name (`open`, `login-only`, `match-verified-phone`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::LoginOnly => "login-only",
            Self::MatchVerifiedPhone => "match-verified-phone",
        }
    }

    /// Whether a brand-new account may be created (password sign-up or a WeChat identity with no matching user).
    pub fn allows_sign_up(self) -> bool {
        matches!(self, Self::Open)
    }
}

impl fmt::Display for RegistrationPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for RegistrationPolicy {
    type Err = DomainError;
    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        match raw {
            "open" => Ok(Self::Open),
            "login-only" => Ok(Self::LoginOnly),
            "match-verified-phone" => Ok(Self::MatchVerifiedPhone),
            _ => Err(DomainError::UnknownRegistrationPolicy(raw.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_lifetimes_parse_units_and_enforce_bounds() {
        assert_eq!(
            TokenLifetime::parse_human("15d").map(TokenLifetime::seconds),
            Ok(1_296_000)
        );
        assert_eq!(
            TokenLifetime::parse_human("90m").map(TokenLifetime::seconds),
            Ok(5400)
        );
        assert_eq!(
            TokenLifetime::parse_human("3600").map(TokenLifetime::seconds),
            Ok(3600)
        );
        assert_eq!(TokenLifetime::default().seconds(), 1_296_000);
        for bad in ["59", "366d", "", "d", "10w", "-5m"] {
            assert_eq!(
                TokenLifetime::parse_human(bad),
                Err(DomainError::InvalidTokenLifetime),
                "{bad}"
            );
        }
    }

    #[test]
    fn algorithms_and_policies_round_trip_through_their_names() {
        for alg in [
            JwtAlgorithm::HS256,
            JwtAlgorithm::RS256,
            JwtAlgorithm::ES256,
        ] {
            assert_eq!(alg.as_str().parse::<JwtAlgorithm>(), Ok(alg));
        }
        assert!("none".parse::<JwtAlgorithm>().is_err());
        for policy in [
            RegistrationPolicy::Open,
            RegistrationPolicy::LoginOnly,
            RegistrationPolicy::MatchVerifiedPhone,
        ] {
            assert_eq!(policy.as_str().parse::<RegistrationPolicy>(), Ok(policy));
        }
    }

    #[test]
    fn pool_names_are_trimmed_and_bounded() {
        assert_eq!(
            PoolName::parse("  Demo ").map(|n| n.as_str().to_owned()),
            Ok("Demo".to_owned())
        );
        assert!(PoolName::parse("   ").is_err());
        assert!(PoolName::parse(&"x".repeat(101)).is_err());
    }
}
