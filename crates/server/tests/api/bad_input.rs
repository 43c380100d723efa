//! Bad input gets a documented error and writes nothing.

use denglu_server::HttpSettings;
use serde_json::json;

use crate::helpers::{spawn_app, spawn_app_with};

#[tokio::test]
async fn malformed_json_wrong_types_and_missing_content_type_are_invalid_requests() {
    let app = spawn_app().await;
    let url = format!("{}/api/v1/pools/{}/users", app.base, app.pool_id());
    let requests = [
        app.client
            .post(&url)
            .header("content-type", "application/json")
            .body("{\"username\": \"x\", "),
        app.client
            .post(&url)
            .json(&json!({"username": 5, "password": "correct horse"})),
        app.client.post(&url).json(&json!(["not", "an", "object"])),
        app.client
            .post(&url)
            .json(&json!({"username": "x", "password": "correct horse", "admin": true})),
        app.client
            .post(&url)
            .body("{\"username\":\"x\",\"password\":\"correct horse\"}"),
    ];
    for request in requests {
        let reply = app.send(request).await;
        assert_eq!(
            (reply.status, reply.body["code"].clone()),
            (400, json!(1002)),
            "{}",
            reply.body
        );
    }
    assert!(
        app.services
            .accounts()
            .users(&app.pool.pool.id, 10, 0)
            .await
            .expect("list")
            .is_empty(),
        "nothing was written"
    );
}

#[tokio::test]
async fn a_ten_megabyte_body_is_refused_as_too_large() {
    let app = spawn_app().await;
    let huge = format!(
        "{{\"username\":\"{}\",\"password\":\"correct horse\"}}",
        "x".repeat(10 * 1024 * 1024)
    );
    let url = format!("{}/api/v1/pools/{}/users", app.base, app.pool_id());
    let reply = app
        .send(
            app.client
                .post(url)
                .header("content-type", "application/json")
                .body(huge),
        )
        .await;
    assert_eq!(
        (reply.status, reply.body["code"].clone()),
        (413, json!(1003))
    );
}

#[tokio::test]
async fn the_body_limit_follows_the_settings() {
    let app = spawn_app_with(HttpSettings {
        max_body_bytes: 64,
        ..HttpSettings::default()
    })
    .await;
    let reply = app
        .register(
            "a-rather-long-username-to-pass-the-limit",
            "correct horse battery staple",
        )
        .await;
    assert_eq!(reply.body["code"], 1003);
    assert_eq!(app.register("pat", "correct horse").await.status, 201);
}

#[tokio::test]
async fn unknown_or_malformed_pool_ids_are_unknown_pools() {
    let app = spawn_app().await;
    for pool in [
        "000000000000000000000000",
        "not-a-pool",
        "zzzzzzzzzzzzzzzzzzzzzzzz",
    ] {
        let reply = app.login_in(pool, "alice", "correct horse").await;
        assert_eq!(
            (reply.status, reply.body["code"].clone()),
            (404, json!(2224)),
            "{pool}"
        );
        let reply = app.get(&format!("/api/v1/pools/{pool}/jwks.json")).await;
        assert_eq!(reply.body["code"], 2224);
    }
}

#[tokio::test]
async fn rejections_name_the_field_and_never_a_rust_type() {
    let app = spawn_app().await;
    let url = format!("{}/api/v1/pools/{}/users", app.base, app.pool_id());
    let cases = [
        (
            json!(["pat", "pat@example.com", "correct horse", "Pat"]),
            "invalid request body: the body must be a JSON object",
        ),
        (
            json!({"username": 5, "password": "correct horse"}),
            "invalid request body: `username`: invalid type: integer `5`, expected a string",
        ),
        (
            json!({"username": "pat"}),
            "invalid request body: missing field `password`",
        ),
    ];
    for (body, message) in cases {
        let reply = app.send(app.client.post(&url).json(&body)).await;
        assert_eq!(
            (reply.status, &reply.body["message"]),
            (400, &json!(message)),
            "{body}"
        );
    }
    let settings = app
        .send(
            app.client
                .put(format!(
                    "{}/api/v1/pools/{}/qr-settings",
                    app.base,
                    app.pool_id()
                ))
                .header("x-pool-secret", &app.pool.secret)
                .json(&json!({"ownApp": "wx123"})),
        )
        .await;
    assert_eq!(
        (settings.status, &settings.body["message"]),
        (
            400,
            &json!(
                "invalid request body: `ownApp`: invalid type: string \"wx123\", expected an object"
            )
        ),
    );
    assert!(
        app.services
            .accounts()
            .users(&app.pool.pool.id, 10, 0)
            .await
            .expect("list")
            .is_empty(),
        "nothing was written"
    );
}

