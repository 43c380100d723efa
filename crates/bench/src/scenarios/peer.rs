//! The peer's run, once per suite run (it has no database): oidc-provider in one Node.js process, driven by the same
//! closed loop with the same connections and seconds as denglu's scenarios, through the same request functions.
//! Its codes are made inside its process (`/bench/codes`), since it has no login page to drive.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

use super::{
    ceiling, oidc_client_credentials, oidc_code, oidc_introspect, oidc_refresh, oidc_userinfo,
};
use crate::{
    cli::Options,
    costs,
    load::{Load, Stats},
    oidc::{self, Provider},
    peer::{CLIENT_ID, Peer},
    report::{self, Figure, mib},
};

/// The label of the peer's rows where denglu's name a database.
pub(crate) const LABEL: &str = "oidc-provider";
const INTROSPECT: &str = "introspection: POST /token/introspection";
const USERINFO: &str = "userinfo: GET /me";
const CREDENTIALS: &str = "client credentials: POST /token";
const CODE: &str = "code exchange: POST /token";
const REFRESH: &str = "refresh: POST /token";

/// The operations compared: what, denglu's row, the peer's row.
pub(crate) const PAIRS: [(&str, &str, &str); 6] = [
    ("ceiling", ceiling::NAME, ceiling::NAME),
    ("introspection", oidc_introspect::NAME, INTROSPECT),
    ("userinfo", oidc_userinfo::NAME, USERINFO),
    (
        "client credentials",
        oidc_client_credentials::NAME,
        CREDENTIALS,
    ),
    ("code exchange", oidc_code::NAME, CODE),
    ("refresh", oidc_refresh::NAME, REFRESH),
];

/// The peer process's own figures.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct PeerProcess {
    pub(crate) oidc_provider: String,
    pub(crate) node: String,
    pub(crate) startup_ms: f64,
    pub(crate) idle_rss_mib: f64,
    pub(crate) peak_rss_mib: f64,
}

/// Starts the peer, runs every operation, stops it.
pub(crate) async fn run(
    options: &Options,
    http: &reqwest::Client,
) -> Result<(Vec<Figure>, PeerProcess)> {
    let folder = tempfile::tempdir().context("cannot make a temporary folder")?;
    let secret = super::secret();
    let peer = Peer::start(options, http, &secret, &folder.path().join("peer.log")).await?;
    let idle = peer.rss()?;
    let outcome = operations(options, http, &peer, secret).await;
    let process = PeerProcess {
        oidc_provider: peer.version.clone(),
        node: peer.node_version.clone(),
        startup_ms: peer.startup.as_secs_f64() * 1000.0,
        idle_rss_mib: mib(idle),
        peak_rss_mib: mib(peak(&peer)),
    };
    peer.stop().await?;
    let mut figures = outcome?;
    report::relate_to_ceiling(&mut figures, ceiling::NAME);
    Ok((figures, process))
}

fn peak(peer: &Peer) -> u64 {
    peer.peak_rss().unwrap_or_default()
}

async fn operations(
    options: &Options,
    http: &reqwest::Client,
    peer: &Peer,
    secret: String,
) -> Result<Vec<Figure>> {
    let load = Load {
        connections: options.connections,
        requests: options.request_cap(),
        time: Duration::from_secs(options.seconds),
    };
    let reading = || costs::Reading::now(peer.pid(), false).ok();
    let row = |name: &str, stats: &Stats, started: Option<costs::Reading>, note: String| {
        let cost = started
            .zip(reading())
            .and_then(|(started, now)| started.per_request(&now, stats.ok));
        Ok::<_, anyhow::Error>(
            Figure::from_stats(LABEL, name, stats, peer.rss()?)
                .with_cost(cost)
                .with_note(note),
        )
    };
    let mut figures = Vec::new();
    let started = reading();
    let stats = ceiling::measure(http, format!("{}/healthz", peer.base), load).await;
    figures.push(row(
        ceiling::NAME,
        &stats,
        started,
        "a Koa middleware in front of the provider's routes; no I/O".into(),
    )?);
    let provider = Provider::discover(http, &peer.base, CLIENT_ID.to_owned(), secret).await?;
    let started = reading();
    let stats = oidc_client_credentials::measure(http, &provider, load).await;
    figures.push(row(
        CREDENTIALS,
        &stats,
        started,
        "Basic client auth; an opaque access token kept in memory".into(),
    )?);
    let chains = options.connections.max(1);
    let mut tokens = Vec::with_capacity(chains + 1);
    for code in peer.codes(http, chains + 1).await? {
        tokens.push(oidc::exchange(http, &provider, &code).await?);
    }
    let first = tokens.pop().context("the peer made no codes")?;
    let started = reading();
    let stats = oidc_introspect::measure(http, &provider, load, &first.access).await;
    figures.push(row(
        INTROSPECT,
        &stats,
        started,
        "one opaque access token: a lookup in memory".into(),
    )?);
    let started = reading();
    let stats = oidc_userinfo::measure(http, &provider, load, &first.access).await;
    figures.push(row(
        USERINFO,
        &stats,
        started,
        "one opaque access token: a lookup in memory; the account from a function".into(),
    )?);
    let refresh_tokens = tokens.into_iter().map(|t| t.refresh).collect();
    let started = reading();
    let stats = oidc_refresh::measure(http, &provider, load, refresh_tokens).await;
    figures.push(row(
        REFRESH,
        &stats,
        started,
        format!(
            "{chains} chains, rotation at every use; opaque access token, ES256 ID token, in memory"
        ),
    )?);
    let started = Instant::now();
    let codes = peer.codes(http, options.oidc_codes).await?;
    let made = codes.len();
    let mut fresh = load;
    fresh.time = fresh
        .time
        .min(oidc_code::FRESH_FOR.saturating_sub(started.elapsed()))
        .max(Duration::from_secs(1));
    let started = reading();
    let stats = oidc_code::measure(http, &provider, fresh, codes).await;
    figures.push(row(
        CODE,
        &stats,
        started,
        format!(
            "a fresh code each ({made} made in the peer's process), PKCE S256, Basic client auth; \
         opaque access token, ES256 ID token, refresh token, in memory"
        ),
    )?);
    Ok(figures)
}
