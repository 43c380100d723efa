//! Token introspection (RFC 7662): `POST {introspection endpoint}` with one user's access token and the confidential
//! client's Basic credentials. Served: a 200 whose `active` is true.

use std::sync::Arc;

use anyhow::{Result, ensure};

use super::Target;
use crate::{
    client,
    load::{self, Load, Stats},
    oidc::Provider,
    report::Figure,
};

pub(crate) const NAME: &str = "OIDC introspection: POST /oidc/:pool/introspect";

pub(crate) async fn run(target: &Target, provider: &Provider, access: &str) -> Result<Figure> {
    let stats = measure(&target.client, provider, target.load(None), access).await;
    Ok(target.figure(NAME, &stats)?.with_note(
        "one ES256 access token; client, grant and user read, signature checked, each time",
    ))
}

/// Introspection of `access` under `load`, against denglu or the peer.
pub(crate) async fn measure(
    http: &reqwest::Client,
    provider: &Provider,
    load: Load,
    access: &str,
) -> Stats {
    let (http, provider) = (http.clone(), Arc::new(provider.clone()));
    let access: Arc<str> = Arc::from(access);
    load::run(load, move |_| {
        let (http, provider, access) = (http.clone(), Arc::clone(&provider), Arc::clone(&access));
        async move {
            let request = http
                .post(&provider.introspection)
                .basic_auth(&provider.client_id, Some(&provider.client_secret))
                .form(&[("token", &*access)]);
            let answer = client::json(request.send().await?).await?;
            ensure!(
                answer["active"] == true,
                "the token is not active: {answer}"
            );
            Ok(())
        }
    })
    .await
}
