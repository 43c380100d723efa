use std::io::Write;

use super::*;

fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn toml_file(content: &str) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().expect("temp file");
    file.write_all(content.as_bytes()).expect("write");
    file
}

#[test]
fn defaults_apply_without_file_or_environment() {
    let loaded = load(None, &[]).expect("defaults load");
    assert_eq!(loaded.settings.listen.to_string(), "127.0.0.1:8080");
    assert_eq!(
        loaded.settings.database.url.expose(),
        "sqlite://data/denglu.db"
    );
    assert_eq!(loaded.settings.public_url(), "http://127.0.0.1:8080");
    assert!(loaded.settings.master_key.is_none());
    assert!(loaded.warnings.is_empty());
}

#[test]
fn environment_overrides_the_file_which_overrides_defaults() {
    let file = toml_file(
        "listen = \"0.0.0.0:9000\"\n[http]\nmax_body_bytes = 2048\n[database]\nmax_connections = 3\n",
    );
    let vars = env(&[
        ("DENGLU_HTTP__MAX_BODY_BYTES", "4096"),
        ("DENGLU_HTTP__TRUST_FORWARDED_FOR", "true"),
    ]);
    let settings = load(Some(file.path()), &vars).expect("loads").settings;
    assert_eq!(settings.listen.to_string(), "0.0.0.0:9000");
    assert_eq!(settings.http.max_body_bytes, 4096);
    assert!(settings.http.trust_forwarded_for);
    assert_eq!(settings.database.max_connections, 3);
}

#[test]
fn secrets_can_come_from_files_and_never_print() {
    let key_file = toml_file("c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdHMtb25seS0xMjM0\n");
    let path = key_file.path().to_string_lossy().into_owned();
    let vars = env(&[
        ("DENGLU_MASTER_KEY_FILE", path.as_str()),
        (
            "DENGLU_DATABASE__URL",
            "postgres://denglu:hunter2@db/denglu",
        ),
    ]);
    let settings = load(None, &vars).expect("loads").settings;
    assert_eq!(
        settings.database.url.expose(),
        "postgres://denglu:hunter2@db/denglu"
    );
    let key = settings.master_key.as_ref().expect("key from file");
    assert_eq!(
        key.expose(),
        "c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdHMtb25seS0xMjM0"
    );
    let printed = format!("{settings:?}");
    assert!(!printed.contains("c2VjcmV0"), "{printed}");
    assert!(!printed.contains("hunter2"), "{printed}");
    assert!(
        printed.contains("postgres://denglu:***@db/denglu"),
        "{printed}"
    );
}

#[test]
fn unknown_variables_warn_and_bad_values_or_files_fail_clearly() {
    let loaded = load(None, &env(&[("DENGLU_LISTN", "x")])).expect("loads");
    assert_eq!(
        loaded.warnings,
        vec!["ignoring unknown setting variable DENGLU_LISTN".to_owned()]
    );

    let error = load(None, &env(&[("DENGLU_LISTEN", "nowhere")]))
        .err()
        .expect("invalid address");
    assert!(error.contains("listen"), "{error}");

    let file = toml_file("lisen = \"0.0.0.0:1\"\n");
    assert!(
        load(Some(file.path()), &[]).is_err(),
        "unknown keys in the file are refused"
    );
    assert!(load(Some(Path::new("/nonexistent/denglu.toml")), &[]).is_err());
}

#[test]
fn file_variables_are_typed_like_plain_ones() {
    let count = toml_file("7\n");
    let path = count.path().to_string_lossy().into_owned();
    let settings = load(
        None,
        &env(&[("DENGLU_DATABASE__MAX_CONNECTIONS_FILE", path.as_str())]),
    )
    .expect("loads")
    .settings;
    assert_eq!(settings.database.max_connections, 7);
}

