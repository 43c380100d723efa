//! `World::new()`: the services over a fresh SQLite file, a manual clock, cheap Argon2, the WeChat simulator on a free
//! port (with the scanner mini program [`MINI_PROGRAM`]) and an open ES256 pool; and what the tests reach around them.

use std::{fmt::Debug, sync::Arc};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use denglu_crypto::{MasterKey, PasswordHasher, PasswordHasherParams};
use denglu_domain::{
    AppId, Clock, JwtAlgorithm, ManualClock, PoolId, PoolName, RegistrationPolicy, TokenLifetime,
    User,
};
use denglu_service::{
    CreatePool, CreatedPool, ErrorCode, LoginInput, RegisterInput, ScannerApp, ServiceResult,
    Services, Session,
};
use denglu_store::Store;
use denglu_wechat::{AppCredentials, ClientConfig};
use denglu_wechat_sim::{
    AppConfig, NewUser, PhoneSpec, SimConfig, Simulator, UserId as WechatUser,
};

/// The mini program the simulator knows and the services use as their scanner: AppID and AppSecret.
pub(crate) const MINI_PROGRAM: (&str, &str) = ("wx00000000000a0001", "test-app-secret");

/// The password every password account of these tests has.
pub(crate) const PASSWORD: &str = "correct horse";

/// The services and what the tests need around them. Dropping it removes the database.
pub(crate) struct World {
    pub(crate) services: Services,
    /// The same store the services use, to check the state a rule left.
    pub(crate) store: Arc<dyn Store>,
    /// The services' clock: advance it to expire tickets and QR codes.
    pub(crate) clock: ManualClock,
    /// An open ES256 pool and its secret.
    pub(crate) pool: CreatedPool,
    /// The WeChat simulator the services call: it plays the phones (users, `wx.login`, getPhoneNumber).
    pub(crate) wechat: Simulator,
    _database: tempfile::TempDir,
}

/// A WeChat simulator with [`MINI_PROGRAM`] on a free port; returns it with a client config pointing at it.
/// Password hashing at the lowest cost, so that tests run fast.
fn cheap_hasher() -> PasswordHasher {
    let cheap = PasswordHasherParams {
        memory_kib: 1024,
        iterations: 1,
        parallelism: 1,
    };
    PasswordHasher::new(cheap).expect("valid params")
}

async fn spawn_wechat() -> (Simulator, ClientConfig) {
    let config = SimConfig {
        apps: vec![AppConfig::new(MINI_PROGRAM.0, MINI_PROGRAM.1)],
        ..SimConfig::default()
    };
    let simulator = Simulator::new(config).expect("valid simulator settings");
    let url = denglu_wechat_sim::serve_on_loopback(simulator.clone())
        .await
        .expect("a free port");
    let client = ClientConfig {
        api_base_url: url,
        busy_backoff_ms: 1,
        ..ClientConfig::default()
    };
    (simulator, client)
}

/// Settings of a pool with `policy`.
pub(crate) fn pool_settings(policy: RegistrationPolicy) -> CreatePool {
    CreatePool {
        name: PoolName::parse("Test pool").expect("valid name"),
        algorithm: JwtAlgorithm::ES256,
        token_lifetime: TokenLifetime::default(),
        registration_policy: policy,
    }
}

impl World {
    /// The services with the deployment's scanner mini program, and an open pool.
    pub(crate) async fn new() -> Self {
        Self::build(true, |store| store).await
    }

    /// The services with the deployment's scanner mini program over `wrap(store)` (a store a test can make fail or
    /// race), and an open pool; `store` stays the real one.
    pub(crate) async fn over(wrap: impl FnOnce(Arc<dyn Store>) -> Arc<dyn Store>) -> Self {
        Self::build(true, wrap).await
    }

    /// The services without any scanner mini program (QR login, app launch and the SDK have no app), and an open
    /// pool.
    pub(crate) async fn without_scanner() -> Self {
        Self::build(false, |store| store).await
    }

    async fn build(
        with_scanner: bool,
        wrap: impl FnOnce(Arc<dyn Store>) -> Arc<dyn Store>,
    ) -> Self {
        let database = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", database.path().join("denglu.db").display());
        let store: Arc<dyn Store> = Arc::new(
            denglu_store_sqlite::connect(&url, 4, std::time::Duration::from_secs(2))
                .await
                .expect("store opens"),
        );
        // Half past a whole second: a revocation floor (the next whole second) differs from `now`, as in real life.
        let start = Utc::now().trunc_subsecs(0) + Duration::milliseconds(500);
        let clock = ManualClock::starting_at(start);
        let master_key = MasterKey::from_base64(&MasterKey::generate_base64()).expect("valid key");
        let hasher = cheap_hasher();
        let (wechat, wechat_config) = spawn_wechat().await;
        let metrics = denglu_service::Metrics::new(Arc::clone(&store));
        let client = denglu_service::wechat_client(
            wechat_config,
            Arc::clone(&store),
            master_key.clone(),
            Arc::new(clock.clone()),
            &metrics,
        )
        .expect("WeChat client");
        let public_url = "https://login.example.com";
        let mut services = Services::new(
            wrap(Arc::clone(&store)),
            Arc::new(clock.clone()),
            master_key,
            hasher,
            public_url,
            client,
            metrics,
        )
        .with_uploads(&database.path().join("uploads"));
        if with_scanner {
            services = services.with_scanner(ScannerApp {
                appid: AppId::parse(MINI_PROGRAM.0).expect("appid"),
                credentials: AppCredentials::new(MINI_PROGRAM.0, MINI_PROGRAM.1),
                link_prefix: format!("{public_url}/s/"),
                confirm_page: "pages/confirm/index".to_owned(),
            });
        }
        let pool = services
            .pools()
            .create(pool_settings(RegistrationPolicy::Open))
            .await
            .expect("pool");
        Self {
            services,
            store,
            clock,
            pool,
            wechat,
            _database: database,
        }
    }

