//! `GET /cgi-bin/token`, `POST /cgi-bin/stable_token` and token validation.

use std::time::Duration;

use denglu_wechat_sim::{AppConfig, Quotas, SimConfig};
use serde_json::{Value, json};

use crate::common::{
    APP, BOUND, BOUND_SECRET, Harness, SECRET, assert_error, config, errcode, text,
};

/// Calls an access_token API (checksession with junk) and returns its errcode: token errors
/// come first, so anything but 41001/40001/42001 means the token was accepted.
async fn token_check(h: &Harness, token: &str) -> i64 {
    let reply = h
        .get(&format!(
            "/wxa/checksession?access_token={token}&openid=x&signature=x&sig_method=x"
        ))
        .await;
    errcode(&reply.json())
}

const ACCEPTED: i64 = 87008;

#[tokio::test]
async fn legacy_token_shape_and_expiry() {
    let h = Harness::default().await;
    let reply = h.legacy_token(APP, SECRET).await;
    assert_eq!(reply.get("expires_in").and_then(Value::as_u64), Some(7200));
    let token = text(&reply, "access_token");
    assert_eq!(token.len(), 136);
    let (digits, rest) = token.split_once('_').expect("underscore");
    assert!(!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    assert!(
        rest.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    );
    assert_eq!(token_check(&h, &token).await, ACCEPTED);
    h.sim.advance(Duration::from_secs(7200));
    assert_eq!(token_check(&h, &token).await, 42001);
}

#[tokio::test]
async fn legacy_json_content_type() {
    let h = Harness::default().await;
    let reply = h
        .get("/cgi-bin/token?grant_type=client_credential&appid=wx1111111111111111")
        .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "application/json; encoding=utf-8");
    assert_error(&reply.json(), 41004);
}

#[tokio::test]
async fn expires_in_is_configurable() {
    let h = Harness::start(SimConfig {
        token_expires_in: 600,
        ..config()
    })
    .await;
    let reply = h.legacy_token(APP, SECRET).await;
    assert_eq!(reply.get("expires_in").and_then(Value::as_u64), Some(600));
    let token = text(&reply, "access_token");
    h.sim.advance(Duration::from_secs(599));
    assert_eq!(token_check(&h, &token).await, ACCEPTED);
    h.sim.advance(Duration::from_secs(1));
    assert_eq!(token_check(&h, &token).await, 42001);
}

#[tokio::test]
async fn legacy_rollover_keeps_the_old_token_for_300_seconds() {
    let h = Harness::default().await;
    let old = h.token_for(APP, SECRET).await;
    h.sim.advance(Duration::from_secs(10));
    let new = h.token_for(APP, SECRET).await;
    assert_ne!(old, new);
    h.sim.advance(Duration::from_secs(299));
    assert_eq!(token_check(&h, &old).await, ACCEPTED);
    h.sim.advance(Duration::from_secs(1));
    let reply = h
        .get(&format!("/wxa/checksession?access_token={old}"))
        .await
        .json();
    assert_error(&reply, 40001);
    assert!(
        text(&reply, "errmsg")
            .starts_with("invalid credential, access_token is invalid or not latest")
    );
    assert_eq!(token_check(&h, &new).await, ACCEPTED);
}

#[tokio::test]
async fn rollover_never_extends_an_old_token() {
    let h = Harness::default().await;
    let old = h.token_for(APP, SECRET).await;
    h.sim.advance(Duration::from_secs(7100));
    let _new = h.token_for(APP, SECRET).await;
    h.sim.advance(Duration::from_secs(100));
    assert_eq!(
        token_check(&h, &old).await,
        42001,
        "expired naturally before the grace ended"
    );
}

