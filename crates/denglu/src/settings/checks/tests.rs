use super::*;
use crate::settings::Secret;

/// Settings that pass every check: a master key, an https public URL, WeChat itself.
fn good() -> Settings {
    Settings {
        master_key: Some(Secret::new(denglu_crypto::MasterKey::generate_base64())),
        public_url: Some("https://login.example.com".to_owned()),
        ..Settings::default()
    }
}

#[test]
fn good_settings_have_nothing_to_say() {
    let found = check(&good());
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert!(found.warnings.is_empty(), "{:?}", found.warnings);
    assert_eq!(found.refusal(), None);
}

#[test]
fn a_missing_or_broken_master_key_is_an_error_saying_how_to_make_one() {
    let mut settings = good();
    settings.master_key = None;
    let refusal = check(&settings).refusal().expect("refused");
    assert!(
        refusal.contains("no master key") && refusal.contains("denglu keygen"),
        "{refusal}"
    );
    settings.master_key = Some(Secret::new("not base64!".to_owned()));
    assert_eq!(check(&settings).errors.len(), 1);
}

#[test]
fn wechat_over_plain_http_is_refused_except_for_a_simulator_on_this_machine() {
    let mut settings = good();
    settings.wechat.api_base_url = "http://api.weixin.qq.com".to_owned();
    let found = check(&settings);
    assert!(
        found.errors.len() == 1 && found.errors[0].contains("https"),
        "{:?}",
        found.errors
    );

    for local in [
        "http://127.0.0.1:9090",
        "http://localhost:9090",
        "http://[::1]:9090",
    ] {
        settings.wechat.api_base_url = local.to_owned();
        let found = check(&settings);
        assert!(found.errors.is_empty(), "{local}: {:?}", found.errors);
        assert!(
            found.warnings.len() == 1 && found.warnings[0].contains("simulator"),
            "{local}: {:?}",
            found.warnings
        );
    }

    settings.wechat.api_base_url = "api.weixin.qq.com".to_owned();
    assert_eq!(check(&settings).errors.len(), 1, "not a URL");
}

#[test]
fn public_url_warns_when_unset_or_plain_http_elsewhere_than_this_machine() {
    let mut settings = good();
    settings.public_url = None;
    let found = check(&settings);
    assert!(found.errors.is_empty());
    assert!(
        found.warnings[0].contains("public_url is not set"),
        "{:?}",
        found.warnings
    );

    settings.public_url = Some("http://login.example.com".to_owned());
    let found = check(&settings);
    assert!(found.errors.is_empty());
    assert!(
        found.warnings.len() == 1 && found.warnings[0].contains("not https"),
        "{:?}",
        found.warnings
    );

    for local in ["http://127.0.0.1:8080", "http://localhost:8080"] {
        settings.public_url = Some(local.to_owned());
        let found = check(&settings);
        assert!(
            found.errors.is_empty() && found.warnings.is_empty(),
            "{local}: {found:?}"
        );
    }

    settings.public_url = Some("ftp://login.example.com".to_owned());
    assert_eq!(check(&settings).errors.len(), 1);
}

#[test]
fn a_timeout_or_size_of_zero_is_named_but_a_rate_limit_of_zero_turns_it_off() {
    let mut settings = good();
    settings.database.acquire_timeout_ms = 0;
    settings.wechat.timeout_ms = 0;
    settings.http.sign_ups_per_minute = 0;
    settings.retention.expired_grace_seconds = 0;
    let found = check(&settings);
    assert_eq!(found.errors.len(), 2, "{:?}", found.errors);
    let refusal = found.refusal().expect("refused");
    assert!(
        refusal.starts_with("2 problems")
            && refusal.contains("database.acquire_timeout_ms is 0")
            && refusal.contains("wechat.timeout_ms is 0"),
        "{refusal}"
    );
}

#[test]
fn an_unknown_database_scheme_and_half_a_scanner_are_errors() {
    let mut settings = good();
    settings.database.url = crate::settings::DatabaseUrl("mysql://db/denglu".to_owned());
    settings.scanner.appid = Some("wx0123456789abcdef".to_owned());
    let found = check(&settings);
    assert_eq!(found.errors.len(), 2, "{:?}", found.errors);
    assert!(found.errors[0].contains("mysql"), "{:?}", found.errors);
    assert!(
        found.errors[1].contains("scanner.secret"),
        "{:?}",
        found.errors
    );
}

#[test]
fn the_metrics_token_may_not_be_empty_nor_the_metrics_address_the_main_one() {
    let mut settings = good();
    settings.metrics.bearer_token = Some(Secret::new("  ".to_owned()));
    let found = check(&settings);
    assert!(
        found.errors.len() == 1 && found.errors[0].contains("metrics.bearer_token is empty"),
        "{:?}",
        found.errors
    );
    settings.metrics.bearer_token = Some(Secret::new("short".to_owned()));
    let found = check(&settings);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert!(
        found.warnings.len() == 1 && found.warnings[0].contains("5 characters"),
        "{:?}",
        found.warnings
    );

    let mut settings = good();
    settings.metrics.listen = Some(settings.listen);
    let found = check(&settings);
    assert!(
        found.errors.len() == 1 && found.errors[0].contains("the main listen address"),
        "{:?}",
        found.errors
    );
    settings.metrics.listen = Some("0.0.0.0:9464".parse().expect("address"));
    let found = check(&settings);
    assert!(found.errors.is_empty(), "{:?}", found.errors);
    assert!(
        found.warnings.len() == 1 && found.warnings[0].contains("not this machine only"),
        "{:?}",
        found.warnings
    );
    settings.metrics.listen = Some("127.0.0.1:9464".parse().expect("address"));
    assert!(check(&settings).warnings.is_empty());
}