#[tokio::test]
async fn an_oversized_logo_is_refused_as_too_large_in_the_native_shape() {
    let app = spawn_app().await;
    let reply = app
        .send(
            app.client
                .put(format!("{}/api/v1/pools/{}/logo", app.base, app.pool_id()))
                .header("x-pool-secret", &app.pool.secret)
                .header("content-type", "image/png")
                .body(vec![0_u8; 2 * 1024 * 1024]),
        )
        .await;
    assert_eq!(
        (reply.status, reply.body["code"].clone()),
        (413, json!(1003)),
        "{}",
        reply.body
    );
    let logo = app
        .get(&format!("/api/v1/pools/{}/logo.png", app.pool_id()))
        .await;
    assert_eq!(logo.status, 404, "no logo was stored");
}

#[tokio::test]
async fn an_oversized_wechat_code_is_refused_while_the_body_is_read() {
    let app = spawn_app().await;
    let huge = "c".repeat(200 * 1024);
    let mint = app
        .post_json(
            "/api/v1/app-login/tickets",
            &json!({"userPoolId": app.pool_id(), "code": huge}),
        )
        .await;
    assert_eq!(
        (mint.status, &mint.body["message"]),
        (
            400,
            &json!("invalid request body: `code`: at most 256 characters")
        )
    );
    let scan = app
        .post_json(
            "/api/v1/scanner/sessions/some-scene/scan",
            &json!({"code": "c".repeat(257)}),
        )
        .await;
    assert_eq!(
        (scan.status, scan.body["code"].clone()),
        (400, json!(1002)),
        "{}",
        scan.body
    );
    let nul = app
        .post_json(
            "/api/v1/app-login/tickets",
            &json!({"userPoolId": app.pool_id(), "code": "a\u{0}b"}),
        )
        .await;
    assert_eq!(
        (nul.status, &nul.body["message"]),
        (
            400,
            &json!("invalid request body: `code`: contains a NUL character")
        )
    );
}

#[tokio::test]
async fn nul_characters_in_paths_and_nicknames_are_refused_naming_the_field() {
    let app = spawn_app().await;
    for path in [
        "/api/v1/scanner/sessions/%00",
        "/api/v1/scanner/sessions/a%00b",
        "/qrcode/a%00b.png",
        "/qrcode/..%2F..%2Fetc%2Fpasswd.png",
    ] {
        let reply = app.get(path).await;
        assert_eq!(
            (reply.status, &reply.body["message"]),
            (
                400,
                &json!("invalid `scene`: a QR scene has 1 to 128 letters, digits, `-` and `_`")
            ),
            "{path}"
        );
    }
    let scan = app
        .post_json("/api/v1/scanner/sessions/a%00b/scan", &json!({"code": "c"}))
        .await;
    assert_eq!((scan.status, scan.body["code"].clone()), (400, json!(1002)));

    let url = format!("{}/api/v1/pools/{}/users", app.base, app.pool_id());
    let body = json!({"username": "nul", "password": "correct horse", "nickname": "N\u{0}"});
    let reply = app.send(app.client.post(&url).json(&body)).await;
    assert_eq!(
        (reply.status, &reply.body["message"]),
        (400, &json!("`nickname` contains a NUL character"))
    );
    assert!(
        app.services
            .accounts()
            .users(&app.pool.pool.id, 10, 0)
            .await
            .expect("list")
            .is_empty(),
        "nothing was written"
    );
}
