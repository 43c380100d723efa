//! Random secrets (pool secrets, tickets) and their one-way hashes, compared in constant time.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use denglu_domain::SecretHash;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// `bytes` random bytes from the OS generator, base64url without padding.
pub fn random_token(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

/// SHA-256 of a high-entropy secret. Enough for random secrets; passwords use Argon2id instead.
pub fn hash_secret(secret: &str) -> SecretHash {
    SecretHash::from_bytes(Sha256::digest(secret.as_bytes()).into())
}

/// Whether `candidate` hashes to `expected`, compared in constant time.
pub fn secret_matches(candidate: &str, expected: &SecretHash) -> bool {
    hash_secret(candidate)
        .as_bytes()
        .ct_eq(expected.as_bytes())
        .into()
}

/// Whether a PKCE `verifier` (43–128 characters) hashes to `challenge`: `BASE64URL(SHA-256(verifier))` (RFC 7636
/// §4.6, method S256), compared in constant time.
pub fn pkce_verifier_matches(verifier: &str, challenge: &str) -> bool {
    if !(43..=128).contains(&verifier.len()) {
        return false;
    }
    let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    digest.as_bytes().ct_eq(challenge.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_match_only_their_hash() {
        let a = random_token(32);
        let b = random_token(32);
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        let hash = hash_secret(&a);
        assert!(secret_matches(&a, &hash));
        assert!(!secret_matches(&b, &hash));
        assert!(!secret_matches("", &hash));
    }

    #[test]
    fn a_pkce_verifier_matches_its_s256_challenge_only() {
        // RFC 7636, Appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(pkce_verifier_matches(verifier, challenge));
        assert!(!pkce_verifier_matches(challenge, challenge));
        assert!(
            !pkce_verifier_matches(&verifier[..42], challenge),
            "too short"
        );
    }
}
