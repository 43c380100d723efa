//! Operators on a browser, for the admin tests: an account made as `denglu admin create` makes it, set up through
//! the setup API with codes from `totp-rs`, signed in; requests with the session cookie and CSRF token.

use chrono::TimeDelta;
use denglu_domain::{AdminScope, AuditEvent, AuditFilter, Clock};
use denglu_service::Operator;
use reqwest::{Method, header};
use serde_json::{Value, json};
use totp_rs::{Builder, Secret};

use crate::helpers::{Reply, TestApp};

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

/// `GET /api/v1/admin/whoami` with the session cookie `cookie` only.
pub(crate) async fn whoami(app: &TestApp, cookie: &str) -> Reply {
    send(
        app,
        Method::GET,
        "/api/v1/admin/whoami",
        Some(cookie),
        None,
        None,
    )
    .await
    .0
}

/// The audit events `filter` selects, as the command line reads them.
pub(crate) async fn events(app: &TestApp, filter: AuditFilter) -> Vec<AuditEvent> {
    app.services
        .admin(&Operator::command_line())
        .audit_events(filter)
        .await
        .expect("events")
}
