//! App-launched login: the mini program mints tickets (`POST /api/v1/app-login/tickets`, a code2Session each), then
//! the app's backend exchanges each one once (`POST /oauth/app2wxapp/auth/:pool` with the pool secret).

use std::{sync::Arc, time::Duration};

use anyhow::Result;

use super::Target;
use crate::{
    client,
    load::{self, Load},
    report::Figure,
};

pub(crate) async fn run(target: &Target) -> Result<Vec<Figure>> {
    let (tickets, minted) = mint(target).await?;
    let mint = target
        .figure("app ticket mint: POST /api/v1/app-login/tickets", &minted)?
        .with_note("fresh code each; code2Session against the simulator");
    let available = tickets.len();
    let tickets = Arc::new(tickets);
    let client = target.client.clone();
    let url = format!(
        "{}/oauth/app2wxapp/auth/{}",
        target.server.base, target.pool_id
    );
    let secret = target.pool_secret.clone();
    let stats = load::run(target.load(Some(available)), move |n| {
        let (client, url, secret, tickets) = (
            client.clone(),
            url.clone(),
            secret.clone(),
            Arc::clone(&tickets),
        );
        async move {
            let body = serde_json::json!({ "ticket": tickets[n], "secret": secret });
            let reply = client::json(client.post(&url).json(&body).send().await?).await?;
            client::expect_code(&reply, "code", 200)
        }
    })
    .await;
    let exchange = target
        .figure("app ticket exchange: POST /oauth/app2wxapp/auth", &stats)?
        .with_note(format!(
            "a fresh ticket each ({available} minted); ES256 token issued"
        ));
    Ok(vec![mint, exchange])
}

/// Mints up to `options.tickets` tickets (for at most a minute and a half, well inside their 600 s lifetime).
async fn mint(target: &Target) -> Result<(Vec<String>, load::Stats)> {
    let count = target.options.tickets;
    let codes: Arc<Vec<String>> = Arc::new(
        (0..count)
            .map(|n| target.wechat.login_code(n))
            .collect::<Result<_>>()?,
    );
    let tickets = Arc::new(std::sync::Mutex::new(Vec::with_capacity(count)));
    let client = target.client.clone();
    let url = format!("{}/api/v1/app-login/tickets", target.server.base);
    let pool = target.pool_id.clone();
    let collected = Arc::clone(&tickets);
    let load = Load {
        connections: target.options.connections,
        requests: Some(count),
        time: Duration::from_secs(90),
    };
    let stats = load::run(load, move |n| {
        let (client, url, pool) = (client.clone(), url.clone(), pool.clone());
        let (codes, tickets) = (Arc::clone(&codes), Arc::clone(&collected));
        async move {
            let body = serde_json::json!({ "userPoolId": pool, "code": codes[n] });
            let reply = client::json(client.post(&url).json(&body).send().await?).await?;
            let ticket = client::text(&reply, "/ticket")?;
            tickets
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(ticket);
            Ok(())
        }
    })
    .await;
    let minted = std::mem::take(&mut *tickets.lock().unwrap_or_else(|e| e.into_inner()));
    Ok((minted, stats))
}
