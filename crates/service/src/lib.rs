//! Application services: what denglu does, as plain async functions over the Store trait. HTTP and the CLI call
//! these; neither holds business rules of its own.

mod accounts;
mod app_login;
mod avatars;
mod blocking;
mod error;
mod image_cache;
mod keyed_limit;
mod login_key;
mod login_limits;
mod phones;
mod pool_cache;
mod pools;
mod qr;
mod qr_images;
mod qr_scanner;
mod qr_wakeups;
mod sessions;
mod user_data;
mod wechat_tokens;
mod wechat_users;
mod wxapp;

use std::sync::Arc;

use denglu_crypto::{MasterKey, PasswordHasher};
use denglu_domain::Clock;
use denglu_store::Store;
use denglu_wechat::WechatClient;

pub use accounts::{LoginInput, RegisterInput, Session};
pub use app_login::{AppLoginChange, MintTicket, MintedTicket, TicketExchange};
pub use avatars::{AVATAR_PATH, default_uploads_folder};
pub use error::{ErrorCode, ServiceError, ServiceResult};
pub use keyed_limit::KeyedLimit;
pub use phones::PhoneProof;
pub use pool_cache::POOL_CACHE_TTL;
pub use pools::{CreatePool, CreatedPool};
pub use qr::{OwnAppInput, QrPoll, QrSettingsChange, StartedQr};
pub use qr_images::Image;
pub use qr_scanner::{ScanInput, ScannerApp, ScannerView};
pub use qr_wakeups::QrWatch;
pub use sessions::VerifiedToken;
pub use user_data::{
    Caller, MAX_METADATA_KEY_CHARS, MAX_METADATA_KEYS, MAX_METADATA_VALUE_CHARS, ProfileChange,
};
pub use wechat_tokens::wechat_client;
pub use wechat_users::MAX_NICKNAME_CHARS;
pub use wxapp::WxappLogin;

use pool_cache::PoolCache;

/// Everything the services need, built once at start-up and cloned cheaply into each request.
#[derive(Clone)]
pub struct Services {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    master_key: MasterKey,
    hasher: PasswordHasher,
    public_url: Arc<str>,
    pools: PoolCache,
    wechat: WechatClient,
    scanner: Option<Arc<ScannerApp>>,
    wxacodes: image_cache::ImageCache,
    qr_wakeups: qr_wakeups::QrWakeups,
    phone_limits: wxapp::PhoneLimits,
    uploads: Arc<std::path::Path>,
    login_key: login_key::LoginKeyCell,
    login_limits: login_limits::LoginLimits,
}

impl Services {
    /// Wires the services. `public_url` is the server's external base URL (no trailing slash); pool issuers and
    /// JWKS URLs live under it. `wechat` is normally made by [`wechat_client`] over the same store.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        master_key: MasterKey,
        hasher: PasswordHasher,
        public_url: &str,
        wechat: WechatClient,
    ) -> Self {
        Self {
            store,
            clock,
            master_key,
            hasher,
            public_url: public_url.trim_end_matches('/').into(),
            pools: PoolCache::default(),
            wechat,
            scanner: None,
            wxacodes: image_cache::ImageCache::default(),
            qr_wakeups: qr_wakeups::QrWakeups::default(),
            phone_limits: wxapp::PhoneLimits::default(),
            uploads: default_uploads_folder().into(),
            login_key: login_key::LoginKeyCell::default(),
            login_limits: login_limits::LoginLimits::default(),
        }
    }

    /// The same services with `scanner` as the deployment's scanner mini program (QR login needs one).
    pub fn with_scanner(mut self, scanner: ScannerApp) -> Self {
        self.scanner = Some(Arc::new(scanner));
        self
    }

    /// The server's external base URL, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The same services storing uploads (avatars) in `folder`.
    pub fn with_uploads(mut self, folder: &std::path::Path) -> Self {
        self.uploads = folder.into();
        self
    }

    /// The store, for readiness checks.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The clock.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The WeChat client.
    pub fn wechat(&self) -> &WechatClient {
        &self.wechat
    }
}
