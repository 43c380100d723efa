//! `denglu backup --to FILE` and `denglu restore --from FILE` as an operator uses them: a copy of a running server's
//! SQLite database taken under a load of sign-ups holds every sign-up acknowledged before the backup started; restored
//! over the database once its server is stopped, a server runs on it; an existing file is never overwritten by a
//! backup, a database only with `--force` and never while a server has it open; on PostgreSQL both commands point
//! to pg_dump and pg_restore.

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

use std::{
    collections::HashSet,
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use serde_json::json;
use support::{
    admin::{field, run},
    denglu,
    server::serve,
};

const PASSWORD: &str = "correct horse";

/// Sign-ups acknowledged (201) by the server, each with the moment its answer arrived.
type Acknowledged = Vec<(String, Instant)>;

/// Signs users up at `base` one after another until `stop` is set; answers those the server acknowledged.
fn sign_up_until(base: &str, pool: &str, name: &str, stop: &AtomicBool) -> Acknowledged {
    let client = reqwest::blocking::Client::new();
    let mut acknowledged = Vec::new();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let username = format!("{name}-{n}");
        let answer = client
            .post(format!("{base}/api/v1/pools/{pool}/users"))
            .json(&json!({"username": username, "password": PASSWORD}))
            .send()
            .expect("the server answers every sign-up");
        assert_eq!(answer.status().as_u16(), 201, "sign-up {username}");
        acknowledged.push((username, Instant::now()));
    }
    acknowledged
}

/// Every account name `denglu user list` shows for `pool` in `data`, page by page.
fn listed_accounts(data: &Path, key: &str, pool: &str) -> HashSet<String> {
    let mut accounts = HashSet::new();
    for page in 0.. {
        let offset = (page * 500).to_string();
        let text = run(&mut denglu(
            data,
            Some(key),
            &[
                "user", "list", "--pool", pool, "--limit", "500", "--offset", &offset,
            ],
        ));
        let before = accounts.len();
        accounts.extend(
            text.lines()
                .skip(1)
                .filter_map(|line| line.split_whitespace().nth(3).map(str::to_owned)),
        );
        if accounts.len() - before < 500 {
            return accounts;
        }
    }
    unreachable!("the pages end")
}

#[test]
fn a_backup_taken_under_load_holds_every_acknowledged_sign_up_and_a_server_runs_on_it_once_restored()
 {
    let live = tempfile::tempdir().expect("temp dir");
    let backups = tempfile::tempdir().expect("temp dir");
    let key = run(&mut denglu(live.path(), None, &["keygen"]))
        .trim()
        .to_owned();
    let pool = field(
        &run(&mut denglu(
            live.path(),
            Some(&key),
            &["pool", "create", "--name", "Shop"],
        )),
        "id",
    );
    let (server, base) = serve(live.path(), &key, |command| {
        command.env("DENGLU_HTTP__SIGN_UPS_PER_MINUTE", "0");
    });

    let stop = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = (0..3)
        .map(|n| {
            let (base, pool, stop) = (base.clone(), pool.clone(), Arc::clone(&stop));
            thread::spawn(move || sign_up_until(&base, &pool, &format!("load{n}"), &stop))
        })
        .collect();
    thread::sleep(Duration::from_millis(500));

    let target = backups.path().join("denglu-backup.db");
    let started = Instant::now();
    let backup = run(&mut denglu(
        live.path(),
        None,
        &["backup", "--to", target.to_str().expect("UTF-8 path")],
    ));
    let took = started.elapsed();
    thread::sleep(Duration::from_millis(300));
    stop.store(true, Ordering::Relaxed);
    let acknowledged: Acknowledged = load
        .into_iter()
        .flat_map(|thread| thread.join().expect("the load ran"))
        .collect();
    assert!(backup.contains("backed up"), "{backup}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&target)
            .expect("backup")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner reads a backup");
    }

    let (before, after): (Vec<_>, Vec<_>) = acknowledged.iter().partition(|(_, at)| *at < started);
    assert!(
        !before.is_empty(),
        "sign-ups were acknowledged before the backup"
    );
    assert!(
        after.iter().any(|(_, at)| *at > started + took),
        "the server kept taking sign-ups while and after the backup ran"
    );

    let restore = |force: bool| {
        let from = target.to_str().expect("UTF-8 path");
        let mut args = vec!["restore", "--from", from];
        args.extend(force.then_some("--force"));
        denglu(live.path(), None, &args).output().expect("runs")
    };
    let refused = restore(false);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains("already exists") && stderr.contains("--force"),
        "{stderr}"
    );
    let refused = restore(true);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        stderr.contains("is in use") && stderr.contains("Stop"),
        "{stderr}"
    );

    drop(server); // SIGKILL: the stopped server leaves its -wal and -shm files behind
    let database = live.path().join("denglu.db");
    let restored = restore(true);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let stdout = String::from_utf8_lossy(&restored.stdout);
    assert!(
        stdout.contains("restored") && stdout.contains("schema version"),
        "{stdout}"
    );
    for stale in ["denglu.db-wal", "denglu.db-shm"] {
        assert!(
            !live.path().join(stale).exists(),
            "{stale} of the replaced database is gone"
        );
    }
    assert_eq!(
        std::fs::read(&database).expect("restored"),
        std::fs::read(&target).expect("backup"),
        "the database is the backup, byte for byte"
    );

    let (_copy, copy_base) = serve(live.path(), &key, |_| {});
    let accounts = listed_accounts(live.path(), &key, &pool);
    for (username, _) in &before {
        assert!(
            accounts.contains(username),
            "{username}, acknowledged before the backup started, is in the restored database"
        );
    }
    let later_in_copy = after.iter().filter(|(u, _)| accounts.contains(u)).count();
    assert_eq!(
        accounts.len(),
        before.len() + later_in_copy,
        "the restored database holds acknowledged sign-ups only, and none made after the backup that it lacks"
    );

    let client = reqwest::blocking::Client::new();
    let signed_up = client
        .post(format!("{copy_base}/api/v1/pools/{pool}/users"))
        .json(&json!({"username": "after-restore", "password": PASSWORD}))
        .send()
        .expect("answers");
    assert_eq!(signed_up.status().as_u16(), 201);
    for account in ["after-restore", before[0].0.as_str()] {
        let login = client
            .post(format!("{copy_base}/api/v1/pools/{pool}/login"))
            .json(&json!({"account": account, "password": PASSWORD}))
            .send()
            .expect("answers");
        assert_eq!(
            login.status().as_u16(),
            200,
            "{account} logs in on the restored database"
        );
    }
    eprintln!(
        "backup: {} sign-ups acknowledged before the backup, {} during and after it ({later_in_copy} of them in \
         the copy); backup took {took:.0?}",
        before.len(),
        after.len(),
    );
}

