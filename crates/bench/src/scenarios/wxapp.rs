//! Mini program login, `POST /oauth/wechatapp/auth/:pool`: each request brings a fresh `wx.login` code, which the
//! server exchanges with the WeChat simulator (code2Session over HTTP) before finding or creating the user.

use std::sync::Arc;

use anyhow::Result;

use super::Target;
use crate::{client, load, report::Figure};

/// WeChat users the logins spread over; each one's first login signs them up.
pub(crate) const CROWD: usize = 5_000;

pub(crate) async fn run(target: &Target) -> Result<Figure> {
    let count = target.options.codes;
    let codes: Arc<Vec<String>> = Arc::new(
        (0..count)
            .map(|n| target.wechat.login_code(n))
            .collect::<Result<_>>()?,
    );
    let client = target.client.clone();
    let url = login_url(target);
    let stats = load::run(target.load(Some(count)), move |n| {
        let (client, url, codes) = (client.clone(), url.clone(), Arc::clone(&codes));
        async move { login(&client, &url, &codes[n]).await.map(drop) }
    })
    .await;
    Ok(target
        .figure("mini program login: POST /oauth/wechatapp/auth", &stats)?
        .with_note(format!(
            "fresh code each; code2Session against the simulator; {} WeChat users, first login signs up",
            count.min(CROWD)
        )))
}

/// One mini program login; returns the user's token.
pub(crate) async fn login_once(target: &Target) -> Result<String> {
    let code = target.wechat.login_code(0)?;
    login(&target.client, &login_url(target), &code).await
}

fn login_url(target: &Target) -> String {
    format!(
        "{}/oauth/wechatapp/auth/{}",
        target.server.base, target.pool_id
    )
}

async fn login(client: &reqwest::Client, url: &str, code: &str) -> Result<String> {
    let reply = client::json(
        client
            .post(url)
            .json(&serde_json::json!({ "code": code }))
            .send()
            .await?,
    )
    .await?;
    client::expect_code(&reply, "code", 200)?;
    client::text(&reply, "/data/token")
}
