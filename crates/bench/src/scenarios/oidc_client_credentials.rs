//! The client credentials grant (RFC 6749 §4.4): `POST {token endpoint}` with `grant_type=client_credentials` and the
//! confidential client's Basic credentials. Served: a 200 with a Bearer access token.

use std::sync::Arc;

use anyhow::{Result, ensure};

use super::Target;
use crate::{
    client,
    load::{self, Load, Stats},
    oidc::Provider,
    report::Figure,
};

pub(crate) const NAME: &str = "OIDC client credentials: POST /oidc/:pool/token";

pub(crate) async fn run(target: &Target, provider: &Provider) -> Result<Figure> {
    let stats = measure(&target.client, provider, target.load(None)).await;
    Ok(target
        .figure(NAME, &stats)?
        .with_note("Basic client auth; an ES256 access token signed and a grant row written each"))
}

/// The grant under `load`, against denglu or the peer.
pub(crate) async fn measure(http: &reqwest::Client, provider: &Provider, load: Load) -> Stats {
    let (http, provider) = (http.clone(), Arc::new(provider.clone()));
    load::run(load, move |_| {
        let (http, provider) = (http.clone(), Arc::clone(&provider));
        async move {
            let form = [("grant_type", "client_credentials")];
            let answer = client::json(provider.token_request(&http, &form).send().await?).await?;
            client::text(&answer, "/access_token")?;
            ensure!(
                answer["token_type"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case("bearer")),
                "token_type is not Bearer: {answer}"
            );
            Ok(())
        }
    })
    .await
}
