//! Argon2id password hashing with configurable cost. Callers run it off the async runtime; at most one hash per
//! CPU core runs at once, each in a reused memory buffer, so memory for hashing stays at cores × `memory_kib`.

use std::{hint::black_box, num::NonZeroUsize, sync::Arc, thread};

use argon2::{
    Algorithm, Argon2, Params, PasswordHash as PhcHash, Version,
    password_hash::{
        self, Output, ParamsString, PasswordHasher as _, Salt, SaltString, rand_core::OsRng,
    },
};
use denglu_domain::{Password, PasswordHash};
use memory_pool::MemoryPool;
use subtle::ConstantTimeEq;

mod memory_pool;

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
///
/// Clones share one [`MemoryPool`], so the bound on concurrent hashes and their memory holds server-wide.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    argon2: Argon2<'static>,
    /// A hash of a password nobody knows, checked when the account does not exist so that both answers take as long.
    decoy: String,
    memory: Arc<MemoryPool>,
}

impl PasswordHasher {
    /// A hasher with these costs that runs at most one hash per CPU core at once; fails when Argon2 refuses them.
    pub fn new(params: PasswordHasherParams) -> Result<Self, String> {
        let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
        Self::with_concurrency(params, cores)
    }

    /// A hasher with these costs that runs at most `concurrency` hashes at once.
    fn with_concurrency(params: PasswordHasherParams, concurrency: usize) -> Result<Self, String> {
        let params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            None,
        )
        .map_err(|e| format!("invalid Argon2 parameters: {e}"))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        // The decoy goes through the stock API with a buffer of its own, so no pooled buffer exists before the
        // first login.
        let salt = SaltString::generate(&mut OsRng);
        let decoy = argon2
            .hash_password(b"denglu decoy password", &salt)
            .map_err(|e| format!("Argon2 cannot hash with these parameters: {e}"))?
            .to_string();
        let memory = Arc::new(MemoryPool::new(argon2.params().block_count(), concurrency));
        Ok(Self {
            argon2,
            decoy,
            memory,
        })
    }

    /// Hashes `password` with a fresh random salt, as a standard PHC string (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).
    ///
    /// Blocks the calling thread while every hashing slot is busy.
    pub fn hash(&self, password: &Password) -> PasswordHash {
        let phc = self
            .hash_phc(password.expose().as_bytes())
            .expect("parameters were validated in PasswordHasher::new and salts are always valid");
        PasswordHash::from_phc(phc)
    }

    /// Whether `password` matches `stored`, whatever Argon2 parameters it was made with; an unreadable stored
    /// hash never matches. Blocks the calling thread while every hashing slot is busy.
    pub fn verify(&self, password: &Password, stored: &PasswordHash) -> bool {
        self.matches(password.expose().as_bytes(), stored.as_phc())
            .unwrap_or(false)
    }

    /// Spends the time of one verification without an account, so unknown users cannot be told apart by timing.
    pub fn verify_decoy(&self, password: &Password) {
        let _ = self.matches(password.expose().as_bytes(), &self.decoy);
    }

    fn hash_phc(&self, password: &[u8]) -> password_hash::Result<String> {
        let salt = SaltString::generate(&mut OsRng);
        let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
        let salt_bytes = salt.as_salt().decode_b64(&mut salt_bytes)?;
        let params = self.argon2.params();
        let output_len = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
        let mut output = DerivedKey::new(output_len)?;
        self.derive(&self.argon2, password, salt_bytes, output.bytes_mut())?;
        let phc = PhcHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(params)?,
            salt: Some(salt.as_salt()),
            hash: Some(Output::new(output.bytes_mut())?),
        };
        Ok(phc.to_string())
    }

    /// Recomputes `stored` (a PHC string) from `password` with the stored algorithm, version, parameters and salt,
    /// and compares the outputs in constant time.
    fn matches(&self, password: &[u8], stored: &str) -> password_hash::Result<bool> {
        let stored = PhcHash::new(stored)?;
        let (Some(salt), Some(expected)) = (stored.salt, &stored.hash) else {
            return Err(password_hash::Error::PhcStringField);
        };
        let algorithm = Algorithm::try_from(stored.algorithm)?;
        let version = stored
            .version
            .map_or(Ok(Version::default()), Version::try_from)?;
        let argon2 = Argon2::new(algorithm, version, Params::try_from(&stored)?);
        let mut salt_bytes = [0u8; Salt::MAX_LENGTH];
        let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
        let mut computed = DerivedKey::new(expected.len())?;
        self.derive(&argon2, password, salt_bytes, computed.bytes_mut())?;
        Ok(computed.bytes_mut().ct_eq(expected.as_bytes()).into())
    }

    /// Runs `argon2` in working memory lent by the pool, waiting for a free slot first.
    fn derive(
        &self,
        argon2: &Argon2<'_>,
        password: &[u8],
        salt: &[u8],
        out: &mut [u8],
    ) -> argon2::Result<()> {
        let mut lease = self.memory.lend(argon2.params().block_count());
        argon2.hash_password_into_with_memory(password, salt, out, lease.blocks_mut())
    }
}

/// An Argon2 output on the stack (at most [`Output::MAX_LENGTH`] bytes), wiped when dropped.
struct DerivedKey {
    bytes: [u8; Output::MAX_LENGTH],
    len: usize,
}

impl DerivedKey {
    fn new(len: usize) -> password_hash::Result<Self> {
        if len > Output::MAX_LENGTH {
            return Err(password_hash::Error::OutputSize {
                provided: std::cmp::Ordering::Greater,
                expected: Output::MAX_LENGTH,
            });
        }
        Ok(Self {
            bytes: [0; Output::MAX_LENGTH],
            len,
        })
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        &mut self.bytes[..self.len]
    }
}

impl Drop for DerivedKey {
    fn drop(&mut self) {
        self.bytes.fill(0);
        black_box(&self.bytes);
    }
}

#[cfg(test)]
mod tests;
