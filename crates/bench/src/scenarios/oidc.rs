//! denglu's OpenID Connect scenarios, prepared once per suite: the benchmark's application registered with
//! `denglu client create` (confidential, first-party, every grant the scenarios use), the issuer's discovery document,
//! browsers logged in through the hosted login, and the tokens of some of their logins.

use anyhow::{Context, Result, bail};

use super::{
    Target, hosted_login, oidc_client_credentials, oidc_code, oidc_introspect, oidc_refresh,
    oidc_userinfo,
};
use crate::{
    cli::Scenario,
    load,
    oidc::{self, Provider, Tokens},
    report::Figure,
};

/// Runs the OpenID Connect scenarios `--only` leaves in, in this order: client credentials, introspection,
/// userinfo, refresh, code exchange (last, so that its codes are made just before it).
pub(crate) async fn run(target: &Target) -> Result<Vec<Figure>> {
    let options = &target.options;
    let [credentials, introspect, userinfo, refresh, code] = [
        Scenario::OidcClientCredentials,
        Scenario::OidcIntrospect,
        Scenario::OidcUserinfo,
        Scenario::OidcRefresh,
        Scenario::OidcCode,
    ]
    .map(|scenario| options.wants(scenario));
    let mut figures = Vec::new();
    if !(credentials || introspect || userinfo || refresh || code) {
        return Ok(figures);
    }
    let provider = register(target).await?;
    if credentials {
        figures.push(oidc_client_credentials::run(target, &provider).await?);
    }
    if !(introspect || userinfo || refresh || code) {
        return Ok(figures);
    }
    // One token for introspection and userinfo, one refresh chain per connection, one browser per code.
    let chains = if refresh {
        options.connections.max(1)
    } else {
        0
    };
    let logins = (chains + 1).max(if code { options.oidc_codes } else { 0 });
    let (browsers, logged_in) = hosted_login::log_in(target, &provider, logins).await;
    figures.push(target.figure(hosted_login::LOGIN, &logged_in)?.with_note(
        "one browser each: the login page, a QR session, a phone's scan (code2Session) and confirm, the poll, \
         the IdP session; 6 requests to denglu per login",
    ));
    if logged_in.errors > 0 {
        // The row carries the failure (and fails the run); nothing after it can be prepared.
        return Ok(figures);
    }
    let mut tokens = user_tokens(target, &provider, &browsers, chains + 1).await?;
    let first = tokens.pop().context("no tokens were made")?;
    if introspect {
        figures.push(oidc_introspect::run(target, &provider, &first.access).await?);
    }
    if userinfo {
        figures.push(oidc_userinfo::run(target, &provider, &first.access).await?);
    }
    if refresh {
        let chains = tokens.into_iter().map(|t| t.refresh).collect();
        figures.push(oidc_refresh::run(target, &provider, chains).await?);
    }
    if code {
        figures.extend(oidc_code::run(target, &provider, &browsers).await?);
    }
    Ok(figures)
}

/// Registers the benchmark's application with the command line and reads the issuer's discovery document.
async fn register(target: &Target) -> Result<Provider> {
    let config = &target.config;
    let printed = config
        .admin(&[
            "client",
            "create",
            "--pool",
            &target.pool_id,
            "--name",
            "Bench",
            "--kind",
            "confidential",
            "--first-party",
            "--redirect-uri",
            oidc::REDIRECT_URI,
            "--grant-type",
            "authorization_code",
            "--grant-type",
            "refresh_token",
            "--grant-type",
            "client_credentials",
            "--scope",
            "openid",
            "--scope",
            "offline_access",
        ])
        .await?;
    let field = |name: &str| {
        printed
            .lines()
            .find_map(|line| line.strip_prefix(name).map(str::trim).map(str::to_owned))
            .with_context(|| format!("`denglu client create` printed no {name}: {printed}"))
    };
    let issuer = format!("{}/oidc/{}", target.server.base, target.pool_id);
    Provider::discover(
        &target.client,
        &issuer,
        field("client_id:")?,
        field("client_secret:")?,
    )
    .await
}

/// `count` logins' tokens: codes from the browsers' resume links, each exchanged.
async fn user_tokens(
    target: &Target,
    provider: &Provider,
    browsers: &[hosted_login::Browser],
    count: usize,
) -> Result<Vec<Tokens>> {
    let (codes, minted) = hosted_login::codes(target, browsers, count).await;
    check(&minted, "the codes for the tokens")?;
    let mut tokens = Vec::with_capacity(codes.len());
    for code in &codes {
        tokens.push(oidc::exchange(&target.client, provider, code).await?);
    }
    Ok(tokens)
}

/// Fails when a preparation step had errors.
fn check(stats: &load::Stats, what: &str) -> Result<()> {
    if stats.errors > 0 {
        bail!(
            "{what}: {} failed, first: {}",
            stats.errors,
            stats.first_error.as_deref().unwrap_or("?")
        );
    }
    Ok(())
}
