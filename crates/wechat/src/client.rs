//! [`WechatClient`]: the calls denglu makes to WeChat, each with its retry rules.

use std::sync::Arc;

use denglu_wechat_crypto::{PhoneInfo, login_state_signature};
use serde::{Deserialize, Serialize};

use crate::{
    AccessToken, AppCredentials, CallObserver, ClientConfig, Clock, MemoryTokenCache, SessionKey,
    SystemClock, TokenCache, WechatError,
    redact::fingerprint,
    retry::retrying_busy,
    token::TokenHolder,
    transport::{Answer, Transport, parse},
    wxacode::{ImageFormat, MiniProgramCode, UnlimitedCode},
};

/// A user's login session as `code2Session` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The user's id within this mini program.
    pub openid: String,
    /// The user's id across the open platform account, when the mini program is bound to one.
    pub unionid: Option<String>,
    /// The key that decrypts this user's open data. Keep it server-side.
    pub session_key: SessionKey,
}

#[derive(Deserialize)]
struct SessionAnswer {
    openid: String,
    session_key: String,
    #[serde(default)]
    unionid: Option<String>,
}

#[derive(Serialize)]
struct PhoneRequest<'a> {
    code: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    openid: Option<&'a str>,
}

#[derive(Deserialize)]
struct PhoneAnswer {
    phone_info: PhoneInfo,
}

/// Builds a [`WechatClient`] with a shared token cache, a test clock or an observer of its calls.
pub struct ClientBuilder {
    config: ClientConfig,
    cache: Arc<dyn TokenCache>,
    clock: Arc<dyn Clock>,
    observer: Option<Arc<dyn CallObserver>>,
}

impl ClientBuilder {
    /// Keeps access tokens in `cache` (e.g. a database shared by every replica) instead of in memory.
    pub fn token_cache(mut self, cache: Arc<dyn TokenCache>) -> Self {
        self.cache = cache;
        self
    }

    /// Reads the time from `clock` instead of the system clock.
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// Tells `observer` of every HTTP call the client makes.
    pub fn observer(mut self, observer: Arc<dyn CallObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// The client. Fails only if the HTTP client cannot be set up.
    pub fn build(self) -> Result<WechatClient, WechatError> {
        let transport = Transport::new(&self.config, self.observer)?;
        let tokens = TokenHolder::new(self.cache, self.clock, &self.config);
        Ok(WechatClient {
            inner: Arc::new(Inner {
                config: self.config,
                transport,
                tokens,
            }),
        })
    }
}

/// A WeChat API client. Cheap to clone; clones share the HTTP connections and the token holder.
#[derive(Clone)]
pub struct WechatClient {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    transport: Transport,
    tokens: TokenHolder,
}

impl WechatClient {
    /// A builder with an in-memory token cache and the system clock.
    pub fn builder(config: ClientConfig) -> ClientBuilder {
        ClientBuilder {
            config,
            cache: Arc::new(MemoryTokenCache::default()),
            clock: Arc::new(SystemClock),
            observer: None,
        }
    }

    /// Exchanges a `wx.login` code for the user's session (`GET /sns/jscode2session`). Never retried: a code is
    /// single use, and a failed exchange may have consumed it.
    #[tracing::instrument(name = "wechat.code_to_session", skip_all, fields(appid = app.appid()))]
    pub async fn code_to_session(
        &self,
        app: &AppCredentials,
        js_code: &str,
    ) -> Result<Session, WechatError> {
        let query = [
            ("appid", app.appid()),
            ("secret", app.secret()),
            ("js_code", js_code),
            ("grant_type", "authorization_code"),
        ];
        let outcome = self
            .inner
            .transport
            .get("/sns/jscode2session", &query)
            .await;
        log_code_exchange("code2session", app, js_code, &outcome);
        let answer: SessionAnswer = parse(outcome?)?;
        Ok(Session {
            openid: answer.openid,
            unionid: answer.unionid.filter(|u| !u.is_empty()),
            session_key: SessionKey::new(answer.session_key),
        })
    }

    /// A usable access token of `app`, from the cache or freshly fetched (`POST /cgi-bin/stable_token`).
    #[tracing::instrument(name = "wechat.access_token", level = "debug", skip_all, fields(appid = app.appid()))]
    pub async fn access_token(&self, app: &AppCredentials) -> Result<AccessToken, WechatError> {
        let inner = &self.inner;
        inner
            .tokens
            .current(&inner.transport, &inner.config, app)
            .await
    }

