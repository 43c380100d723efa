//! Login attempts in the audit log: each flow's success and refusals, with the user, the code, the address and the
//! user agent; attempts on no pool are not recorded.

use serde_json::{Value, json};

use super::{get, owner};
use crate::{
    helpers::{MINI_PROGRAM, TestApp, spawn_app},
    qr::scene_of,
};

/// The pool's login events, newest first.
async fn logins(app: &TestApp, kind: &str) -> Vec<Value> {
    let root = owner(app).await;
    let page = get(
        app,
        &root,
        &format!("/api/v1/admin/audit?pool={}&kind={kind}", app.pool_id()),
    )
    .await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body["events"].as_array().expect("events").clone()
}

fn codes(events: &[Value]) -> Vec<Value> {
    events.iter().map(|event| event["code"].clone()).collect()
}

#[tokio::test]
async fn password_attempts_are_recorded_with_the_account_the_code_and_the_client() {
    let app = spawn_app().await;
    let user = app.register("ada", "correct horse").await.body["_id"].clone();
    let ok = app
        .send(
            app.client
                .post(format!("{}/api/v1/pools/{}/login", app.base, app.pool_id()))
                .header("user-agent", "Mozilla/5.0 test")
                .json(&json!({"account": "ada", "password": "correct horse"})),
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.body);
    assert_eq!(app.login("ada", "wrong horse").await.status, 401);
    assert_eq!(app.login("nobody", "correct horse").await.status, 404);
    let elsewhere = app
        .login_in("0123456789abcdef01234567", "ada", "correct horse")
        .await;
    assert_eq!(elsewhere.status, 404);

    let events = logins(&app, "login.password").await;
    assert_eq!(
        codes(&events),
        [json!(2004), json!(2006), json!(null)],
        "{events:?}"
    );
    let success = &events[2];
    assert_eq!(success["userId"], user);
    assert_eq!(
        success["actor"],
        format!("user:{}", user.as_str().expect("id"))
    );
    assert_eq!(success["ip"], "127.0.0.1");
    assert_eq!(success["userAgent"], "Mozilla/5.0 test");
    assert_eq!(success["detail"]["account"], "ada");
    assert_eq!(
        events[1]["userId"],
        Value::Null,
        "a refused attempt names no user"
    );
    assert_eq!(events[1]["actor"], "anonymous");
    assert!(
        !Value::Array(events).to_string().contains("horse"),
        "no password is recorded"
    );
}

#[tokio::test]
async fn mini_program_app_launch_and_qr_logins_are_recorded_by_flow() {
    let app = spawn_app().await;

    let person = app.wechat_user("小红");
    let code = app.wechat.login(MINI_PROGRAM.0, person).expect("wx.login");
    let wxapp = app
        .post_json(
            &format!("/oauth/wechatapp/auth/{}", app.pool_id()),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(wxapp.body["code"], 200, "{}", wxapp.body);
    let used = app
        .post_json(
            &format!("/oauth/wechatapp/auth/{}", app.pool_id()),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(used.body["code"], 4301, "{}", used.body);
    let events = logins(&app, "login.mini_program").await;
    assert_eq!(codes(&events), [json!(4301), json!(null)]);
    assert_eq!(events[1]["userId"], wxapp.body["data"]["_id"]);

    let ticket = app.mint_ticket(false).await;
    let exchange = json!({"ticket": ticket, "secret": app.pool.secret});
    assert_eq!(app.exchange(&exchange).await["code"], 200);
    assert_eq!(app.exchange(&exchange).await["code"], 4403);
    let events = logins(&app, "login.app_launch").await;
    assert_eq!(codes(&events), [json!(4403), json!(null)]);

    let started = app.start_qr("loginAuditRandom0123").await;
    let scene = scene_of(&started);
    let token = app.scan(&scene, app.wechat_user("小刚")).await;
    let confirmed = app.confirm(&scene, &json!({"scanToken": token})).await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    assert_eq!(app.poll("loginAuditRandom0123").await["code"], 200);
    let events = logins(&app, "login.qr").await;
    assert_eq!(codes(&events), [json!(null)]);
    assert!(events[0]["userId"].is_string(), "{:?}", events[0]);

    let all = logins(&app, "login").await;
    assert_eq!(
        all.len(),
        5,
        "every attempt of every flow, under the kind `login`"
    );
}
