//! Operators on a browser: setting an account up through its link, signing in with password and one-time code (or
//! a recovery code), the session cookie and its CSRF token, timeouts, sign-in limits, signing out.

use chrono::TimeDelta;
use denglu_domain::{AdminScope, AuditFilter};
use reqwest::Method;
use serde_json::{Value, json};
use totp_rs::Secret;

use super::{
    assert_error,
    browser::{Browser, PASSWORD, code, create_operator, events, send, sign_in, signed_in, whoami},
};
use crate::helpers::spawn_app;

#[tokio::test]
async fn an_operator_sets_up_with_the_link_and_signs_in_with_password_and_one_time_code() {
    let app = spawn_app().await;
    let token = create_operator(&app, "alice", AdminScope::Deployment).await;

    let offer = app
        .post_json("/api/v1/admin/setup/totp", &json!({"setupToken": token}))
        .await;
    assert_eq!(offer.status, 200, "{}", offer.body);
    assert_eq!(offer.body["name"], "alice");
    let uri = offer.body["otpauthUri"].as_str().expect("uri");
    assert!(
        uri.starts_with("otpauth://totp/denglu%20127.0.0.1:alice?"),
        "{uri}"
    );
    let qr = offer.body["qrCode"].as_str().expect("qr");
    assert!(qr.starts_with("data:image/png;base64,"), "{}", &qr[..40]);
    let authenticator = Secret::try_from_base32(offer.body["secret"].as_str().expect("secret"))
        .expect("base32")
        .as_bytes()
        .to_vec();

    let setup = |password: &str, code: &str| json!({"setupToken": token, "password": password, "code": code});
    let short = app
        .post_json(
            "/api/v1/admin/setup",
            &setup("short pass", &code(&app, &authenticator)),
        )
        .await;
    assert_error(&short, 400, 1002);
    assert!(
        short.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("12 to 128"),
        "{}",
        short.body
    );
    let wrong = app
        .post_json("/api/v1/admin/setup", &setup(PASSWORD, "000000"))
        .await;
    if code(&app, &authenticator) != "000000" {
        assert_error(&wrong, 400, 1002);
    }
    let done = app
        .post_json(
            "/api/v1/admin/setup",
            &setup(PASSWORD, &code(&app, &authenticator)),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let recovery: Vec<&str> = done.body["recoveryCodes"]
        .as_array()
        .expect("codes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(recovery.len(), 10);
    assert!(recovery.iter().all(|code| code.len() == 19), "{recovery:?}");
    let again = app
        .post_json(
            "/api/v1/admin/setup",
            &setup(PASSWORD, &code(&app, &authenticator)),
        )
        .await;
    assert_error(&again, 400, 4505);

    // The code that confirmed the authenticator is used: it does not sign in.
    let (replayed, none) = sign_in(&app, "alice", PASSWORD, &code(&app, &authenticator)).await;
    assert_error(&replayed, 401, 4503);
    assert!(none.is_none());
    app.clock.advance(TimeDelta::seconds(30));
    let next = code(&app, &authenticator);
    for (name, password, code) in [
        ("alice", "wrong password!", next.as_str()),
        ("bob", PASSWORD, next.as_str()),
        ("alice", PASSWORD, "12345"),
    ] {
        let (refused, cookie) = sign_in(&app, name, password, code).await;
        assert_error(&refused, 401, 4503);
        assert!(cookie.is_none(), "no session for a refused sign-in");
    }

    // A new minute: the sign-in limit (five a minute per name) starts again.
    app.clock.advance(TimeDelta::minutes(1));
    let current = code(&app, &authenticator);
    let body = json!({"name": "Alice", "password": PASSWORD, "code": current});
    let (reply, cookies) = send(
        &app,
        Method::POST,
        "/api/v1/admin/session",
        None,
        None,
        Some(&body),
    )
    .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.body["operator"]["name"], "alice");
    assert_eq!(reply.body["operator"]["setUp"], true);
    let set_cookie = cookies.first().expect("a session cookie");
    for attribute in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/api/v1/admin",
        "Max-Age=43200",
    ] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    assert!(
        !set_cookie.contains("Secure"),
        "the test server is plain http: {set_cookie}"
    );
    let cookie = set_cookie.split(';').next().expect("pair").to_owned();
    let csrf = reply.body["csrfToken"].as_str().expect("csrf").to_owned();

    let me = whoami(&app, &cookie).await;
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.body["actor"], "operator:alice");
    assert_eq!(me.body["pools"], Value::Null);
    assert_eq!(me.body["write"], true);
    assert_eq!(me.body["csrfToken"], csrf.as_str());
    assert_eq!(me.body["recoveryCodesLeft"], 10);

    // The same code twice in its step: the second sign-in is refused.
    let (twice, _) = sign_in(&app, "alice", PASSWORD, &current).await;
    assert_error(&twice, 401, 4503);

    // A recovery code stands in for the authenticator, once, written any way.
    let spaced = recovery[0].to_uppercase().replace('-', " ");
    let (by_recovery, recovered) = sign_in(&app, "alice", PASSWORD, &spaced).await;
    assert_eq!(by_recovery.status, 200, "{}", by_recovery.body);
    assert!(recovered.is_some());
    let (used, _) = sign_in(&app, "alice", PASSWORD, recovery[0]).await;
    assert_error(&used, 401, 4503);
    let me = whoami(&app, &cookie).await;
    assert_eq!(me.body["recoveryCodesLeft"], 9);
}

