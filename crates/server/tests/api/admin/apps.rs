//! A pool's WeChat apps through the admin API: adding with the AppSecret tested against WeChat (the simulator),
//! changing, removing, the read-only and bad-input refusals, and the apps serving each flow: several SDK mini
//! programs linked by unionid, the QR scanner the pool or the browser chooses, app launch by AppID.

use denglu_wechat_sim::{AppConfig, NewUser, UserId as WechatUser};
use reqwest::Method;
use serde_json::{Value, json};

use super::{admin_token, assert_error, call, get, owner, post};
use crate::helpers::{MINI_PROGRAM, TestApp, spawn_app};

const FIRST: (&str, &str) = ("wx00000000000d0001", "first-app-secret");
const SECOND: (&str, &str) = ("wx00000000000d0002", "second-app-secret");
const THIRD: (&str, &str) = ("wx00000000000d0003", "third-app-secret");

impl TestApp {
    fn apps_path(&self) -> String {
        format!("/api/v1/admin/pools/{}/apps", self.pool_id())
    }

    /// Three mini programs in the simulator, bound to one Open Platform account (so one person has one unionid).
    fn bound_mini_programs(&self) {
        for (appid, secret) in [FIRST, SECOND, THIRD] {
            let mut config = AppConfig::new(appid, secret);
            config.bound_open_platform = Some("open-platform-1".to_owned());
            self.wechat.add_app(config).expect("simulator app");
        }
    }

    fn person(&self, nickname: &str) -> WechatUser {
        self.wechat
            .create_user(NewUser {
                nickname: nickname.to_owned(),
                avatar_url: String::new(),
                phone: None,
            })
            .expect("user")
    }

    /// `loginWithWxapp` with a code of `appid`, naming `named` as the app (or none).
    async fn sdk_login(&self, appid: &str, person: WechatUser, named: Option<&str>) -> Value {
        let code = self.wechat.login(appid, person).expect("wx.login");
        let mut body = json!({ "code": code });
        if let Some(named) = named {
            body["appid"] = json!(named);
        }
        self.post_json(&format!("/oauth/wechatapp/auth/{}", self.pool_id()), &body)
            .await
            .body
    }
}

fn mini_program(app: (&str, &str), roles: &[&str]) -> Value {
    json!({"appid": app.0, "kind": "mini_program", "secret": app.1, "roles": roles})
}

#[tokio::test]
async fn an_app_is_added_after_wechat_accepts_its_secret_which_is_never_shown() {
    let app = spawn_app().await;
    app.bound_mini_programs();
    let root = owner(&app).await;

    let refused = post(
        &app,
        &root,
        &app.apps_path(),
        &mini_program((FIRST.0, "a-wrong-secret"), &["sdk"]),
    )
    .await;
    assert_error(&refused, 400, 4306);
    let words = refused.body["message"].as_str().unwrap_or_default();
    assert!(
        words.contains("40125") && words.contains("AppSecret"),
        "WeChat's verdict in words: {words}"
    );
    let unknown = post(
        &app,
        &root,
        &app.apps_path(),
        &mini_program(("wx00000000000d00ff", "x"), &["sdk"]),
    )
    .await;
    assert_error(&unknown, 400, 4306);
    assert!(
        unknown.body["message"]
            .as_str()
            .is_some_and(|m| m.contains("40013")),
        "{}",
        unknown.body
    );
    assert_eq!(
        get(&app, &root, &app.apps_path()).await.body,
        json!({"apps": []}),
        "nothing saved"
    );

    let mut body = mini_program(FIRST, &["sdk", "qr_login"]);
    body["name"] = json!("会员小程序");
    let added = post(&app, &root, &app.apps_path(), &body).await;
    assert_eq!(added.status, 201, "{}", added.body);
    assert_eq!(added.body["roles"], json!(["qr_login", "sdk"]));
    assert_eq!(
        (added.body["name"].clone(), added.body["secretSet"].clone()),
        (json!("会员小程序"), json!(true))
    );
    let mobile = post(
        &app,
        &root,
        &app.apps_path(),
        &json!({"appid": "wx00000000000e0001", "kind": "mobile_app"}),
    )
    .await;
    assert_eq!(mobile.status, 201, "{}", mobile.body);
    assert_eq!(
        (
            mobile.body["roles"].clone(),
            mobile.body["secretSet"].clone()
        ),
        (json!([]), json!(false))
    );

    let listed = get(&app, &root, &app.apps_path()).await;
    let appids: Vec<&str> = listed.body["apps"]
        .as_array()
        .expect("apps")
        .iter()
        .filter_map(|a| a["appid"].as_str())
        .collect();
    assert_eq!(appids, vec![FIRST.0, "wx00000000000e0001"]);
    let checked = post(
        &app,
        &root,
        &format!("{}/{}/check", app.apps_path(), FIRST.0),
        &json!({}),
    )
    .await;
    assert_eq!(checked.status, 200, "{}", checked.body);

    let stored = app
        .store
        .wechat_apps()
        .wechat_apps(&app.pool.pool.id)
        .await
        .expect("store");
    let sealed = stored[0].secret.as_ref().expect("sealed");
    assert!(!String::from_utf8_lossy(sealed.as_bytes()).contains(FIRST.1));
    let audit = get(&app, &root, "/api/v1/admin/audit?kind=app.add").await;
    assert_eq!(audit.body["events"].as_array().map(Vec::len), Some(2));
    for text in [listed.body.to_string(), audit.body.to_string()] {
        assert!(!text.contains(FIRST.1), "no secret in {text}");
    }
    assert_eq!(
        audit.body["events"][1]["detail"]["after"]["roles"],
        json!(["qr_login", "sdk"])
    );
}