#[test]
fn wechat_settings_default_to_wechat_and_follow_the_environment() {
    assert_eq!(
        load(None, &[])
            .expect("defaults")
            .settings
            .wechat
            .api_base_url,
        "https://api.weixin.qq.com"
    );
    let file = toml_file("[wechat]\ntimeout_ms = 5000\nbusy_retries = 1\n");
    let vars = env(&[
        ("DENGLU_WECHAT__API_BASE_URL", "http://127.0.0.1:9090"),
        ("DENGLU_WECHAT__BUSY_RETRIES", "0"),
    ]);
    let loaded = load(Some(file.path()), &vars).expect("loads");
    let wechat = loaded.settings.wechat;
    assert_eq!(wechat.api_base_url, "http://127.0.0.1:9090");
    assert_eq!((wechat.timeout_ms, wechat.busy_retries), (5000, 0));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn expired_records_are_kept_a_day_unless_configured() {
    let defaults = load(None, &[]).expect("defaults").settings;
    assert_eq!(defaults.retention.expired_grace_seconds, 86_400);
    assert_eq!(
        defaults.retention.expired_grace(),
        std::time::Duration::from_secs(86_400)
    );

    let file = toml_file("[retention]\nexpired_grace_seconds = 3600\n");
    let from_file = load(Some(file.path()), &[]).expect("loads").settings;
    assert_eq!(from_file.retention.expired_grace_seconds, 3600);

    let loaded = load(
        Some(file.path()),
        &env(&[("DENGLU_RETENTION__EXPIRED_GRACE_SECONDS", "0")]),
    )
    .expect("loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(
        loaded.settings.retention.expired_grace(),
        std::time::Duration::ZERO
    );

    let error = load(
        None,
        &env(&[("DENGLU_RETENTION__EXPIRED_GRACE_SECONDS", "-1")]),
    )
    .err()
    .expect("a negative grace is refused");
    assert!(error.contains("expired_grace_seconds"), "{error}");
}

#[test]
fn the_settings_file_can_name_a_master_key_file_and_the_key_itself_wins() {
    let key_file = toml_file("c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdHMtb25seS0xMjM0\n");
    let settings_file = toml_file(&format!(
        "master_key_file = \"{}\"\n",
        key_file.path().display()
    ));
    let settings = load(Some(settings_file.path()), &[])
        .expect("loads")
        .settings;
    assert_eq!(
        settings.master_key.as_ref().map(Secret::expose),
        Some("c2VjcmV0LWtleS1ieXRlcy1mb3ItdGVzdHMtb25seS0xMjM0")
    );

    let from_env = load(
        Some(settings_file.path()),
        &env(&[("DENGLU_MASTER_KEY", "ZnJvbS10aGUtZW52aXJvbm1lbnQ=")]),
    )
    .expect("loads")
    .settings;
    assert_eq!(
        from_env.master_key.as_ref().map(Secret::expose),
        Some("ZnJvbS10aGUtZW52aXJvbm1lbnQ=")
    );

    let missing = toml_file("master_key_file = \"/nonexistent/master.key\"\n");
    let settings = load(Some(missing.path()), &[])
        .expect("the settings load: only the commands that need the key refuse")
        .settings;
    let error = settings
        .master_key_text()
        .expect_err("an unreadable key file is refused");
    assert!(
        error.starts_with("master_key_file: cannot read /nonexistent/master.key"),
        "{error}"
    );
    let settings = load(
        None,
        &env(&[("DENGLU_MASTER_KEY_FILE", "/nonexistent/master.key")]),
    )
    .expect("the settings load")
    .settings;
    let error = settings
        .master_key_text()
        .expect_err("an unreadable key file is refused");
    assert!(
        error.starts_with("DENGLU_MASTER_KEY_FILE: cannot read /nonexistent/master.key"),
        "{error}"
    );
}

#[test]
fn metrics_are_off_unless_an_address_or_a_token_is_set() {
    let defaults = load(None, &[]).expect("loads").settings;
    assert!(defaults.metrics.listen.is_none() && defaults.metrics.bearer_token.is_none());

    let token_file = toml_file("a-token-from-a-file-0123456789\n");
    let path = token_file.path().to_string_lossy().into_owned();
    let vars = env(&[
        ("DENGLU_METRICS__LISTEN", "127.0.0.1:9464"),
        ("DENGLU_METRICS__BEARER_TOKEN_FILE", path.as_str()),
    ]);
    let loaded = load(None, &vars).expect("loads");
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let metrics = loaded.settings.metrics;
    assert_eq!(
        metrics.listen.map(|a| a.to_string()).as_deref(),
        Some("127.0.0.1:9464")
    );
    let token = metrics.bearer_token.as_ref().expect("token");
    assert_eq!(token.expose(), "a-token-from-a-file-0123456789");
    assert!(!format!("{metrics:?}").contains("a-token"));
}
