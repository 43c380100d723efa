//! A pool's login settings through the admin API: QR settings, logo and app-launched login settings; read with a
//! read-only token, changed with write, refused for another pool's admin and for bad bodies (naming the field),
//! recorded in the audit log with before and after, and followed by the pool-secret routes and the flows.

use chrono::TimeDelta;
use denglu_domain::{AdminScope, JwtAlgorithm, PoolId, RegistrationPolicy};
use reqwest::Method;
use serde_json::{Value, json};

use super::{
    admin_token, assert_error,
    browser::{send, signed_in},
    call, get, owner,
};
use crate::{
    helpers::{TestApp, pool_settings, spawn_app},
    qr::scene_of,
};

/// A small PNG: a red square.
fn png_logo() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(64, 64, image::Rgb([220, 30, 30]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode");
    bytes.into_inner()
}

fn settings_path(pool: &str, what: &str) -> String {
    format!("/api/v1/admin/pools/{pool}/{what}")
}

async fn patch(app: &TestApp, token: &str, path: &str, body: &Value) -> crate::helpers::Reply {
    call(app, token, Method::PATCH, path, Some(body)).await
}

/// `PUT path` with `token` and the raw `body`.
async fn put_bytes(app: &TestApp, token: &str, path: &str, body: Vec<u8>) -> crate::helpers::Reply {
    app.send(
        app.client
            .put(format!("{}{path}", app.base))
            .bearer_auth(token)
            .body(body),
    )
    .await
}

/// `GET path` with `token`: the status, content type and bytes.
async fn get_bytes(app: &TestApp, token: &str, path: &str) -> (u16, Option<String>, Vec<u8>) {
    let response = app
        .client
        .get(format!("{}{path}", app.base))
        .bearer_auth(token)
        .send()
        .await
        .expect("request reaches the server");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let bytes = response.bytes().await.expect("body").to_vec();
    (status, content_type, bytes)
}

/// The newest audit event of `kind` about `pool`.
async fn latest_event(app: &TestApp, token: &str, pool: &str, kind: &str) -> Value {
    let page = get(
        app,
        token,
        &format!("/api/v1/admin/audit?pool={pool}&kind={kind}&limit=1"),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body["events"][0].clone()
}

async fn other_pool(app: &TestApp) -> PoolId {
    app.services
        .pools()
        .create(pool_settings(JwtAlgorithm::ES256, RegistrationPolicy::Open))
        .await
        .expect("pool")
        .pool
        .id
}

#[tokio::test]
async fn an_operator_changes_the_qr_settings_and_new_codes_follow_them() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let path = settings_path(&pool, "qr-settings");

    let shown = get(&app, &root, &path).await;
    assert_eq!(
        shown.body,
        json!({"mode": "url", "lifetimeSeconds": 120, "callbackUrl": null, "scanner": "deployment"}),
        "the defaults, and nothing of the pool's own app"
    );
    let changed = patch(
        &app,
        &root,
        &path,
        &json!({"lifetimeSeconds": 60, "callbackUrl": "https://app.example.com/cb"}),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        changed.body,
        json!({"mode": "url", "lifetimeSeconds": 60, "callbackUrl": "https://app.example.com/cb", "scanner": "deployment"})
    );
    assert_eq!(get(&app, &root, &path).await.body, changed.body);

    let by_secret = app
        .send(
            app.client
                .get(format!("{}/api/v1/pools/{pool}/qr-settings", app.base))
                .header("x-pool-secret", &app.pool.secret),
        )
        .await;
    assert_eq!(by_secret.body["lifetimeSeconds"], 60, "{}", by_secret.body);
    assert_eq!(by_secret.body["callbackUrl"], "https://app.example.com/cb");
    let started = app.start_qr("adminSettingsRandom01").await;
    assert_eq!(
        started.body["data"]["redirect"], "https://app.example.com/cb",
        "{}",
        started.body
    );
    let session = app
        .store
        .qr_session(&scene_of(&started))
        .await
        .expect("store answers")
        .expect("the session");
    assert_eq!(
        session.expires_at - session.created_at,
        TimeDelta::seconds(60),
        "a code made afterwards lives the new lifetime"
    );

    let cleared = patch(&app, &root, &path, &json!({"callbackUrl": null})).await;
    assert_eq!(cleared.status, 200, "{}", cleared.body);
    assert_eq!(cleared.body["callbackUrl"], Value::Null);
    assert_eq!(cleared.body["lifetimeSeconds"], 60, "absent fields stay");

    let event = latest_event(&app, &root, &pool, "pool.qr_settings").await;
    assert_eq!(event["kind"], "pool.qr_settings", "{event}");
    assert_eq!(event["poolId"], pool.as_str());
    assert_eq!(
        event["detail"],
        json!({
            "before": {"mode": "url", "lifetimeSeconds": 60, "callbackUrl": "https://app.example.com/cb", "scanner": "deployment"},
            "after": {"mode": "url", "lifetimeSeconds": 60, "callbackUrl": null, "scanner": "deployment"},
        })
    );
}

#[tokio::test]
async fn an_operator_uploads_shows_and_removes_the_logo() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let path = settings_path(&pool, "logo");

    let none = get(&app, &root, &path).await;
    assert_error(&none, 404, 1004);
    let refused = put_bytes(&app, &root, &path, b"GIF89a not an allowed image".to_vec()).await;
    assert_error(&refused, 400, 1002);
    let stored = put_bytes(&app, &root, &path, png_logo()).await;
    assert_eq!(stored.status, 204, "{}", stored.body);

    let (status, content_type, png) = get_bytes(&app, &root, &path).await;
    assert_eq!((status, content_type.as_deref()), (200, Some("image/png")));
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let public = app
        .client
        .get(format!("{}/api/v1/pools/{pool}/logo.png", app.base))
        .send()
        .await
        .expect("request reaches the server")
        .bytes()
        .await
        .expect("body");
    assert_eq!(public.as_ref(), png.as_slice(), "the logo the codes show");
    let event = latest_event(&app, &root, &pool, "pool.logo").await;
    assert_eq!(
        event["detail"],
        json!({"before": {"logo": null}, "after": {"logo": {"pngBytes": png.len()}}}),
        "{event}"
    );

    let removed = call(&app, &root, Method::DELETE, &path, None).await;
    assert_eq!(removed.status, 204, "{}", removed.body);
    assert_error(&get(&app, &root, &path).await, 404, 1004);
    let public = app.get(&format!("/api/v1/pools/{pool}/logo.png")).await;
    assert_error(&public, 404, 1004);
    let event = latest_event(&app, &root, &pool, "pool.logo").await;
    assert_eq!(event["detail"]["after"], json!({"logo": null}), "{event}");
}

