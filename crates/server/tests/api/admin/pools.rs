//! Pools through the admin API: create, list, show, change (an algorithm change brings a new key), rotate the
//! secret, rotate and retire keys, and delete with confirmation (a failed delete leaves the pool whole).

use reqwest::Method;
use serde_json::{Value, json};

use super::{assert_error, call, get, owner, post};
use crate::helpers::{TestApp, spawn_app};

async fn kids(app: &TestApp, pool: &str) -> Vec<String> {
    let jwks = app.get(&format!("/api/v1/pools/{pool}/jwks.json")).await;
    jwks.body["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .map(|key| key["kid"].as_str().expect("kid").to_owned())
        .collect()
}

#[tokio::test]
async fn an_owner_creates_lists_shows_and_changes_a_pool() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let made = post(
        &app,
        &root,
        "/api/v1/admin/pools",
        &json!({"name": "Shop", "jwtAlgorithm": "HS256", "tokenLifetimeSeconds": 3600,
                "registrationPolicy": "login-only"}),
    )
    .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let pool = made.body["pool"]["id"].as_str().expect("id").to_owned();
    let secret = made.body["secret"].as_str().expect("secret").to_owned();
    assert_eq!(made.body["pool"]["jwtAlgorithm"], "HS256");
    assert_eq!(made.body["pool"]["registrationPolicy"], "login-only");

    let listed = get(&app, &root, "/api/v1/admin/pools").await;
    let ids: Vec<&str> = listed.body["pools"]
        .as_array()
        .expect("pools")
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    assert!(
        ids.contains(&pool.as_str()) && ids.contains(&app.pool_id().as_str()),
        "{ids:?}"
    );
    assert!(
        !listed.body.to_string().contains(&secret),
        "a list never shows a secret"
    );

    let changed = call(
        &app,
        &root,
        Method::PATCH,
        &format!("/api/v1/admin/pools/{pool}"),
        Some(
            &json!({"name": "Shop 2", "tokenLifetimeSeconds": 7200, "registrationPolicy": "open"}),
        ),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        (
            &changed.body["name"],
            &changed.body["tokenLifetimeSeconds"],
            &changed.body["registrationPolicy"]
        ),
        (&json!("Shop 2"), &json!(7200), &json!("open"))
    );
    let shown = get(&app, &root, &format!("/api/v1/admin/pools/{pool}")).await;
    assert_eq!(shown.body["name"], "Shop 2", "{}", shown.body);
    let signed_up = app.register_in(&pool, "bob", "correct horse").await;
    assert_eq!(
        signed_up.status, 201,
        "the pool is open now: {}",
        signed_up.body
    );
}

#[tokio::test]
async fn a_new_algorithm_brings_a_new_active_key_and_old_tokens_keep_verifying() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let before = app.signed_up_token("ada").await;
    let old_kids = kids(&app, &pool).await;

    let changed = call(
        &app,
        &root,
        Method::PATCH,
        &format!("/api/v1/admin/pools/{pool}"),
        Some(&json!({"jwtAlgorithm": "RS256"})),
    )
    .await;
    assert_eq!(changed.body["jwtAlgorithm"], "RS256", "{}", changed.body);
    let keys = get(&app, &root, &format!("/api/v1/admin/pools/{pool}/keys")).await;
    let keys = keys.body["keys"].as_array().expect("keys").clone();
    assert_eq!(
        (keys[0]["algorithm"].clone(), keys[0]["state"].clone()),
        (json!("RS256"), json!("active"))
    );
    assert_eq!(keys[1]["state"], "previous");

    let login = app.login("ada", "correct horse").await;
    let after = login.body["token"].as_str().expect("token");
    let header = jsonwebtoken::decode_header(after).expect("header");
    assert_eq!(format!("{:?}", header.alg), "RS256");
    assert_eq!(
        app.check_token(&before).await["status"],
        true,
        "the old key still verifies"
    );
    let published = kids(&app, &pool).await;
    assert!(
        old_kids.iter().all(|kid| published.contains(kid)),
        "{published:?}"
    );
}

