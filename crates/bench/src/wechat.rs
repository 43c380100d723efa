//! WeChat for the benchmark: the simulator served in this process on a loopback port, with one mini program (the
//! deployment's scanner, which also serves the pool's mini program logins) and a crowd of WeChat users.

use std::net::SocketAddr;

use anyhow::{Context, Result, anyhow};
use denglu_wechat_sim::{AppConfig, NewUser, Quotas, SimConfig, Simulator, UserId};
use tokio::net::TcpListener;

/// The scanner mini program the server is configured with.
pub(crate) const APPID: &str = "wxbe9c0000b3ac0001";
pub(crate) const SECRET: &str = "bench-app-secret";

/// The running simulator and its users.
pub(crate) struct Wechat {
    sim: Simulator,
    users: Vec<UserId>,
    pub(crate) base_url: String,
}

impl Wechat {
    /// Starts the simulator with `users` users. WeChat's per-user minute quota on code2Session is lifted: the
    /// benchmark logs the same few thousand people in far more often than any real person would.
    pub(crate) async fn start(users: usize) -> Result<Self> {
        let config = SimConfig {
            apps: vec![AppConfig::new(APPID, SECRET)],
            quotas: Quotas {
                jscode2session_per_user_per_minute: u32::MAX,
                ..Quotas::default()
            },
            ..SimConfig::default()
        };
        let sim = Simulator::new(config).map_err(|e| anyhow!("simulator: {e}"))?;
        let users = (0..users.max(1))
            .map(|n| {
                sim.create_user(NewUser {
                    nickname: format!("bench-{n}"),
                    avatar_url: String::new(),
                    phone: None,
                })
                .map_err(|e| anyhow!("simulator: {e}"))
            })
            .collect::<Result<Vec<_>>>()?;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("cannot listen for the simulator")?;
        let address: SocketAddr = listener.local_addr()?;
        let serving = sim.clone();
        tokio::spawn(async move {
            let _ = denglu_wechat_sim::serve(listener, serving, std::future::pending()).await;
        });
        Ok(Self {
            sim,
            users,
            base_url: format!("http://{address}"),
        })
    }

    /// A fresh single-use `wx.login` code of the `n`-th user (wrapping around the crowd).
    pub(crate) fn login_code(&self, n: usize) -> Result<String> {
        let user = self.users[n % self.users.len()];
        self.sim
            .login(APPID, user)
            .map_err(|e| anyhow!("simulator: {e}"))
    }
}