#[tokio::test]
async fn apps_change_and_go_and_bad_input_is_named() {
    let app = spawn_app().await;
    app.bound_mini_programs();
    let root = owner(&app).await;
    let path = app.apps_path();
    assert_eq!(
        post(&app, &root, &path, &mini_program(FIRST, &["sdk"]))
            .await
            .status,
        201
    );

    let bad: Vec<(Value, &str)> = vec![
        (mini_program(FIRST, &["sdk"]), "4602"),
        (mini_program(("wx123", "s"), &["sdk"]), "AppID"),
        (mini_program(SECOND, &["scan"]), "unknown role 'scan'"),
        (
            json!({"appid": SECOND.0, "kind": "mini_program", "roles": ["sdk"]}),
            "needs its AppSecret",
        ),
        (
            json!({"appid": SECOND.0, "kind": "mobile_app", "roles": ["sdk"]}),
            "roles are for mini programs",
        ),
        (
            json!({"appid": SECOND.0, "kind": "game", "secret": "s"}),
            "unknown app kind",
        ),
        (
            json!({"appid": SECOND.0, "kind": "mini_program", "secret": SECOND.1, "linkPrefix": "javascript:x"}),
            "link prefix",
        ),
        (json!({"appid": SECOND.0, "kind": 3}), "`kind`"),
        (
            json!({"appid": SECOND.0, "kind": "mobile_app", "extra": 1}),
            "extra",
        ),
    ];
    for (body, expected) in bad {
        let reply = post(&app, &root, &path, &body).await;
        let text = format!("{} {}", reply.body["code"], reply.body["message"]);
        assert!(
            matches!(reply.status, 400 | 409) && text.contains(expected),
            "{body} → {} {text}",
            reply.status
        );
    }

    let item = format!("{path}/{}", FIRST.0);
    let wrong_secret = call(
        &app,
        &root,
        Method::PATCH,
        &item,
        Some(&json!({"secret": "not-it", "name": "renamed"})),
    )
    .await;
    assert_error(&wrong_secret, 400, 4306);
    assert_eq!(
        get(&app, &root, &path).await.body["apps"][0]["name"],
        FIRST.0,
        "a refused change writes nothing"
    );
    let changed = call(
        &app,
        &root,
        Method::PATCH,
        &item,
        Some(&json!({"roles": ["app_launch", "qr_login"], "linkPrefix": "https://example.com/s/", "name": "renamed"})),
    )
    .await;
    assert_eq!(changed.status, 200, "{}", changed.body);
    assert_eq!(
        (
            changed.body["roles"].clone(),
            changed.body["linkPrefix"].clone()
        ),
        (
            json!(["qr_login", "app_launch"]),
            json!("https://example.com/s/")
        )
    );
    let reset = call(
        &app,
        &root,
        Method::PATCH,
        &item,
        Some(&json!({"linkPrefix": null})),
    )
    .await;
    assert_eq!(reset.body["linkPrefix"], json!(null), "{}", reset.body);
    let audit = get(&app, &root, "/api/v1/admin/audit?kind=app.change").await;
    let detail = &audit.body["events"][1]["detail"];
    assert_eq!(
        (
            detail["before"]["name"].clone(),
            detail["after"]["name"].clone()
        ),
        (json!(FIRST.0), json!("renamed")),
        "{}",
        audit.body
    );

    let reader = admin_token(&app, Some(vec![app.pool.pool.id.clone()]), false).await;
    assert_eq!(get(&app, &reader, &path).await.status, 200);
    assert_error(
        &call(&app, &reader, Method::DELETE, &item, None).await,
        403,
        1001,
    );
    assert_error(
        &post(&app, &reader, &path, &mini_program(SECOND, &["sdk"])).await,
        403,
        1001,
    );

    let removed = call(&app, &root, Method::DELETE, &item, None).await;
    assert_eq!(removed.status, 204, "{}", removed.body);
    assert_error(
        &call(&app, &root, Method::DELETE, &item, None).await,
        404,
        4601,
    );
    assert_error(
        &post(&app, &root, &format!("{item}/check"), &json!({})).await,
        404,
        4601,
    );
    assert_error(
        &get(
            &app,
            &root,
            "/api/v1/admin/pools/0123456789abcdef01234567/apps",
        )
        .await,
        404,
        2224,
    );
}

