//! `GET /sns/jscode2session`.

use std::time::Duration;

use denglu_wechat_sim::{SimConfig, UserId};
use serde_json::Value;

use crate::common::{
    APP, BOUND, BOUND_SECRET, Harness, SECRET, SIBLING, SIBLING_SECRET, assert_error, config,
    errcode, text,
};

#[tokio::test]
async fn exchanges_a_login_code_once() {
    let h = Harness::default().await;
    let user = h.user("ada");
    let code = h.sim.login(APP, user).expect("login");
    assert_eq!(code.len(), 32);
    assert!(code.bytes().all(|b| b.is_ascii_alphanumeric()));

    let reply = h.code2session(APP, SECRET, &code).await;
    assert!(
        reply.get("errcode").is_none(),
        "success has no errcode: {reply}"
    );
    assert_eq!(
        text(&reply, "openid"),
        h.sim.openid(APP, user).expect("openid")
    );
    assert_eq!(
        text(&reply, "session_key"),
        h.sim.session_key(APP, user).expect("key")
    );
    assert!(
        reply.get("unionid").is_none(),
        "unbound app gets no unionid"
    );

    let again = h.code2session(APP, SECRET, &code).await;
    assert_error(&again, 40163);
    assert!(text(&again, "errmsg").starts_with("code been used, rid: "));
}

#[tokio::test]
async fn replies_are_json_labelled_text_plain() {
    let h = Harness::default().await;
    let reply = h.get("/sns/jscode2session?appid=wx1111111111111111").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type, "text/plain");
    assert_error(&reply.json(), 41004);
}

#[tokio::test]
async fn codes_expire_after_their_lifetime() {
    let h = Harness::default().await;
    let user = h.user("ada");
    let fresh = h.sim.login(APP, user).expect("login");
    let stale = h.sim.login(APP, user).expect("login");
    h.sim.advance(Duration::from_secs(299));
    assert_eq!(errcode(&h.code2session(APP, SECRET, &fresh).await), 0);
    h.sim.advance(Duration::from_secs(2));
    let reply = h.code2session(APP, SECRET, &stale).await;
    assert_error(&reply, 40029);
    assert!(text(&reply, "errmsg").starts_with("invalid code, rid: "));
}

#[tokio::test]
async fn code_lifetime_is_configurable() {
    let h = Harness::start(SimConfig {
        code_lifetime: 10,
        ..config()
    })
    .await;
    let user = h.user("ada");
    let code = h.sim.login(APP, user).expect("login");
    h.sim.advance(Duration::from_secs(11));
    assert_error(&h.code2session(APP, SECRET, &code).await, 40029);
}

#[tokio::test]
async fn wrong_app_or_secret_does_not_burn_the_code() {
    let h = Harness::default().await;
    let user = h.user("ada");
    let code = h.sim.login(APP, user).expect("login");
    assert_error(&h.code2session(APP, "wrong-secret", &code).await, 40125);
    assert_error(
        &h.code2session("wx9999999999999999", SECRET, &code).await,
        40013,
    );
    assert_error(&h.code2session(BOUND, BOUND_SECRET, &code).await, 40029);
    assert_error(
        &h.code2session(APP, SECRET, "0716AVll20uHk94SLDml27etM946AVlq")
            .await,
        40029,
    );
    assert_eq!(errcode(&h.code2session(APP, SECRET, &code).await), 0);
}

#[tokio::test]
async fn missing_parameters_and_bad_grant_type() {
    let h = Harness::default().await;
    let cases = [
        (
            "/sns/jscode2session?secret=s&js_code=c&grant_type=authorization_code",
            41002,
        ),
        (
            "/sns/jscode2session?appid=wx1111111111111111&js_code=c&grant_type=authorization_code",
            41004,
        ),
        (
            "/sns/jscode2session?appid=wx1111111111111111&secret=11111111111111111111111111111111&grant_type=authorization_code",
            41008,
        ),
        (
            "/sns/jscode2session?appid=wx1111111111111111&secret=11111111111111111111111111111111&js_code=c&grant_type=client_credential",
            40002,
        ),
        (
            "/sns/jscode2session?appid=wx1111111111111111&secret=11111111111111111111111111111111&js_code=c",
            40002,
        ),
    ];
    for (path, expected) in cases {
        assert_error(&h.get(path).await.json(), expected);
    }
}

#[tokio::test]
async fn post_is_appid_missing() {
    let h = Harness::default().await;
    let user = h.user("ada");
    let code = h.sim.login(APP, user).expect("login");
    let form = format!("appid={APP}&secret={SECRET}&js_code={code}&grant_type=authorization_code");
    let reply = h
        .post_raw(
            "/sns/jscode2session",
            "application/x-www-form-urlencoded",
            form.into_bytes(),
        )
        .await;
    assert_eq!(reply.status, 200);
    assert_error(&reply.json(), 41002);
    assert_eq!(
        errcode(&h.code2session(APP, SECRET, &code).await),
        0,
        "POST did not burn the code"
    );
}

