//! Every WeChat call runs in a span named after it, carrying the appid and never a code, secret or token.
//!
//! A test binary of its own: tracing remembers per call site whether any subscriber wants it, and tests on other
//! threads without a subscriber would make that answer "no" for this test's thread-local subscriber.

use std::{
    io,
    sync::{Arc, Mutex},
};

use tracing_subscriber::{filter::filter_fn, fmt::format::FmtSpan, prelude::*};

use denglu_wechat::{AppCredentials, ClientConfig, WechatClient};
use denglu_wechat_sim::{AppConfig, NewUser, PhoneSpec, SimConfig, Simulator};

const APP: &str = "wx1111111111111111";
const SECRET: &str = "secret-one";

/// A simulator on a free port with `APP`, and a client pointed at it.
async fn start() -> (Simulator, WechatClient) {
    let config = SimConfig {
        apps: vec![AppConfig::new(APP, SECRET)],
        ..SimConfig::default()
    };
    let sim = Simulator::new(config).expect("valid simulator config");
    let base = denglu_wechat_sim::serve_on_loopback(sim.clone())
        .await
        .expect("a free port");
    let client = WechatClient::builder(ClientConfig {
        api_base_url: base,
        ..ClientConfig::default()
    })
    .build()
    .expect("client");
    (sim, client)
}

/// A log destination the test can read back.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("buffer")).into_owned()
    }
}

impl io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn calls_have_spans_with_the_appid_and_no_secret() {
    let (sim, client) = start().await;
    let app = AppCredentials::new(APP, SECRET);
    let user = sim
        .create_user(NewUser {
            nickname: "小明".to_owned(),
            avatar_url: "https://example.com/a.png".to_owned(),
            phone: Some(PhoneSpec {
                number: "13580006666".to_owned(),
                country_code: "86".to_owned(),
            }),
        })
        .expect("user");
    let login_code = sim.login(APP, user).expect("wx.login");
    let phone_code = sim.phone_number(APP, user).expect("getPhoneNumber").code;

    let buffer = Buffer::default();
    let writer = buffer.clone();
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_span_events(FmtSpan::CLOSE)
        // Only the client's own spans and events, not the simulator's.
        .with_filter(filter_fn(|meta| {
            meta.target().starts_with("denglu_wechat::")
        }));
    let subscriber = tracing_subscriber::registry().with(layer);
    let token = {
        let _guard = tracing::subscriber::set_default(subscriber);
        let session = client
            .code_to_session(&app, &login_code)
            .await
            .expect("code2session");
        client
            .phone_number(&app, &phone_code, Some(&session.openid))
            .await
            .expect("phone number");
        client.access_token(&app).await.expect("token")
    };
    let log = buffer.text();

    for span in [
        "wechat.code_to_session{appid=\"wx1111111111111111\"}",
        "wechat.phone_number{appid=\"wx1111111111111111\"}",
        "wechat.stable_token{appid=\"wx1111111111111111\"}",
        "wechat.access_token{appid=\"wx1111111111111111\"}",
    ] {
        assert!(log.contains(span), "no span {span} in:\n{log}");
    }
    assert!(log.contains("close time.busy="), "span timings:\n{log}");
    for secret in [
        login_code.as_str(),
        phone_code.as_str(),
        SECRET,
        token.value(),
    ] {
        assert!(!log.contains(secret), "{secret} leaked into:\n{log}");
    }
    assert!(
        !log.contains("13580006666"),
        "the phone leaked into:\n{log}"
    );
}
