//! Shared fixtures: a simulator served on 127.0.0.1:0 and helpers to call it over HTTP.

use std::time::Duration;

use denglu_wechat_sim::{AppConfig, NewUser, PhoneSpec, SimConfig, Simulator, UserId, serve};
use serde_json::Value;
use tokio::sync::oneshot;

/// The plain app: not bound to an Open Platform account.
pub(crate) const APP: &str = "wx1111111111111111";
/// Secret of [`APP`].
pub(crate) const SECRET: &str = "11111111111111111111111111111111";
/// A second app, bound to Open Platform [`PLATFORM`].
pub(crate) const BOUND: &str = "wx2222222222222222";
/// Secret of [`BOUND`].
pub(crate) const BOUND_SECRET: &str = "22222222222222222222222222222222";
/// A third app, bound to the same Open Platform as [`BOUND`].
pub(crate) const SIBLING: &str = "wx3333333333333333";
/// Secret of [`SIBLING`].
pub(crate) const SIBLING_SECRET: &str = "33333333333333333333333333333333";
/// The Open Platform account of [`BOUND`] and [`SIBLING`].
pub(crate) const PLATFORM: &str = "open-platform-1";
/// Published pages of every test app.
pub(crate) const PAGES: [&str; 2] = ["pages/index/index", "pages/qrlogin/index"];

/// The three test apps with default limits.
pub(crate) fn config() -> SimConfig {
    let app = |appid: &str, secret: &str, platform: Option<&str>| AppConfig {
        pages: PAGES.iter().map(|p| (*p).to_owned()).collect(),
        bound_open_platform: platform.map(str::to_owned),
        ..AppConfig::new(appid, secret)
    };
    SimConfig {
        apps: vec![
            app(APP, SECRET, None),
            app(BOUND, BOUND_SECRET, Some(PLATFORM)),
            app(SIBLING, SIBLING_SECRET, Some(PLATFORM)),
        ],
        ..SimConfig::default()
    }
}

/// A simulator served over HTTP; stops when dropped.
pub(crate) struct Harness {
    /// The simulator, for control methods.
    pub(crate) sim: Simulator,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base: String,
    /// HTTP client.
    pub(crate) http: reqwest::Client,
    _stop: oneshot::Sender<()>,
}

/// A raw HTTP reply.
pub(crate) struct Reply {
    /// HTTP status.
    pub(crate) status: u16,
    /// `Content-Type` header.
    pub(crate) content_type: String,
    /// Body bytes.
    pub(crate) body: Vec<u8>,
}

impl Reply {
    /// The body parsed as JSON.
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("body is JSON")
    }
}

impl Harness {
    /// Starts a simulator with `config`.
    pub(crate) async fn start(config: SimConfig) -> Self {
        let sim = Simulator::new(config).expect("valid config");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("local addr"));
        let (stop, stopped) = oneshot::channel::<()>();
        let served = sim.clone();
        tokio::spawn(async move {
            let shutdown = async move {
                let _ = stopped.await;
            };
            serve(listener, served, shutdown).await.expect("serve");
        });
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .expect("client");
        Self {
            sim,
            base,
            http,
            _stop: stop,
        }
    }

    /// Starts a simulator with [`config`].
    pub(crate) async fn default() -> Self {
        Self::start(config()).await
    }

    /// GET `path` (with query) and return the raw reply.
    pub(crate) async fn get(&self, path: &str) -> Reply {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        read(response).await
    }

    /// POST `body` with `content_type` to `path`.
    pub(crate) async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST");
        read(response).await
    }

    /// POST a JSON body to `path`.
    pub(crate) async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.post_raw(
            path,
            "application/json",
            serde_json::to_vec(body).expect("json"),
        )
        .await
    }

    /// `GET /sns/jscode2session` with all four parameters.
    pub(crate) async fn code2session(&self, appid: &str, secret: &str, code: &str) -> Value {
        let path = format!(
            "/sns/jscode2session?appid={appid}&secret={secret}&js_code={code}&grant_type=authorization_code"
        );
        self.get(&path).await.json()
    }

    /// `GET /cgi-bin/token`.
    pub(crate) async fn legacy_token(&self, appid: &str, secret: &str) -> Value {
        let path =
            format!("/cgi-bin/token?grant_type=client_credential&appid={appid}&secret={secret}");
        self.get(&path).await.json()
    }

    /// `POST /cgi-bin/stable_token`.
    pub(crate) async fn stable_token(&self, appid: &str, secret: &str, force: bool) -> Value {
        let body = serde_json::json!({
            "grant_type": "client_credential", "appid": appid, "secret": secret, "force_refresh": force
        });
        self.post_json("/cgi-bin/stable_token", &body).await.json()
    }

    /// A fresh legacy access token of `appid`.
    pub(crate) async fn token_for(&self, appid: &str, secret: &str) -> String {
        let reply = self.legacy_token(appid, secret).await;
        text(&reply, "access_token")
    }

    /// Creates a user with a CN phone number.
    pub(crate) fn user(&self, nickname: &str) -> UserId {
        self.sim
            .create_user(NewUser {
                nickname: nickname.to_owned(),
                avatar_url: format!("https://example.invalid/{nickname}.png"),
                phone: Some(PhoneSpec {
                    number: "13580006666".to_owned(),
                    country_code: "86".to_owned(),
                }),
            })
            .expect("create user")
    }

    /// Creates a user without a phone number.
    pub(crate) fn user_without_phone(&self, nickname: &str) -> UserId {
        self.sim
            .create_user(NewUser {
                nickname: nickname.to_owned(),
                avatar_url: String::new(),
                phone: None,
            })
            .expect("create user")
    }
}

async fn read(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.bytes().await.expect("body").to_vec();
    Reply {
        status,
        content_type,
        body,
    }
}

/// `errcode` of a WeChat reply, 0 when absent.
pub(crate) fn errcode(reply: &Value) -> i64 {
    reply.get("errcode").and_then(Value::as_i64).unwrap_or(0)
}

/// A string field of a reply.
pub(crate) fn text(reply: &Value, field: &str) -> String {
    reply
        .get(field)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("{field} missing in {reply}"))
        .to_owned()
}

/// Asserts the reply is error `expected` with an `errmsg` ending in `, rid: 8hex-8hex-8hex`.
#[track_caller]
pub(crate) fn assert_error(reply: &Value, expected: i64) {
    assert_eq!(errcode(reply), expected, "reply: {reply}");
    let errmsg = text(reply, "errmsg");
    let (_, rid) = errmsg
        .rsplit_once(", rid: ")
        .expect("errmsg has a rid suffix");
    let groups: Vec<&str> = rid.split('-').collect();
    assert_eq!(groups.len(), 3, "rid {rid}");
    assert!(
        groups
            .iter()
            .all(|g| g.len() == 8 && g.bytes().all(|b| b.is_ascii_hexdigit())),
        "rid {rid}"
    );
}

/// The scene_encoding section of the shared test vectors.
pub(crate) fn scene_vectors() -> Value {
    let all: Value = serde_json::from_str(include_str!(
        "../../../wechat-crypto/tests/vectors/wechat-vectors.json"
    ))
    .expect("vectors");
    all.get("scene_encoding").cloned().expect("scene_encoding")
}
