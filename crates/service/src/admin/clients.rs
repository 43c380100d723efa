//! Administering a pool's applications (OpenID Connect clients): list, show, create, change, rotate the secret,
//! delete. A confidential client's `client_secret` is shown once, when made or rotated, and kept only as its SHA-256
//! hash, as a pool secret is; the audit log says whether one is set, never what it is.

use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{
    ClientId, ClientKind, ClientLifetime, ClientName, GrantType, HttpsUrl, LifetimeOf, OidcClient,
    PoolId, RedirectUri, Scope,
};
use denglu_store::StoreError;
use serde_json::{Value, json};

use crate::{ErrorCode, ServiceError, ServiceResult, admin::Admin};

/// Random bytes of a `client_id`: 18, which base64url writes as 24 characters.
const CLIENT_ID_BYTES: usize = 18;
/// Random bytes of a `client_secret`: 32 (256 bits), 43 characters.
const CLIENT_SECRET_BYTES: usize = 32;

/// An application to create. Absent lists and lifetimes take the documented defaults.
#[derive(Debug, Default)]
pub struct NewClient {
    /// Its name, shown on the login page.
    pub name: String,
    /// `confidential` or `public`.
    pub kind: String,
    /// Its logo, an https URL.
    pub logo_uri: Option<String>,
    /// Its redirect URIs.
    pub redirect_uris: Vec<String>,
    /// Its post-logout redirect URIs.
    pub post_logout_redirect_uris: Vec<String>,
    /// Its grant types; `authorization_code` and `refresh_token` when absent.
    pub grant_types: Option<Vec<String>>,
    /// Its scopes; `openid` and `profile` when absent.
    pub scopes: Option<Vec<String>>,
    /// Access token lifetime in seconds.
    pub access_token_lifetime: Option<i64>,
    /// Refresh token lifetime in seconds (absolute).
    pub refresh_token_lifetime: Option<i64>,
    /// ID token lifetime in seconds.
    pub id_token_lifetime: Option<i64>,
    /// Whether its users see no consent screen.
    pub first_party: bool,
    /// Its back-channel logout endpoint, an https URL.
    pub backchannel_logout_uri: Option<String>,
}

/// Changes to an application; `None` leaves a field as it is, `Some(None)` clears an optional URL. The kind and
/// `client_id` never change.
#[derive(Debug, Default)]
pub struct ClientChange {
    /// A new name.
    pub name: Option<String>,
    /// A new logo, or none.
    pub logo_uri: Option<Option<String>>,
    /// New redirect URIs, replacing the list.
    pub redirect_uris: Option<Vec<String>>,
    /// New post-logout redirect URIs, replacing the list.
    pub post_logout_redirect_uris: Option<Vec<String>>,
    /// New grant types, replacing the list.
    pub grant_types: Option<Vec<String>>,
    /// New scopes, replacing the list.
    pub scopes: Option<Vec<String>>,
    /// A new access token lifetime.
    pub access_token_lifetime: Option<i64>,
    /// A new refresh token lifetime.
    pub refresh_token_lifetime: Option<i64>,
    /// A new ID token lifetime.
    pub id_token_lifetime: Option<i64>,
    /// Whether its users see no consent screen.
    pub first_party: Option<bool>,
    /// A new back-channel logout endpoint, or none.
    pub backchannel_logout_uri: Option<Option<String>>,
}

/// A client with its `client_secret`, shown this once (a public client has none).
#[derive(Debug)]
pub struct CreatedClient {
    /// The client as stored.
    pub client: OidcClient,
    /// Its new secret, in plain text: shown once, never stored.
    pub secret: Option<String>,
}

/// A client as the audit log shows it: everything but the secret, of which only whether one is set.
fn audited(client: &OidcClient) -> Value {
    json!({
        "clientId": client.client_id.as_str(),
        "name": client.name.as_str(),
        "kind": client.kind.as_str(),
        "logoUri": client.logo_uri.as_ref().map(HttpsUrl::as_str),
        "secretSet": client.secret_hash.is_some(),
        "redirectUris": client.redirect_uris.iter().map(RedirectUri::as_str).collect::<Vec<_>>(),
        "postLogoutRedirectUris": client.post_logout_redirect_uris.iter().map(RedirectUri::as_str).collect::<Vec<_>>(),
        "grantTypes": client.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>(),
        "scopes": client.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        "accessTokenLifetime": client.access_token_lifetime.seconds(),
        "refreshTokenLifetime": client.refresh_token_lifetime.seconds(),
        "idTokenLifetime": client.id_token_lifetime.seconds(),
        "firstParty": client.first_party,
        "backchannelLogoutUri": client.backchannel_logout_uri.as_ref().map(HttpsUrl::as_str),
    })
}

