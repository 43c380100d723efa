//! Application services: what denglu does, as plain async functions over the Store trait. HTTP and the CLI call
//! these; neither holds business rules of its own.
//!
//! The rules are split by flow, each a view of one shared [`Core`] (its state: store, clock, keys, the WeChat
//! client, caches and limits): [`Pools`], [`Accounts`] (password accounts), [`Users`] (a user's own data),
//! [`QrLogin`] (flow A, both sides), [`AppLogin`] (flow B) and [`MiniProgram`] (flow C). Rules more than one flow
//! applies (pool lookups, tokens, callers, WeChat identities, verified phones) are the core's, in `shared/`.
//! [`Services`] holds the core and hands out the flows.

mod accounts;
mod admin;
mod app_login;
mod error;
mod metrics;
mod oidc;
mod pools;
mod qr;
mod shared;
mod users;
mod wxapp;

use std::{ops::Deref, sync::Arc};

use denglu_crypto::{MasterKey, PasswordHasher};
use denglu_domain::Clock;
use denglu_store::Store;
use denglu_wechat::WechatClient;

pub use accounts::{Accounts, LoginInput, RegisterInput};
pub use admin::{
    Admin, ClientChange, CreatedAdminToken, CreatedClient, CreatedOperator, NewAdminToken,
    NewClient, NewWechatApp, Operator, OperatorCredentials, OperatorSessionPolicy, SetupCompletion,
    SignIn, SignedIn, TotpOffer, UserDetail, WechatAppChange,
};
pub use app_login::{AppLogin, AppLoginChange, MintTicket, MintedTicket, TicketExchange};
pub use error::{ErrorCode, ServiceError, ServiceResult};
pub use metrics::{METRICS_CONTENT_TYPE, Metrics, OpenStream};
pub use oidc::{
    AuthorizeParams, AuthorizeStep, Browser, ClientCredentials, ConsentPage, DeviceAuthorization,
    DevicePage, IssuedTokens, LoginPage, LogoutParams, LogoutStep, NewSession, OAuthCode,
    OAuthError, OAuthResult, Oidc, PageContext, Refusal, TokenRequest,
};
pub use pools::{CreatePool, CreatedPool, PoolChange, PoolSigningKey, Pools};
pub use qr::{
    Image, OwnAppInput, QrLogin, QrPoll, QrSettingsChange, QrWatch, ScanInput, ScannerApp,
    ScannerView, StartedQr,
};
pub use shared::{
    callers::Caller,
    housekeeping::housekeeping,
    keyed_limit::KeyedLimit,
    phones::PhoneProof,
    pool_cache::POOL_CACHE_TTL,
    sessions::{Session, VerifiedToken},
    wechat_tokens::wechat_client,
    wechat_users::MAX_NICKNAME_CHARS,
};
pub use users::{
    AVATAR_PATH, MAX_METADATA_KEY_CHARS, MAX_METADATA_KEYS, MAX_METADATA_VALUE_CHARS,
    ProfileChange, Users, default_uploads_folder,
};
pub use wxapp::{MiniProgram, WxappLogin};

/// The state every flow shares, built once at start-up and cloned cheaply into each request; and the rules more
/// than one flow applies (its methods live in `shared/`).
#[derive(Clone)]
pub struct Core {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    master_key: MasterKey,
    hasher: PasswordHasher,
    public_url: Arc<str>,
    pools: shared::pool_cache::PoolCache,
    token_checks: shared::token_checks::TokenChecks,
    wechat: WechatClient,
    scanner: Option<Arc<ScannerApp>>,
    wxacodes: qr::image_cache::ImageCache,
    qr_wakeups: qr::wakeups::QrWakeups,
    waiting: qr::waiting::WaitingSessions,
    phone_limits: shared::phones::PhoneLimits,
    uploads: Arc<std::path::Path>,
    login_key: accounts::login_key::LoginKeyCell,
    operator_sessions: admin::OperatorSessionPolicy,
    oidc_own_keys: oidc::keys::OwnKeys,
    device_polls: oidc::device::DevicePolls,
    metrics: Metrics,
}