#[tokio::test]
async fn several_sdk_mini_programs_of_one_open_platform_log_one_person_in_as_one_user() {
    let app = spawn_app().await;
    app.bound_mini_programs();
    let root = owner(&app).await;
    for (mini, roles) in [(FIRST, ["sdk"]), (SECOND, ["sdk"])] {
        let added = post(&app, &root, &app.apps_path(), &mini_program(mini, &roles)).await;
        assert_eq!(added.status, 201, "{}", added.body);
    }
    let person = app.person("Lin");

    let first = app.sdk_login(FIRST.0, person, None).await;
    assert_eq!(
        first["code"], 200,
        "the first SDK app serves unnamed calls: {first}"
    );
    let second = app.sdk_login(SECOND.0, person, Some(SECOND.0)).await;
    assert_eq!(second["code"], 200, "{second}");
    assert_eq!(
        first["data"]["_id"], second["data"]["_id"],
        "one unionid, one user"
    );
    let unionid = app
        .wechat
        .unionid(FIRST.0, person)
        .expect("sim")
        .expect("bound");
    assert_eq!(second["data"]["unionid"], unionid.as_str());

    let user = first["data"]["_id"].as_str().expect("id");
    let detail = get(
        &app,
        &root,
        &format!("/api/v1/admin/pools/{}/users/{user}", app.pool_id()),
    )
    .await;
    let mut identities: Vec<&str> = detail.body["identities"]
        .as_array()
        .expect("identities")
        .iter()
        .filter_map(|i| i["appid"].as_str())
        .collect();
    identities.sort_unstable();
    assert_eq!(identities, vec![FIRST.0, SECOND.0], "{}", detail.body);

    let unnamed_second = app.sdk_login(SECOND.0, person, None).await;
    assert_eq!(
        unnamed_second["code"], 4301,
        "a code of the second app is not the first app's: {unnamed_second}"
    );
    let deployment = app
        .sdk_login(MINI_PROGRAM.0, person, Some(MINI_PROGRAM.0))
        .await;
    assert_eq!(
        deployment["code"], 200,
        "the deployment's scanner serves every pool: {deployment}"
    );
    let elsewhere = app
        .sdk_login(MINI_PROGRAM.0, person, Some("wx00000000000d00ee"))
        .await;
    assert_eq!(
        elsewhere["code"], 4601,
        "an app the pool does not have: {elsewhere}"
    );
}