impl Admin<'_> {
    /// The pool's applications, in the order they were created.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn oidc_clients(&self, pool: &PoolId) -> ServiceResult<Vec<OidcClient>> {
        self.operator.read(pool)?;
        self.core.pool(pool).await?;
        Ok(self.store.oidc_clients().oidc_clients(pool).await?)
    }

    /// One application of the pool.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, client_id = %id))]
    pub async fn oidc_client(&self, pool: &PoolId, id: &str) -> ServiceResult<OidcClient> {
        self.operator.read(pool)?;
        self.client_of(pool, id).await
    }

    /// Creates an application; a confidential one gets its secret, returned this once.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn create_oidc_client(
        &self,
        pool: &PoolId,
        input: NewClient,
    ) -> ServiceResult<CreatedClient> {
        self.operator.write(pool)?;
        self.core.pool(pool).await?;
        let kind = ClientKind::parse(&input.kind)?;
        let secret = (kind == ClientKind::Confidential).then(|| random_token(CLIENT_SECRET_BYTES));
        let now = self.core.clock.now();
        let defaults = |list: Option<Vec<String>>, default: &[&str]| {
            list.unwrap_or_else(|| default.iter().map(|s| (*s).to_owned()).collect())
        };
        let client = OidcClient {
            pool_id: pool.clone(),
            client_id: ClientId::parse(&random_token(CLIENT_ID_BYTES))?,
            name: ClientName::parse(&input.name)?,
            logo_uri: https("logoUri", input.logo_uri)?,
            kind,
            secret_hash: secret.as_deref().map(hash_secret),
            redirect_uris: redirect_uris("redirectUris", &input.redirect_uris)?,
            post_logout_redirect_uris: redirect_uris(
                "postLogoutRedirectUris",
                &input.post_logout_redirect_uris,
            )?,
            grant_types: GrantType::parse_list(&defaults(
                input.grant_types,
                &["authorization_code", "refresh_token"],
            ))?,
            scopes: Scope::parse_list(&defaults(input.scopes, &["openid", "profile"]))?,
            access_token_lifetime: lifetime(LifetimeOf::AccessToken, input.access_token_lifetime)?,
            refresh_token_lifetime: lifetime(
                LifetimeOf::RefreshToken,
                input.refresh_token_lifetime,
            )?,
            id_token_lifetime: lifetime(LifetimeOf::IdToken, input.id_token_lifetime)?,
            first_party: input.first_party,
            backchannel_logout_uri: https("backchannelLogoutUri", input.backchannel_logout_uri)?,
            created_at: now,
            updated_at: now,
        };
        client.check()?;
        self.store
            .oidc_clients()
            .insert_oidc_client(&client)
            .await
            .map_err(stored)?;
        let detail = json!({ "after": audited(&client) });
        self.record("client.create", Some(pool), None, Some(detail))
            .await;
        tracing::info!(pool_id = %pool, client_id = %client.client_id, kind = %client.kind.as_str(), "client created");
        Ok(CreatedClient { client, secret })
    }

    /// Changes an application: every field but its kind and `client_id`.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, client_id = %id))]
    pub async fn change_oidc_client(
        &self,
        pool: &PoolId,
        id: &str,
        change: ClientChange,
    ) -> ServiceResult<OidcClient> {
        self.operator.write(pool)?;
        let before = self.client_of(pool, id).await?;
        let mut client = before.clone();
        if let Some(name) = change.name {
            client.name = ClientName::parse(&name)?;
        }
        if let Some(logo) = change.logo_uri {
            client.logo_uri = https("logoUri", logo)?;
        }
        if let Some(list) = change.redirect_uris {
            client.redirect_uris = redirect_uris("redirectUris", &list)?;
        }
        if let Some(list) = change.post_logout_redirect_uris {
            client.post_logout_redirect_uris = redirect_uris("postLogoutRedirectUris", &list)?;
        }
        if let Some(list) = change.grant_types {
            client.grant_types = GrantType::parse_list(&list)?;
        }
        if let Some(list) = change.scopes {
            client.scopes = Scope::parse_list(&list)?;
        }
        if let Some(seconds) = change.access_token_lifetime {
            client.access_token_lifetime =
                ClientLifetime::from_seconds(LifetimeOf::AccessToken, seconds)?;
        }
        if let Some(seconds) = change.refresh_token_lifetime {
            client.refresh_token_lifetime =
                ClientLifetime::from_seconds(LifetimeOf::RefreshToken, seconds)?;
        }
        if let Some(seconds) = change.id_token_lifetime {
            client.id_token_lifetime = ClientLifetime::from_seconds(LifetimeOf::IdToken, seconds)?;
        }
        if let Some(first_party) = change.first_party {
            client.first_party = first_party;
        }
        if let Some(uri) = change.backchannel_logout_uri {
            client.backchannel_logout_uri = https("backchannelLogoutUri", uri)?;
        }
        client.check()?;
        client.updated_at = self.core.clock.now();
        self.save(&client).await?;
        let detail = json!({ "before": audited(&before), "after": audited(&client) });
        self.record("client.update", Some(pool), None, Some(detail))
            .await;
        Ok(client)
    }

    /// Gives a confidential application a new secret, returned this once; the old one stops working at once.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, client_id = %id))]
    pub async fn rotate_oidc_client_secret(
        &self,
        pool: &PoolId,
        id: &str,
    ) -> ServiceResult<CreatedClient> {
        self.operator.write(pool)?;
        let before = self.client_of(pool, id).await?;
        let mut client = before.clone();
        if client.kind != ClientKind::Confidential {
            return Err(ServiceError::Rejected(
                "kind: a public client has no secret to rotate".to_owned(),
            ));
        }
        let secret = random_token(CLIENT_SECRET_BYTES);
        client.secret_hash = Some(hash_secret(&secret));
        client.updated_at = self.core.clock.now();
        self.save(&client).await?;
        let detail = json!({ "before": audited(&before), "after": audited(&client) });
        self.record("client.rotate_secret", Some(pool), None, Some(detail))
            .await;
        tracing::info!(pool_id = %pool, client_id = %client.client_id, "client secret rotated");
        Ok(CreatedClient {
            client,
            secret: Some(secret),
        })
    }

    /// Deletes an application.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, client_id = %id))]
    pub async fn delete_oidc_client(&self, pool: &PoolId, id: &str) -> ServiceResult<()> {
        self.operator.write(pool)?;
        let client = self.client_of(pool, id).await?;
        if !self
            .store
            .oidc_clients()
            .delete_oidc_client(pool, &client.client_id)
            .await?
        {
            return Err(ServiceError::Refused(ErrorCode::ClientNotFound));
        }
        let detail = json!({ "before": audited(&client) });
        self.record("client.delete", Some(pool), None, Some(detail))
            .await;
        Ok(())
    }

    /// The pool's client with this id; 4701 when there is none, or the id cannot be one.
    async fn client_of(&self, pool: &PoolId, id: &str) -> ServiceResult<OidcClient> {
        self.core.pool(pool).await?;
        let Ok(id) = ClientId::parse(id) else {
            return Err(ServiceError::Refused(ErrorCode::ClientNotFound));
        };
        self.store
            .oidc_clients()
            .oidc_client(pool, &id)
            .await?
            .ok_or(ServiceError::Refused(ErrorCode::ClientNotFound))
    }

    async fn save(&self, client: &OidcClient) -> ServiceResult<()> {
        if self.store.oidc_clients().update_oidc_client(client).await? {
            Ok(())
        } else {
            Err(ServiceError::Refused(ErrorCode::ClientNotFound))
        }
    }
}