/// The text of the one QR code in a PNG.
fn decode_qr(png: &[u8]) -> String {
    let picture = image::load_from_memory(png).expect("an image").to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(picture);
    let grids = prepared.detect_grids();
    let (_, text) = grids
        .first()
        .expect("one QR code")
        .decode()
        .expect("decodes");
    text
}

#[tokio::test]
async fn the_qr_preview_shows_the_pools_code_with_its_logo() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let path = settings_path(&pool, "qr-preview");

    let (status, content_type, plain) = get_bytes(&app, &root, &path).await;
    assert_eq!((status, content_type.as_deref()), (200, Some("image/png")));
    let link = decode_qr(&plain);
    assert!(
        link.starts_with(&format!("{}/s/", app.base)),
        "the deployment scanner's link: {link}"
    );
    let stored = put_bytes(&app, &root, &settings_path(&pool, "logo"), png_logo()).await;
    assert_eq!(stored.status, 204, "{}", stored.body);
    let (_, _, with_logo) = get_bytes(&app, &root, &path).await;
    assert_ne!(with_logo, plain, "the logo is drawn in");
    assert_eq!(decode_qr(&with_logo), link, "and the code still reads");

    let reader = admin_token(&app, Some(vec![PoolId::parse(&pool).expect("id")]), false).await;
    assert_eq!(
        get_bytes(&app, &reader, &path).await.0,
        200,
        "reading is enough"
    );
    let other = other_pool(&app).await;
    let outsider = admin_token(&app, Some(vec![other]), true).await;
    assert_error(&get(&app, &outsider, &path).await, 403, 1001);
    let unknown = get(
        &app,
        &root,
        &settings_path("5f0c0c0c0c0c0c0c0c0c0c0c", "qr-preview"),
    )
    .await;
    assert_error(&unknown, 404, 2224);
}

