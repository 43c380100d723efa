//! The control HTTP API under `/__sim`, the configuration, and control errors.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use denglu_wechat_crypto::{
    WatermarkCheck, decrypt_phone, decrypt_user, verify_raw_data_signature,
};
use denglu_wechat_sim::{AppConfig, SimConfig, SimError, Simulator, UserId};
use serde_json::{Value, json};

use crate::common::{APP, BOUND, BOUND_SECRET, Harness, SECRET, assert_error, errcode, text};

async fn control(h: &Harness, path: &str, body: Value) -> (u16, Value) {
    let reply = h.post_json(&format!("/__sim{path}"), &body).await;
    (reply.status, reply.json())
}

async fn new_user(h: &Harness, body: Value) -> u64 {
    let (status, reply) = control(h, "/users", body).await;
    assert_eq!(status, 200, "{reply}");
    reply.get("user").and_then(Value::as_u64).expect("user id")
}

#[tokio::test]
async fn full_login_flow_over_http() {
    let h = Harness::default().await;
    let user = new_user(
        &h,
        json!({ "nickname": "Ada", "avatar_url": "https://a.invalid/a.png",
        "phone": { "number": "13580006666" } }),
    )
    .await;
    assert_eq!(user, 1);
    let (status, login) = control(&h, "/login", json!({ "appid": BOUND, "user": user })).await;
    assert_eq!(status, 200);
    assert_eq!(login.get("errMsg"), Some(&json!("login:ok")));
    let code = text(&login, "code");
    let session = h.code2session(BOUND, BOUND_SECRET, &code).await;
    let key = text(&session, "session_key");

    let (_, identity) = control(&h, "/identity", json!({ "appid": BOUND, "user": user })).await;
    assert_eq!(identity.get("openid"), session.get("openid"));
    assert_eq!(identity.get("unionid"), session.get("unionid"));
    assert_eq!(identity.get("session_key"), Some(&json!(key)));

    let (status, info) = control(&h, "/user-info", json!({ "appid": BOUND, "user": user })).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info.get("errMsg"), Some(&json!("getUserInfo:ok")));
    let raw = text(&info, "rawData");
    assert_eq!(
        raw,
        r#"{"nickName":"Ada","gender":0,"language":"","city":"","province":"","country":"","avatarUrl":"https://a.invalid/a.png"}"#
    );
    assert_eq!(
        serde_json::from_str::<Value>(&raw).expect("rawData"),
        *info.get("userInfo").expect("userInfo")
    );
    verify_raw_data_signature(&raw, &key, &text(&info, "signature")).expect("signature");
    let data = decrypt_user(
        &key,
        &text(&info, "iv"),
        &text(&info, "encryptedData"),
        &WatermarkCheck::appid(BOUND),
    )
    .expect("decrypts");
    assert_eq!(Some(&json!(data.open_id)), session.get("openid"));
    assert_eq!(
        data.union_id.as_ref().map(|u| json!(u)).as_ref(),
        session.get("unionid")
    );
    assert_eq!(data.nick_name, "Ada");

    let (status, phone) =
        control(&h, "/phone-number", json!({ "appid": BOUND, "user": user })).await;
    assert_eq!(status, 200);
    assert_eq!(phone.get("errMsg"), Some(&json!("getPhoneNumber:ok")));
    let info = decrypt_phone(
        &key,
        &text(&phone, "iv"),
        &text(&phone, "encryptedData"),
        &WatermarkCheck::appid(BOUND),
    )
    .expect("decrypts");
    assert_eq!(info.phone_number, "13580006666");
    let token = h.token_for(BOUND, BOUND_SECRET).await;
    let redeemed = h
        .post_json(
            &format!("/wxa/business/getuserphonenumber?access_token={token}"),
            &json!({ "code": text(&phone, "code") }),
        )
        .await
        .json();
    assert_eq!(errcode(&redeemed), 0, "{redeemed}");
}

#[tokio::test]
async fn advance_and_state() {
    let h = Harness::default().await;
    let user = new_user(&h, json!({ "nickname": "Ada" })).await;
    let (_, login) = control(&h, "/login", json!({ "appid": APP, "user": user })).await;
    let code = text(&login, "code");
    let before = h.sim.now_unix();
    let (status, advanced) = control(&h, "/advance", json!({ "seconds": 301 })).await;
    assert_eq!(status, 200);
    let now = advanced.get("now").and_then(Value::as_i64).expect("now");
    assert!(now >= before + 301);
    assert_error(&h.code2session(APP, SECRET, &code).await, 40029);

    let state = h.get("/__sim/state").await;
    assert_eq!(state.status, 200);
    let state = state.json();
    assert_eq!(state.get("login_codes_issued"), Some(&json!(1)));
    assert_eq!(state.get("login_codes_redeemed"), Some(&json!(0)));
    assert_eq!(state.get("sessions"), Some(&json!(1)));
    let users = state.get("users").and_then(Value::as_array).expect("users");
    assert_eq!(users.len(), 1);
    let openid = h.sim.openid(APP, UserId(user)).expect("openid");
    assert_eq!(
        users
            .first()
            .and_then(|u| u.pointer(&format!("/openids/{APP}"))),
        Some(&json!(openid))
    );
}

