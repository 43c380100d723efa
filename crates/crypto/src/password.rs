//! Argon2id password hashing with configurable cost. Callers run it off the async runtime; at most one hash per
//! CPU core runs at once, each in a reused memory buffer, so memory for hashing stays at cores × `memory_kib`.

use std::{
    hint::black_box,
    num::NonZeroUsize,
    sync::{Arc, Condvar, Mutex, PoisonError},
    thread,
};

use argon2::{
    Algorithm, Argon2, Block, Params, PasswordHash as PhcHash, Version,
    password_hash::{
        self, Output, ParamsString, PasswordHasher as _, Salt, SaltString, rand_core::OsRng,
    },
};
use denglu_domain::{Password, PasswordHash};
use subtle::ConstantTimeEq;

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

/// Argon2 working memory for at most `concurrency` hashes at once.
///
/// A hash takes a slot, waiting on a condition variable while all are busy, and a buffer: an idle pooled one, or a
/// new one while fewer than `concurrency` exist. Pooled buffers have the configured size and are kept for reuse, so
/// glibc's per-thread arenas never pile up freed 19 MiB buffers. A stored hash that needs more memory than that
/// (an older, higher cost) gets a temporary buffer of its own size, freed afterwards; one that needs less uses the
/// front of a pooled buffer.
struct MemoryPool {
    /// Blocks in a pooled buffer: what the configured parameters need.
    pooled_blocks: usize,
    /// How many hashes may run at once, and so how many pooled buffers may ever exist.
    concurrency: usize,
    state: Mutex<PoolState>,
    /// Signalled each time a hash finishes and frees its slot.
    slot_freed: Condvar,
}

#[derive(Default)]
struct PoolState {
    /// Hashes running now; never more than `concurrency`.
    running: usize,
    /// Pooled buffers not lent out, wiped.
    idle: Vec<Vec<Block>>,
    /// Pooled buffers that exist, idle or lent out: never more than `concurrency`, since one is allocated only when
    /// every existing one is lent to a running hash.
    #[cfg(test)]
    allocated: usize,
    /// The most hashes that ever ran at once.
    #[cfg(test)]
    peak_running: usize,
}

impl MemoryPool {
    fn new(pooled_blocks: usize, concurrency: usize) -> Self {
        Self {
            pooled_blocks,
            concurrency: concurrency.max(1),
            state: Mutex::new(PoolState::default()),
            slot_freed: Condvar::new(),
        }
    }

    /// Waits for a free slot and lends `blocks` blocks of working memory until the lease is dropped.
    fn lend(&self, blocks: usize) -> Lease<'_> {
        let state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let mut state = self
            .slot_freed
            .wait_while(state, |state| state.running >= self.concurrency)
            .unwrap_or_else(PoisonError::into_inner);
        state.running += 1;
        let pooled = blocks <= self.pooled_blocks;
        let reused = if pooled { state.idle.pop() } else { None };
        #[cfg(test)]
        {
            state.peak_running = state.peak_running.max(state.running);
            state.allocated += usize::from(pooled && reused.is_none());
        }
        drop(state);
        let buffer = reused.unwrap_or_else(|| {
            let size = if pooled { self.pooled_blocks } else { blocks };
            vec![Block::new(); size]
        });
        Lease {
            pool: self,
            buffer,
            used: blocks,
            pooled,
        }
    }
}

impl std::fmt::Debug for MemoryPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryPool")
            .field("pooled_blocks", &self.pooled_blocks)
            .field("concurrency", &self.concurrency)
            .finish_non_exhaustive()
    }
}

/// A hashing slot and its working memory; dropping it wipes the memory and frees the slot.
struct Lease<'a> {
    pool: &'a MemoryPool,
    buffer: Vec<Block>,
    /// Blocks this hash uses, from the front of `buffer`.
    used: usize,
    /// Whether `buffer` goes back to the pool (otherwise it is freed).
    pooled: bool,
}

