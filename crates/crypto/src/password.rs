//! Argon2id password hashing with configurable cost. Callers run it off the async runtime.

use argon2::{
    Algorithm, Argon2, Params, PasswordHash as PhcHash, PasswordVerifier, Version,
    password_hash::{PasswordHasher as _, SaltString, rand_core::OsRng},
};
use denglu_domain::{Password, PasswordHash};

/// Argon2id cost settings (the `[passwords]` settings table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PasswordHasherParams {
    /// Memory per hash, in KiB.
    pub memory_kib: u32,
    /// Passes over memory.
    pub iterations: u32,
    /// Lanes.
    pub parallelism: u32,
}

impl Default for PasswordHasherParams {
    /// OWASP's recommended Argon2id setting: 19 MiB, 2 passes, 1 lane.
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// Hashes new passwords with the configured cost and checks passwords against any stored Argon2 hash.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    argon2: Argon2<'static>,
    /// A hash of a password nobody knows, checked when the account does not exist so that both answers take as long.
    decoy: String,
}

impl PasswordHasher {
    /// A hasher with these costs; fails when Argon2 refuses them.
    pub fn new(params: PasswordHasherParams) -> Result<Self, String> {
        let params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            None,
        )
        .map_err(|e| format!("invalid Argon2 parameters: {e}"))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let salt = SaltString::generate(&mut OsRng);
        let decoy = argon2
            .hash_password(b"denglu decoy password", &salt)
            .map_err(|e| format!("Argon2 cannot hash with these parameters: {e}"))?
            .to_string();
        Ok(Self { argon2, decoy })
    }

    /// Hashes `password` with a fresh random salt.
    pub fn hash(&self, password: &Password) -> PasswordHash {
        let salt = SaltString::generate(&mut OsRng);
        let phc = self
            .argon2
            .hash_password(password.expose().as_bytes(), &salt)
            .expect("parameters were validated in PasswordHasher::new and salts are always valid")
            .to_string();
        PasswordHash::from_phc(phc)
    }

    /// Whether `password` matches `stored`; an unreadable stored hash never matches.
    pub fn verify(&self, password: &Password, stored: &PasswordHash) -> bool {
        PhcHash::new(stored.as_phc()).is_ok_and(|hash| {
            self.argon2
                .verify_password(password.expose().as_bytes(), &hash)
                .is_ok()
        })
    }

    /// Spends the time of one verification without an account, so unknown users cannot be told apart by timing.
    pub fn verify_decoy(&self, password: &Password) {
        let _ = self.verify(password, &PasswordHash::from_phc(self.decoy.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordHasher {
        PasswordHasher::new(PasswordHasherParams {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        })
        .expect("valid params")
    }

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let hasher = cheap();
        let password = Password::parse("correct horse".to_owned()).expect("valid");
        let hash = hasher.hash(&password);
        assert!(hash.as_phc().starts_with("$argon2id$"));
        assert!(hasher.verify(&password, &hash));
        assert!(!hasher.verify(
            &Password::parse("wrong horse".to_owned()).expect("valid"),
            &hash
        ));
        assert!(!hasher.verify(&password, &PasswordHash::from_phc("garbage".to_owned())));
    }

    #[test]
    fn absurd_parameters_are_refused() {
        assert!(
            PasswordHasher::new(PasswordHasherParams {
                memory_kib: 1,
                iterations: 0,
                parallelism: 1
            })
            .is_err()
        );
    }
}