#[test]
fn a_backup_never_overwrites_a_file_and_needs_a_database() {
    let data = tempfile::tempdir().expect("temp dir");
    let target = data.path().join("copy.db");
    let to = target.to_str().expect("UTF-8 path");

    let output = denglu(data.path(), None, &["backup", "--to", to])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("there is no SQLite database"), "{stderr}");
    assert!(!target.exists(), "nothing is left behind");

    run(&mut denglu(data.path(), None, &["migrate"]));
    std::fs::write(&target, "keep me").expect("write");
    let output = denglu(data.path(), None, &["backup", "--to", to])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(
        stderr.contains("already exists") && stderr.contains("never overwrites"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&target).expect("read"), "keep me");

    std::fs::remove_file(&target).expect("remove");
    let done = run(&mut denglu(data.path(), None, &["backup", "--to", to]));
    assert!(done.contains("backed up"), "{done}");
    assert!(target.is_file());
}

#[test]
fn a_restore_needs_a_backup_file_that_is_a_database() {
    let data = tempfile::tempdir().expect("temp dir");
    let backup = data.path().join("backup.db");
    let restore = || {
        let from = backup.to_str().expect("UTF-8 path");
        let output = denglu(data.path(), None, &["restore", "--from", from])
            .output()
            .expect("runs");
        assert!(!output.status.success());
        String::from_utf8_lossy(&output.stderr).into_owned()
    };

    let stderr = restore();
    assert!(stderr.contains("there is no backup file"), "{stderr}");
    std::fs::write(&backup, "not a database").expect("write");
    let stderr = restore();
    assert!(
        stderr.contains("is not a readable SQLite database"),
        "{stderr}"
    );
    assert!(
        !data.path().join("denglu.db").exists(),
        "nothing is written when the backup is refused"
    );
}

#[test]
fn a_backup_or_restore_of_postgresql_is_refused_and_names_pg_dump_and_pg_restore() {
    let data = tempfile::tempdir().expect("temp dir");
    let url = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let target = data.path().join("copy.db");
    let output = denglu(
        data.path(),
        None,
        &[
            "--database-url",
            &url,
            "backup",
            "--to",
            target.to_str().expect("UTF-8 path"),
        ],
    )
    .output()
    .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("PostgreSQL")
            && stderr.contains("pg_dump")
            && stderr.contains("pg_restore"),
        "{stderr}"
    );
    assert!(!target.exists());

    std::fs::write(&target, "a backup").expect("write");
    let from = target.to_str().expect("UTF-8 path");
    let args = ["--database-url", &url, "restore", "--from", from, "--force"];
    let output = denglu(data.path(), None, &args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("PostgreSQL") && stderr.contains("pg_restore"),
        "{stderr}"
    );
}