#[tokio::test]
async fn changes_through_a_session_need_its_csrf_token() {
    let app = spawn_app().await;
    let alice = signed_in(&app, "alice", AdminScope::Deployment).await;
    let pool = json!({"name": "Made by alice"});

    let (no_token, _) = send(
        &app,
        Method::POST,
        "/api/v1/admin/pools",
        Some(&alice.cookie),
        None,
        Some(&pool),
    )
    .await;
    assert_error(&no_token, 403, 4504);
    let (wrong, _) = send(
        &app,
        Method::POST,
        "/api/v1/admin/pools",
        Some(&alice.cookie),
        Some("not-the-token"),
        Some(&pool),
    )
    .await;
    assert_error(&wrong, 403, 4504);
    let listed = app.services.pools().list().await.expect("pools");
    assert_eq!(listed.len(), 1, "no pool was made without the token");

    let (read, _) = send(
        &app,
        Method::GET,
        "/api/v1/admin/pools",
        Some(&alice.cookie),
        None,
        None,
    )
    .await;
    assert_eq!(read.status, 200, "reads need no CSRF token: {}", read.body);
    let made = alice
        .call(&app, Method::POST, "/api/v1/admin/pools", Some(&pool))
        .await;
    assert_eq!(made.status, 201, "{}", made.body);

    // Signing out is a change too; then the cookie is worthless.
    let (bare_out, _) = send(
        &app,
        Method::DELETE,
        "/api/v1/admin/session",
        Some(&alice.cookie),
        None,
        None,
    )
    .await;
    assert_error(&bare_out, 403, 4504);
    let (out, cleared) = send(
        &app,
        Method::DELETE,
        "/api/v1/admin/session",
        Some(&alice.cookie),
        Some(&alice.csrf),
        None,
    )
    .await;
    assert_eq!(out.status, 204, "{}", out.body);
    assert!(
        cleared
            .iter()
            .any(|c| c.starts_with("denglu_admin=;") && c.contains("Max-Age=0")),
        "{cleared:?}"
    );
    let after = whoami(&app, &alice.cookie).await;
    assert_error(&after, 401, 4506);

    let events = events(
        &app,
        AuditFilter {
            actor: Some("operator:alice".to_owned()),
            limit: 50,
            ..Default::default()
        },
    )
    .await;
    let kinds: Vec<&str> = events.iter().map(|e| e.event.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "operator.sign_out",
            "pool.create",
            "operator.sign_in",
            "operator.setup"
        ]
    );
    let created = &events[1].event;
    assert_eq!(created.user_agent.as_deref(), Some("console-tests/1.0"));
    assert_eq!(created.ip.as_deref(), Some("127.0.0.1"));
}

