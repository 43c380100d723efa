//! The device flow with WeChat as the user's step: the device gets its codes, the user scans the QR session they
//! name (or types the user code at the verification page), the device polls: pending, slowed down, then its tokens
//! once; refused, expired and foreign device codes.

use std::time::Duration;

use serde_json::{Value, json};

use super::{Rp, web_app};
use crate::helpers::{Reply, spawn_app};

fn device_app() -> Value {
    let mut body = web_app();
    body["kind"] = json!("public");
    body["grantTypes"] = json!([
        "urn:ietf:params:oauth:grant-type:device_code",
        "refresh_token"
    ]);
    body["redirectUris"] = json!([]);
    body
}

impl Rp<'_> {
    async fn start_device(&self, scope: &str) -> Reply {
        let request = self
            .http
            .post(format!("{}/device/authorize", self.app.issuer()))
            .form(&[("client_id", self.client_id.as_str()), ("scope", scope)]);
        self.app.send(request).await
    }

    async fn poll_device(&self, device_code: &str) -> Reply {
        self.token(&[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", device_code),
            ("client_id", &self.client_id),
        ])
        .await
    }
}

#[tokio::test]
async fn a_device_logs_in_when_the_user_scans_its_code_with_wechat_and_confirms() {
    let app = spawn_app().await;
    let rp = app.rp(device_app()).await;
    let started = rp.start_device("openid profile offline_access").await;
    assert_eq!(started.status, 200, "{}", started.body);
    let answer = &started.body;
    let device_code = answer["device_code"].as_str().expect("device code");
    let user_code = answer["user_code"].as_str().expect("user code");
    assert_eq!(user_code.len(), 9, "XXXX-XXXX");
    assert_eq!(
        answer["verification_uri"],
        format!("{}/device", app.issuer())
    );
    assert_eq!(answer["interval"], 5);
    assert!(answer["expires_in"].as_i64().expect("seconds") > 60);
    let complete = answer["verification_uri_complete"]
        .as_str()
        .expect("complete");
    let scene = complete.rsplit('/').next().expect("the scene").to_owned();
    assert_eq!(
        complete,
        format!("{}/s/{scene}", app.base),
        "the scanner's link of the QR session"
    );
    assert_eq!(answer["qrcode"], format!("{}/qrcode/{scene}.png", app.base));

    let pending = rp.poll_device(device_code).await;
    assert_eq!(
        (pending.status, pending.body["error"].as_str()),
        (400, Some("authorization_pending"))
    );
    let hurried = rp.poll_device(device_code).await;
    assert_eq!(hurried.body["error"], "slow_down");

    let page = app
        .get(&format!(
            "/oidc/{}/device?user_code={}",
            app.pool_id(),
            user_code.to_lowercase()
        ))
        .await;
    let html = page.body.as_str().expect("a page");
    assert!(
        html.contains(&format!("/qrcode/{scene}.png")),
        "the typed code shows the same QR: {html}"
    );

    let token = app.scan(&scene, app.wechat_user("Ming")).await;
    let confirmed = app.confirm(&scene, &json!({"scanToken": token})).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    tokio::time::sleep(Duration::from_millis(5_100)).await;
    let tokens = rp.poll_device(device_code).await;
    assert_eq!(tokens.status, 200, "{}", tokens.body);
    assert!(tokens.body["id_token"].is_string() && tokens.body["refresh_token"].is_string());
    let claims = super::claims_of(tokens.body["id_token"].as_str().expect("id"));
    assert_eq!(claims["amr"], json!(["wechat_qr"]));
    assert_eq!(claims["nickname"], "小明");
    let info = rp
        .userinfo(tokens.body["access_token"].as_str().expect("access"))
        .await;
    assert_eq!(info.status, 200, "{}", info.body);

    tokio::time::sleep(Duration::from_millis(5_100)).await;
    let again = rp.poll_device(device_code).await;
    assert_eq!(
        again.body["error"], "invalid_grant",
        "the tokens are given once"
    );
}

#[tokio::test]
async fn device_codes_are_refused_when_cancelled_expired_unknown_or_another_clients() {
    let app = spawn_app().await;
    let rp = app.rp(device_app()).await;
    let other = app.rp(device_app()).await;
    let web = app.rp(web_app()).await;

    let refused = web.start_device("openid").await;
    assert_eq!(
        (refused.status, refused.body["error"].as_str()),
        (401, Some("invalid_client"))
    );
    let mut browser_app = device_app();
    browser_app["grantTypes"] = json!(["authorization_code"]);
    browser_app["redirectUris"] = json!(["https://shop.example.com/callback"]);
    let not_allowed = app.rp(browser_app).await.start_device("openid").await;
    assert_eq!(not_allowed.body["error"], "unauthorized_client");
    assert_eq!(
        rp.start_device("openid admin").await.body["error"],
        "invalid_scope"
    );

    let started = rp.start_device("openid").await;
    let device_code = started.body["device_code"]
        .as_str()
        .expect("code")
        .to_owned();
    assert_eq!(
        other.poll_device(&device_code).await.body["error"],
        "invalid_grant"
    );
    assert_eq!(
        rp.poll_device("not-a-device-code").await.body["error"],
        "invalid_grant"
    );

    let complete = started.body["verification_uri_complete"]
        .as_str()
        .expect("complete");
    let scene = complete.rsplit('/').next().expect("scene").to_owned();
    let token = app.scan(&scene, app.wechat_user("Ming")).await;
    let cancelled = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/cancel"),
            &json!({"scanToken": token}),
        )
        .await;
    assert_eq!(cancelled.status, 200, "{}", cancelled.body);
    assert_eq!(
        rp.poll_device(&device_code).await.body["error"],
        "access_denied"
    );

    let late = rp.start_device("openid").await;
    let late_code = late.body["device_code"].as_str().expect("code");
    app.clock.advance(chrono::Duration::hours(1));
    assert_eq!(
        rp.poll_device(late_code).await.body["error"],
        "expired_token"
    );
    let user_code = late.body["user_code"].as_str().expect("user code");
    let page = app
        .get(&format!(
            "/oidc/{}/device?user_code={user_code}",
            app.pool_id()
        ))
        .await;
    assert!(
        page.body
            .as_str()
            .expect("a page")
            .contains("class=\"error\""),
        "an expired code is not shown"
    );
}
