//! Operators on a browser: setting an account up through its link, signing in with password and one-time code (or
//! a recovery code), the session cookie and its CSRF token, timeouts, sign-in limits, signing out.

use chrono::TimeDelta;
use denglu_domain::{AdminScope, Clock};
use denglu_service::Operator;
use reqwest::{Method, header};
use serde_json::{Value, json};
use totp_rs::{Builder, Secret};

use super::assert_error;
use crate::helpers::{Reply, TestApp, spawn_app};

/// A strong enough operator password.
pub(crate) const PASSWORD: &str = "correct horse battery";

/// An operator signed in on a browser: the session cookie, its CSRF token, and their authenticator.
pub(crate) struct Browser {
    pub(crate) cookie: String,
    pub(crate) csrf: String,
    pub(crate) authenticator: Vec<u8>,
}

/// The six digits `authenticator` shows at the app's clock.
pub(crate) fn code(app: &TestApp, authenticator: &[u8]) -> String {
    let totp = Builder::new()
        .with_secret(authenticator.to_vec())
        .build()
        .expect("valid secret");
    let now = u64::try_from(app.clock.now().timestamp()).expect("after 1970");
    totp.generate(now).to_string()
}

/// Sends a request with the operator's cookie and, when given, a CSRF token; answers the reply and its
/// `Set-Cookie` headers.
pub(crate) async fn send(
    app: &TestApp,
    method: Method,
    path: &str,
    cookie: Option<&str>,
    csrf: Option<&str>,
    body: Option<&Value>,
) -> (Reply, Vec<String>) {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.base))
        .header(header::USER_AGENT, "console-tests/1.0");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    if let Some(csrf) = csrf {
        request = request.header("x-csrf-token", csrf);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await.expect("request reaches the server");
    let cookies = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|value| value.to_str().expect("ASCII cookie").to_owned())
        .collect();
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (Reply { status, body }, cookies)
}

/// Makes an operator as `denglu admin create` does; answers the setup token.
pub(crate) async fn create_operator(app: &TestApp, name: &str, scope: AdminScope) -> String {
    app.services
        .admin(&Operator::command_line())
        .create_operator(name, scope)
        .await
        .expect("operator made")
        .setup_secret
}

/// Sets the operator of `setup_token` up through the setup API; answers their authenticator secret and recovery
/// codes.
pub(crate) async fn set_up(app: &TestApp, setup_token: &str) -> (Vec<u8>, Vec<String>) {
    let offer = app
        .post_json(
            "/api/v1/admin/setup/totp",
            &json!({"setupToken": setup_token}),
        )
        .await;
    assert_eq!(offer.status, 200, "{}", offer.body);
    let base32 = offer.body["secret"].as_str().expect("secret");
    let authenticator = Secret::try_from_base32(base32)
        .expect("base32")
        .as_bytes()
        .to_vec();
    let done = app
        .post_json(
            "/api/v1/admin/setup",
            &json!({"setupToken": setup_token, "password": PASSWORD, "code": code(app, &authenticator)}),
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes = done.body["recoveryCodes"]
        .as_array()
        .expect("codes")
        .iter()
        .map(|code| code.as_str().expect("text").to_owned())
        .collect();
    (authenticator, codes)
}

/// Signs `name` in with `code`; answers the reply and the cookie pair (`denglu_admin=…`) it set, if any.
pub(crate) async fn sign_in(
    app: &TestApp,
    name: &str,
    password: &str,
    code: &str,
) -> (Reply, Option<String>) {
    let body = json!({"name": name, "password": password, "code": code});
    let (reply, cookies) = send(
        app,
        Method::POST,
        "/api/v1/admin/session",
        None,
        None,
        Some(&body),
    )
    .await;
    let cookie = cookies
        .iter()
        .find_map(|cookie| cookie.split(';').next())
        .filter(|pair| pair.starts_with("denglu_admin=") && pair.len() > "denglu_admin=".len())
        .map(str::to_owned);
    (reply, cookie)
}

/// An operator made, set up and signed in; the clock moves on a step, so that later sign-ins get a fresh code.
pub(crate) async fn signed_in(app: &TestApp, name: &str, scope: AdminScope) -> Browser {
    let token = create_operator(app, name, scope).await;
    let (authenticator, _) = set_up(app, &token).await;
    app.clock.advance(TimeDelta::seconds(30));
    let (reply, cookie) = sign_in(app, name, PASSWORD, &code(app, &authenticator)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    Browser {
        cookie: cookie.expect("a session cookie"),
        csrf: reply.body["csrfToken"].as_str().expect("csrf").to_owned(),
        authenticator,
    }
}

impl Browser {
    /// `method path` with the session cookie and its CSRF token.
    pub(crate) async fn call(
        &self,
        app: &TestApp,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Reply {
        send(
            app,
            method,
            path,
            Some(&self.cookie),
            Some(&self.csrf),
            body,
        )
        .await
        .0
    }
}

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

    let (me, _) = send(
        &app,
        Method::GET,
        "/api/v1/admin/whoami",
        Some(&cookie),
        None,
        None,
    )
    .await;
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
    let (me, _) = send(
        &app,
        Method::GET,
        "/api/v1/admin/whoami",
        Some(&cookie),
        None,
        None,
    )
    .await;
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
    let (after, _) = send(
        &app,
        Method::GET,
        "/api/v1/admin/whoami",
        Some(&alice.cookie),
        None,
        None,
    )
    .await;
    assert_error(&after, 401, 4506);

    let events = app
        .services
        .admin(&Operator::command_line())
        .audit_events(denglu_domain::AuditFilter {
            actor: Some("operator:alice".to_owned()),
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("events");
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
    let whoami = |browser: &Browser| {
        let cookie = browser.cookie.clone();
        let app = &app;
        async move {
            send(
                app,
                Method::GET,
                "/api/v1/admin/whoami",
                Some(&cookie),
                None,
                None,
            )
            .await
            .0
        }
    };
    app.clock.advance(TimeDelta::minutes(29));
    assert_eq!(
        whoami(&alice).await.status,
        200,
        "used within the idle timeout"
    );
    app.clock.advance(TimeDelta::minutes(31));
    assert_error(&whoami(&alice).await, 401, 4506);

    app.clock.advance(TimeDelta::seconds(30));
    let (reply, cookie) = sign_in(&app, "alice", PASSWORD, &code(&app, &alice.authenticator)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let busy = Browser {
        cookie: cookie.expect("cookie"),
        ..alice
    };
    for _ in 0..(12 * 3 - 1) {
        app.clock.advance(TimeDelta::minutes(20));
        assert_eq!(whoami(&busy).await.status, 200);
    }
    app.clock.advance(TimeDelta::minutes(20));
    assert_error(&whoami(&busy).await, 401, 4506);
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

    let events = app
        .services
        .admin(&Operator::command_line())
        .audit_events(denglu_domain::AuditFilter {
            kind: Some("operator.sign_in".to_owned()),
            limit: 50,
            ..Default::default()
        })
        .await
        .expect("events");
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
    let (garbage, _) = send(
        &app,
        Method::GET,
        "/api/v1/admin/whoami",
        Some("denglu_admin=garbage"),
        None,
        None,
    )
    .await;
    assert_error(&garbage, 401, 4506);

    app.clock
        .advance(TimeDelta::days(3) + TimeDelta::seconds(1));
    let expired = app
        .post_json("/api/v1/admin/setup/totp", &json!({"setupToken": token}))
        .await;
    assert_error(&expired, 400, 4505);
}