#[tokio::test]
async fn a_session_ends_after_its_idle_and_absolute_timeouts() {
    let app = spawn_app().await;
    let alice = signed_in(&app, "alice", AdminScope::Deployment).await;
    app.clock.advance(TimeDelta::minutes(29));
    assert_eq!(
        whoami(&app, &alice.cookie).await.status,
        200,
        "used within the idle timeout"
    );
    app.clock.advance(TimeDelta::minutes(31));
    assert_error(&whoami(&app, &alice.cookie).await, 401, 4506);

    app.clock.advance(TimeDelta::seconds(30));
    let (reply, cookie) = sign_in(&app, "alice", PASSWORD, &code(&app, &alice.authenticator)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let busy = Browser {
        cookie: cookie.expect("cookie"),
        ..alice
    };
    for _ in 0..(12 * 3 - 1) {
        app.clock.advance(TimeDelta::minutes(20));
        assert_eq!(whoami(&app, &busy.cookie).await.status, 200);
    }
    app.clock.advance(TimeDelta::minutes(20));
    assert_error(&whoami(&app, &busy.cookie).await, 401, 4506);
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_name_and_recorded() {
    let app = spawn_app().await;
    let alice = signed_in(&app, "alice", AdminScope::Deployment).await;
    app.clock.advance(TimeDelta::minutes(1));
    for _ in 0..5 {
        let (refused, _) = sign_in(&app, "alice", "a wrong password", "123456").await;
        assert_error(&refused, 401, 4503);
    }
    app.clock.advance(TimeDelta::seconds(30));
    let (limited, cookie) =
        sign_in(&app, "alice", PASSWORD, &code(&app, &alice.authenticator)).await;
    assert_error(&limited, 429, 4290);
    assert!(cookie.is_none());
    app.clock.advance(TimeDelta::minutes(1));
    let (allowed, _) = sign_in(&app, "alice", PASSWORD, &code(&app, &alice.authenticator)).await;
    assert_eq!(allowed.status, 200, "{}", allowed.body);

    let events = events(
        &app,
        AuditFilter {
            kind: Some("operator.sign_in".to_owned()),
            limit: 50,
            ..Default::default()
        },
    )
    .await;
    let codes: Vec<Option<u32>> = events.iter().map(|e| e.event.code).collect();
    assert_eq!(
        codes,
        [
            None,
            Some(4290),
            Some(4503),
            Some(4503),
            Some(4503),
            Some(4503),
            Some(4503),
            None
        ]
    );
    assert!(
        events.iter().all(
            |e| e.event.actor == "operator:alice" && e.event.ip.as_deref() == Some("127.0.0.1")
        )
    );
    assert!(
        !serde_json::to_string(&events.iter().map(|e| &e.event.detail).collect::<Vec<_>>())
            .expect("json")
            .contains(PASSWORD)
    );
}

#[tokio::test]
async fn setup_and_sign_in_refuse_bad_input_clearly() {
    let app = spawn_app().await;
    let token = create_operator(&app, "alice", AdminScope::Deployment).await;
    for (path, body) in [
        (
            "/api/v1/admin/setup/totp",
            json!({"setupToken": "not-a-link"}),
        ),
        (
            "/api/v1/admin/setup",
            json!({"setupToken": "not-a-link", "password": PASSWORD, "code": "123456"}),
        ),
    ] {
        assert_error(&app.post_json(path, &body).await, 400, 4505);
    }
    let early = app
        .post_json(
            "/api/v1/admin/setup",
            &json!({"setupToken": token, "password": PASSWORD, "code": "123456"}),
        )
        .await;
    assert_error(&early, 400, 1002);
    assert!(
        early.body["message"]
            .as_str()
            .unwrap_or_default()
            .contains("setup/totp"),
        "{}",
        early.body
    );
    for body in [
        json!({"name": "alice", "password": PASSWORD}),
        json!({"name": "alice", "password": PASSWORD, "code": 123456}),
        json!({"name": "alice", "password": PASSWORD, "code": "123456", "remember": true}),
    ] {
        let (reply, _) = send(
            &app,
            Method::POST,
            "/api/v1/admin/session",
            None,
            None,
            Some(&body),
        )
        .await;
        assert_error(&reply, 400, 1002);
    }
    let (not_json, _) = send(
        &app,
        Method::POST,
        "/api/v1/admin/session",
        None,
        None,
        Some(&json!("text")),
    )
    .await;
    assert_error(&not_json, 400, 1002);
    let garbage = whoami(&app, "denglu_admin=garbage").await;
    assert_error(&garbage, 401, 4506);

    app.clock
        .advance(TimeDelta::days(3) + TimeDelta::seconds(1));
    let expired = app
        .post_json("/api/v1/admin/setup/totp", &json!({"setupToken": token}))
        .await;
    assert_error(&expired, 400, 4505);
}
