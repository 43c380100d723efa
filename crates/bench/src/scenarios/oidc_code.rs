//! The authorization code exchange (RFC 6749 §4.1.3, RFC 7636): `POST {token endpoint}` with a fresh code each, its
//! redirect URI and PKCE verifier, and the confidential client's Basic credentials. Served: a 200 with an access,
//! an ID and a refresh token. Codes live a minute, so the exchange stops before the first one made is 50 s old.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Result;

use super::{Target, hosted_login::Browser};
use crate::{
    load::{self, Load, Stats},
    oidc::{self, Provider},
    report::Figure,
};

pub(crate) const NAME: &str = "OIDC code exchange: POST /oidc/:pool/token";
/// How long after the first code was made the exchange must have ended (codes live 60 s).
pub(crate) const FRESH_FOR: Duration = Duration::from_secs(50);

/// Makes the codes (each browser's authorization request again, with its session), then exchanges each once.
pub(crate) async fn run(
    target: &Target,
    provider: &Provider,
    browsers: &[Browser],
) -> Result<Vec<Figure>> {
    let started = Instant::now();
    let wanted = target.options.oidc_codes.min(browsers.len());
    let (codes, minted) = super::hosted_login::codes(target, browsers, wanted).await;
    let made = codes.len();
    let authorize = target
        .figure(super::hosted_login::AUTHORIZE, &minted)?
        .with_note("the browser's session cookie (single sign-on): a grant and a code written; 303 to the client");
    let stats = measure(
        &target.client,
        provider,
        exchange_load(target, started),
        codes,
    )
    .await;
    let exchange = target.figure(NAME, &stats)?.with_note(format!(
        "a fresh code each ({made} made by as many hosted logins), PKCE S256, Basic client auth; \
         ES256 access and ID tokens, a refresh token stored"
    ));
    Ok(vec![authorize, exchange])
}

/// The exchange's load: `--seconds`, cut so it ends while the first code made (at `made_from`) is still fresh.
fn exchange_load(target: &Target, made_from: Instant) -> Load {
    let left = FRESH_FOR.saturating_sub(made_from.elapsed());
    let mut load = target.load(None);
    load.time = load.time.min(left).max(Duration::from_secs(1));
    load
}

/// Exchanges each of `codes` once under `load`, against denglu or the peer.
pub(crate) async fn measure(
    http: &reqwest::Client,
    provider: &Provider,
    mut load: Load,
    codes: Vec<String>,
) -> Stats {
    load.requests = Some(
        load.requests
            .map_or(codes.len(), |cap| cap.min(codes.len())),
    );
    let (http, provider, codes) = (http.clone(), Arc::new(provider.clone()), Arc::new(codes));
    load::run(load, move |n| {
        let (http, provider, codes) = (http.clone(), Arc::clone(&provider), Arc::clone(&codes));
        async move { oidc::exchange(&http, &provider, &codes[n]).await.map(drop) }
    })
    .await
}
