//! Client authentication at the token, introspection and revocation endpoints (RFC 6749 §2.3): a confidential
//! client by its secret (`client_secret_basic` or `client_secret_post`, compared in constant time against its hash),
//! a public client by its id alone.

use denglu_crypto::secret_matches;
use denglu_domain::{ClientId, ClientKind, OidcClient, PoolId};

use crate::{
    Oidc,
    oidc::{OAuthCode, OAuthError, OAuthResult},
};

/// The credentials a request carries, as the server door read them.
#[derive(Debug, Clone, Default)]
pub struct ClientCredentials {
    /// The client id (from the `Authorization: Basic` header or the form).
    pub id: Option<String>,
    /// The client secret, if sent.
    pub secret: Option<String>,
}

impl Oidc<'_> {
    /// The pool's client with this id, as this replica remembers it (until a notice says it changed) or else as
    /// stored.
    pub(crate) async fn kept_client(
        &self,
        pool: &PoolId,
        id: &ClientId,
    ) -> OAuthResult<Option<OidcClient>> {
        let key = (pool.clone(), id.clone());
        let subscribe = || self.store.revocations();
        let (remembered, heard) = self.token_checks.client(&key, subscribe);
        if remembered.is_some() {
            return Ok(remembered);
        }
        let client = self.store.oidc_clients().oidc_client(pool, id).await?;
        if let Some(client) = &client
            && self.store.notices_reach_every_process()
        {
            self.token_checks.remember_client(client, heard, subscribe);
        }
        Ok(client)
    }

    /// The pool's client these credentials authenticate; `invalid_client` otherwise. With `confidential_only`, a
    /// public client is refused too.
    pub(crate) async fn authenticate_client(
        &self,
        pool: &PoolId,
        credentials: &ClientCredentials,
        confidential_only: bool,
    ) -> OAuthResult<OidcClient> {
        let refused = |text: &str| OAuthError::new(OAuthCode::InvalidClient, text);
        let id = credentials
            .id
            .as_deref()
            .filter(|id| !id.is_empty())
            .ok_or_else(|| refused("client authentication is missing"))?;
        let client = match ClientId::parse(id) {
            Ok(id) => self.kept_client(pool, &id).await?,
            Err(_) => None,
        }
        .ok_or_else(|| refused("client authentication failed"))?;
        match (
            client.kind,
            &client.secret_hash,
            credentials.secret.as_deref(),
        ) {
            (ClientKind::Confidential, Some(hash), Some(secret))
                if secret_matches(secret, hash) =>
            {
                Ok(client)
            }
            (ClientKind::Public, _, None) if !confidential_only => Ok(client),
            (ClientKind::Public, _, _) if confidential_only => Err(refused(
                "only confidential applications may use this endpoint",
            )),
            _ => Err(refused("client authentication failed")),
        }
    }
}
