//! Tests of the hasher and of its memory pool.

use std::{
    sync::{Barrier, mpsc},
    time::Duration,
};

use argon2::PasswordVerifier as _;

use super::{memory_pool::PoolState, *};

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
        let hasher = PasswordHasher::with_concurrency(params, concurrency).expect("valid params");
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
