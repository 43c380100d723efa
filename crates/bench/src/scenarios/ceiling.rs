//! The server's ceiling: `GET /healthz`, which touches nothing, through the same stack (routing, middleware,
//! JSON) and the same client as every other scenario.

use anyhow::{Result, ensure};

use super::Target;
use crate::{load, report::Figure};

pub(crate) const NAME: &str = "ceiling: GET /healthz";

pub(crate) async fn run(target: &Target) -> Result<Figure> {
    let client = target.client.clone();
    let url = format!("{}/healthz", target.server.base);
    let stats = load::run(target.load(None), move |_| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let response = client.get(&url).send().await?;
            ensure!(response.status().is_success(), "HTTP {}", response.status());
            response.bytes().await?;
            Ok(())
        }
    })
    .await;
    Ok(target.figure(NAME, &stats)?.with_note("no I/O"))
}
