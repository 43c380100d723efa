//! Admin tokens: missing, unknown, expired, revoked, a user's token instead of an admin token, read-only tokens,
//! and what a token says about itself.

use reqwest::Method;
use serde_json::json;

use super::{admin_token, assert_error, call, get, owner, post};
use crate::helpers::spawn_app;

#[tokio::test]
async fn admin_routes_refuse_a_request_without_a_token_or_with_a_bad_one() {
    let app = spawn_app().await;
    let bare = app.get("/api/v1/admin/pools").await;
    assert_error(&bare, 401, 4501);

    let unknown = get(&app, "dgl_admin_not-a-token", "/api/v1/admin/pools").await;
    assert_error(&unknown, 401, 4502);

    let user_token = app.signed_up_token("ada").await;
    let as_user = get(&app, &user_token, "/api/v1/admin/pools").await;
    assert_error(&as_user, 401, 4502);
}

#[tokio::test]
async fn a_token_stops_working_when_it_expires_or_is_revoked() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let made = post(
        &app,
        &root,
        "/api/v1/admin/tokens",
        &json!({"name": "ci", "write": true, "expiresInDays": 1}),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let secret = made.body["secret"].as_str().expect("secret").to_owned();
    assert!(secret.starts_with("dgl_admin_"), "{secret}");
    assert_eq!(get(&app, &secret, "/api/v1/admin/whoami").await.status, 200);

    let listed = get(&app, &root, "/api/v1/admin/tokens").await;
    assert_eq!(listed.status, 200, "{}", listed.body);
    let text = listed.body.to_string();
    assert!(text.contains("\"ci\""), "{text}");
    assert!(!text.contains(&secret), "a list never shows a secret");

    let id = made.body["token"]["id"].as_str().expect("id");
    let revoked = call(
        &app,
        &root,
        Method::DELETE,
        &format!("/api/v1/admin/tokens/{id}"),
        None,
    )
    .await;
    assert_eq!(revoked.status, 204, "{}", revoked.body);
    assert_error(&get(&app, &secret, "/api/v1/admin/whoami").await, 401, 4502);
    let again = call(
        &app,
        &root,
        Method::DELETE,
        &format!("/api/v1/admin/tokens/{id}"),
        None,
    )
    .await;
    assert_error(&again, 400, 1002);

    let short = admin_token(&app, None, false).await;
    assert_eq!(get(&app, &short, "/api/v1/admin/whoami").await.status, 200);
    app.clock.advance(chrono::TimeDelta::days(31));
    assert_error(&get(&app, &short, "/api/v1/admin/whoami").await, 401, 4502);
}

#[tokio::test]
async fn a_read_only_token_reads_but_changes_nothing() {
    let app = spawn_app().await;
    let pool = app.pool_id();
    let reader = admin_token(&app, None, false).await;
    let whoami = get(&app, &reader, "/api/v1/admin/whoami").await;
    assert_eq!(whoami.body["write"], false, "{}", whoami.body);
    assert_eq!(whoami.body["pools"], json!(null), "{}", whoami.body);

    assert_eq!(
        get(&app, &reader, &format!("/api/v1/admin/pools/{pool}"))
            .await
            .status,
        200
    );
    let renamed = call(
        &app,
        &reader,
        Method::PATCH,
        &format!("/api/v1/admin/pools/{pool}"),
        Some(&json!({"name": "taken over"})),
    )
    .await;
    assert_error(&renamed, 403, 1001);
    let rotated = post(
        &app,
        &reader,
        &format!("/api/v1/admin/pools/{pool}/keys"),
        &json!({}),
    )
    .await;
    assert_error(&rotated, 403, 1001);
    let token = post(
        &app,
        &reader,
        "/api/v1/admin/tokens",
        &json!({"name": "escalate", "write": true}),
    )
    .await;
    assert_error(&token, 403, 1001);

    let after = get(&app, &reader, &format!("/api/v1/admin/pools/{pool}")).await;
    assert_eq!(
        after.body["name"],
        app.pool.pool.name.as_str(),
        "nothing changed"
    );
}

#[tokio::test]
async fn token_requests_with_bad_fields_are_refused_naming_them() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    for (body, words) in [
        (json!({"name": ""}), "token name"),
        (json!({"name": "x", "expiresInDays": 0}), "days"),
        (json!({"name": "x", "pools": ["nope"]}), "pools"),
        (json!({"name": "x", "pools": []}), "at least one pool"),
        (json!({"name": "x", "admin": true}), "admin"),
        (json!({"name": 5}), "name"),
    ] {
        let reply = post(&app, &root, "/api/v1/admin/tokens", &body).await;
        assert_error(&reply, 400, 1002);
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(words), "{body}: {message}");
    }
    let missing_pool = post(
        &app,
        &root,
        "/api/v1/admin/tokens",
        &json!({"name": "x", "pools": ["0123456789abcdef01234567"]}),
    )
    .await;
    assert_error(&missing_pool, 404, 2224);
}