impl Core {
    /// The server's external base URL, without a trailing slash.
    pub fn public_url(&self) -> &str {
        &self.public_url
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

    /// The server's metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }
}

/// The services: the [`Core`] and its flows. Cloning is cheap; the core's shared rules (such as
/// [`Core::verify_token`]) are reached directly, a flow's rules through its view (`services.qr().start_qr(…)`).
#[derive(Clone)]
pub struct Services {
    /// Shared, so a request's clone is one count, not one per cache and setting.
    core: Arc<Core>,
}

impl Services {
    /// Wires the services. `public_url` is the server's external base URL (no trailing slash); pool issuers and
    /// JWKS URLs live under it. `wechat` is normally made by [`wechat_client`] over the same store and `metrics`.
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        master_key: MasterKey,
        hasher: PasswordHasher,
        public_url: &str,
        wechat: WechatClient,
        metrics: Metrics,
    ) -> Self {
        let core = Core {
            store,
            clock,
            master_key,
            hasher,
            public_url: public_url.trim_end_matches('/').into(),
            pools: shared::pool_cache::PoolCache::default(),
            token_checks: shared::token_checks::TokenChecks::default(),
            wechat,
            scanner: None,
            wxacodes: qr::image_cache::ImageCache::default(),
            qr_wakeups: qr::wakeups::QrWakeups::default(),
            waiting: qr::waiting::WaitingSessions::default(),
            phone_limits: shared::phones::PhoneLimits::default(),
            uploads: default_uploads_folder().into(),
            login_key: accounts::login_key::LoginKeyCell::default(),
            operator_sessions: admin::OperatorSessionPolicy::default(),
            oidc_own_keys: oidc::keys::OwnKeys::default(),
            device_polls: oidc::device::DevicePolls::default(),
            metrics,
        };
        Self {
            core: Arc::new(core),
        }
    }

    /// The same services with `scanner` as the deployment's scanner mini program (QR login needs one).
    pub fn with_scanner(mut self, scanner: ScannerApp) -> Self {
        Arc::make_mut(&mut self.core).scanner = Some(Arc::new(scanner));
        self
    }

    /// The same services serving the avatar files that earlier builds stored in `folder` (new avatars are kept in the
    /// database).
    pub fn with_uploads(mut self, folder: &std::path::Path) -> Self {
        Arc::make_mut(&mut self.core).uploads = folder.into();
        self
    }

    /// The same services with operator sessions lasting as `policy` says.
    pub fn with_operator_sessions(mut self, policy: OperatorSessionPolicy) -> Self {
        Arc::make_mut(&mut self.core).operator_sessions = policy;
        self
    }

    /// Administration by `operator`: pools, keys, users, admin tokens and the audit log, within the operator's scope,
    /// each change recorded.
    pub fn admin<'a>(&'a self, operator: &'a Operator) -> Admin<'a> {
        Admin::new(&self.core, operator)
    }

    /// Pools: creation, listing, secrets, published keys.
    pub fn pools(&self) -> Pools<'_> {
        Pools::new(&self.core)
    }

    /// Password accounts: sign-up, login (also with an encrypted password), user records, blocking.
    pub fn accounts(&self) -> Accounts<'_> {
        Accounts::new(&self.core)
    }

    /// A user's own data: metadata, profile, avatar, logout everywhere.
    pub fn users(&self) -> Users<'_> {
        Users::new(&self.core)
    }

    /// QR login (flow A): the browser's side and the scanner mini program's.
    pub fn qr(&self) -> QrLogin<'_> {
        QrLogin::new(&self.core)
    }

    /// App-launched login (flow B): tickets minted by the mini program, exchanged by the app's backend.
    pub fn app_login(&self) -> AppLogin<'_> {
        AppLogin::new(&self.core)
    }

    /// The OpenID Connect provider: every pool an issuer whose login page is the WeChat QR code.
    pub fn oidc(&self) -> Oidc<'_> {
        Oidc::new(&self.core)
    }

    /// The mini program SDK's login (flow C): `loginWithWxapp`, phones, open data.
    pub fn wxapp(&self) -> MiniProgram<'_> {
        MiniProgram::new(&self.core)
    }
}

impl Deref for Services {
    type Target = Core;

    fn deref(&self) -> &Core {
        &self.core
    }
}
