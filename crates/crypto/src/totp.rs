//! Time-based one-time passwords (RFC 6238 as authenticator apps use it: HMAC-SHA-1, six digits, 30-second steps, one
//! step of clock skew either side) over `totp-rs`: the second factor of operators. A check answers which step matched,
//! so that the caller can refuse the same code twice.

use std::fmt;

use rand::RngCore;
use totp_rs::{Builder, Secret, Totp};

/// Bytes of a new secret: 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;

/// Why a one-time password secret could not be used.
#[derive(Debug, thiserror::Error)]
#[error("the one-time password secret or its labels are invalid: {0}")]
pub struct TotpError(String);

/// An authenticator's shared secret. Never printed.
#[derive(Clone)]
pub struct TotpSecret(Vec<u8>);

impl TotpSecret {
    /// A new random secret.
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::thread_rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// A secret as stored (after opening its sealed form).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// A secret in base32, as [`TotpSecret::base32`] writes it.
    pub fn from_base32(text: &str) -> Result<Self, TotpError> {
        Secret::try_from_base32(text)
            .map(|secret| Self(secret.as_bytes().to_vec()))
            .map_err(|e| TotpError(e.to_string()))
    }

    /// The raw secret, to seal for storage.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The secret in base32, for typing into an authenticator app by hand.
    pub fn base32(&self) -> String {
        Secret::from(self.0.as_slice()).to_base32()
    }

    /// The `otpauth://totp/…` URI an authenticator app reads from a QR code, labelled `issuer:account`. Neither
    /// label may contain `:`.
    pub fn uri(&self, issuer: &str, account: &str) -> Result<String, TotpError> {
        let totp = Builder::new()
            .with_secret(self.0.as_slice())
            .with_issuer(Some(issuer))
            .with_account_name(account)
            .build()
            .map_err(|e| TotpError(e.to_string()))?;
        totp.to_url().map_err(|e| TotpError(e.to_string()))
    }

    /// The step (30-second period since the Unix epoch) whose code `code` is, among the step of `unix_seconds` and
    /// its two neighbours; `None` when it is none of them or not six digits.
    pub fn matching_step(&self, code: &str, unix_seconds: u64) -> Option<u64> {
        self.totp().ok()?.check(code.trim(), unix_seconds)
    }

    /// The code of the step holding `unix_seconds`.
    pub fn code_at(&self, unix_seconds: u64) -> Result<String, TotpError> {
        Ok(self.totp()?.generate(unix_seconds).to_string())
    }

    fn totp(&self) -> Result<Totp, TotpError> {
        Builder::new()
            .with_secret(self.0.as_slice())
            .build()
            .map_err(|e| TotpError(e.to_string()))
    }
}

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B's SHA-1 secret and the low six digits of its published codes.
    const RFC_SECRET: &[u8] = b"12345678901234567890";

    #[test]
    fn codes_follow_rfc_6238() {
        let secret = TotpSecret::from_bytes(RFC_SECRET.to_vec());
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(
                secret.code_at(time).expect("valid secret"),
                code,
                "at {time}"
            );
        }
    }

    #[test]
    fn a_check_accepts_one_step_of_skew_and_names_the_step() {
        let secret = TotpSecret::generate();
        let now = 1_800_000_000;
        let current = secret.code_at(now).expect("valid");
        let previous = secret.code_at(now - 30).expect("valid");
        let old = secret.code_at(now - 90).expect("valid");
        assert_eq!(secret.matching_step(&current, now), Some(now / 30));
        assert_eq!(secret.matching_step(&previous, now), Some(now / 30 - 1));
        if old != current && old != previous {
            assert_eq!(secret.matching_step(&old, now), None);
        }
        assert_eq!(secret.matching_step("12345", now), None);
        assert_eq!(secret.matching_step("abcdef", now), None);
    }

    #[test]
    fn the_uri_carries_issuer_account_and_base32_secret() {
        let secret = TotpSecret::from_bytes(RFC_SECRET.to_vec());
        let uri = secret.uri("denglu", "alice").expect("valid labels");
        assert!(uri.starts_with("otpauth://totp/denglu:alice?"), "{uri}");
        assert!(
            uri.contains(&format!("secret={}", secret.base32())),
            "{uri}"
        );
        assert!(uri.contains("issuer=denglu"), "{uri}");
        assert!(secret.uri("denglu", "a:b").is_err());
        assert!(!format!("{secret:?}").contains("GEZD"));
    }
}
