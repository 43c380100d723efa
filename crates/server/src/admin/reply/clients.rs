//! A pool's applications (OIDC clients) as the admin API shows them: never the secret's hash, only whether one is
//! set; the plain `clientSecret` only in the answers that make one.

use denglu_domain::{HttpsUrl, OidcClient, RedirectUri};
use serde::Serialize;
use utoipa::ToSchema;

use super::iso;

/// An application (OpenID Connect client) of a pool.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClientView {
    /// Its `client_id`.
    client_id: String,
    /// Its name, shown on the login page.
    name: String,
    /// `confidential` or `public`.
    kind: String,
    /// Its logo, an https URL.
    logo_uri: Option<String>,
    /// Whether a secret is set (a confidential client's; it is never shown again).
    secret_set: bool,
    /// Its redirect URIs, matched exactly.
    redirect_uris: Vec<String>,
    /// Its post-logout redirect URIs, matched exactly.
    post_logout_redirect_uris: Vec<String>,
    /// Its grant types.
    grant_types: Vec<String>,
    /// The scopes it may ask for.
    scopes: Vec<String>,
    /// Access token lifetime, seconds.
    access_token_lifetime: u32,
    /// Refresh token lifetime, seconds, absolute (from the login).
    refresh_token_lifetime: u32,
    /// ID token lifetime, seconds.
    id_token_lifetime: u32,
    /// Whether its users see no consent screen.
    first_party: bool,
    /// Its back-channel logout endpoint.
    backchannel_logout_uri: Option<String>,
    /// When it was created.
    created_at: String,
    /// When it last changed.
    updated_at: String,
}

impl From<&OidcClient> for ClientView {
    fn from(client: &OidcClient) -> Self {
        Self {
            client_id: client.client_id.to_string(),
            name: client.name.as_str().to_owned(),
            kind: client.kind.as_str().to_owned(),
            logo_uri: client.logo_uri.as_ref().map(|u| u.as_str().to_owned()),
            secret_set: client.secret_hash.is_some(),
            redirect_uris: uris(&client.redirect_uris),
            post_logout_redirect_uris: uris(&client.post_logout_redirect_uris),
            grant_types: client
                .grant_types
                .iter()
                .map(|g| g.as_str().to_owned())
                .collect(),
            scopes: client
                .scopes
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            access_token_lifetime: client.access_token_lifetime.seconds(),
            refresh_token_lifetime: client.refresh_token_lifetime.seconds(),
            id_token_lifetime: client.id_token_lifetime.seconds(),
            first_party: client.first_party,
            backchannel_logout_uri: client
                .backchannel_logout_uri
                .as_ref()
                .map(HttpsUrl::as_str)
                .map(str::to_owned),
            created_at: iso(client.created_at),
            updated_at: iso(client.updated_at),
        }
    }
}

fn uris(list: &[RedirectUri]) -> Vec<String> {
    list.iter().map(|u| u.as_str().to_owned()).collect()
}

/// An application just made, or given a new secret: the only answers with its `clientSecret`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ClientWithSecretView {
    /// The application.
    #[serde(flatten)]
    pub(crate) client: ClientView,
    /// Its `client_secret`, shown this once (null for a public client). Keep it: it is stored only as a hash.
    pub(crate) client_secret: Option<String>,
}

/// A pool's applications.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ClientList {
    /// In the order they were created.
    pub(crate) clients: Vec<ClientView>,
}
