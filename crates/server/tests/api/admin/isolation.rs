//! Pool isolation: a token that administers one pool reads and changes nothing of another, through every admin
//! endpoint, and sees only its own pools and their events.

use reqwest::Method;
use serde_json::{Value, json};

use super::{admin_token, call, get, owner, post};
use crate::helpers::{pool_settings, spawn_app};

#[tokio::test]
async fn a_pool_admin_reaches_nothing_of_another_pool_through_any_endpoint() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let mine = app.pool.pool.id.clone();
    let theirs = app
        .services
        .pools()
        .create(pool_settings(
            denglu_domain::JwtAlgorithm::ES256,
            denglu_domain::RegistrationPolicy::Open,
        ))
        .await
        .expect("pool")
        .pool
        .id;
    let victim = app
        .register_in(theirs.as_str(), "victim", "correct horse")
        .await;
    let victim = victim.body["_id"].as_str().expect("id").to_owned();
    let kid = get(&app, &root, &format!("/api/v1/admin/pools/{theirs}/keys"))
        .await
        .body["keys"][0]["kid"]
        .as_str()
        .expect("kid")
        .to_owned();
    let their_app = "wx00000000000c0001";
    let added = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{theirs}/apps"),
        &json!({"appid": their_app, "kind": "mini_program", "secret": "s", "roles": ["sdk"], "check": false}),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let their_client = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{theirs}/clients"),
        &json!({"name": "Their shop", "kind": "confidential", "redirectUris": ["https://theirs.example/cb"]}),
    )
    .await;
    assert_eq!(their_client.status, 201, "{}", their_client.body);
    let their_client = their_client.body["clientId"]
        .as_str()
        .expect("client id")
        .to_owned();
    let admin = admin_token(&app, Some(vec![mine.clone()]), true).await;
    let before = get(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{theirs}/users/{victim}"),
    )
    .await;

    let pool = format!("/api/v1/admin/pools/{theirs}");
    let user = format!("{pool}/users/{victim}");
    let walk: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, pool.clone(), None),
        (
            Method::PATCH,
            pool.clone(),
            Some(json!({"name": "mine now"})),
        ),
        (
            Method::DELETE,
            pool.clone(),
            Some(json!({"confirm": theirs.as_str()})),
        ),
        (Method::POST, format!("{pool}/secret"), None),
        (Method::GET, format!("{pool}/qr-settings"), None),
        (
            Method::PATCH,
            format!("{pool}/qr-settings"),
            Some(json!({"lifetimeSeconds": 60})),
        ),
        (Method::GET, format!("{pool}/logo"), None),
        (Method::PUT, format!("{pool}/logo"), Some(json!({}))),
        (Method::DELETE, format!("{pool}/logo"), None),
        (Method::GET, format!("{pool}/app-login-settings"), None),
        (
            Method::PATCH,
            format!("{pool}/app-login-settings"),
            Some(json!({"requireSecret": false})),
        ),
        (Method::GET, format!("{pool}/keys"), None),
        (Method::POST, format!("{pool}/keys"), None),
        (Method::POST, format!("{pool}/keys/{kid}/retire"), None),
        (Method::GET, format!("{pool}/apps"), None),
        (
            Method::POST,
            format!("{pool}/apps"),
            Some(json!({"appid": "wx00000000000c0002", "kind": "mobile_app", "check": false})),
        ),
        (
            Method::PATCH,
            format!("{pool}/apps/{their_app}"),
            Some(json!({"name": "mine now"})),
        ),
        (Method::DELETE, format!("{pool}/apps/{their_app}"), None),
        (Method::POST, format!("{pool}/apps/{their_app}/check"), None),
        (Method::GET, format!("{pool}/clients"), None),
        (
            Method::POST,
            format!("{pool}/clients"),
            Some(
                json!({"name": "mole", "kind": "public", "redirectUris": ["https://mole.example/cb"]}),
            ),
        ),
        (Method::GET, format!("{pool}/clients/{their_client}"), None),
        (
            Method::PATCH,
            format!("{pool}/clients/{their_client}"),
            Some(json!({"redirectUris": ["https://mole.example/cb"]})),
        ),
        (
            Method::DELETE,
            format!("{pool}/clients/{their_client}"),
            None,
        ),
        (
            Method::POST,
            format!("{pool}/clients/{their_client}/secret"),
            None,
        ),
        (Method::GET, format!("{pool}/users"), None),
        (Method::GET, format!("{pool}/users?q=victim"), None),
        (
            Method::POST,
            format!("{pool}/users"),
            Some(json!({"username": "mole", "password": "correct horse"})),
        ),
        (Method::GET, user.clone(), None),
        (
            Method::PATCH,
            user.clone(),
            Some(json!({"nickname": "pwned"})),
        ),
        (Method::DELETE, user.clone(), None),
        (Method::POST, format!("{user}/block"), None),
        (Method::POST, format!("{user}/unblock"), None),
        (Method::POST, format!("{user}/logout"), None),
        (
            Method::GET,
            format!("/api/v1/admin/audit?pool={theirs}"),
            None,
        ),
        (Method::GET, "/api/v1/admin/tokens".to_owned(), None),
        (
            Method::POST,
            "/api/v1/admin/tokens".to_owned(),
            Some(json!({"name": "wider", "write": true})),
        ),
        (
            Method::POST,
            "/api/v1/admin/pools".to_owned(),
            Some(json!({"name": "another"})),
        ),
    ];
    for (method, path, body) in walk {
        let reply = call(&app, &admin, method.clone(), &path, body.as_ref()).await;
        assert_eq!(
            (reply.status, reply.body["code"].clone()),
            (403, json!(1001)),
            "{method} {path}: {}",
            reply.body
        );
    }

    let untouched = get(&app, &root, &user).await;
    assert_eq!(untouched.status, 200, "{}", untouched.body);
    assert_eq!(
        untouched.body["user"], before.body["user"],
        "the other pool's user is untouched"
    );
    assert_eq!(get(&app, &root, &pool).await.body["name"], "Test pool");
    let their_apps = get(&app, &root, &format!("{pool}/apps")).await;
    assert_eq!(
        (
            their_apps.body["apps"].as_array().map(Vec::len),
            their_apps.body["apps"][0]["name"].clone()
        ),
        (Some(1), json!(their_app)),
        "the other pool's apps are untouched: {}",
        their_apps.body
    );

    let their_clients = get(&app, &root, &format!("{pool}/clients")).await;
    assert_eq!(
        (
            their_clients.body["clients"].as_array().map(Vec::len),
            their_clients.body["clients"][0]["redirectUris"].clone()
        ),
        (Some(1), json!(["https://theirs.example/cb"])),
        "the other pool's clients are untouched: {}",
        their_clients.body
    );

    let listed = get(&app, &admin, "/api/v1/admin/pools").await;
    assert_eq!(
        listed.body["pools"].as_array().map(Vec::len),
        Some(1),
        "{}",
        listed.body
    );
    assert_eq!(listed.body["pools"][0]["id"], mine.as_str());

    let own = get(&app, &admin, &format!("/api/v1/admin/pools/{mine}/users")).await;
    assert_eq!(own.status, 200, "its own pool is fine: {}", own.body);
    let renamed = post(&app, &root, &format!("{pool}/secret"), &json!({})).await;
    assert_eq!(renamed.status, 200);
    let events = get(&app, &admin, "/api/v1/admin/audit").await;
    assert_eq!(events.status, 200, "{}", events.body);
    let events = events.body["events"].as_array().expect("events").clone();
    assert!(
        events
            .iter()
            .all(|event| event["poolId"] == json!(mine.as_str())),
        "a pool admin sees only its pools' events: {events:?}"
    );
}