    /// Tests `app`'s AppID and AppSecret with one `POST /cgi-bin/stable_token`, whatever token is cached; the
    /// token WeChat gives is cached for later calls.
    #[tracing::instrument(name = "wechat.check_credentials", skip_all, fields(appid = app.appid()))]
    pub async fn check_credentials(&self, app: &AppCredentials) -> Result<(), WechatError> {
        self.inner.tokens.check(&self.inner.transport, app).await
    }

    /// Exchanges a phone code from `<button open-type="getPhoneNumber">` for the user's phone number
    /// (`POST /wxa/business/getuserphonenumber`). With `openid`, WeChat also checks the code is that user's.
    /// Retried only after a rejected access token, which WeChat checks before it looks at the code.
    #[tracing::instrument(name = "wechat.phone_number", skip_all, fields(appid = app.appid()))]
    pub async fn phone_number(
        &self,
        app: &AppCredentials,
        code: &str,
        openid: Option<&str>,
    ) -> Result<PhoneInfo, WechatError> {
        let body = &PhoneRequest { code, openid };
        let outcome = self
            .with_token(app, |token| async move {
                let query = [("access_token", token.as_str())];
                self.inner
                    .transport
                    .post("/wxa/business/getuserphonenumber", &query, &body)
                    .await
            })
            .await;
        log_code_exchange("getuserphonenumber", app, code, &outcome);
        let answer: PhoneAnswer = parse(outcome?)?;
        Ok(answer.phone_info)
    }

    /// A mini program code image for `request` (`POST /wxa/getwxacodeunlimit`).
    #[tracing::instrument(name = "wechat.unlimited_code", skip_all, fields(appid = app.appid()))]
    pub async fn unlimited_code(
        &self,
        app: &AppCredentials,
        request: &UnlimitedCode,
    ) -> Result<MiniProgramCode, WechatError> {
        let answer = retrying_busy(&self.inner.config, || {
            self.with_token(app, |token| async move {
                let query = [("access_token", token.as_str())];
                self.inner
                    .transport
                    .post_any("/wxa/getwxacodeunlimit", &query, request)
                    .await
            })
        })
        .await?;
        let Answer::Bytes(bytes) = answer else {
            return Err(WechatError::Protocol(
                "expected an image, got JSON".to_owned(),
            ));
        };
        let format = ImageFormat::sniff(&bytes).ok_or_else(|| {
            WechatError::Protocol("the answer is not a JPEG or PNG image".to_owned())
        })?;
        Ok(MiniProgramCode { format, bytes })
    }

    /// Checks that `session_key` is still the user's valid key (`GET /wxa/checksession`). A stale key fails with
    /// errcode 87009 ([`crate::ErrorKind::SessionKeyInvalid`]).
    #[tracing::instrument(name = "wechat.check_session", skip_all, fields(appid = app.appid()))]
    pub async fn check_session(
        &self,
        app: &AppCredentials,
        openid: &str,
        session_key: &SessionKey,
    ) -> Result<(), WechatError> {
        let signature = login_state_signature(session_key.expose(), b"");
        retrying_busy(&self.inner.config, || {
            self.with_token(app, |token| {
                let signature = signature.as_str();
                async move {
                    let query = [
                        ("access_token", token.as_str()),
                        ("openid", openid),
                        ("signature", signature),
                        ("sig_method", "hmac_sha256"),
                    ];
                    self.inner.transport.get("/wxa/checksession", &query).await
                }
            })
        })
        .await?;
        Ok(())
    }

    /// Runs `call` with the app's access token; if WeChat rejects the token (40001, 40014, 42001), discards it
    /// (unless already replaced), fetches another and runs `call` once more. Never loops.
    async fn with_token<T, F, Fut>(&self, app: &AppCredentials, call: F) -> Result<T, WechatError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, WechatError>>,
    {
        let token = self.access_token(app).await?;
        match call(token.value().to_owned()).await {
            Err(error) if error.rejects_token() => {
                tracing::info!(
                    appid = app.appid(),
                    errcode = error.errcode(),
                    "WeChat rejected the access token; refreshing once"
                );
                self.inner.tokens.discard(app.appid(), &token).await;
                let fresh = self.access_token(app).await?;
                call(fresh.value().to_owned()).await
            }
            outcome => outcome,
        }
    }
}

/// Logs a code exchange with the code hashed; session keys and phone numbers never reach the log.
fn log_code_exchange<T>(
    api: &str,
    app: &AppCredentials,
    code: &str,
    outcome: &Result<T, WechatError>,
) {
    let code = fingerprint(code);
    match outcome {
        Ok(_) => tracing::debug!(api, appid = app.appid(), code, "code exchanged"),
        Err(error) => {
            tracing::info!(api, appid = app.appid(), code, %error, "code exchange failed")
        }
    }
}
