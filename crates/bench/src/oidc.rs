//! OpenID Connect as the benchmark's relying party sees it, the same for denglu and for the peer: the endpoints from
//! the issuer's discovery document, one confidential client (`client_secret_basic`), one PKCE verifier, and the
//! token endpoint's answers checked field by field.

use anyhow::{Context, Result, ensure};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::client;

/// Every authorization request's scopes: an ID token and a refresh token, nothing more.
pub(crate) const SCOPE: &str = "openid offline_access";
/// The redirect URI every client registers (nothing listens there: the benchmark reads the redirect itself).
pub(crate) const REDIRECT_URI: &str = "http://127.0.0.1:9/callback";
/// The PKCE verifier of every authorization request (43 characters, the least RFC 7636 allows).
pub(crate) const VERIFIER: &str = "bench-pkce-verifier-0123456789-abcdefghijkl";

/// `BASE64URL(SHA-256(VERIFIER))`: the `code_challenge` for `S256`.
pub(crate) fn challenge() -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(VERIFIER.as_bytes()))
}

/// A provider's endpoints and the benchmark's client of it.
#[derive(Debug, Clone)]
pub(crate) struct Provider {
    pub(crate) issuer: String,
    pub(crate) authorization: String,
    pub(crate) token: String,
    pub(crate) introspection: String,
    pub(crate) userinfo: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
}

impl Provider {
    /// Reads `{issuer}/.well-known/openid-configuration`.
    pub(crate) async fn discover(
        http: &reqwest::Client,
        issuer: &str,
        client_id: String,
        client_secret: String,
    ) -> Result<Self> {
        let url = format!("{issuer}/.well-known/openid-configuration");
        let document = client::json(http.get(&url).send().await?)
            .await
            .with_context(|| format!("discovery at {url}"))?;
        Ok(Self {
            issuer: client::text(&document, "/issuer")?,
            authorization: client::text(&document, "/authorization_endpoint")?,
            token: client::text(&document, "/token_endpoint")?,
            introspection: client::text(&document, "/introspection_endpoint")?,
            userinfo: client::text(&document, "/userinfo_endpoint")?,
            client_id,
            client_secret,
        })
    }

    /// A token request with the client's credentials in the `Authorization: Basic` header.
    pub(crate) fn token_request(
        &self,
        http: &reqwest::Client,
        form: &[(&str, &str)],
    ) -> reqwest::RequestBuilder {
        http.post(&self.token)
            .basic_auth(&self.client_id, Some(&self.client_secret))
            .form(form)
    }
}

/// What a user's grant answered: an access token and the refresh token that rotates it.
#[derive(Debug, Clone)]
pub(crate) struct Tokens {
    pub(crate) access: String,
    pub(crate) refresh: String,
}

/// Exchanges an authorization code (with the PKCE verifier); the answer must hold an access, an ID and a refresh
/// token.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    provider: &Provider,
    code: &str,
) -> Result<Tokens> {
    let form = [
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", VERIFIER),
    ];
    let answer = client::json(provider.token_request(http, &form).send().await?).await?;
    user_tokens(&answer)
}

/// Uses a refresh token once; the answer must hold a new access, ID and refresh token.
pub(crate) async fn refresh(
    http: &reqwest::Client,
    provider: &Provider,
    refresh_token: &str,
) -> Result<Tokens> {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
    ];
    let answer = client::json(provider.token_request(http, &form).send().await?).await?;
    let tokens = user_tokens(&answer)?;
    ensure!(
        tokens.refresh != refresh_token,
        "the refresh token was not rotated"
    );
    Ok(tokens)
}

/// The tokens of a user's grant, checked: a Bearer access token, an ID token and a refresh token.
fn user_tokens(answer: &Value) -> Result<Tokens> {
    ensure!(
        answer["token_type"]
            .as_str()
            .is_some_and(|t| t.eq_ignore_ascii_case("bearer")),
        "token_type is not Bearer: {answer}"
    );
    client::text(answer, "/id_token")?;
    Ok(Tokens {
        access: client::text(answer, "/access_token")?,
        refresh: client::text(answer, "/refresh_token")?,
    })
}
