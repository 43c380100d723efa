//! A simulator on a free port with two apps (one bound to an open platform account), and clients pointed at it.

use std::sync::Arc;

use denglu_wechat::{AppCredentials, ClientConfig, TokenCache, WechatClient};
use denglu_wechat_sim::{Api, AppConfig, NewUser, PhoneSpec, SimConfig, Simulator, UserId};

pub(crate) const APP: &str = "wx1111111111111111";
pub(crate) const SECRET: &str = "secret-one";
pub(crate) const BOUND_APP: &str = "wx2222222222222222";
pub(crate) const BOUND_SECRET: &str = "secret-two";
pub(crate) const QR_PAGE: &str = "pages/qr/index";

/// A running simulator and a client configured for it.
pub(crate) struct World {
    pub(crate) sim: Simulator,
    pub(crate) config: ClientConfig,
    pub(crate) client: WechatClient,
    pub(crate) app: AppCredentials,
    pub(crate) bound: AppCredentials,
}

impl World {
    /// Another client (another "replica") on the same simulator, with its own in-memory cache.
    pub(crate) fn another_client(&self) -> WechatClient {
        WechatClient::builder(self.config.clone())
            .build()
            .expect("client")
    }

    /// A client sharing `cache`.
    pub(crate) fn client_with_cache(&self, cache: Arc<dyn TokenCache>) -> WechatClient {
        WechatClient::builder(self.config.clone())
            .token_cache(cache)
            .build()
            .expect("client")
    }

    /// A user with a phone number, logged in to `APP` once (so they have a session key there).
    pub(crate) fn user(&self) -> UserId {
        self.sim
            .create_user(NewUser {
                nickname: "小明".to_owned(),
                avatar_url: "https://example.com/a.png".to_owned(),
                phone: Some(PhoneSpec {
                    number: "13580006666".to_owned(),
                    country_code: "86".to_owned(),
                }),
            })
            .expect("user")
    }

    /// Access tokens the simulator has issued so far.
    pub(crate) fn tokens_issued(&self) -> u64 {
        self.sim.summary().tokens_issued
    }

    /// How many times the client called `api`.
    pub(crate) fn calls(&self, api: Api) -> u64 {
        self.sim.summary().calls.get(&api).copied().unwrap_or(0)
    }
}

/// Starts a simulator and a client with fast busy back-off.
pub(crate) async fn world() -> World {
    world_with(|_| {}).await
}

/// Starts a simulator configured by `adjust`.
pub(crate) async fn world_with(adjust: impl FnOnce(&mut SimConfig)) -> World {
    let mut sim_config = SimConfig::default();
    let mut app = AppConfig::new(APP, SECRET);
    app.pages = vec!["pages/index/index".to_owned(), QR_PAGE.to_owned()];
    let mut bound = AppConfig::new(BOUND_APP, BOUND_SECRET);
    bound.bound_open_platform = Some("open-platform-1".to_owned());
    sim_config.apps = vec![app, bound];
    adjust(&mut sim_config);
    let sim = Simulator::new(sim_config).expect("valid simulator config");
    let base = denglu_wechat_sim::serve_on_loopback(sim.clone())
        .await
        .expect("a free port");
    let config = ClientConfig {
        api_base_url: base,
        busy_backoff_ms: 1,
        ..ClientConfig::default()
    };
    let client = WechatClient::builder(config.clone())
        .build()
        .expect("client");
    World {
        sim,
        config,
        client,
        app: AppCredentials::new(APP, SECRET),
        bound: AppCredentials::new(BOUND_APP, BOUND_SECRET),
    }
}