#[tokio::test]
async fn apps_can_be_added_at_runtime() {
    let h = Harness::start(SimConfig::default()).await;
    let (status, list) = (
        h.get("/__sim/apps").await.status,
        h.get("/__sim/apps").await.json(),
    );
    assert_eq!(status, 200);
    assert_eq!(list, json!([]));
    let (status, added) = control(
        &h,
        "/apps",
        json!({
            "appid": "wx6666666666666666", "secret": "s6", "original_id": "gh_d43f693ca31f",
            "pages": ["pages/applogin/index"]
        }),
    )
    .await;
    assert_eq!(status, 200, "{added}");
    assert_eq!(added.get("original_id"), Some(&json!("gh_d43f693ca31f")));
    assert_eq!(
        errcode(&h.legacy_token("wx6666666666666666", "s6").await),
        0
    );

    let (status, launch) = control(
        &h,
        "/launch-mini-program",
        json!({
            "original_id": "gh_d43f693ca31f", "path": "pages/applogin/index?n=abc&t=1"
        }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        launch,
        json!({
            "appid": "wx6666666666666666", "page": "pages/applogin/index",
            "query": { "n": "abc", "t": "1" }, "launch_scene": 1069
        })
    );
    let (status, home) = control(
        &h,
        "/launch-mini-program",
        json!({ "original_id": "gh_d43f693ca31f", "path": "" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(home.get("page"), Some(&json!("pages/applogin/index")));

    let derived = h
        .sim
        .apps()
        .into_iter()
        .next()
        .expect("app")
        .effective_original_id();
    assert_eq!(derived, "gh_d43f693ca31f");
    let plain = AppConfig::new("wx7777777777777777", "s7").effective_original_id();
    assert!(plain.starts_with("gh_") && plain.len() == 15);
}

#[tokio::test]
async fn scan_over_http_raw_and_base64() {
    let h = Harness::default().await;
    let token = h.token_for(APP, SECRET).await;
    let image = h
        .post_json(
            &format!("/wxa/getwxacodeunlimit?access_token={token}"),
            &json!({ "scene": "t=Ab3_x-9.Q" }),
        )
        .await
        .body;
    let raw = h.post_raw("/__sim/scan", "image/jpeg", image.clone()).await;
    assert_eq!(raw.status, 200);
    let launch = raw.json();
    assert_eq!(launch.get("scene"), Some(&json!("t=Ab3_x-9.Q")));
    assert_eq!(
        launch.pointer("/query/scene"),
        Some(&json!("t%3DAb3_x-9.Q"))
    );
    assert_eq!(launch.get("launch_scene"), Some(&json!(1047)));
    let (status, encoded) = control(
        &h,
        "/scan",
        json!({ "image_base64": STANDARD.encode(&image) }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(encoded, launch);

    let (status, scene) = control(
        &h,
        "/scan-scene",
        json!({ "appid": APP, "scene": "a=1&b=2" }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(scene.get("page"), Some(&json!("pages/index/index")));
    assert_eq!(scene.pointer("/query/scene"), Some(&json!("a%3D1%26b%3D2")));
    let (status, bad) = control(&h, "/scan-scene", json!({ "appid": APP, "scene": "a b" })).await;
    assert_eq!(status, 400);
    assert!(bad.get("error").and_then(Value::as_str).is_some());
    let junk = h
        .post_raw("/__sim/scan", "image/png", b"junk".to_vec())
        .await;
    assert_eq!(junk.status, 400);
}

#[tokio::test]
async fn faults_over_http() {
    let h = Harness::default().await;
    let (status, faults) = control(
        &h,
        "/faults",
        json!({ "api": "token", "errcode": -1, "times": 1 }),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        faults,
        json!([{ "api": "token", "errcode": -1, "delay_ms": 0, "times": 1 }])
    );
    assert_error(&h.legacy_token(APP, SECRET).await, -1);
    assert_eq!(errcode(&h.legacy_token(APP, SECRET).await), 0);
    control(&h, "/faults", json!({ "errcode": 40226 })).await;
    assert_eq!(
        h.get("/__sim/faults").await.json().as_array().map(Vec::len),
        Some(1)
    );
    let cleared = h
        .http
        .delete(format!("{}/__sim/faults", h.base))
        .send()
        .await
        .expect("DELETE");
    assert_eq!(cleared.status().as_u16(), 200);
    assert_eq!(errcode(&h.legacy_token(APP, SECRET).await), 0);
    let (status, _) = control(&h, "/faults", json!({ "api": "nope", "errcode": -1 })).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn control_errors_are_json_with_4xx() {
    let h = Harness::default().await;
    let user = new_user(&h, json!({ "nickname": "Ada" })).await;
    let cases = [
        (
            "/login",
            json!({ "appid": "wx9999999999999999", "user": user }),
            404,
        ),
        ("/login", json!({ "appid": APP, "user": 999 }), 404),
        ("/login", json!({ "appid": APP }), 400),
        ("/user-info", json!({ "appid": APP, "user": user }), 409),
        ("/users", json!({ "nickname": "" }), 400),
        (
            "/users",
            json!({ "nickname": "x", "phone": { "number": "12ab" } }),
            400,
        ),
        ("/apps", json!({ "appid": "wxNOTHEX", "secret": "s" }), 400),
        (
            "/launch-mini-program",
            json!({ "original_id": "gh_000000000000", "path": "" }),
            404,
        ),
        ("/advance", json!({ "seconds": -5 }), 400),
    ];
    for (path, body, expected) in cases {
        let (status, reply) = control(&h, path, body).await;
        assert_eq!(status, expected, "{path}: {reply}");
        assert!(
            reply
                .get("error")
                .and_then(Value::as_str)
                .is_some_and(|e| !e.is_empty()),
            "{reply}"
        );
    }
    control(&h, "/login", json!({ "appid": APP, "user": user })).await;
    let (status, reply) = control(&h, "/phone-number", json!({ "appid": APP, "user": user })).await;
    assert_eq!(status, 409, "no phone: {reply}");
    let broken = h
        .post_raw("/__sim/login", "application/json", b"{".to_vec())
        .await;
    assert_eq!(broken.status, 400);
    assert!(broken.json().get("error").is_some());
    let unknown = h.get("/__sim/nothing-here").await;
    assert_eq!(unknown.status, 404);
    assert!(unknown.json().get("error").is_some());
    let wrong_method = h.get("/__sim/login").await;
    assert_eq!(wrong_method.status, 405);
    assert!(wrong_method.json().get("error").is_some());
}

#[test]
fn config_from_toml_and_validation() {
    let config: SimConfig = toml::from_str(
        r#"
        token_expires_in = 600
        rotate_session_key_on_login = true

        [quotas]
        token_per_day = 50

        [[apps]]
        appid = "wx0123456789abcdef"
        secret = "s"
        bound_open_platform = "open-1"
        pages = ["pages/index/index"]
        ip_whitelist = ["127.0.0.1", "::1"]
        "#,
    )
    .expect("parses");
    assert_eq!(config.token_expires_in, 600);
    assert_eq!(config.code_lifetime, 300);
    assert!(config.rotate_session_key_on_login);
    assert_eq!(config.quotas.token_per_day, 50);
    assert_eq!(config.quotas.jscode2session_per_user_per_minute, 100);
    assert_eq!(config.quotas.stable_force_refresh_per_day, 20);
    assert_eq!(
        config
            .apps
            .first()
            .and_then(|a| a.ip_whitelist.as_ref())
            .map(Vec::len),
        Some(2)
    );
    assert!(Simulator::new(config.clone()).is_ok());

    let default = SimConfig::default();
    assert!(default.apps.is_empty());
    assert_eq!(
        (default.token_expires_in, default.code_lifetime),
        (7200, 300)
    );
    assert!(!default.rotate_session_key_on_login);

    let duplicate = SimConfig {
        apps: [config.apps.clone(), config.apps.clone()].concat(),
        ..SimConfig::default()
    };
    assert!(matches!(
        Simulator::new(duplicate),
        Err(SimError::InvalidInput(_))
    ));
    let bad_id = SimConfig {
        apps: vec![AppConfig {
            original_id: Some("gh_xyz".to_owned()),
            ..AppConfig::new("wx0123456789abcdef", "s")
        }],
        ..SimConfig::default()
    };
    assert!(matches!(
        Simulator::new(bad_id),
        Err(SimError::InvalidInput(_))
    ));
    assert!(matches!(
        Simulator::new(SimConfig {
            code_lifetime: 0,
            ..SimConfig::default()
        }),
        Err(SimError::InvalidInput(_))
    ));
    assert!(toml::from_str::<SimConfig>("unknown_key = 1").is_err());
}
