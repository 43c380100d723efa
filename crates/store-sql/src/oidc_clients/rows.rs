//! The `oidc_clients` row and its checked conversion into an [`OidcClient`]. Lists are stored space-separated.

use chrono::{DateTime, Utc};
use denglu_domain::{
    ClientId, ClientKind, ClientLifetime, ClientName, GrantType, HttpsUrl, LifetimeOf, OidcClient,
    PoolId, RedirectUri, Scope, SecretHash,
};
use denglu_store::StoreError;

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}

/// The columns of [`OidcClientRow`], for `SELECT` lists.
pub(crate) const OIDC_CLIENT_COLUMNS: &str = "client_id, pool_id, name, logo_uri, kind, secret_hash, \
     redirect_uris, post_logout_redirect_uris, grant_types, scopes, access_token_seconds, refresh_token_seconds, \
     id_token_seconds, first_party, backchannel_logout_uri, created_at, updated_at";

/// An `oidc_clients` row.
#[derive(Debug, sqlx::FromRow)]
pub struct OidcClientRow {
    client_id: String,
    pool_id: String,
    name: String,
    logo_uri: Option<String>,
    kind: String,
    secret_hash: Option<Vec<u8>>,
    redirect_uris: String,
    post_logout_redirect_uris: String,
    grant_types: String,
    scopes: String,
    access_token_seconds: i64,
    refresh_token_seconds: i64,
    id_token_seconds: i64,
    first_party: bool,
    backchannel_logout_uri: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// A stored list: its items separated by one space.
pub(crate) fn joined<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(" ")
}

/// The items of a stored list.
pub(crate) fn items(list: &str) -> Vec<&str> {
    list.split(' ').filter(|item| !item.is_empty()).collect()
}

fn uris(field: &'static str, list: &str) -> Result<Vec<RedirectUri>, StoreError> {
    items(list)
        .into_iter()
        .map(|uri| RedirectUri::parse(field, uri).map_err(|e| corrupt("client redirect URI", e)))
        .collect()
}

fn lifetime(of: LifetimeOf, seconds: i64) -> Result<ClientLifetime, StoreError> {
    ClientLifetime::from_seconds(of, seconds).map_err(|e| corrupt("client lifetime", e))
}

impl TryFrom<OidcClientRow> for OidcClient {
    type Error = StoreError;
    fn try_from(row: OidcClientRow) -> Result<Self, Self::Error> {
        let url = |field, raw: Option<String>| {
            raw.map(|u| HttpsUrl::parse(field, &u).map_err(|e| corrupt("client URL", e)))
                .transpose()
        };
        Ok(OidcClient {
            client_id: ClientId::parse(&row.client_id).map_err(|e| corrupt("client id", e))?,
            pool_id: PoolId::parse(&row.pool_id).map_err(|e| corrupt("client pool", e))?,
            name: ClientName::parse(&row.name).map_err(|e| corrupt("client name", e))?,
            logo_uri: url("logoUri", row.logo_uri)?,
            kind: ClientKind::parse(&row.kind).map_err(|e| corrupt("client kind", e))?,
            secret_hash: row
                .secret_hash
                .map(|h| {
                    SecretHash::from_slice(&h)
                        .ok_or_else(|| corrupt("client secret hash", "not 32 bytes"))
                })
                .transpose()?,
            redirect_uris: uris("redirectUris", &row.redirect_uris)?,
            post_logout_redirect_uris: uris(
                "postLogoutRedirectUris",
                &row.post_logout_redirect_uris,
            )?,
            grant_types: GrantType::parse_list(&items(&row.grant_types))
                .map_err(|e| corrupt("client grant types", e))?,
            scopes: Scope::parse_list(&items(&row.scopes))
                .map_err(|e| corrupt("client scopes", e))?,
            access_token_lifetime: lifetime(LifetimeOf::AccessToken, row.access_token_seconds)?,
            refresh_token_lifetime: lifetime(LifetimeOf::RefreshToken, row.refresh_token_seconds)?,
            id_token_lifetime: lifetime(LifetimeOf::IdToken, row.id_token_seconds)?,
            first_party: row.first_party,
            backchannel_logout_uri: url("backchannelLogoutUri", row.backchannel_logout_uri)?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}
