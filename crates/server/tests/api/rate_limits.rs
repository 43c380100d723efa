//! The per-address (and, for the ticket exchange, per pool and address) rate limits of the login-like and
//! WeChat-costly endpoints: past a limit the answer is 4290 in the surface's shape, and another address (or pool)
//! is not affected. Addresses come from `X-Forwarded-For`, trusted in these tests.

use denglu_server::HttpSettings;
use serde_json::{Value, json};

use crate::helpers::{Reply, TestApp, pool_settings, spawn_app_with};

/// The address most requests come from, and another one.
const ADDRESS: &str = "203.0.113.7";
const OTHER_ADDRESS: &str = "198.51.100.20";

/// A server trusting `X-Forwarded-For`, with `limits` applied to the default settings.
async fn limited_app(limits: impl FnOnce(&mut HttpSettings)) -> TestApp {
    let mut http = HttpSettings {
        trust_forwarded_for: true,
        ..HttpSettings::default()
    };
    limits(&mut http);
    spawn_app_with(http).await
}

/// `POST path` with a JSON body from `address`.
async fn post_from(app: &TestApp, address: &str, path: &str, body: &Value) -> Reply {
    let request = app
        .client
        .post(format!("{}{path}", app.base))
        .header("x-forwarded-for", address)
        .json(body);
    app.send(request).await
}

/// Asserts a native 429 with code 4290.
fn assert_native_limited(reply: &Reply) {
    assert_eq!(
        (reply.status, reply.body["code"].clone()),
        (429, json!(4290)),
        "{}",
        reply.body
    );
}

/// Asserts a compatible HTTP 200 with code 4290.
fn assert_compat_limited(reply: &Reply) {
    assert_eq!(
        (reply.status, reply.body["code"].clone()),
        (200, json!(4290)),
        "{}",
        reply.body
    );
    assert!(reply.body["message"].is_string(), "{}", reply.body);
}

/// Asserts any answer but 4290.
fn assert_not_limited(reply: &Reply) {
    let code = reply.body["code"]
        .as_u64()
        .or_else(|| reply.body["errors"][0]["message"]["code"].as_u64());
    assert!(
        reply.status != 429 && code != Some(4290),
        "HTTP {}: {}",
        reply.status,
        reply.body
    );
}

/// GraphQL `register` with a password that was not encrypted with the login key (1002 unless limited).
async fn graphql_register(app: &TestApp, address: &str, username: &str) -> Reply {
    let query = "mutation register($registerInClient: String!, $username: String, $password: String) { \
                 register(userInfo: {registerInClient: $registerInClient, username: $username, password: $password}) { _id } }";
    let body = json!({"query": query, "variables": {
        "registerInClient": app.pool_id(), "username": username, "password": "not encrypted"}});
    post_from(app, address, "/graphql", &body).await
}

#[tokio::test]
async fn one_address_may_only_sign_up_so_often_natively_and_through_graphql_together() {
    let app = limited_app(|http| http.sign_ups_per_minute = 2).await;
    let users = format!("/api/v1/pools/{}/users", app.pool_id());
    let sign_up = |name: &str| json!({"username": name, "password": "correct horse"});

    let first = post_from(&app, ADDRESS, &users, &sign_up("alice")).await;
    assert_eq!(first.status, 201, "{}", first.body);
    let through_graphql = graphql_register(&app, ADDRESS, "bob").await;
    assert_eq!(
        through_graphql.body["errors"][0]["message"]["code"], 1002,
        "counted, then refused for its password: {}",
        through_graphql.body
    );

    assert_native_limited(&post_from(&app, ADDRESS, &users, &sign_up("carol")).await);
    let limited = graphql_register(&app, ADDRESS, "dave").await;
    assert_eq!(limited.status, 200);
    assert_eq!(
        limited.body["errors"][0]["message"]["code"], 4290,
        "{}",
        limited.body
    );
    let other = post_from(&app, OTHER_ADDRESS, &users, &sign_up("erin")).await;
    assert_eq!(other.status, 201, "{}", other.body);
    assert_not_limited(&graphql_register(&app, OTHER_ADDRESS, "frank").await);
}

#[tokio::test]
async fn one_address_may_only_scan_so_often() {
    let app = limited_app(|http| http.scans_per_minute = 2).await;
    let scan = "/api/v1/scanner/sessions/noSuchScene0001/scan";
    let body = json!({"code": "a-wx-login-code"});

    for _ in 0..2 {
        let unknown = post_from(&app, ADDRESS, scan, &body).await;
        assert_eq!(unknown.body["code"], 4205, "{}", unknown.body);
    }
    assert_native_limited(&post_from(&app, ADDRESS, scan, &body).await);
    let other = post_from(&app, OTHER_ADDRESS, scan, &body).await;
    assert_eq!(other.body["code"], 4205, "{}", other.body);
}

