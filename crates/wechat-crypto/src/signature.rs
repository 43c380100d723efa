//! The `rawData` signature (SHA-1) and the login-state signature (HMAC-SHA256), both keyed with the
//! session_key as the base64 string WeChat returns, never its decoded bytes.

use hmac::{Hmac, Mac};
use sha1::{Digest, Sha1};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::SignatureError;

/// The signature WeChat gives with `rawData`: lowercase hex of `sha1(rawData + session_key)`.
pub fn raw_data_signature(raw_data: &str, session_key: &str) -> String {
    hex::encode(raw_data_digest(raw_data, session_key))
}

/// Checks a `rawData` signature (hex, either case) in constant time.
pub fn verify_raw_data_signature(
    raw_data: &str,
    session_key: &str,
    signature: &str,
) -> Result<(), SignatureError> {
    compare(&raw_data_digest(raw_data, session_key), signature)
}

/// The login-state signature of checkSessionKey and friends: lowercase hex of
/// `hmac_sha256(key = session_key string bytes, message = body)`. The body of a GET request is empty.
pub fn login_state_signature(session_key: &str, body: &[u8]) -> String {
    hex::encode(login_state_digest(session_key, body))
}

/// Checks a login-state signature (hex, either case) in constant time.
pub fn verify_login_state_signature(
    session_key: &str,
    body: &[u8],
    signature: &str,
) -> Result<(), SignatureError> {
    compare(&login_state_digest(session_key, body), signature)
}

/// `sha1(rawData + session_key)`.
fn raw_data_digest(raw_data: &str, session_key: &str) -> [u8; 20] {
    let mut hasher = Sha1::new();
    hasher.update(raw_data.as_bytes());
    hasher.update(session_key.as_bytes());
    hasher.finalize().into()
}

/// `hmac_sha256(session_key string bytes, body)`.
fn login_state_digest(session_key: &str, body: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(session_key.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// Hex-decodes `signature` and compares it with `expected` in constant time.
fn compare(expected: &[u8], signature: &str) -> Result<(), SignatureError> {
    let given = hex::decode(signature).map_err(|_| SignatureError::Malformed)?;
    if given.len() != expected.len() {
        return Err(SignatureError::Malformed);
    }
    if bool::from(given.ct_eq(expected)) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}
