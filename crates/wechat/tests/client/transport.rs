//! What the client does when WeChat is slow, unreachable or answers nonsense.

use denglu_wechat::{ClientConfig, ErrorKind, WechatClient, WechatError};
use denglu_wechat_sim::{Api, Fault};
use std::time::Duration;

use crate::helpers::{APP, world};

#[tokio::test]
async fn a_slow_wechat_times_out() {
    let mut world = world().await;
    world.config.timeout_ms = 200;
    let client = world.another_client();
    world
        .sim
        .add_fault(Fault::delay(
            Some(Api::Jscode2session),
            Duration::from_secs(3),
        ))
        .expect("fault");

    let error = client
        .code_to_session(&world.app, "whatever")
        .await
        .expect_err("timeout");

    assert_eq!(error, WechatError::Timeout);
    assert_eq!(error.kind(), ErrorKind::Unavailable);
}

#[tokio::test]
async fn an_unreachable_wechat_is_unavailable_and_the_error_shows_no_secret_or_code() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let closed = listener.local_addr().expect("address");
    drop(listener);
    let client = WechatClient::builder(ClientConfig {
        api_base_url: format!("http://{closed}"),
        ..ClientConfig::default()
    })
    .build()
    .expect("client");
    let app = denglu_wechat::AppCredentials::new(APP, "TOP-SECRET");

    let error = client
        .code_to_session(&app, "CODE-1234")
        .await
        .expect_err("nothing listens");

    assert!(matches!(error, WechatError::Unreachable(_)), "{error:?}");
    assert_eq!(error.kind(), ErrorKind::Unavailable);
    let text = error.to_string();
    assert!(
        !text.contains("TOP-SECRET") && !text.contains("CODE-1234"),
        "{text}"
    );
}