#[tokio::test]
async fn token_errors() {
    let h = Harness::default().await;
    let missing = h.get("/wxa/checksession?openid=x").await.json();
    assert_error(&missing, 41001);
    assert_eq!(token_check(&h, "12_garbage").await, 40001);
    let cases = [
        ("/cgi-bin/token?appid=wx1111111111111111&secret=s", 40002),
        (
            "/cgi-bin/token?grant_type=authorization_code&appid=wx1111111111111111&secret=s",
            40002,
        ),
        (
            "/cgi-bin/token?grant_type=client_credential&secret=s",
            41002,
        ),
        (
            "/cgi-bin/token?grant_type=client_credential&appid=wx9999999999999999&secret=s",
            40013,
        ),
        (
            "/cgi-bin/token?grant_type=client_credential&appid=wx1111111111111111",
            41004,
        ),
        (
            "/cgi-bin/token?grant_type=client_credential&appid=wx1111111111111111&secret=bad",
            40125,
        ),
    ];
    for (path, expected) in cases {
        assert_error(&h.get(path).await.json(), expected);
    }
}

#[tokio::test]
async fn legacy_daily_quota() {
    let h = Harness::start(SimConfig {
        quotas: Quotas {
            token_per_day: 3,
            ..Quotas::default()
        },
        ..config()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(errcode(&h.legacy_token(APP, SECRET).await), 0);
    }
    assert_error(&h.legacy_token(APP, SECRET).await, 45009);
    assert_eq!(
        errcode(&h.legacy_token(BOUND, BOUND_SECRET).await),
        0,
        "quota is per app"
    );
    h.sim.advance(Duration::from_secs(86_400));
    assert_eq!(errcode(&h.legacy_token(APP, SECRET).await), 0);
}

#[tokio::test]
async fn stable_token_is_reused_then_rolled_over() {
    let h = Harness::default().await;
    let first = h.stable_token(APP, SECRET, false).await;
    let token = text(&first, "access_token");
    assert_eq!(first.get("expires_in").and_then(Value::as_u64), Some(7200));
    h.sim.advance(Duration::from_secs(1000));
    let again = h.stable_token(APP, SECRET, false).await;
    assert_eq!(text(&again, "access_token"), token);
    assert_eq!(again.get("expires_in").and_then(Value::as_u64), Some(6200));

    h.sim.advance(Duration::from_secs(5899)); // 301 s left: still the same token
    assert_eq!(
        text(&h.stable_token(APP, SECRET, false).await, "access_token"),
        token
    );
    h.sim.advance(Duration::from_secs(1)); // 300 s left: rollover
    let rolled = h.stable_token(APP, SECRET, false).await;
    let new = text(&rolled, "access_token");
    assert_ne!(new, token);
    assert_eq!(
        token_check(&h, &token).await,
        ACCEPTED,
        "old and new overlap"
    );
    assert_eq!(token_check(&h, &new).await, ACCEPTED);
    h.sim.advance(Duration::from_secs(300));
    assert_eq!(token_check(&h, &token).await, 42001);
    assert_eq!(
        text(&h.stable_token(APP, SECRET, false).await, "access_token"),
        new
    );
}

#[tokio::test]
async fn stable_and_legacy_are_isolated() {
    let h = Harness::default().await;
    let stable = text(&h.stable_token(APP, SECRET, false).await, "access_token");
    let legacy = h.token_for(APP, SECRET).await;
    h.sim.advance(Duration::from_secs(301));
    let _ = h.token_for(APP, SECRET).await;
    h.sim.advance(Duration::from_secs(301));
    assert_eq!(
        token_check(&h, &stable).await,
        ACCEPTED,
        "legacy issues leave stable alone"
    );
    assert_eq!(token_check(&h, &legacy).await, 40001);
    let stable_new = text(&h.stable_token(APP, SECRET, true).await, "access_token");
    assert_ne!(stable_new, stable);
    let legacy_now = h.token_for(APP, SECRET).await;
    h.sim.advance(Duration::from_secs(31));
    let forced_again = text(&h.stable_token(APP, SECRET, true).await, "access_token");
    assert_ne!(forced_again, stable_new);
    assert_eq!(
        token_check(&h, &legacy_now).await,
        ACCEPTED,
        "stable force leaves legacy alone"
    );
}

#[tokio::test]
async fn force_refresh_replaces_at_once_with_a_30_second_gap() {
    let h = Harness::default().await;
    let normal = text(&h.stable_token(APP, SECRET, false).await, "access_token");
    let forced = text(&h.stable_token(APP, SECRET, true).await, "access_token");
    assert_ne!(forced, normal);
    assert_eq!(
        token_check(&h, &normal).await,
        40001,
        "force refresh invalidates at once"
    );
    h.sim.advance(Duration::from_secs(29));
    let soon = text(&h.stable_token(APP, SECRET, true).await, "access_token");
    assert_eq!(soon, forced, "within 30 s a force call does not refresh");
    h.sim.advance(Duration::from_secs(1));
    let later = text(&h.stable_token(APP, SECRET, true).await, "access_token");
    assert_ne!(later, forced);
}

#[tokio::test]
async fn force_refresh_daily_limit() {
    let h = Harness::default().await;
    for _ in 0..20 {
        assert_eq!(errcode(&h.stable_token(APP, SECRET, true).await), 0);
        h.sim.advance(Duration::from_secs(31));
    }
    let over = h.stable_token(APP, SECRET, true).await;
    assert_error(&over, 45009);
    assert_eq!(
        errcode(&h.stable_token(APP, SECRET, false).await),
        0,
        "normal mode still works"
    );
    h.sim.advance(Duration::from_secs(86_400));
    assert_eq!(errcode(&h.stable_token(APP, SECRET, true).await), 0);
}

#[tokio::test]
async fn stable_token_wants_a_json_body() {
    let h = Harness::default().await;
    let form = format!("grant_type=client_credential&appid={APP}&secret={SECRET}");
    let reply = h
        .post_raw(
            "/cgi-bin/stable_token",
            "application/x-www-form-urlencoded",
            form.into_bytes(),
        )
        .await;
    assert_error(&reply.json(), 40002);
    assert!(text(&reply.json(), "errmsg").starts_with("invalid grant_type, rid: "));
    let broken = h
        .post_raw(
            "/cgi-bin/stable_token",
            "application/json",
            b"{\"grant_type\":".to_vec(),
        )
        .await;
    assert_error(&broken.json(), 40002);
    let cases = [
        (
            json!({"grant_type": "x", "appid": APP, "secret": SECRET}),
            40002,
        ),
        (
            json!({"grant_type": "client_credential", "secret": SECRET}),
            41002,
        ),
        (
            json!({"grant_type": "client_credential", "appid": "wx9999999999999999", "secret": SECRET}),
            40013,
        ),
        (
            json!({"grant_type": "client_credential", "appid": APP}),
            41004,
        ),
        (
            json!({"grant_type": "client_credential", "appid": APP, "secret": "bad"}),
            40125,
        ),
    ];
    for (body, expected) in cases {
        assert_error(
            &h.post_json("/cgi-bin/stable_token", &body).await.json(),
            expected,
        );
    }
    let get = h.get("/cgi-bin/stable_token").await;
    assert_error(&get.json(), 43002);
}

#[tokio::test]
async fn ip_whitelist() {
    let mut cfg = config();
    cfg.apps.push(AppConfig {
        ip_whitelist: Some(vec!["10.1.2.3".parse().expect("ip")]),
        ..AppConfig::new("wx4444444444444444", "secret4")
    });
    cfg.apps.push(AppConfig {
        ip_whitelist: Some(vec!["127.0.0.1".parse().expect("ip")]),
        ..AppConfig::new("wx5555555555555555", "secret5")
    });
    let h = Harness::start(cfg).await;
    let refused = h.legacy_token("wx4444444444444444", "secret4").await;
    assert_error(&refused, 40164);
    assert!(
        text(&refused, "errmsg")
            .starts_with("invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist, rid: "),
        "{refused}"
    );
    assert_error(
        &h.stable_token("wx4444444444444444", "secret4", false).await,
        40164,
    );
    assert_eq!(
        errcode(&h.legacy_token("wx5555555555555555", "secret5").await),
        0
    );
    assert_eq!(
        errcode(&h.stable_token("wx5555555555555555", "secret5", false).await),
        0
    );
}
