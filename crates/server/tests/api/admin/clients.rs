//! A pool's applications (OIDC clients) through the admin API: confidential and public clients, the secret shown
//! once (at creation and rotation) and never again, every refusal naming its field, read-only tokens, unknown
//! clients, deletion with the client or with its pool.

use denglu_domain::{AuditFilter, ClientId};
use reqwest::Method;
use serde_json::{Value, json};

use super::{admin_token, assert_error, browser::events, call, get, owner, post};
use crate::helpers::{TestApp, spawn_app};

impl TestApp {
    fn clients_path(&self) -> String {
        format!("/api/v1/admin/pools/{}/clients", self.pool_id())
    }
}

fn web_app() -> Value {
    json!({
        "name": "Shop",
        "kind": "confidential",
        "logoUri": "https://shop.example.com/logo.png",
        "redirectUris": ["https://shop.example.com/callback", "http://127.0.0.1:8400/cb"],
        "postLogoutRedirectUris": ["https://shop.example.com/"],
        "grantTypes": ["authorization_code", "refresh_token", "client_credentials"],
        "scopes": ["openid", "profile", "phone"],
        "accessTokenLifetime": 600,
        "firstParty": true,
        "backchannelLogoutUri": "https://shop.example.com/logout"
    })
}

fn of_kind(kind: &str) -> AuditFilter {
    AuditFilter {
        kind: Some(kind.to_owned()),
        ..AuditFilter::default()
    }
}

/// The stored hash of a client's secret, as the store has it.
async fn stored_hash(app: &TestApp, client_id: &str) -> Option<[u8; 32]> {
    app.store
        .oidc_clients()
        .oidc_client(&app.pool.pool.id, &ClientId::parse(client_id).expect("id"))
        .await
        .expect("read")
        .expect("client")
        .secret_hash
        .map(|h| *h.as_bytes())
}

#[tokio::test]
async fn a_confidential_client_gets_a_secret_shown_once_and_stored_hashed() {
    let app = spawn_app().await;
    let root = owner(&app).await;

    let created = post(&app, &root, &app.clients_path(), &web_app()).await;

    assert_eq!(created.status, 201, "{}", created.body);
    let body = &created.body;
    let client_id = body["clientId"].as_str().expect("clientId").to_owned();
    let secret = body["clientSecret"]
        .as_str()
        .expect("clientSecret")
        .to_owned();
    assert!(client_id.len() >= 24 && secret.len() >= 43, "{body}");
    assert_eq!(body["kind"], "confidential");
    assert_eq!(body["secretSet"], true);
    assert_eq!(
        body["grantTypes"],
        json!(["authorization_code", "refresh_token", "client_credentials"])
    );
    assert_eq!(body["scopes"], json!(["openid", "profile", "phone"]));
    assert_eq!(
        (
            body["accessTokenLifetime"].clone(),
            body["refreshTokenLifetime"].clone(),
            body["idTokenLifetime"].clone()
        ),
        (json!(600), json!(2_592_000), json!(3600))
    );
    assert_eq!(body["firstParty"], true);
    assert_eq!(
        stored_hash(&app, &client_id).await,
        Some(*denglu_crypto::hash_secret(&secret).as_bytes())
    );

    let shown = get(&app, &root, &format!("{}/{client_id}", app.clients_path())).await;
    let listed = get(&app, &root, &app.clients_path()).await;
    let audit = format!("{:?}", events(&app, AuditFilter::default()).await);
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert_eq!(shown.body["redirectUris"], body["redirectUris"]);
    assert!(shown.body.get("clientSecret").is_none(), "{}", shown.body);
    assert_eq!(listed.body["clients"][0]["clientId"], client_id.as_str());
    for text in [
        shown.body.to_string(),
        listed.body.to_string(),
        audit.clone(),
    ] {
        assert!(
            !text.contains(&secret),
            "the secret is never shown again: {text}"
        );
    }
    let made = events(&app, of_kind("client.create")).await;
    let detail = made
        .first()
        .and_then(|e| e.event.detail.clone())
        .expect("a create event");
    assert_eq!(detail["after"]["secretSet"], true);
    assert_eq!(detail["after"]["clientId"], client_id.as_str());
}

#[tokio::test]
async fn a_public_client_has_no_secret_and_defaults() {
    let app = spawn_app().await;
    let root = owner(&app).await;

    let created = post(
        &app,
        &root,
        &app.clients_path(),
        &json!({"name": "Phone app", "kind": "public", "redirectUris": ["com.example.app:/callback"]}),
    )
    .await;

    assert_eq!(created.status, 201, "{}", created.body);
    assert_eq!(created.body["clientSecret"], Value::Null);
    assert_eq!(created.body["secretSet"], false);
    assert_eq!(
        created.body["grantTypes"],
        json!(["authorization_code", "refresh_token"])
    );
    assert_eq!(created.body["scopes"], json!(["openid", "profile"]));
    assert_eq!(created.body["firstParty"], false);
    let path = format!(
        "{}/{}/secret",
        app.clients_path(),
        created.body["clientId"].as_str().expect("id")
    );
    assert_error(&post(&app, &root, &path, &json!({})).await, 400, 1002);
}