#[tokio::test]
async fn minute_quota_per_user() {
    let h = Harness::start(SimConfig {
        quotas: denglu_wechat_sim::Quotas {
            jscode2session_per_user_per_minute: 5,
            ..Default::default()
        },
        ..config()
    })
    .await;
    let busy = h.user("busy");
    let calm = h.user("calm");
    for _ in 0..5 {
        let code = h.sim.login(APP, busy).expect("login");
        assert_eq!(errcode(&h.code2session(APP, SECRET, &code).await), 0);
    }
    let held = h.sim.login(APP, busy).expect("login");
    let reply = h.code2session(APP, SECRET, &held).await;
    assert_error(&reply, 45011);
    assert!(
        text(&reply, "errmsg")
            .starts_with("api minute-quota reach limit mustslower retry next minute")
    );
    let other = h.sim.login(APP, calm).expect("login");
    assert_eq!(
        errcode(&h.code2session(APP, SECRET, &other).await),
        0,
        "quota is per user"
    );
    h.sim.advance(Duration::from_secs(60));
    assert_eq!(
        errcode(&h.code2session(APP, SECRET, &held).await),
        0,
        "45011 did not burn the code"
    );
}

#[tokio::test]
async fn default_minute_quota_is_100() {
    let h = Harness::start(SimConfig {
        code_lifetime: 3600,
        ..config()
    })
    .await;
    let user = h.user("ada");
    let mut outcomes = Vec::new();
    for _ in 0..101 {
        let code = h.sim.login(APP, user).expect("login");
        outcomes.push(errcode(&h.code2session(APP, SECRET, &code).await));
    }
    assert!(outcomes.iter().take(100).all(|c| *c == 0), "{outcomes:?}");
    assert_eq!(outcomes.last(), Some(&45011));
}

#[tokio::test]
async fn unionid_only_for_bound_apps() {
    let h = Harness::default().await;
    let user = h.user("ada");
    let plain = session(&h, user, APP, SECRET).await;
    let bound = session(&h, user, BOUND, BOUND_SECRET).await;
    let sibling = session(&h, user, SIBLING, SIBLING_SECRET).await;
    assert!(plain.get("unionid").is_none());
    let unionid = text(&bound, "unionid");
    assert_eq!(unionid.len(), 28);
    assert_eq!(
        text(&sibling, "unionid"),
        unionid,
        "same Open Platform, same unionid"
    );
    assert_ne!(
        text(&sibling, "openid"),
        text(&bound, "openid"),
        "openid differs per app"
    );
    assert_eq!(h.sim.unionid(BOUND, user).expect("unionid"), Some(unionid));
    assert_eq!(h.sim.unionid(APP, user).expect("unionid"), None);
    let other = h.user("bob");
    assert_ne!(
        h.sim.unionid(BOUND, other).expect("unionid"),
        h.sim.unionid(BOUND, user).expect("unionid")
    );
}

#[tokio::test]
async fn identifier_shapes() {
    let h = Harness::default().await;
    let user = h.user("ada");
    let code = h.sim.login(APP, user).expect("login");
    let reply = h.code2session(APP, SECRET, &code).await;
    let openid = text(&reply, "openid");
    assert_eq!(openid.len(), 28);
    assert!(openid.starts_with('o'));
    assert!(
        openid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    );
    let key = text(&reply, "session_key");
    assert_eq!(key.len(), 24);
    assert!(key.ends_with("=="));
}

#[tokio::test]
async fn session_key_is_stable_unless_rotation_is_on() {
    let stable = Harness::default().await;
    let user = stable.user("ada");
    let first = key_after_login(&stable, user).await;
    assert_eq!(key_after_login(&stable, user).await, first);

    let rotating = Harness::start(SimConfig {
        rotate_session_key_on_login: true,
        ..config()
    })
    .await;
    let user = rotating.user("ada");
    let first = key_after_login(&rotating, user).await;
    let second = key_after_login(&rotating, user).await;
    assert_ne!(second, first);
    assert_eq!(rotating.sim.session_key(APP, user).expect("key"), second);
}

async fn session(h: &Harness, user: UserId, appid: &str, secret: &str) -> Value {
    let code = h.sim.login(appid, user).expect("login");
    h.code2session(appid, secret, &code).await
}

async fn key_after_login(h: &Harness, user: UserId) -> String {
    let code = h.sim.login(APP, user).expect("login");
    let reply: Value = h.code2session(APP, SECRET, &code).await;
    text(&reply, "session_key")
}
