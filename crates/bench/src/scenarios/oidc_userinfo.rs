//! The userinfo endpoint (OIDC Core §5.3): `GET {userinfo endpoint}` with one user's access token as a Bearer
//! token. Served: a 200 naming the user (`sub`).

use std::sync::Arc;

use anyhow::Result;

use super::Target;
use crate::{
    client,
    load::{self, Load, Stats},
    oidc::Provider,
    report::Figure,
};

pub(crate) const NAME: &str = "OIDC userinfo: GET /oidc/:pool/userinfo";

pub(crate) async fn run(target: &Target, provider: &Provider, access: &str) -> Result<Figure> {
    let stats = measure(&target.client, provider, target.load(None), access).await;
    Ok(target.figure(NAME, &stats)?.with_note(
        "one ES256 access token (scope openid offline_access); signature checked, grant and user read, each time",
    ))
}

/// Userinfo with `access` under `load`, against denglu or the peer.
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
            let request = http.get(&provider.userinfo).bearer_auth(&*access);
            let answer = client::json(request.send().await?).await?;
            client::text(&answer, "/sub")?;
            Ok(())
        }
    })
    .await
}
