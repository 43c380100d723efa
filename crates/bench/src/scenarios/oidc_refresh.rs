//! The refresh grant (RFC 6749 §6) with rotation: `POST {token endpoint}` with `grant_type=refresh_token`. A refresh
//! token may be used once, so each of the chains (one per connection at least, each from its own login) hands its
//! newest token to the next request. Served: a 200 with a new access, ID and refresh token.

use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};

use super::Target;
use crate::{
    load::{self, Load, Stats},
    oidc::{self, Provider},
    report::Figure,
};

pub(crate) const NAME: &str = "OIDC refresh: POST /oidc/:pool/token";

pub(crate) async fn run(
    target: &Target,
    provider: &Provider,
    chains: Vec<String>,
) -> Result<Figure> {
    let count = chains.len();
    let stats = measure(&target.client, provider, target.load(None), chains).await;
    Ok(target.figure(NAME, &stats)?.with_note(format!(
        "{count} chains, each refresh token used once (rotation); user read, token rotated, ES256 access and ID tokens"
    )))
}

/// Refreshes under `load`, each request taking the newest token of a free chain and putting its successor back;
/// `chains` must be at least as many as the connections.
pub(crate) async fn measure(
    http: &reqwest::Client,
    provider: &Provider,
    load: Load,
    chains: Vec<String>,
) -> Stats {
    let (http, provider) = (http.clone(), Arc::new(provider.clone()));
    let free = Arc::new(Mutex::new(chains));
    load::run(load, move |_| {
        let (http, provider, free) = (http.clone(), Arc::clone(&provider), Arc::clone(&free));
        async move {
            let token = free
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .pop()
                .context("no free refresh chain (a failed refresh ends its chain)")?;
            let tokens = oidc::refresh(&http, &provider, &token).await?;
            free.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(tokens.refresh);
            Ok(())
        }
    })
    .await
}
