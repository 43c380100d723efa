//! A pool's administration over HTTP with its pool secret: QR settings and the logo drawn in its codes.

use serde_json::json;

use crate::helpers::{Reply, TestApp, spawn_app};

impl TestApp {
    async fn admin(&self, request: reqwest::RequestBuilder, secret: &str) -> Reply {
        self.send(request.header("x-pool-secret", secret)).await
    }

    fn settings_url(&self) -> String {
        format!("{}/api/v1/pools/{}/qr-settings", self.base, self.pool_id())
    }
}

/// A small PNG: a red square.
fn png_logo() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(64, 64, image::Rgb([220, 30, 30]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Png)
        .expect("encode");
    bytes.into_inner()
}

#[tokio::test]
async fn qr_settings_change_with_the_pool_secret_only() {
    let app = spawn_app().await;
    let secret = app.pool.secret.clone();

    let shown = app.admin(app.client.get(app.settings_url()), &secret).await;
    assert_eq!(
        shown.body,
        json!({"mode": "url", "lifetimeSeconds": 120, "callbackUrl": null, "scanner": "deployment", "ownApp": null})
    );

    let changed = app
        .admin(
            app.client
                .put(app.settings_url())
                .json(&json!({"lifetimeSeconds": 60, "callbackUrl": "https://app.example.com/cb"})),
            &secret,
        )
        .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(changed.body["callbackUrl"], "https://app.example.com/cb");
    let started = app
        .get(&format!(
            "/oauth/wxapp/qrcode/{}?random=adminRandom12345",
            app.pool_id()
        ))
        .await;
    assert_eq!(
        started.body["data"]["redirect"],
        "https://app.example.com/cb"
    );

    for (body, secret) in [
        (json!({"mode": "url"}), "wrong-secret"),
        (json!({"mode": "url"}), ""),
    ] {
        let refused = app
            .admin(app.client.put(app.settings_url()).json(&body), secret)
            .await;
        assert_eq!(
            (refused.status, refused.body["code"].clone()),
            (403, json!(1001))
        );
    }
    for body in [
        json!({"callbackUrl": "javascript:alert(1)"}),
        json!({"lifetimeSeconds": 5}),
        json!({"mode": "carrier-pigeon"}),
    ] {
        let refused = app
            .admin(app.client.put(app.settings_url()).json(&body), &secret)
            .await;
        assert_eq!(
            (refused.status, refused.body["code"].clone()),
            (400, json!(1002)),
            "{body}"
        );
    }
    let removed = app
        .admin(
            app.client
                .put(app.settings_url())
                .json(&json!({"callbackUrl": null})),
            &secret,
        )
        .await;
    assert_eq!(removed.body["callbackUrl"], json!(null));
    assert_eq!(removed.body["lifetimeSeconds"], 60, "other fields stay");
}

