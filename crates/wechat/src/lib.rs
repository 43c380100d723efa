//! A client for WeChat's mini program server APIs: `code2Session`, the access token holder (stable tokens,
//! cached, refreshed once at a time and shared through a pluggable [`TokenCache`]), `getuserphonenumber`,
//! `getwxacodeunlimit` and `checksession`. Open-data cryptography is re-exported as [`crypto`].
//!
//! Rules it follows (from WeChat's documentation and the behaviour of the major client libraries):
//! - errors arrive as HTTP 200 with an `errcode`; each becomes [`WechatError::Api`], classified by
//!   [`WechatError::kind`];
//! - a rejected access token (40001, 40014, 42001) is discarded only if it is still the cached one, refreshed once
//!   and the call retried once; never more;
//! - "system busy" (-1) is retried with doubling back-off, a bounded number of times, but only for calls that
//!   consume nothing: a login or phone code is never sent twice;
//! - a `session_key` never appears in `Debug` output or logs, and codes are logged only as hashes;
//! - every HTTP call is reported to the [`CallObserver`] given to the builder, if any.

mod client;
mod clock;
mod config;
mod credentials;
mod error;
mod observer;
mod redact;
mod retry;
mod token;
mod transport;
mod wxacode;

pub use client::{ClientBuilder, Session, WechatClient};
pub use clock::{Clock, SystemClock};
pub use config::ClientConfig;
pub use credentials::{AppCredentials, SessionKey};
pub use denglu_wechat_crypto as crypto;
pub use error::{ErrorKind, WechatError};
pub use observer::CallObserver;
pub use token::{AccessToken, CacheError, MemoryTokenCache, TokenCache};
pub use wxacode::{EnvVersion, ImageFormat, LineColor, MiniProgramCode, UnlimitedCode};