#[tokio::test]
async fn an_operator_changes_the_app_login_settings_and_the_exchange_follows_them() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let path = settings_path(&pool, "app-login-settings");

    let shown = get(&app, &root, &path).await;
    assert_eq!(
        shown.body,
        json!({"ticketLifetimeSeconds": 120, "requireSecret": true, "requirePkce": false})
    );
    let changed = patch(
        &app,
        &root,
        &path,
        &json!({"requireSecret": false, "ticketLifetimeSeconds": 300}),
    )
    .await;
    assert_eq!(
        changed.body,
        json!({"ticketLifetimeSeconds": 300, "requireSecret": false, "requirePkce": false})
    );
    let by_secret = app
        .send(
            app.client
                .get(format!(
                    "{}/api/v1/pools/{pool}/app-login-settings",
                    app.base
                ))
                .header("x-pool-secret", &app.pool.secret),
        )
        .await;
    assert_eq!(by_secret.body, changed.body);

    let ticket = app.mint_ticket(false).await;
    app.clock.advance(TimeDelta::seconds(200));
    let exchanged = app.exchange(&json!({"ticket": ticket})).await;
    assert_eq!(
        exchanged["code"], 200,
        "no secret needed, and the ticket lives 300 s: {exchanged}"
    );

    let event = latest_event(&app, &root, &pool, "pool.app_login_settings").await;
    assert_eq!(
        event["detail"],
        json!({
            "before": {"ticketLifetimeSeconds": 120, "requireSecret": true, "requirePkce": false},
            "after": {"ticketLifetimeSeconds": 300, "requireSecret": false, "requirePkce": false},
        }),
        "{event}"
    );
}

#[tokio::test]
async fn bad_settings_are_refused_naming_the_field_and_change_nothing() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let qr = settings_path(&pool, "qr-settings");
    let app_login = settings_path(&pool, "app-login-settings");

    for (path, body, field) in [
        (&qr, json!({"mode": "carrier-pigeon"}), "mode"),
        (&qr, json!({"lifetimeSeconds": 5}), "lifetimeSeconds"),
        (&qr, json!({"lifetimeSeconds": "sixty"}), "lifetimeSeconds"),
        (
            &qr,
            json!({"callbackUrl": "javascript:alert(1)"}),
            "callbackUrl",
        ),
        (&qr, json!({"callbackUrl": "/relative"}), "callbackUrl"),
        (&qr, json!({"ownApp": null}), "ownApp"),
        (
            &app_login,
            json!({"ticketLifetimeSeconds": 601}),
            "ticketLifetimeSeconds",
        ),
        (&app_login, json!({"requireSecret": "no"}), "requireSecret"),
        (
            &app_login,
            json!({"requirePkce": true, "extra": 1}),
            "extra",
        ),
    ] {
        let refused = patch(&app, &root, path, &body).await;
        assert_error(&refused, 400, 1002);
        let message = refused.body["message"].as_str().unwrap_or_default();
        assert!(message.contains(field), "{body}: {message}");
    }
    let not_json = app
        .send(
            app.client
                .patch(format!("{}{qr}", app.base))
                .bearer_auth(&root)
                .header("content-type", "application/json")
                .body("{mode"),
        )
        .await;
    assert_error(&not_json, 400, 1002);

    assert_eq!(
        get(&app, &root, &qr).await.body,
        json!({"mode": "url", "lifetimeSeconds": 120, "callbackUrl": null, "scanner": "deployment"})
    );
    assert_eq!(
        get(&app, &root, &app_login).await.body,
        json!({"ticketLifetimeSeconds": 120, "requireSecret": true, "requirePkce": false})
    );
    let events = get(
        &app,
        &root,
        &format!("/api/v1/admin/audit?pool={pool}&kind=pool"),
    )
    .await;
    assert_eq!(events.body["events"], json!([]), "nothing recorded");

    let unknown = "0".repeat(24);
    for pool in [unknown.as_str(), "not-a-pool"] {
        for what in ["qr-settings", "logo", "app-login-settings"] {
            assert_error(
                &get(&app, &root, &settings_path(pool, what)).await,
                404,
                2224,
            );
        }
        let logo = settings_path(pool, "logo");
        assert_error(
            &call(&app, &root, Method::DELETE, &logo, None).await,
            404,
            2224,
        );
    }
    for path in [
        settings_path(&unknown, "qr-settings"),
        settings_path(&unknown, "app-login-settings"),
    ] {
        assert_error(&patch(&app, &root, &path, &json!({})).await, 404, 2224);
    }
    assert_error(
        &put_bytes(&app, &root, &settings_path(&unknown, "logo"), png_logo()).await,
        404,
        2224,
    );
}

