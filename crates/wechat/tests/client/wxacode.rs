//! Mini program codes and the login-state check.

use denglu_wechat::{ErrorKind, ImageFormat, SessionKey, UnlimitedCode};
use denglu_wechat_sim::SCENE_SCAN;

use crate::helpers::{APP, QR_PAGE, world};

#[tokio::test]
async fn a_mini_program_code_is_an_image_that_scans_back_to_its_scene() {
    let world = world().await;

    let code = world
        .client
        .unlimited_code(&world.app, &UnlimitedCode::new("t=Ab3_x-9.Q").page(QR_PAGE))
        .await
        .expect("code");

    assert_eq!(code.format, ImageFormat::Jpeg);
    let launch = world.sim.scan(&code.bytes).expect("scannable");
    assert_eq!(launch.appid, APP);
    assert_eq!(launch.page, QR_PAGE);
    assert_eq!(launch.scene.as_deref(), Some("t=Ab3_x-9.Q"));
    assert_eq!(launch.launch_scene, SCENE_SCAN);
}

#[tokio::test]
async fn transparent_codes_are_png() {
    let world = world().await;
    let mut request = UnlimitedCode::new("s=1").page(QR_PAGE);
    request.is_hyaline = true;

    let code = world
        .client
        .unlimited_code(&world.app, &request)
        .await
        .expect("code");

    assert_eq!(code.format, ImageFormat::Png);
}

#[tokio::test]
async fn invalid_scenes_and_pages_are_invalid_requests() {
    let world = world().await;
    for (request, errcode) in [
        (UnlimitedCode::new("a b").page(QR_PAGE), 40129),
        (UnlimitedCode::new("x".repeat(33)).page(QR_PAGE), 40169),
        (
            UnlimitedCode::new("s=1").page("pages/unpublished/index"),
            41030,
        ),
    ] {
        let error = world
            .client
            .unlimited_code(&world.app, &request)
            .await
            .expect_err("refused");
        assert_eq!(
            (error.errcode(), error.kind()),
            (Some(errcode), ErrorKind::InvalidRequest),
            "{request:?}"
        );
    }
}

#[tokio::test]
async fn check_session_accepts_the_current_key_and_rejects_any_other() {
    let world = world().await;
    let user = world.user();
    let code = world.sim.login(APP, user).expect("wx.login");
    let session = world
        .client
        .code_to_session(&world.app, &code)
        .await
        .expect("session");

    world
        .client
        .check_session(&world.app, &session.openid, &session.session_key)
        .await
        .expect("the current key is valid");

    let stale = SessionKey::new("AAAAAAAAAAAAAAAAAAAAAA==");
    let error = world
        .client
        .check_session(&world.app, &session.openid, &stale)
        .await
        .expect_err("another key");
    assert_eq!(
        (error.errcode(), error.kind()),
        (Some(87009), ErrorKind::SessionKeyInvalid)
    );
}
