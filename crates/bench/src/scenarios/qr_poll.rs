//! QR login on the compatible endpoints: starting sessions (`GET /oauth/wxapp/qrcode/:pool`), then polling
//! `POST /oauth/wxapp/confirm/qr` spread over all of them while they wait, as the hosted service's SDK does.

use std::sync::Arc;

use anyhow::Result;

use super::Target;
use crate::{client, load, report::Figure};

pub(crate) async fn run(target: &Target) -> Result<Vec<Figure>> {
    let count = target.options.pending;
    let (sessions, started) = target.start_qr_sessions(count).await?;
    let start = target
        .figure("QR start: GET /oauth/wxapp/qrcode", &started)?
        .with_note("one session each (image drawn only when fetched)");
    let randoms: Arc<Vec<String>> = Arc::new(sessions.into_iter().map(|(r, _)| r).collect());
    let pending = randoms.len();
    let client = target.client.clone();
    let url = format!("{}/oauth/wxapp/confirm/qr", target.server.base);
    let stats = load::run(target.load(None), move |n| {
        let (client, url, randoms) = (client.clone(), url.clone(), Arc::clone(&randoms));
        async move {
            let random = &randoms[n.wrapping_mul(7919) % randoms.len()];
            let reply = client::json(
                client
                    .post(&url)
                    .query(&[("random", random)])
                    .send()
                    .await?,
            )
            .await?;
            client::expect_code(&reply, "code", 200)?;
            client::expect_code(&reply["data"], "code", 500)
        }
    })
    .await;
    let poll = target
        .figure("QR polling: POST /oauth/wxapp/confirm/qr", &stats)?
        .with_note(format!("{pending} pending sessions; answer: still waiting"));
    Ok(vec![start, poll])
}