#[tokio::test]
async fn a_read_only_token_reads_the_settings_but_changes_none() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let pool = app.pool_id();
    let stored = put_bytes(&app, &root, &settings_path(&pool, "logo"), png_logo()).await;
    assert_eq!(stored.status, 204, "{}", stored.body);
    let reader = admin_token(&app, Some(vec![app.pool.pool.id.clone()]), false).await;

    for what in ["qr-settings", "app-login-settings"] {
        let shown = get(&app, &reader, &settings_path(&pool, what)).await;
        assert_eq!(shown.status, 200, "{what}: {}", shown.body);
    }
    let (status, _, _) = get_bytes(&app, &reader, &settings_path(&pool, "logo")).await;
    assert_eq!(status, 200);

    let qr = settings_path(&pool, "qr-settings");
    let app_login = settings_path(&pool, "app-login-settings");
    let logo = settings_path(&pool, "logo");
    assert_error(
        &patch(&app, &reader, &qr, &json!({"lifetimeSeconds": 60})).await,
        403,
        1001,
    );
    assert_error(
        &patch(&app, &reader, &app_login, &json!({"requireSecret": false})).await,
        403,
        1001,
    );
    assert_error(
        &put_bytes(&app, &reader, &logo, png_logo()).await,
        403,
        1001,
    );
    assert_error(
        &call(&app, &reader, Method::DELETE, &logo, None).await,
        403,
        1001,
    );

    assert_eq!(get(&app, &root, &qr).await.body["lifetimeSeconds"], 120);
    assert_eq!(
        get(&app, &root, &app_login).await.body["requireSecret"],
        true
    );
    assert_eq!(get_bytes(&app, &root, &logo).await.0, 200, "the logo stays");
}

#[tokio::test]
async fn another_pools_admin_gets_1001_on_every_settings_route() {
    let app = spawn_app().await;
    let root = owner(&app).await;
    let theirs = other_pool(&app).await;
    let stored = put_bytes(
        &app,
        &root,
        &settings_path(theirs.as_str(), "logo"),
        png_logo(),
    )
    .await;
    assert_eq!(stored.status, 204, "{}", stored.body);
    let admin = admin_token(&app, Some(vec![app.pool.pool.id.clone()]), true).await;
    let qr = settings_path(theirs.as_str(), "qr-settings");
    let app_login = settings_path(theirs.as_str(), "app-login-settings");
    let logo = settings_path(theirs.as_str(), "logo");

    assert_error(&get(&app, &admin, &qr).await, 403, 1001);
    assert_error(&get(&app, &admin, &app_login).await, 403, 1001);
    assert_error(&get(&app, &admin, &logo).await, 403, 1001);
    assert_error(
        &patch(&app, &admin, &qr, &json!({"lifetimeSeconds": 60})).await,
        403,
        1001,
    );
    assert_error(
        &patch(&app, &admin, &app_login, &json!({"requireSecret": false})).await,
        403,
        1001,
    );
    assert_error(&put_bytes(&app, &admin, &logo, png_logo()).await, 403, 1001);
    assert_error(
        &call(&app, &admin, Method::DELETE, &logo, None).await,
        403,
        1001,
    );

    assert_eq!(get(&app, &root, &qr).await.body["lifetimeSeconds"], 120);
    assert_eq!(
        get(&app, &root, &app_login).await.body["requireSecret"],
        true
    );
    assert_eq!(
        get_bytes(&app, &root, &logo).await.0,
        200,
        "their logo stays"
    );
}

#[tokio::test]
async fn a_browser_session_changes_settings_only_with_its_csrf_token() {
    let app = spawn_app().await;
    let pool = app.pool_id();
    let qr = settings_path(&pool, "qr-settings");
    let browser = signed_in(&app, "alice", AdminScope::Deployment).await;
    let body = json!({"mode": "wxacode"});

    let (bare, _) = send(
        &app,
        Method::PATCH,
        &qr,
        Some(&browser.cookie),
        None,
        Some(&body),
    )
    .await;
    assert_error(&bare, 403, 4504);
    let (no_one, _) = send(&app, Method::GET, &qr, None, None, None).await;
    assert_error(&no_one, 401, 4501);
    assert_error(&get(&app, "dgl_admin_bogus", &qr).await, 401, 4502);

    let changed = browser.call(&app, Method::PATCH, &qr, Some(&body)).await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.body["mode"], "wxacode");
    let root = owner(&app).await;
    let event = latest_event(&app, &root, &pool, "pool.qr_settings").await;
    assert_eq!(event["actor"], "operator:alice", "{event}");
    assert_eq!(event["detail"]["before"]["mode"], "url");
    assert_eq!(event["detail"]["after"]["mode"], "wxacode");
}
