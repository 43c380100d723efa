//! Login and phone code exchanges: results, WeChat's error codes, and never sending a code twice.

use denglu_wechat::{AppCredentials, ErrorKind, WechatError};
use denglu_wechat_sim::{Api, Fault};

use crate::helpers::{APP, BOUND_APP, world};

#[tokio::test]
async fn a_login_code_becomes_the_users_session() {
    let world = world().await;
    let user = world.user();
    let code = world.sim.login(APP, user).expect("wx.login");

    let session = world
        .client
        .code_to_session(&world.app, &code)
        .await
        .expect("code2session");

    assert_eq!(session.openid, world.sim.openid(APP, user).expect("openid"));
    assert_eq!(
        session.session_key.expose(),
        world.sim.session_key(APP, user).expect("session key")
    );
    assert_eq!(session.unionid, None, "an unbound app gets no unionid");
    assert!(
        !format!("{session:?}").contains(session.session_key.expose()),
        "Debug output must not show the session key"
    );
}

#[tokio::test]
async fn apps_bound_to_an_open_platform_account_get_the_unionid() {
    let world = world().await;
    let user = world.user();
    let code = world.sim.login(BOUND_APP, user).expect("wx.login");

    let session = world
        .client
        .code_to_session(&world.bound, &code)
        .await
        .expect("code2session");

    let expected = world.sim.unionid(BOUND_APP, user).expect("unionid");
    assert!(expected.is_some());
    assert_eq!(session.unionid, expected);
}

#[tokio::test]
async fn unknown_and_reused_codes_are_told_apart() {
    let world = world().await;
    let code = world.sim.login(APP, world.user()).expect("wx.login");

    let unknown = world
        .client
        .code_to_session(&world.app, "0716AVll20uHk94SLDml27etM946AVlq")
        .await
        .expect_err("unknown code");
    assert_eq!(
        (unknown.errcode(), unknown.kind()),
        (Some(40029), ErrorKind::InvalidCode)
    );

    world
        .client
        .code_to_session(&world.app, &code)
        .await
        .expect("first use");
    let reused = world
        .client
        .code_to_session(&world.app, &code)
        .await
        .expect_err("second use");
    assert_eq!(
        (reused.errcode(), reused.kind()),
        (Some(40163), ErrorKind::CodeUsed)
    );
}

#[tokio::test]
async fn a_wrong_secret_is_a_configuration_error_and_keeps_the_code_usable() {
    let world = world().await;
    let code = world.sim.login(APP, world.user()).expect("wx.login");

    let wrong = AppCredentials::new(APP, "not-the-secret");
    let error = world
        .client
        .code_to_session(&wrong, &code)
        .await
        .expect_err("wrong secret");
    assert_eq!(
        (error.errcode(), error.kind()),
        (Some(40125), ErrorKind::BadCredentials)
    );
    assert!(
        !error.to_string().contains("not-the-secret"),
        "errors never show the secret: {error}"
    );

    world
        .client
        .code_to_session(&world.app, &code)
        .await
        .expect("the code was not burnt");
}

#[tokio::test]
async fn a_busy_answer_to_a_code_exchange_is_not_retried() {
    let world = world().await;
    let code = world.sim.login(APP, world.user()).expect("wx.login");
    world
        .sim
        .add_fault(Fault::error(Some(Api::Jscode2session), -1).times(1))
        .expect("fault");

    let error = world
        .client
        .code_to_session(&world.app, &code)
        .await
        .expect_err("busy");

    assert_eq!(
        (error.errcode(), error.kind()),
        (Some(-1), ErrorKind::Unavailable)
    );
    let summary = world.sim.summary();
    assert_eq!(
        summary.calls.get(&Api::Jscode2session),
        Some(&1),
        "sent once"
    );
    assert_eq!(summary.login_codes_redeemed, 0);
}

#[tokio::test]
async fn rate_limits_and_blocked_users_have_their_own_kinds() {
    let world = world().await;
    for (errcode, kind) in [
        (45011, ErrorKind::RateLimited),
        (40226, ErrorKind::UserBlocked),
    ] {
        let code = world.sim.login(APP, world.user()).expect("wx.login");
        world
            .sim
            .add_fault(Fault::error(Some(Api::Jscode2session), errcode).times(1))
            .expect("fault");
        let error = world
            .client
            .code_to_session(&world.app, &code)
            .await
            .expect_err("fault answers");
        assert_eq!((error.errcode(), error.kind()), (Some(errcode), kind));
    }
}

#[tokio::test]
async fn a_phone_code_becomes_the_users_phone_number_once() {
    let world = world().await;
    let user = world.user();
    world.sim.login(APP, user).expect("wx.login");
    let openid = world.sim.openid(APP, user).expect("openid");
    let detail = world.sim.phone_number(APP, user).expect("getPhoneNumber");

    let phone = world
        .client
        .phone_number(&world.app, &detail.code, Some(&openid))
        .await
        .expect("phone number");
    assert_eq!(phone.phone_number, "13580006666");
    assert_eq!(phone.pure_phone_number, "13580006666");
    assert_eq!(phone.country_code, "86");
    assert_eq!(phone.watermark.appid, APP);

    let again = world
        .client
        .phone_number(&world.app, &detail.code, None)
        .await
        .expect_err("single use");
    assert_eq!(
        (again.errcode(), again.kind()),
        (Some(40029), ErrorKind::InvalidCode)
    );
}

#[tokio::test]
async fn a_phone_code_is_refused_for_another_user_or_when_it_is_a_login_code() {
    let world = world().await;
    let user = world.user();
    let login_code = world.sim.login(APP, user).expect("wx.login");
    let detail = world.sim.phone_number(APP, user).expect("getPhoneNumber");
    let stranger = world.user();
    world.sim.login(APP, stranger).expect("wx.login");
    let other_openid = world.sim.openid(APP, stranger).expect("openid");

    let wrong_user = world
        .client
        .phone_number(&world.app, &detail.code, Some(&other_openid))
        .await
        .expect_err("another user's openid");
    assert!(
        matches!(wrong_user, WechatError::Api { .. }),
        "{wrong_user:?}"
    );

    let login_as_phone = world
        .client
        .phone_number(&world.app, &login_code, None)
        .await
        .expect_err("a login code is not a phone code");
    assert_eq!(login_as_phone.kind(), ErrorKind::InvalidCode);
}
