//! Token verification on the compatible endpoint `GET /authing/token`: signature (ES256), claims, and the
//! user's revocation state in the database.

use anyhow::{Result, ensure};

use super::Target;
use crate::{client, load, report::Figure};

pub(crate) async fn run(target: &Target) -> Result<Figure> {
    let token = super::wxapp::login_once(target).await?;
    let client = target.client.clone();
    let url = format!("{}/authing/token", target.server.base);
    let stats = load::run(target.load(None), move |_| {
        let (client, url, token) = (client.clone(), url.clone(), token.clone());
        async move {
            let reply = client::json(
                client
                    .get(&url)
                    .query(&[("access_token", &token)])
                    .send()
                    .await?,
            )
            .await?;
            client::expect_code(&reply, "code", 200)?;
            ensure!(reply["status"] == true, "token reported invalid");
            Ok(())
        }
    })
    .await;
    Ok(target
        .figure("token verification: GET /authing/token", &stats)?
        .with_note("ES256 token; signature, claims and revocation checked"))
}
