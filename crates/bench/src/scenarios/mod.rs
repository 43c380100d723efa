//! The scenarios, one module per flow, and what they share: the server under test, its pool, WeChat, the options.

mod ceiling;
mod hosted_login;
mod oidc;
mod oidc_client_credentials;
mod oidc_code;
mod oidc_introspect;
mod oidc_refresh;
mod oidc_userinfo;
mod passwords;
pub(crate) mod peer;
mod qr_poll;
mod qr_push;
mod tickets;
mod tokens;
mod wxapp;

use std::{sync::Arc, time::Duration};

use anyhow::Result;
use rand::{Rng, distributions::Alphanumeric};

use crate::{
    cli::{Database, Options, Scenario},
    client, costs,
    load::{self, Load, Stats},
    report::Figure,
    server::{Server, ServerConfig},
    wechat::Wechat,
};

/// The name of the ceiling row, which every other throughput is compared with.
pub(crate) const CEILING: &str = ceiling::NAME;
/// The WeChat users the simulator is started with.
pub(crate) const WXAPP_CROWD: usize = wxapp::CROWD;

/// A server ready for load: one pool (ES256, the default algorithm), WeChat, and the HTTP client.
pub(crate) struct Target {
    pub(crate) database: &'static str,
    pub(crate) client: reqwest::Client,
    pub(crate) server: Server,
    /// The server's settings, for admin commands (`denglu client create`).
    pub(crate) config: ServerConfig,
    pub(crate) wechat: Arc<Wechat>,
    pub(crate) pool_id: String,
    pub(crate) pool_secret: String,
    pub(crate) options: Options,
    /// The CPU reading taken when the last measured load began (see [`Target::load`]).
    pub(crate) started: std::sync::Mutex<Option<costs::Reading>>,
}

impl Target {
    /// Load for a request/response scenario, at most `requests` requests (a few hundred in smoke mode). Asking for
    /// it starts the scenario's CPU accounting, which [`Target::figure`] ends.
    pub(crate) fn load(&self, requests: Option<usize>) -> Load {
        let reading = costs::Reading::now(
            self.server.pid(),
            self.database == Database::Postgres.label(),
        )
        .ok();
        *self.started.lock().unwrap_or_else(|e| e.into_inner()) = reading;
        Load {
            connections: self.options.connections,
            requests: requests.or(self.options.request_cap()),
            time: Duration::from_secs(self.options.seconds),
        }
    }

    /// A row from a run's stats, the server's memory now, and the CPU the run cost per request.
    pub(crate) fn figure(&self, scenario: impl Into<String>, stats: &Stats) -> Result<Figure> {
        let started = self
            .started
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let now = costs::Reading::now(
            self.server.pid(),
            self.database == Database::Postgres.label(),
        )?;
        let cost = started.and_then(|started| started.per_request(&now, stats.ok));
        Ok(Figure::from_stats(self.database, scenario, stats, self.server.rss()?).with_cost(cost))
    }

    /// Starts `count` pending QR sessions; returns each one's (browser secret, scene) and the run's stats.
    pub(crate) async fn start_qr_sessions(
        &self,
        count: usize,
    ) -> Result<(Vec<(String, String)>, Stats)> {
        let randoms: Arc<Vec<String>> = Arc::new((0..count).map(|_| secret()).collect());
        let scenes = Arc::new(std::sync::Mutex::new(Vec::with_capacity(count)));
        let url = format!("{}/oauth/wxapp/qrcode/{}", self.server.base, self.pool_id);
        let client = self.client.clone();
        let (shared_randoms, shared_scenes) = (Arc::clone(&randoms), Arc::clone(&scenes));
        let load = Load {
            connections: self.options.connections,
            requests: Some(count),
            time: Duration::from_secs(600),
        };
        let stats = load::run(load, move |n| {
            let (client, url) = (client.clone(), url.clone());
            let (randoms, scenes) = (Arc::clone(&shared_randoms), Arc::clone(&shared_scenes));
            async move {
                let random = &randoms[n];
                let reply =
                    client::json(client.get(&url).query(&[("random", random)]).send().await?)
                        .await?;
                client::expect_code(&reply, "code", 200)?;
                let scene = client::text(&reply, "/data/scene")?;
                scenes
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push((random.clone(), scene));
                Ok(())
            }
        })
        .await;
        let sessions = std::mem::take(&mut *scenes.lock().unwrap_or_else(|e| e.into_inner()));
        Ok((sessions, stats))
    }
}

/// A browser's poll secret: 32 characters of `[0-9A-Za-z]`.
pub(crate) fn secret() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

/// Runs every scenario on one server, in an order that keeps each from disturbing the next: the push scenario,
/// which leaves thousands of connections to close, runs last.
/// The ceiling always runs first; `--only` picks among the others.
pub(crate) async fn run_all(target: &Target) -> Result<Vec<Figure>> {
    let wanted = |scenario: Scenario| target.options.wants(scenario);
    let mut figures = vec![ceiling::run(target).await?];
    if wanted(Scenario::Tokens) {
        figures.push(tokens::run(target).await?);
    }
    if wanted(Scenario::QrPoll) {
        figures.extend(qr_poll::run(target).await?);
    }
    if wanted(Scenario::Tickets) {
        figures.extend(tickets::run(target).await?);
    }
    if wanted(Scenario::Wxapp) {
        figures.push(wxapp::run(target).await?);
    }
    if wanted(Scenario::Passwords) {
        figures.push(passwords::run(target).await?);
    }
    figures.extend(oidc::run(target).await?);
    if wanted(Scenario::QrPush) {
        figures.extend(qr_push::run(target).await?);
    }
    Ok(figures)
}