    /// The services' time now.
    /// Other services over the same store and clock, with another master key: what a command run without the
    /// deployment's key works with.
    pub(crate) async fn services_with_another_master_key(&self) -> Services {
        let master_key = MasterKey::from_base64(&MasterKey::generate_base64()).expect("valid key");
        let (_, wechat_config) = spawn_wechat().await;
        let metrics = denglu_service::Metrics::new(Arc::clone(&self.store));
        let client = denglu_service::wechat_client(
            wechat_config,
            Arc::clone(&self.store),
            master_key.clone(),
            Arc::new(self.clock.clone()),
            &metrics,
        )
        .expect("WeChat client");
        Services::new(
            Arc::clone(&self.store),
            Arc::new(self.clock.clone()),
            master_key,
            cheap_hasher(),
            "https://login.example.com",
            client,
            metrics,
        )
    }

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The open pool's id.
    pub(crate) fn pool_id(&self) -> &PoolId {
        &self.pool.pool.id
    }

    /// The open pool's secret.
    pub(crate) fn secret(&self) -> &str {
        &self.pool.secret
    }

    /// Another pool, with `policy`.
    pub(crate) async fn another_pool(&self, policy: RegistrationPolicy) -> CreatedPool {
        self.services
            .pools()
            .create(pool_settings(policy))
            .await
            .expect("pool")
    }

    /// A WeChat user (a phone with WeChat), sharing `phone` (a mainland number) if given.
    pub(crate) fn wechat_user(&self, nickname: &str, phone: Option<&str>) -> WechatUser {
        self.wechat
            .create_user(NewUser {
                nickname: nickname.to_owned(),
                avatar_url: format!("https://example.com/{nickname}.png"),
                phone: phone.map(|number| PhoneSpec {
                    number: number.to_owned(),
                    country_code: "86".to_owned(),
                }),
            })
            .expect("WeChat user")
    }

    /// `wx.login` in the mini program: a fresh single-use code.
    pub(crate) fn code(&self, user: WechatUser) -> String {
        self.wechat.login(MINI_PROGRAM.0, user).expect("wx.login")
    }

    /// The code of the getPhoneNumber button (the user logged in before).
    pub(crate) fn phone_code(&self, user: WechatUser) -> String {
        self.wechat
            .phone_number(MINI_PROGRAM.0, user)
            .expect("getPhoneNumber")
            .code
    }

    /// The user's openid in the mini program.
    pub(crate) fn openid(&self, user: WechatUser) -> String {
        self.wechat.openid(MINI_PROGRAM.0, user).expect("openid")
    }

    /// Signs `username` up in `pool` with [`PASSWORD`].
    pub(crate) async fn register_in(&self, pool: &PoolId, username: &str) -> ServiceResult<User> {
        self.services
            .accounts()
            .register(
                pool,
                RegisterInput {
                    username: Some(username.to_owned()),
                    email: None,
                    password: PASSWORD.to_owned(),
                    nickname: None,
                },
            )
            .await
    }

    /// A password login in `pool`.
    pub(crate) async fn login_in(
        &self,
        pool: &PoolId,
        account: &str,
        password: &str,
    ) -> ServiceResult<Session> {
        self.services
            .accounts()
            .login_with_password(
                pool,
                LoginInput {
                    account: account.to_owned(),
                    password: password.to_owned(),
                    from: denglu_domain::Requester::default(),
                },
            )
            .await
    }

    /// The user as stored now.
    pub(crate) async fn stored_user(&self, pool: &PoolId, user: &User) -> User {
        self.store
            .user(pool, &user.id)
            .await
            .expect("store answers")
            .expect("the user exists")
    }

    /// The pool's users as stored now.
    pub(crate) async fn stored_users(&self, pool: &PoolId) -> Vec<User> {
        self.store.users(pool, 500, 0).await.expect("store answers")
    }
}

/// The documented code of a call that must fail.
pub(crate) fn refusal<T: Debug>(result: ServiceResult<T>) -> ErrorCode {
    match result {
        Ok(value) => panic!("expected a refusal, got {value:?}"),
        Err(error) => error.code(),
    }
}