/// A store failure of a new client: a taken `client_id` (a 144-bit random value) is a fault, not the caller's.
fn stored(error: StoreError) -> ServiceError {
    match error {
        StoreError::Conflict { .. } => {
            ServiceError::Internal("a new client id was taken already".to_owned())
        }
        other => other.into(),
    }
}

fn https(field: &'static str, raw: Option<String>) -> ServiceResult<Option<HttpsUrl>> {
    Ok(raw
        .map(|u| u.trim().to_owned())
        .filter(|u| !u.is_empty())
        .map(|u| HttpsUrl::parse(field, &u))
        .transpose()?)
}

fn redirect_uris(field: &'static str, list: &[String]) -> ServiceResult<Vec<RedirectUri>> {
    let mut uris: Vec<RedirectUri> = Vec::with_capacity(list.len());
    for raw in list {
        let uri = RedirectUri::parse(field, raw)?;
        if !uris.contains(&uri) {
            uris.push(uri);
        }
    }
    if uris.len() > 32 {
        return Err(ServiceError::Rejected(format!("{field}: at most 32 URIs")));
    }
    Ok(uris)
}

fn lifetime(of: LifetimeOf, seconds: Option<i64>) -> ServiceResult<ClientLifetime> {
    Ok(match seconds {
        Some(seconds) => ClientLifetime::from_seconds(of, seconds)?,
        None => ClientLifetime::default_for(of),
    })
}
