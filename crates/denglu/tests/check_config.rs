//! `denglu check-config` as an operator uses it: the settings `serve` would run with, read from the same file,
//! variables and flags, are judged in words with a non-zero exit on any error, and `serve` refuses the same errors
//! at start; warnings are printed and refuse nothing.

#[allow(
    dead_code,
    reason = "every test binary compiles the shared support module and uses only part of it"
)]
mod support;

use std::{path::Path, process::Command};

use support::{admin::run, denglu, free_port};

/// What a finished command said.
struct Said {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn said(command: &mut Command) -> Said {
    let output = command.output().expect("denglu runs");
    Said {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// `denglu check-config` in `data` with a master key, an https public URL and `settings` (variable, value).
fn check_config(data: &Path, settings: &[(&str, &str)]) -> Said {
    let key = run(&mut denglu(data, None, &["keygen"])).trim().to_owned();
    let mut command = denglu(data, Some(&key), &["check-config"]);
    command.env("DENGLU_PUBLIC_URL", "https://login.example.com");
    for (name, value) in settings {
        command.env(name, value);
    }
    said(&mut command)
}

#[test]
fn good_settings_pass_with_a_summary_and_the_database_is_asked() {
    let data = tempfile::tempdir().expect("temp dir");
    let fresh = check_config(data.path(), &[]);
    assert_eq!(fresh.code, Some(0), "{}", fresh.stderr);
    assert!(
        fresh.stdout.contains("the settings are fine")
            && fresh.stdout.contains("https://login.example.com")
            && fresh.stdout.contains("no file yet"),
        "{}",
        fresh.stdout
    );
    assert!(
        !data.path().join("denglu.db").exists(),
        "checking creates nothing"
    );

    run(&mut denglu(data.path(), None, &["migrate"]));
    let migrated = check_config(data.path(), &[]);
    assert_eq!(migrated.code, Some(0), "{}", migrated.stderr);
    assert!(migrated.stdout.contains("(answers)"), "{}", migrated.stdout);
}

#[test]
fn a_missing_master_key_is_an_error_that_says_how_to_make_one() {
    let data = tempfile::tempdir().expect("temp dir");
    let out = said(&mut denglu(data.path(), None, &["check-config"]));
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("error: no master key") && out.stderr.contains("denglu keygen"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`serve` would refuse to start"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unreachable_database_is_an_error() {
    let data = tempfile::tempdir().expect("temp dir");
    let url = format!("postgres://postgres@127.0.0.1:{}/denglu", free_port());
    let out = check_config(data.path(), &[("DENGLU_DATABASE__URL", &url)]);
    assert_eq!(out.code, Some(1), "{}", out.stdout);
    assert!(
        out.stderr.contains("cannot be reached") && out.stderr.contains("127.0.0.1"),
        "{}",
        out.stderr
    );

    // --database-url wins over the variable, as for every command.
    let key = run(&mut denglu(data.path(), None, &["keygen"]))
        .trim()
        .to_owned();
    let out = said(&mut denglu(
        data.path(),
        Some(&key),
        &["--database-url", "mysql://db/denglu", "check-config"],
    ));
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr
            .contains("unsupported database URL scheme 'mysql'"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_postgresql_database_of_the_tests_answers() {
    let Ok(server) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL check is skipped");
        return;
    };
    let data = tempfile::tempdir().expect("temp dir");
    let database = support::postgres::Database::create(&server, "check");
    let out = check_config(data.path(), &[("DENGLU_DATABASE__URL", &database.url)]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.contains("(answers)"), "{}", out.stdout);
}

#[test]
fn wechat_over_plain_http_is_refused_by_check_config_and_by_serve() {
    let data = tempfile::tempdir().expect("temp dir");
    let remote = ("DENGLU_WECHAT__API_BASE_URL", "http://api.weixin.qq.com");
    let out = check_config(data.path(), &[remote]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("wechat.api_base_url") && out.stderr.contains("https"),
        "{}",
        out.stderr
    );

    let key = run(&mut denglu(data.path(), None, &["keygen"]))
        .trim()
        .to_owned();
    let mut serve = denglu(
        data.path(),
        Some(&key),
        &["serve", "--listen", &format!("127.0.0.1:{}", free_port())],
    );
    serve.env(remote.0, remote.1);
    let refused = said(&mut serve);
    assert_eq!(refused.code, Some(1));
    assert!(
        refused.stderr.contains("wechat.api_base_url") && refused.stderr.contains("https"),
        "{}",
        refused.stderr
    );

    // A simulator on this machine is what development and the tests use: a warning, not an error.
    let local = check_config(
        data.path(),
        &[("DENGLU_WECHAT__API_BASE_URL", "http://127.0.0.1:9090")],
    );
    assert_eq!(local.code, Some(0), "{}", local.stderr);
    assert!(
        local.stderr.contains("warning:") && local.stderr.contains("simulator"),
        "{}",
        local.stderr
    );
    assert!(local.stdout.contains("with 1 warning"), "{}", local.stdout);
}

#[test]
fn a_public_url_without_https_warns_unless_it_is_this_machine() {
    let data = tempfile::tempdir().expect("temp dir");
    let plain = check_config(
        data.path(),
        &[("DENGLU_PUBLIC_URL", "http://login.example.com")],
    );
    assert_eq!(plain.code, Some(0), "a warning refuses nothing");
    assert!(
        plain
            .stderr
            .contains("warning: public_url is http://login.example.com, not https"),
        "{}",
        plain.stderr
    );

    let local = check_config(
        data.path(),
        &[("DENGLU_PUBLIC_URL", "http://127.0.0.1:8080")],
    );
    assert_eq!(local.code, Some(0));
    assert!(!local.stderr.contains("warning"), "{}", local.stderr);

    // The flag of serve is taken the way serve takes it.
    let key = run(&mut denglu(data.path(), None, &["keygen"]))
        .trim()
        .to_owned();
    let flagged = said(&mut denglu(
        data.path(),
        Some(&key),
        &["check-config", "--public-url", "https://flag.example.com"],
    ));
    assert_eq!(flagged.code, Some(0), "{}", flagged.stderr);
    assert!(
        flagged.stdout.contains("https://flag.example.com"),
        "{}",
        flagged.stdout
    );
}

#[test]
fn a_timeout_or_size_of_zero_in_a_settings_file_is_named_and_serve_refuses_it() {
    let data = tempfile::tempdir().expect("temp dir");
    let file = data.path().join("denglu.toml");
    std::fs::write(
        &file,
        "[database]\nacquire_timeout_ms = 0\n[http]\nmax_body_bytes = 0\nsign_ups_per_minute = 0\n",
    )
    .expect("write");
    let config = file.to_str().expect("UTF-8 path");
    let key = run(&mut denglu(data.path(), None, &["keygen"]))
        .trim()
        .to_owned();

    let out = said(&mut denglu(
        data.path(),
        Some(&key),
        &["--config", config, "check-config"],
    ));
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains("database.acquire_timeout_ms is 0")
            && out.stderr.contains("http.max_body_bytes is 0")
            && !out.stderr.contains("sign_ups_per_minute"),
        "a rate limit of 0 turns it off and is no error: {}",
        out.stderr
    );
    assert!(out.stderr.contains("2 errors"), "{}", out.stderr);

    let refused = said(&mut denglu(
        data.path(),
        Some(&key),
        &[
            "--config",
            config,
            "serve",
            "--listen",
            &format!("127.0.0.1:{}", free_port()),
        ],
    ));
    assert_eq!(refused.code, Some(1));
    assert!(
        refused.stderr.contains("2 problems in the settings")
            && refused.stderr.contains("http.max_body_bytes is 0"),
        "{}",
        refused.stderr
    );
}
