//! HTTP to WeChat: one client with timeouts and no redirects, bodies read whatever their `Content-Type`, and the
//! `errcode` convention turned into [`WechatError`].

use std::{sync::Arc, time::Instant};

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::{CallObserver, ClientConfig, WechatError};

/// The most a WeChat answer may weigh; mini program codes are well under this.
const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// What WeChat answered on a call that returns either JSON or raw bytes (an image).
pub(crate) enum Answer {
    /// A JSON body that is not an error.
    Json(Value),
    /// A body that is not JSON.
    Bytes(Vec<u8>),
}

/// The HTTP side of the client.
pub(crate) struct Transport {
    http: reqwest::Client,
    base_url: String,
    observer: Option<Arc<dyn CallObserver>>,
}

impl Transport {
    pub(crate) fn new(
        config: &ClientConfig,
        observer: Option<Arc<dyn CallObserver>>,
    ) -> Result<Self, WechatError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout())
            .timeout(config.timeout())
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("denglu/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| WechatError::Protocol(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base_url: config.api_base_url.trim_end_matches('/').to_owned(),
            observer,
        })
    }

    /// `GET path?query`, expecting JSON.
    pub(crate) async fn get(
        &self,
        path: &'static str,
        query: &[(&str, &str)],
    ) -> Result<Value, WechatError> {
        let request = self.http.get(self.url(path)).query(query);
        expect_json(self.send(path, request).await?)
    }

    /// `POST path?query` with a JSON body, expecting JSON.
    pub(crate) async fn post(
        &self,
        path: &'static str,
        query: &[(&str, &str)],
        body: &impl Serialize,
    ) -> Result<Value, WechatError> {
        expect_json(self.post_any(path, query, body).await?)
    }

    /// `POST path?query` with a JSON body, accepting JSON or raw bytes.
    pub(crate) async fn post_any(
        &self,
        path: &'static str,
        query: &[(&str, &str)],
        body: &impl Serialize,
    ) -> Result<Answer, WechatError> {
        let request = self.http.post(self.url(path)).query(query).json(body);
        self.send(path, request).await
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Sends `request` to `path` and reads the answer, telling the observer how it went.
    async fn send(
        &self,
        path: &'static str,
        request: reqwest::RequestBuilder,
    ) -> Result<Answer, WechatError> {
        let started = Instant::now();
        let answer = self.exchange(request).await;
        if let Some(observer) = &self.observer {
            observer.observe(path, answer.as_ref().map(drop), started.elapsed());
        }
        answer
    }

    async fn exchange(&self, request: reqwest::RequestBuilder) -> Result<Answer, WechatError> {
        let mut response = request
            .send()
            .await
            .map_err(|e| WechatError::transport(&e))?;
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| WechatError::transport(&e))?
        {
            if body.len() + chunk.len() > MAX_BODY_BYTES {
                return Err(WechatError::Protocol(format!(
                    "answer larger than {MAX_BODY_BYTES} bytes"
                )));
            }
            body.extend_from_slice(&chunk);
        }
        classify(status, body)
    }
}

/// Turns a body into an answer: WeChat errors come as HTTP 200 JSON with a non-zero `errcode`, whatever the
/// `Content-Type` says; a missing `errcode` means success.
fn classify(status: reqwest::StatusCode, body: Vec<u8>) -> Result<Answer, WechatError> {
    let looks_like_json = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if !looks_like_json {
        return if status.is_success() {
            Ok(Answer::Bytes(body))
        } else {
            Err(WechatError::Protocol(format!("HTTP {status}")))
        };
    }
    let value: Value = serde_json::from_slice(&body)
        .map_err(|e| WechatError::Protocol(format!("HTTP {status}, invalid JSON: {e}")))?;
    match value.get("errcode").and_then(Value::as_i64).unwrap_or(0) {
        0 if status.is_success() => Ok(Answer::Json(value)),
        0 => Err(WechatError::Protocol(format!("HTTP {status}"))),
        errcode => Err(WechatError::Api {
            errcode,
            errmsg: value
                .get("errmsg")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        }),
    }
}

fn expect_json(answer: Answer) -> Result<Value, WechatError> {
    match answer {
        Answer::Json(value) => Ok(value),
        Answer::Bytes(_) => Err(WechatError::Protocol("expected JSON".to_owned())),
    }
}

/// Reads a successful JSON answer into `T`.
pub(crate) fn parse<T: DeserializeOwned>(value: Value) -> Result<T, WechatError> {
    serde_json::from_value(value)
        .map_err(|e| WechatError::Protocol(format!("unexpected answer shape: {e}")))
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;

    use super::*;

    #[test]
    fn a_missing_errcode_is_success_and_a_non_zero_one_an_error() {
        let ok = classify(StatusCode::OK, br#"{"openid":"o1"}"#.to_vec());
        assert!(matches!(ok, Ok(Answer::Json(v)) if v["openid"] == "o1"));
        let zero = classify(StatusCode::OK, br#"{"errcode":0,"errmsg":"ok"}"#.to_vec());
        assert!(matches!(zero, Ok(Answer::Json(_))));
        let err = classify(
            StatusCode::OK,
            br#" {"errcode":40029,"errmsg":"invalid code"}"#.to_vec(),
        );
        assert_eq!(
            err.err(),
            Some(WechatError::Api {
                errcode: 40029,
                errmsg: "invalid code".to_owned()
            })
        );
    }

    proptest::proptest! {
        #[test]
        fn any_answer_is_classified_without_panicking(
            status in 100u16..600,
            body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..256),
            json_like in proptest::prelude::any::<bool>(),
        ) {
            let status = StatusCode::from_u16(status).expect("a valid status");
            let body = if json_like { [b"{".as_slice(), &body].concat() } else { body };
            let _ = classify(status, body);
        }
    }

    #[test]
    fn non_json_bodies_are_bytes_unless_the_status_failed() {
        let image = classify(StatusCode::OK, vec![0xff, 0xd8, 0xff, 0xe0]);
        assert!(matches!(image, Ok(Answer::Bytes(b)) if b.len() == 4));
        let gateway = classify(StatusCode::BAD_GATEWAY, b"<html>".to_vec());
        assert!(matches!(gateway, Err(WechatError::Protocol(_))));
        let broken = classify(StatusCode::OK, b"{not json".to_vec());
        assert!(matches!(broken, Err(WechatError::Protocol(_))));
    }
}