impl Lease<'_> {
    fn blocks_mut(&mut self) -> &mut [Block] {
        &mut self.buffer[..self.used]
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        // Left in memory, the blocks of a cheap hash (one pass) would let a guessed password be checked without
        // redoing Argon2's work. Wiping costs about 4% of a hash.
        self.buffer[..self.used].fill(Block::new());
        let buffer = black_box(std::mem::take(&mut self.buffer));
        // A temporary buffer is freed here, before its slot is.
        let returned = self.pooled.then_some(buffer);
        let mut state = self
            .pool
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        state.running -= 1;
        state.idle.extend(returned);
        drop(state);
        self.pool.slot_freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::{
        sync::{Barrier, mpsc},
        time::Duration,
    };

    use argon2::PasswordVerifier as _;

    use super::*;

    const CHEAP: PasswordHasherParams = PasswordHasherParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };

    fn cheap() -> PasswordHasher {
        PasswordHasher::new(CHEAP).expect("valid params")
    }

    fn password(text: &str) -> Password {
        Password::parse(text.to_owned()).expect("valid")
    }

    /// The stock argon2 crate with these costs, as the old code hashed and verified.
    fn stock(
        algorithm: Algorithm,
        m: u32,
        t: u32,
        p: u32,
        output_len: Option<usize>,
    ) -> Argon2<'static> {
        let params = Params::new(m, t, p, output_len).expect("valid params");
        Argon2::new(algorithm, Version::V0x13, params)
    }

    fn stock_hash(argon2: &Argon2<'_>, password: &str) -> PasswordHash {
        let salt = SaltString::generate(&mut OsRng);
        let phc = argon2
            .hash_password(password.as_bytes(), &salt)
            .expect("hashes")
            .to_string();
        PasswordHash::from_phc(phc)
    }

    impl PasswordHasher {
        fn pool<T>(&self, read: impl FnOnce(&PoolState) -> T) -> T {
            read(&self.memory.state.lock().expect("not poisoned"))
        }
    }

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let hasher = cheap();
        let hash = hasher.hash(&password("correct horse"));
        assert!(hash.as_phc().starts_with("$argon2id$"));
        assert!(hasher.verify(&password("correct horse"), &hash));
        assert!(!hasher.verify(&password("wrong horse"), &hash));
    }

    #[test]
    fn a_new_hash_is_a_standard_phc_string_that_the_stock_argon2_crate_verifies() {
        let hasher = PasswordHasher::new(PasswordHasherParams {
            memory_kib: 64,
            iterations: 2,
            parallelism: 2,
        })
        .expect("valid params");

        let hash = hasher.hash(&password("correct horse"));

        assert!(hash.as_phc().starts_with("$argon2id$v=19$m=64,t=2,p=2$"));
        let phc = PhcHash::new(hash.as_phc()).expect("a PHC string");
        let argon2 = stock(Algorithm::Argon2id, 64, 2, 2, None);
        assert!(argon2.verify_password(b"correct horse", &phc).is_ok());
        assert!(argon2.verify_password(b"wrong horse", &phc).is_err());
    }

    #[test]
    fn a_hash_made_by_the_stock_argon2_crate_verifies() {
        let hasher = cheap();
        let hash = stock_hash(&stock(Algorithm::Argon2id, 64, 1, 1, None), "correct horse");

        assert!(hasher.verify(&password("correct horse"), &hash));
        assert!(!hasher.verify(&password("wrong horse"), &hash));
    }

    #[test]
    fn hashes_made_with_other_parameters_verify_and_only_configured_buffers_are_pooled() {
        let hasher = cheap();
        let others = [
            stock(Algorithm::Argon2id, 32, 3, 1, None),
            stock(Algorithm::Argon2id, 256, 1, 2, None),
            stock(Algorithm::Argon2id, 64, 2, 1, Some(64)),
            stock(Algorithm::Argon2i, 64, 1, 1, None),
            Argon2::new(
                Algorithm::Argon2id,
                Version::V0x10,
                Params::new(128, 1, 1, None).expect("valid params"),
            ),
        ];

        for argon2 in &others {
            let hash = stock_hash(argon2, "correct horse");
            assert!(
                hasher.verify(&password("correct horse"), &hash),
                "{}",
                hash.as_phc()
            );
            assert!(
                !hasher.verify(&password("wrong horse"), &hash),
                "{}",
                hash.as_phc()
            );
        }

        let pooled_blocks = hasher.memory.pooled_blocks;
        hasher.pool(|state| {
            assert_eq!(state.allocated, 1);
            assert_eq!(state.idle.len(), 1);
            assert!(
                state
                    .idle
                    .iter()
                    .all(|buffer| buffer.len() == pooled_blocks)
            );
        });
    }

    #[test]
    fn unreadable_or_incomplete_stored_hashes_never_match() {
        let hasher = cheap();
        let good = hasher.hash(&password("correct horse"));
        let without_output = good
            .as_phc()
            .rsplit_once('$')
            .expect("has fields")
            .0
            .to_owned();
        let unknown_version = good.as_phc().replace("$v=19$", "$v=7$");
        let unknown_algorithm = good.as_phc().replace("$argon2id$", "$scrypt$");
        let unknown_param = good.as_phc().replace("p=1$", "p=1,x=1$");

        for stored in [
            String::new(),
            "garbage".to_owned(),
            without_output,
            unknown_version,
            unknown_algorithm,
            unknown_param,
        ] {
            assert!(
                !hasher.verify(
                    &password("correct horse"),
                    &PasswordHash::from_phc(stored.clone())
                ),
                "{stored}"
            );
        }
    }

    #[test]
    fn the_decoy_check_runs_one_verification_through_the_pool() {
        let hasher = cheap();
        hasher.pool(|state| assert_eq!(state.allocated, 0, "buffers are allocated lazily"));

        hasher.verify_decoy(&password("anything"));

        hasher.pool(|state| {
            assert_eq!(state.allocated, 1);
            assert_eq!(state.peak_running, 1);
            assert_eq!(state.running, 0);
        });
    }

    #[test]
    fn clones_share_one_pool_sized_by_the_cpu_count() {
        let hasher = cheap();
        let clone = hasher.clone();

        assert!(Arc::ptr_eq(&hasher.memory, &clone.memory));
        let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
        assert_eq!(hasher.memory.concurrency, cores);
    }

    #[test]
    fn sixteen_threads_hashing_at_once_never_use_more_than_the_pool_s_buffers() {
        const THREADS: usize = 16;
        // Big enough that hashes overlap, small enough to stay fast.
        let params = PasswordHasherParams {
            memory_kib: 2048,
            ..CHEAP
        };
        for concurrency in [1, 3] {
            let hasher =
                PasswordHasher::with_concurrency(params, concurrency).expect("valid params");
            let start = Barrier::new(THREADS);

            thread::scope(|scope| {
                for n in 0..THREADS {
                    let (hasher, start) = (&hasher, &start);
                    scope.spawn(move || {
                        let password = password(&format!("password {n}"));
                        start.wait();
                        let hash = hasher.hash(&password);
                        assert!(hasher.verify(&password, &hash));
                    });
                }
            });

            hasher.pool(|state| {
                assert!(
                    state.allocated <= concurrency,
                    "{} buffers",
                    state.allocated
                );
                assert!(
                    state.peak_running <= concurrency,
                    "{} at once",
                    state.peak_running
                );
                assert_eq!(state.running, 0);
                assert_eq!(state.idle.len(), state.allocated);
            });
        }
    }

    #[test]
    fn a_hash_waits_while_every_slot_is_busy_and_runs_once_one_is_free() {
        let hasher = PasswordHasher::with_concurrency(CHEAP, 2).expect("valid params");
        let pooled_blocks = hasher.memory.pooled_blocks;
        let first = hasher.memory.lend(pooled_blocks);
        let second = hasher.memory.lend(pooled_blocks);
        let (done, finished) = mpsc::channel();

        thread::scope(|scope| {
            let hasher = &hasher;
            scope.spawn(move || {
                let hash = hasher.hash(&password("correct horse"));
                done.send(hash).expect("the test waits for it");
            });
            assert!(
                finished.recv_timeout(Duration::from_millis(200)).is_err(),
                "a third hash ran while both slots were lent"
            );

            drop(first);
            let hash = finished
                .recv_timeout(Duration::from_secs(10))
                .expect("the hash runs once a slot is free");
            drop(second);
            assert!(hasher.verify(&password("correct horse"), &hash));
        });

        hasher.pool(|state| {
            assert_eq!(state.allocated, 2);
            assert_eq!(state.peak_running, 2);
            assert_eq!(state.running, 0);
        });
    }

    #[test]
    fn idle_buffers_are_wiped() {
        let hasher = cheap();

        let _ = hasher.hash(&password("correct horse"));

        hasher.pool(|state| {
            let words = state.idle.iter().flatten().flat_map(AsRef::<[u64]>::as_ref);
            assert!(words.copied().all(|word| word == 0));
        });
    }

    #[test]
    fn a_poisoned_pool_still_hashes() {
        let hasher = cheap();
        let poisoner = hasher.clone();
        let panicked = thread::spawn(move || {
            let _state = poisoner.memory.state.lock();
            panic!("poison the pool");
        })
        .join();
        assert!(panicked.is_err());
        assert!(hasher.memory.state.is_poisoned());

        let hash = hasher.hash(&password("correct horse"));

        assert!(hasher.verify(&password("correct horse"), &hash));
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
