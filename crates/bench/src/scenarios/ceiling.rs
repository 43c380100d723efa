//! The server's ceiling: `GET /healthz`, which touches nothing, through the same stack (routing, middleware,
//! JSON) and the same client as every other scenario.

use anyhow::{Result, ensure};

use super::Target;
use crate::{
    load::{self, Load, Stats},
    report::Figure,
};

pub(crate) const NAME: &str = "ceiling: GET /healthz";

pub(crate) async fn run(target: &Target) -> Result<Figure> {
    let url = format!("{}/healthz", target.server.base);
    let stats = measure(&target.client, url, target.load(None)).await;
    Ok(target.figure(NAME, &stats)?.with_note("no I/O"))
}

/// `GET url` under `load`, expecting a 2xx: denglu's `/healthz` or the peer's.
pub(crate) async fn measure(http: &reqwest::Client, url: String, load: Load) -> Stats {
    let http = http.clone();
    load::run(load, move |_| {
        let (http, url) = (http.clone(), url.clone());
        async move {
            let response = http.get(&url).send().await?;
            ensure!(response.status().is_success(), "HTTP {}", response.status());
            response.bytes().await?;
            Ok(())
        }
    })
    .await
}