#[tokio::test]
async fn the_qr_scanner_is_the_deployments_unless_the_browser_or_the_pool_asks_for_the_pools_own() {
    let app = spawn_app().await;
    app.bound_mini_programs();
    let root = owner(&app).await;
    let added = post(
        &app,
        &root,
        &app.apps_path(),
        &mini_program(FIRST, &["qr_login"]),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.body);
    let person = app.person("Scanner");
    let scan_with = |appid: &'static str, random: &'static str, own: bool| {
        let app = &app;
        async move {
            let started = app
                .get(&format!(
                    "/oauth/wxapp/qrcode/{}?random={random}&useSelfWxapp={own}",
                    app.pool_id()
                ))
                .await;
            let scene = started.body["data"]["scene"]
                .as_str()
                .expect("scene")
                .to_owned();
            let code = app.wechat.login(appid, person).expect("code");
            app.post_json(
                &format!("/api/v1/scanner/sessions/{scene}/scan"),
                &json!({"code": code}),
            )
            .await
        }
    };

    let deployment = scan_with(MINI_PROGRAM.0, "scannerChoice0001", false).await;
    assert_eq!(
        deployment.status, 200,
        "default: the deployment's scanner: {}",
        deployment.body
    );
    let asked = scan_with(FIRST.0, "scannerChoice0002", true).await;
    assert_eq!(
        asked.status, 200,
        "useSelfWxapp=true: the pool's: {}",
        asked.body
    );
    let not_asked = scan_with(FIRST.0, "scannerChoice0003", false).await;
    assert_eq!(not_asked.status, 400, "{}", not_asked.body);

    let chosen = call(
        &app,
        &root,
        Method::PATCH,
        &format!("/api/v1/admin/pools/{}/qr-settings", app.pool_id()),
        Some(&json!({"scanner": "pool"})),
    )
    .await;
    assert_eq!(chosen.body["scanner"], "pool", "{}", chosen.body);
    let refused = call(
        &app,
        &root,
        Method::PATCH,
        &format!("/api/v1/admin/pools/{}/qr-settings", app.pool_id()),
        Some(&json!({"scanner": "mine"})),
    )
    .await;
    assert_error(&refused, 400, 1002);
    let pool_says = scan_with(FIRST.0, "scannerChoice0004", false).await;
    assert_eq!(
        pool_says.status, 200,
        "the pool chose its own: {}",
        pool_says.body
    );
}

#[tokio::test]
async fn app_launch_uses_the_app_launch_mini_program_the_request_names() {
    let app = spawn_app().await;
    app.bound_mini_programs();
    let root = owner(&app).await;
    for (mini, role) in [
        (FIRST, "app_launch"),
        (SECOND, "app_launch"),
        (THIRD, "sdk"),
    ] {
        let added = post(&app, &root, &app.apps_path(), &mini_program(mini, &[role])).await;
        assert_eq!(added.status, 201, "{}", added.body);
    }
    let person = app.person("Launcher");
    let mint = |appid: &'static str, named: Option<&'static str>| {
        let app = &app;
        async move {
            let code = app.wechat.login(appid, person).expect("code");
            let mut body = json!({"userPoolId": app.pool_id(), "code": code});
            if let Some(named) = named {
                body["appid"] = json!(named);
            }
            app.post_json("/api/v1/app-login/tickets", &body).await
        }
    };
    let first = mint(FIRST.0, None).await;
    assert_eq!(
        first.status, 200,
        "the first serves unnamed: {}",
        first.body
    );
    let second = mint(SECOND.0, Some(SECOND.0)).await;
    assert_eq!(second.status, 200, "{}", second.body);
    let sdk_only = mint(THIRD.0, Some(THIRD.0)).await;
    assert_error(&sdk_only, 404, 4601);
    let malformed = mint(FIRST.0, Some("wx-nope")).await;
    assert_error(&malformed, 400, 1002);
}
