//! Password login, `POST /api/v1/pools/:pool/login`: bounded by Argon2id, whose cost the row names. The accounts
//! are registered first; each request comes from its own address (X-Forwarded-For, which the benchmark's server
//! trusts) so that the per-address limit of 60 a minute models many users rather than one attacker.

use std::time::Duration;

use anyhow::{Result, ensure};

use super::Target;
use crate::{
    load::{self, Load},
    report::Figure,
    server::{ARGON2_ITERATIONS, ARGON2_MEMORY_KIB, ARGON2_PARALLELISM},
};

const PASSWORD: &str = "correct horse battery staple";

pub(crate) async fn run(target: &Target) -> Result<Figure> {
    let accounts = target.options.accounts.max(1);
    register(target, accounts).await?;
    let client = target.client.clone();
    let url = format!(
        "{}/api/v1/pools/{}/login",
        target.server.base, target.pool_id
    );
    // An account may try 10 times a minute: never ask for more than the accounts allow.
    let budget = accounts * 10;
    let stats = load::run(target.load(Some(budget)), move |n| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let body =
                serde_json::json!({ "account": account(n % accounts), "password": PASSWORD });
            let response = client
                .post(&url)
                .header("x-forwarded-for", address(n))
                .json(&body)
                .send()
                .await?;
            ensure!(response.status().is_success(), "HTTP {}", response.status());
            response.bytes().await?;
            Ok(())
        }
    })
    .await;
    Ok(target
        .figure("password login: POST /api/v1/pools/:id/login", &stats)?
        .with_note(format!(
            "Argon2id m={ARGON2_MEMORY_KIB} KiB, t={ARGON2_ITERATIONS}, p={ARGON2_PARALLELISM}; {accounts} accounts"
        )))
}

async fn register(target: &Target, accounts: usize) -> Result<()> {
    let client = target.client.clone();
    let url = format!(
        "{}/api/v1/pools/{}/users",
        target.server.base, target.pool_id
    );
    let load = Load {
        connections: 4,
        requests: Some(accounts),
        time: Duration::from_secs(600),
    };
    let stats = load::run(load, move |n| {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let body = serde_json::json!({ "username": account(n), "password": PASSWORD });
            let response = client.post(&url).json(&body).send().await?;
            ensure!(response.status().is_success(), "HTTP {}", response.status());
            Ok(())
        }
    })
    .await;
    ensure!(
        stats.errors == 0,
        "registering the password accounts failed: {}",
        stats.first_error.unwrap_or_default()
    );
    Ok(())
}

fn account(n: usize) -> String {
    format!("bench-{n}")
}

/// A distinct private address per request.
fn address(n: usize) -> String {
    format!("10.{}.{}.{}", (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff)
}
