//! `denglu key …` as an operator uses it: listing a pool's signing keys, rotating to a new one, retiring the old one,
//! and the refusal to retire the active key.

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

use std::{path::Path, process::Command};

use support::{
    admin::{field, run},
    denglu,
};

/// `denglu args…` on the database in `data` with the master key `key`.
fn admin(data: &Path, key: &str, args: &[&str]) -> Command {
    denglu(data, Some(key), args)
}

/// `denglu key list`'s rows below its header: (kid, algorithm, state).
fn listed(data: &Path, key: &str, pool: &str) -> Vec<(String, String, String)> {
    let text = run(&mut admin(data, key, &["key", "list", "--pool", pool]));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split_whitespace().collect();
    assert_eq!(header, ["kid", "alg", "created", "state"]);
    lines
        .map(|line| {
            let columns: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(columns.len(), 4, "{line}");
            (
                columns[0].to_owned(),
                columns[1].to_owned(),
                columns[3].to_owned(),
            )
        })
        .collect()
}

fn row(kid: &str, state: &str) -> (String, String, String) {
    (kid.to_owned(), "HS256".to_owned(), state.to_owned())
}

#[test]
fn an_operator_rotates_a_pools_signing_key_then_retires_the_old_one_but_never_the_active_one() {
    let data = tempfile::tempdir().expect("temp dir");
    let data = data.path();
    let key = run(&mut denglu(data, None, &["keygen"])).trim().to_owned();
    let help = run(&mut admin(data, &key, &["key", "--help"]));
    assert!(
        ["list", "rotate", "retire"]
            .iter()
            .all(|command| help.contains(command)),
        "{help}"
    );
    let created = run(&mut admin(
        data,
        &key,
        &[
            "pool",
            "create",
            "--name",
            "Shop",
            "--jwt-algorithm",
            "HS256",
        ],
    ));
    let pool = field(&created, "id");
    let jwt_secret = || {
        let shown = run(&mut admin(
            data,
            &key,
            &["pool", "show", &pool, "--reveal-jwt-secret"],
        ));
        field(&shown, "jwt secret")
    };
    let old_secret = jwt_secret();
    let keys = listed(data, &key, &pool);
    assert_eq!(keys.len(), 1, "{keys:?}");
    let old = keys[0].0.clone();
    assert_eq!(keys, [row(&old, "active")]);

    let rotated = run(&mut admin(data, &key, &["key", "rotate", "--pool", &pool]));
    let new = field(&rotated, "kid");
    assert_ne!(new, old);
    assert_eq!(field(&rotated, "state"), "active");
    assert!(rotated.contains("new JWT secret"), "{rotated}");
    assert_ne!(
        jwt_secret(),
        old_secret,
        "an HS256 rotation is a new secret"
    );
    assert_eq!(
        listed(data, &key, &pool),
        [row(&new, "active"), row(&old, "previous")]
    );

    let refused = admin(data, &key, &["key", "retire", "--pool", &pool, &new])
        .output()
        .expect("denglu runs");
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("rotate first"), "{stderr}");
    let retired = run(&mut admin(
        data,
        &key,
        &["key", "retire", "--pool", &pool, &old],
    ));
    assert_eq!(field(&retired, "state"), "retired");
    assert_eq!(
        listed(data, &key, &pool),
        [row(&new, "active"), row(&old, "retired")]
    );
    let again = admin(data, &key, &["key", "retire", "--pool", &pool, &old])
        .output()
        .expect("denglu runs");
    assert_eq!(again.status.code(), Some(1));
}
