//! What may appear in logs instead of one-time codes.

use sha2::{Digest, Sha256};

/// A short, stable fingerprint of a login or phone code: enough to correlate log lines, useless to replay.
pub(crate) fn fingerprint(code: &str) -> String {
    let digest = Sha256::digest(code.as_bytes());
    hex::encode(&digest[..6])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_short_stable_and_do_not_contain_the_code() {
        let code = "0716AVll20uHk94SLDml27etM946AVlq";
        assert_eq!(fingerprint(code), fingerprint(code));
        assert_eq!(fingerprint(code).len(), 12);
        assert!(!fingerprint(code).contains("0716"));
        assert_ne!(
            fingerprint(code),
            fingerprint("0716AVll20uHk94SLDml27etM946AVlr")
        );
    }
}