#[tokio::test]
async fn one_address_may_only_mint_so_many_app_launch_tickets() {
    let app = limited_app(|http| http.ticket_mints_per_minute = 2).await;
    let body = json!({"userPoolId": app.pool_id(), "code": "not-a-wx-login-code"});

    for _ in 0..2 {
        assert_not_limited(&post_from(&app, ADDRESS, "/api/v1/app-login/tickets", &body).await);
    }
    assert_native_limited(&post_from(&app, ADDRESS, "/api/v1/app-login/tickets", &body).await);
    assert_not_limited(&post_from(&app, OTHER_ADDRESS, "/api/v1/app-login/tickets", &body).await);
}

#[tokio::test]
async fn ticket_exchanges_are_limited_per_pool_and_address() {
    let app = limited_app(|http| http.ticket_exchanges_per_minute = 2).await;
    let other_pool = app
        .services
        .pools()
        .create(pool_settings(
            Default::default(),
            denglu_domain::RegistrationPolicy::Open,
        ))
        .await
        .expect("pool");
    let exchange = |pool: &str, secret: &str| {
        (
            format!("/oauth/app2wxapp/auth/{pool}"),
            json!({"ticket": "no-such-ticket", "secret": secret}),
        )
    };
    let (path, body) = exchange(&app.pool_id(), &app.pool.secret);

    for _ in 0..2 {
        let unknown = post_from(&app, ADDRESS, &path, &body).await;
        assert_eq!(unknown.body["code"], 4401, "{}", unknown.body);
    }
    assert_compat_limited(&post_from(&app, ADDRESS, &path, &body).await);

    let (other_path, other_body) = exchange(&other_pool.pool.id.to_string(), &other_pool.secret);
    let other_pool_reply = post_from(&app, ADDRESS, &other_path, &other_body).await;
    assert_eq!(
        other_pool_reply.body["code"], 4401,
        "another pool from the same address: {}",
        other_pool_reply.body
    );
    let other_address = post_from(&app, OTHER_ADDRESS, &path, &body).await;
    assert_eq!(
        other_address.body["code"], 4401,
        "another backend of the same pool: {}",
        other_address.body
    );
}

#[tokio::test]
async fn one_address_may_only_make_so_many_mini_program_sdk_calls() {
    let app = limited_app(|http| http.wechatapp_calls_per_minute = 3).await;
    let pool = app.pool_id();
    let body = json!({"code": "not-a-wx-login-code", "encryptedData": "AAAA", "iv": "AAAA", "phoneCode": "x"});

    for route in ["auth", "getphone", "decrypt"] {
        let path = format!("/oauth/wechatapp/{route}/{pool}");
        assert_not_limited(&post_from(&app, ADDRESS, &path, &body).await);
    }
    for route in ["auth", "getphone", "decrypt"] {
        let path = format!("/oauth/wechatapp/{route}/{pool}");
        assert_compat_limited(&post_from(&app, ADDRESS, &path, &body).await);
    }
    let path = format!("/oauth/wechatapp/auth/{pool}");
    assert_not_limited(&post_from(&app, OTHER_ADDRESS, &path, &body).await);
}

#[tokio::test]
async fn one_address_may_only_upload_so_many_avatars() {
    let app = limited_app(|http| http.avatar_uploads_per_minute = 2).await;
    let token = app.signed_up_token("alice").await;
    let user_id = app.check_token(&token).await["token"]["data"]["id"]
        .as_str()
        .expect("user id")
        .to_owned();
    let upload = |address: &str| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"not an image".to_vec()).file_name("a.png"),
        );
        app.client
            .post(format!("{}/api/v1/users/{user_id}/avatar", app.base))
            .bearer_auth(&token)
            .header("x-forwarded-for", address)
            .multipart(form)
    };

    for _ in 0..2 {
        let refused = app.send(upload(ADDRESS)).await;
        assert_eq!(
            (refused.status, refused.body["code"].clone()),
            (400, json!(1002)),
            "{}",
            refused.body
        );
    }
    assert_native_limited(&app.send(upload(ADDRESS)).await);
    let other = app.send(upload(OTHER_ADDRESS)).await;
    assert_eq!(other.body["code"], 1002, "{}", other.body);
}