#[tokio::test]
async fn an_uploaded_logo_is_re_encoded_served_and_drawn_in_codes_that_still_scan() {
    let app = spawn_app().await;
    let secret = app.pool.secret.clone();
    let logo_url = format!("{}/api/v1/pools/{}/logo", app.base, app.pool_id());

    let refused = app
        .admin(
            app.client
                .put(&logo_url)
                .body(b"GIF89a not an allowed image".to_vec()),
            &secret,
        )
        .await;
    assert_eq!(
        (refused.status, refused.body["code"].clone()),
        (400, json!(1002))
    );
    let stored = app
        .admin(app.client.put(&logo_url).body(png_logo()), &secret)
        .await;
    assert_eq!(stored.status, 204, "{}", stored.body);

    let served = app
        .client
        .get(format!("{logo_url}.png"))
        .send()
        .await
        .expect("logo");
    assert_eq!(served.headers()["content-type"], "image/png");
    let started = app
        .get(&format!(
            "/oauth/wxapp/qrcode/{}?random=logoRandom123456",
            app.pool_id()
        ))
        .await;
    let scene = started.body["data"]["scene"]
        .as_str()
        .expect("scene")
        .to_owned();
    let code = app
        .client
        .get(format!("{}/qrcode/{scene}.png", app.base))
        .send()
        .await
        .expect("code")
        .bytes()
        .await
        .expect("bytes");
    let picture = image::load_from_memory(&code).expect("image").to_rgb8();
    let center = picture.get_pixel(picture.width() / 2, picture.height() / 2);
    assert!(
        center[0] > 150 && center[1] < 100,
        "the logo is in the middle: {center:?}"
    );
    let mut prepared =
        rqrr::PreparedImage::prepare(image::DynamicImage::ImageRgb8(picture).to_luma8());
    let (_, text) = prepared.detect_grids()[0].decode().expect("still scans");
    assert!(text.ends_with(&scene));

    let lookup = app.get(&format!("/api/v1/scanner/sessions/{scene}")).await;
    assert!(
        lookup.body["pool"]["logo"]
            .as_str()
            .is_some_and(|l| l.ends_with("/logo.png"))
    );
    let deleted = app.admin(app.client.delete(&logo_url), &secret).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(
        app.get(&format!("/api/v1/pools/{}/logo.png", app.pool_id()))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn a_pools_own_mini_program_opens_its_codes_and_its_secret_stays_sealed() {
    let app = spawn_app().await;
    let secret = app.pool.secret.clone();
    let own = ("wx00000000000b0002", "own-app-secret-value");
    app.wechat
        .add_app(denglu_wechat_sim::AppConfig::new(own.0, own.1))
        .expect("app");

    let set = app
        .admin(
            app.client
                .put(app.settings_url())
                .json(&json!({"ownApp": {"appid": own.0, "secret": own.1}})),
            &secret,
        )
        .await;
    assert_eq!(set.status, 200, "{}", set.body);
    assert_eq!(set.body["ownApp"]["appid"], own.0);
    assert!(
        !set.body.to_string().contains(own.1),
        "the secret is never shown"
    );
    assert_eq!(
        set.body["scanner"], "pool",
        "the own app opens the pool's codes"
    );
    let stored = app
        .store
        .wechat_apps()
        .wechat_apps(&app.pool.pool.id)
        .await
        .expect("store");
    assert_eq!(
        stored
            .iter()
            .map(|a| (a.appid.as_str(), a.roles))
            .collect::<Vec<_>>(),
        vec![(own.0, denglu_domain::AppRoles::EVERY)],
        "the own app is the pool's one WeChat app, serving every flow"
    );
    let sealed = stored[0].secret.as_ref().expect("sealed");
    assert!(
        !String::from_utf8_lossy(sealed.as_bytes()).contains(own.1),
        "sealed at rest"
    );

    let user = app
        .wechat
        .create_user(denglu_wechat_sim::NewUser {
            nickname: "Own".to_owned(),
            avatar_url: String::new(),
            phone: None,
        })
        .expect("user");
    let start = |random: &'static str| {
        let app = &app;
        async move {
            let reply = app
                .get(&format!(
                    "/oauth/wxapp/qrcode/{}?random={random}",
                    app.pool_id()
                ))
                .await;
            reply.body["data"]["scene"]
                .as_str()
                .expect("scene")
                .to_owned()
        }
    };
    let scene = start("ownAppRandom00001").await;
    let deployment_code = app
        .wechat
        .login(crate::helpers::MINI_PROGRAM.0, user)
        .expect("code");
    let wrong_app = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/scan"),
            &json!({"code": deployment_code}),
        )
        .await;
    assert_eq!(
        (wrong_app.status, wrong_app.body["code"].clone()),
        (400, json!(4301))
    );
    let own_code = app.wechat.login(own.0, user).expect("code");
    let scanned = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/scan"),
            &json!({"code": own_code}),
        )
        .await;
    assert_eq!(scanned.status, 200, "{}", scanned.body);

    let cleared = app
        .admin(
            app.client
                .put(app.settings_url())
                .json(&json!({"ownApp": null})),
            &secret,
        )
        .await;
    assert_eq!(
        (
            cleared.body["ownApp"].clone(),
            cleared.body["scanner"].clone()
        ),
        (json!(null), json!("deployment"))
    );
    let scene = start("ownAppRandom00002").await;
    let deployment_code = app
        .wechat
        .login(crate::helpers::MINI_PROGRAM.0, user)
        .expect("code");
    let back = app
        .post_json(
            &format!("/api/v1/scanner/sessions/{scene}/scan"),
            &json!({"code": deployment_code}),
        )
        .await;
    assert_eq!(back.status, 200, "{}", back.body);
}

#[tokio::test]
async fn wxacode_mode_shows_the_scanner_mini_programs_code_fetched_once() {
    let app = spawn_app().await;
    let secret = app.pool.secret.clone();
    let set = app
        .admin(
            app.client
                .put(app.settings_url())
                .json(&json!({"mode": "wxacode"})),
            &secret,
        )
        .await;
    assert_eq!(set.body["mode"], "wxacode", "{}", set.body);
    let started = app
        .get(&format!(
            "/oauth/wxapp/qrcode/{}?random=wxacodeRandom0001",
            app.pool_id()
        ))
        .await;
    let scene = started.body["data"]["scene"]
        .as_str()
        .expect("scene")
        .to_owned();

    let fetch = || async {
        let response = app
            .client
            .get(format!("{}/qrcode/{scene}.png", app.base))
            .send()
            .await
            .expect("image");
        let kind = response.headers()["content-type"]
            .to_str()
            .expect("type")
            .to_owned();
        (kind, response.bytes().await.expect("bytes").to_vec())
    };
    let (kind, first) = fetch().await;
    let (_, second) = fetch().await;

    assert_eq!(kind, "image/jpeg");
    assert_eq!(first, second);
    let calls = app.wechat.summary().calls;
    assert_eq!(
        calls.get(&denglu_wechat_sim::Api::Getwxacodeunlimit),
        Some(&1),
        "cached: {calls:?}"
    );
    let launch = app.wechat.scan(&first).expect("a real mini program code");
    assert_eq!(launch.scene.as_deref(), Some(scene.as_str()));
    assert_eq!(launch.appid, crate::helpers::MINI_PROGRAM.0);
    assert_eq!(launch.page, "pages/confirm/index");
}