#[tokio::test]
async fn every_bad_field_is_refused_with_1002_naming_it() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let with = |changes: Value| {
        let mut body = json!({"name": "Shop", "kind": "confidential", "redirectUris": ["https://shop.example/cb"]});
        for (key, value) in changes.as_object().expect("object") {
            body[key] = value.clone();
        }
        body
    };
    for (body, field) in [
        (with(json!({"name": ""})), "name"),
        (with(json!({"kind": "spa"})), "kind"),
        (
            with(json!({"logoUri": "http://shop.example/logo.png"})),
            "logoUri",
        ),
        (
            with(json!({"redirectUris": ["https://shop.example/cb#x"]})),
            "redirectUris",
        ),
        (
            with(json!({"redirectUris": ["https://*.shop.example/cb"]})),
            "redirectUris",
        ),
        (
            with(json!({"redirectUris": ["http://shop.example/cb"]})),
            "redirectUris",
        ),
        (
            with(json!({"redirectUris": ["javascript:alert(1)"]})),
            "redirectUris",
        ),
        (
            with(json!({"redirectUris": ["data:text/html,x"]})),
            "redirectUris",
        ),
        (
            with(json!({"redirectUris": ["file:///etc/passwd"]})),
            "redirectUris",
        ),
        (with(json!({"redirectUris": ["/cb"]})), "redirectUris"),
        (with(json!({"redirectUris": []})), "redirectUris"),
        (
            with(json!({"postLogoutRedirectUris": ["ftp://shop.example/"]})),
            "postLogoutRedirectUris",
        ),
        (with(json!({"grantTypes": ["password"]})), "grantTypes"),
        (with(json!({"grantTypes": ["implicit"]})), "grantTypes"),
        (with(json!({"grantTypes": ["refresh_token"]})), "grantTypes"),
        (with(json!({"grantTypes": []})), "grantTypes"),
        (
            with(json!({"kind": "public", "grantTypes": ["client_credentials"]})),
            "grantTypes",
        ),
        (with(json!({"scopes": ["admin"]})), "scopes"),
        (
            with(json!({"accessTokenLifetime": 59})),
            "accessTokenLifetime",
        ),
        (
            with(json!({"refreshTokenLifetime": 400 * 86400})),
            "refreshTokenLifetime",
        ),
        (with(json!({"idTokenLifetime": -1})), "idTokenLifetime"),
        (
            with(json!({"backchannelLogoutUri": "http://shop.example/logout"})),
            "backchannelLogoutUri",
        ),
        (
            with(json!({"tokenEndpointAuthMethod": "none"})),
            "tokenEndpointAuthMethod",
        ),
    ] {
        let reply = post(&app, &root, &app.clients_path(), &body).await;
        assert_error(&reply, 400, 1002);
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(field), "{field}: {message} for {body}");
    }
    let listed = get(&app, &root, &app.clients_path()).await;
    assert_eq!(listed.body["clients"], json!([]), "nothing was stored");

    let created = post(&app, &root, &app.clients_path(), &with(json!({}))).await;
    let path = format!(
        "{}/{}",
        app.clients_path(),
        created.body["clientId"].as_str().expect("id")
    );
    for (body, field) in [
        (json!({"redirectUris": []}), "redirectUris"),
        (json!({"grantTypes": ["device_code"]}), "grantTypes"),
        (json!({"kind": "public"}), "kind"),
        (json!({"clientId": "abcdefghijklmnopqrstuvwx"}), "clientId"),
    ] {
        let reply = call(&app, &root, Method::PATCH, &path, Some(&body)).await;
        assert_error(&reply, 400, 1002);
        let message = reply.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(field), "{field}: {message}");
    }
}

#[tokio::test]
async fn a_client_changes_every_field_but_kind_and_id_and_is_deleted() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let created = post(&app, &root, &app.clients_path(), &web_app()).await;
    let client_id = created.body["clientId"].as_str().expect("id").to_owned();
    let path = format!("{}/{client_id}", app.clients_path());

    let changed = call(
        &app,
        &root,
        Method::PATCH,
        &path,
        Some(&json!({
            "name": "Shop 2",
            "logoUri": null,
            "redirectUris": ["https://shop2.example.com/cb"],
            "grantTypes": ["authorization_code"],
            "scopes": ["openid", "wechat"],
            "refreshTokenLifetime": 7200,
            "firstParty": false,
            "backchannelLogoutUri": null
        })),
    )
    .await;

    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.body["clientId"], client_id.as_str());
    assert_eq!(changed.body["kind"], "confidential");
    assert_eq!(changed.body["name"], "Shop 2");
    assert_eq!(changed.body["logoUri"], Value::Null);
    assert_eq!(
        changed.body["redirectUris"],
        json!(["https://shop2.example.com/cb"])
    );
    assert_eq!(
        changed.body["postLogoutRedirectUris"],
        json!(["https://shop.example.com/"])
    );
    assert_eq!(changed.body["scopes"], json!(["openid", "wechat"]));
    assert_eq!(changed.body["refreshTokenLifetime"], 7200);
    assert_eq!(changed.body["accessTokenLifetime"], 600);
    assert_eq!(get(&app, &root, &path).await.body["name"], "Shop 2");
    let updates = events(&app, of_kind("client.update")).await;
    let detail = updates
        .first()
        .and_then(|e| e.event.detail.clone())
        .expect("an update event");
    assert_eq!(
        (
            detail["before"]["name"].clone(),
            detail["after"]["name"].clone()
        ),
        (json!("Shop"), json!("Shop 2"))
    );

    let deleted = call(&app, &root, Method::DELETE, &path, None).await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    assert_error(&get(&app, &root, &path).await, 404, 4701);
    assert_error(
        &call(&app, &root, Method::DELETE, &path, None).await,
        404,
        4701,
    );
    assert!(!events(&app, of_kind("client.delete")).await.is_empty());
}

