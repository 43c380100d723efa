//! The admin API (`/api/v1/admin`): admin tokens and their scopes, pools and their login settings, keys, users, the
//! audit log, and pool isolation, over HTTP.

mod apps;
mod audit;
mod auth;
mod browser;
mod clients;
mod isolation;
mod logins;
mod operators;
mod pools;
mod sessions;
mod settings;
mod users;

use denglu_domain::{AdminScope, PoolId};
use denglu_service::{NewAdminToken, Operator};
use serde_json::Value;

use crate::helpers::{Reply, TestApp};

/// Makes an admin token the way `denglu admin token create` does, and returns its secret.
pub(crate) async fn admin_token(app: &TestApp, pools: Option<Vec<PoolId>>, write: bool) -> String {
    let operator = Operator::command_line();
    let new = NewAdminToken {
        name: "tests".to_owned(),
        scope: pools.map_or(AdminScope::Deployment, AdminScope::Pools),
        write,
        lifetime_days: 30,
    };
    app.services
        .admin(&operator)
        .create_token(new)
        .await
        .expect("token made")
        .secret
}

/// An owner's token with write.
pub(crate) async fn owner(app: &TestApp) -> String {
    admin_token(app, None, true).await
}

/// Sends `method path` with `token` and an optional JSON body.
pub(crate) async fn call(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> Reply {
    let mut request = app
        .client
        .request(method, format!("{}{path}", app.base))
        .bearer_auth(token)
        .header("user-agent", "admin-tests/1.0");
    if let Some(body) = body {
        request = request.json(body);
    }
    app.send(request).await
}

/// `GET path` with `token`.
pub(crate) async fn get(app: &TestApp, token: &str, path: &str) -> Reply {
    call(app, token, reqwest::Method::GET, path, None).await
}

/// `POST path` with `token` and `body`.
pub(crate) async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> Reply {
    call(app, token, reqwest::Method::POST, path, Some(body)).await
}

/// Asserts an error reply's status and code.
#[track_caller]
pub(crate) fn assert_error(reply: &Reply, status: u16, code: u64) {
    assert_eq!(
        (reply.status, reply.body["code"].as_u64()),
        (status, Some(code)),
        "{}",
        reply.body
    );
    assert!(
        reply.body["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        reply.body
    );
}