#[tokio::test]
async fn keys_rotate_and_retire_through_the_admin_api() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let before = app.signed_up_token("ada").await;
    let old = kids(&app, &pool).await.remove(0);

    let rotated = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{pool}/keys"),
        &json!({}),
    )
    .await;
    assert_eq!(rotated.status, 201, "{}", rotated.body);
    let new = rotated.body["kid"].as_str().expect("kid").to_owned();
    assert_eq!(rotated.body["state"], "active");
    assert_eq!(kids(&app, &pool).await.len(), 2, "both keys are published");
    assert_eq!(app.check_token(&before).await["status"], true);

    let active = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{pool}/keys/{new}/retire"),
        &json!({}),
    )
    .await;
    assert_error(&active, 400, 1002);
    let retired = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{pool}/keys/{old}/retire"),
        &json!({}),
    )
    .await;
    assert_eq!(
        (retired.status, retired.body["state"].clone()),
        (200, json!("retired")),
        "{}",
        retired.body
    );
    assert_eq!(kids(&app, &pool).await, vec![new]);
    assert_eq!(
        app.check_token(&before).await["code"],
        2207,
        "a retired key's tokens are refused"
    );
}

#[tokio::test]
async fn a_new_pool_secret_replaces_the_old_one() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let rotated = post(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{pool}/secret"),
        &json!({}),
    )
    .await;
    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let secret = rotated.body["secret"].as_str().expect("secret");
    let settings = |secret: String| {
        app.client
            .get(format!("{}/api/v1/pools/{pool}/qr-settings", app.base))
            .header("x-pool-secret", secret)
    };
    assert_eq!(app.send(settings(secret.to_owned())).await.status, 200);
    assert_eq!(
        app.send(settings(app.pool.secret.clone())).await.status,
        403
    );
}

#[tokio::test]
async fn a_pool_is_deleted_only_with_its_id_repeated_and_then_everything_of_it_goes() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let token = app.signed_up_token("ada").await;
    let path = format!("/api/v1/admin/pools/{pool}");

    for body in [json!({"confirm": "0123456789abcdef01234567"}), json!({})] {
        let refused = call(&app, &root, Method::DELETE, &path, Some(&body)).await;
        assert_error(&refused, 400, 1002);
    }
    assert_eq!(
        app.check_token(&token).await["status"],
        true,
        "a refused delete leaves the pool whole"
    );
    assert_eq!(app.login("ada", "correct horse").await.status, 200);

    let deleted = call(
        &app,
        &root,
        Method::DELETE,
        &path,
        Some(&json!({"confirm": pool})),
    )
    .await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    assert_error(&get(&app, &root, &path).await, 404, 2224);
    assert_ne!(app.check_token(&token).await["status"], Value::Bool(true));
    let users = app
        .store
        .users(&app.pool.pool.id, 10, 0)
        .await
        .expect("users");
    assert!(users.is_empty(), "the pool's users went with it");
    assert!(
        app.store
            .signing_keys(&app.pool.pool.id)
            .await
            .expect("keys")
            .is_empty()
    );
    let again = call(
        &app,
        &root,
        Method::DELETE,
        &path,
        Some(&json!({"confirm": pool})),
    )
    .await;
    assert_error(&again, 404, 2224);
}

#[tokio::test]
async fn pool_requests_with_bad_fields_are_refused_naming_them() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    for (body, field) in [
        (json!({"name": ""}), "name"),
        (json!({"jwtAlgorithm": "none"}), "jwtAlgorithm"),
        (json!({"tokenLifetimeSeconds": 1}), "tokenLifetimeSeconds"),
        (
            json!({"registrationPolicy": "everyone"}),
            "registrationPolicy",
        ),
        (
            json!({"tokenLifetimeSeconds": "long"}),
            "tokenLifetimeSeconds",
        ),
        (json!({"secret": "mine"}), "secret"),
    ] {
        let reply = call(
            &app,
            &root,
            Method::PATCH,
            &format!("/api/v1/admin/pools/{pool}"),
            Some(&body),
        )
        .await;
        assert_error(&reply, 400, 1002);
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(field), "{body}: {message}");
    }
    let malformed = app
        .send(
            app.client
                .post(format!("{}/api/v1/admin/pools", app.base))
                .bearer_auth(&root)
                .header("content-type", "application/json")
                .body("{\"name\": "),
        )
        .await;
    assert_error(&malformed, 400, 1002);
    let unknown = get(&app, &root, "/api/v1/admin/pools/0123456789abcdef01234567").await;
    assert_error(&unknown, 404, 2224);
    let garbage = get(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{}", "x".repeat(5000)),
    )
    .await;
    assert_error(&garbage, 404, 2224);
}