#[tokio::test]
async fn rotating_replaces_the_secret_hash_and_shows_the_new_secret_once() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let created = post(&app, &root, &app.clients_path(), &web_app()).await;
    let client_id = created.body["clientId"].as_str().expect("id").to_owned();
    let old = created.body["clientSecret"]
        .as_str()
        .expect("secret")
        .to_owned();

    let rotated = post(
        &app,
        &root,
        &format!("{}/{client_id}/secret", app.clients_path()),
        &json!({}),
    )
    .await;

    assert_eq!(rotated.status, 200, "{}", rotated.body);
    let new = rotated.body["clientSecret"]
        .as_str()
        .expect("new secret")
        .to_owned();
    assert_ne!(new, old);
    let hash = stored_hash(&app, &client_id).await.expect("a hash");
    assert_eq!(hash, *denglu_crypto::hash_secret(&new).as_bytes());
    assert_ne!(hash, *denglu_crypto::hash_secret(&old).as_bytes());
    let audit = events(&app, of_kind("client.rotate_secret")).await;
    assert_eq!(audit.len(), 1);
    let detail = audit[0].event.detail.clone().expect("detail");
    assert_eq!(
        (
            detail["before"]["clientId"].clone(),
            detail["after"]["secretSet"].clone()
        ),
        (json!(client_id), json!(true))
    );
    let text = format!("{detail:?}");
    assert!(!text.contains(&new) && !text.contains(&old), "{text}");
}

#[tokio::test]
async fn a_read_only_token_reads_clients_but_changes_none() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let created = post(&app, &root, &app.clients_path(), &web_app()).await;
    let path = format!(
        "{}/{}",
        app.clients_path(),
        created.body["clientId"].as_str().expect("id")
    );
    let reader = admin_token(&app, Some(vec![app.pool.pool.id.clone()]), false).await;

    assert_eq!(get(&app, &reader, &app.clients_path()).await.status, 200);
    assert_eq!(get(&app, &reader, &path).await.status, 200);
    for (method, path, body) in [
        (Method::POST, app.clients_path(), Some(web_app())),
        (Method::PATCH, path.clone(), Some(json!({"name": "x"}))),
        (Method::POST, format!("{path}/secret"), None),
        (Method::DELETE, path.clone(), None),
    ] {
        let reply = call(&app, &reader, method.clone(), &path, body.as_ref()).await;
        assert_error(&reply, 403, 1001);
    }
    assert_eq!(get(&app, &root, &path).await.body["name"], "Shop");
}

#[tokio::test]
async fn unknown_clients_are_404_and_a_deleted_pool_takes_its_clients() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    for id in ["abcdefghijklmnopqrstuvwx", "short", "..%2F.."] {
        let path = format!("{}/{id}", app.clients_path());
        assert_error(&get(&app, &root, &path).await, 404, 4701);
        let patch = call(
            &app,
            &root,
            Method::PATCH,
            &path,
            Some(&json!({"name": "x"})),
        )
        .await;
        assert_error(&patch, 404, 4701);
        assert_error(
            &post(&app, &root, &format!("{path}/secret"), &json!({})).await,
            404,
            4701,
        );
    }
    let created = post(&app, &root, &app.clients_path(), &web_app()).await;
    let client_id = created.body["clientId"].as_str().expect("id").to_owned();

    let pool = app.pool_id();
    let deleted = call(
        &app,
        &root,
        Method::DELETE,
        &format!("/api/v1/admin/pools/{pool}"),
        Some(&json!({"confirm": pool})),
    )
    .await;

    assert_eq!(deleted.status, 204, "{}", deleted.body);
    let left = app
        .store
        .oidc_clients()
        .oidc_client(&app.pool.pool.id, &ClientId::parse(&client_id).expect("id"))
        .await
        .expect("read");
    assert!(left.is_none(), "the pool's clients went with it");
    assert_error(&get(&app, &root, &app.clients_path()).await, 404, 2224);
}
