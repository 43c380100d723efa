//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the browser's IdP session and revokes every
//! grant given from it, then sends the browser to a registered post-logout URI. Without a valid `id_token_hint`
//! the user confirms first, so that no other site can log them out.

use denglu_domain::{ClientId, OidcClient, PoolId};
use denglu_tokens::{OidcRules, verify_id_token_hint};

use crate::{
    Oidc,
    oidc::{Browser, OAuthError, authorize::with_query},
};

/// The parameters of a logout request, as sent.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct LogoutParams {
    /// An ID token the pool issued to the client.
    pub id_token_hint: Option<String>,
    /// The client, when there is no hint.
    pub client_id: Option<String>,
    /// Where to send the browser after: registered for the client, exactly.
    pub post_logout_redirect_uri: Option<String>,
    /// The client's value, sent back.
    pub state: Option<String>,
    /// The languages the user prefers.
    pub ui_locales: Option<String>,
}

/// What the end-session endpoint does.
#[derive(Debug)]
pub enum LogoutStep {
    /// Ask the user to confirm (no valid hint): the page posts back with `confirmed`.
    Confirm {
        /// The client asking, if known.
        client: Option<Box<OidcClient>>,
    },
    /// The session ended: to this URI, or to denglu's "logged out" page when `None`.
    Done(Option<String>),
}

impl Oidc<'_> {
    /// Ends the browser's session as `params` ask; `confirmed` when the user confirmed on the page (a POST
    /// carrying the browser's CSRF cookie, checked by the server door).
    #[tracing::instrument(skip_all, fields(pool_id = %pool, confirmed))]
    pub async fn end_session(
        &self,
        pool: &PoolId,
        params: &LogoutParams,
        browser: Browser<'_>,
        confirmed: bool,
    ) -> Result<LogoutStep, OAuthError> {
        self.pool(pool).await?;
        let session = self.current_session(pool, browser.session).await?;
        let hint = match params.id_token_hint.as_deref().filter(|h| !h.is_empty()) {
            None => None,
            Some(hint) => {
                let keys = self.oidc_keys(pool).await?;
                let issuer = self.issuer(pool);
                let rules = OidcRules {
                    issuer: &issuer,
                    now: self.clock.now(),
                };
                let claims = verify_id_token_hint(hint, rules, &keys.verifiers).map_err(|_| {
                    OAuthError::invalid_request("id_token_hint is not an ID token of this issuer")
                })?;
                // A hint past its expiry still names the session it came from, while that session lasts.
                let expired = claims.exp <= rules.now.timestamp();
                let its_session = session
                    .as_ref()
                    .is_some_and(|(s, _)| claims.sid.as_deref() == Some(s.sid.as_str()));
                if expired && !its_session {
                    return Err(OAuthError::invalid_request(
                        "id_token_hint has expired and its session has ended",
                    ));
                }
                Some(claims)
            }
        };
        let client_id = match (&hint, params.client_id.as_deref().filter(|c| !c.is_empty())) {
            (Some(hint), Some(given)) if hint.aud != given => {
                return Err(OAuthError::invalid_request(
                    "client_id is not the audience of id_token_hint",
                ));
            }
            (Some(hint), _) => Some(hint.aud.clone()),
            (None, given) => given.map(str::to_owned),
        };
        let client = match client_id.as_deref().map(ClientId::parse) {
            None => None,
            Some(Ok(id)) => Some(
                self.store
                    .oidc_clients()
                    .oidc_client(pool, &id)
                    .await?
                    .ok_or_else(|| {
                        OAuthError::invalid_request(
                            "no application of this issuer has this client_id",
                        )
                    })?,
            ),
            Some(Err(_)) => {
                return Err(OAuthError::invalid_request(
                    "no application of this issuer has this client_id",
                ));
            }
        };
        let redirect = match params
            .post_logout_redirect_uri
            .as_deref()
            .filter(|u| !u.is_empty())
        {
            None => None,
            Some(uri) => {
                let registered = client.as_ref().is_some_and(|c| {
                    c.post_logout_redirect_uris
                        .iter()
                        .any(|r| r.as_str() == uri)
                });
                if !registered {
                    return Err(OAuthError::invalid_request(
                        "post_logout_redirect_uri is not registered for this application (send id_token_hint or client_id)",
                    ));
                }
                let mut pairs = Vec::new();
                if let Some(state) = params.state.as_deref() {
                    pairs.push(("state", state));
                }
                Some(if pairs.is_empty() {
                    uri.to_owned()
                } else {
                    with_query(uri, &pairs)
                })
            }
        };
        if hint.is_none() && !confirmed && session.is_some() {
            return Ok(LogoutStep::Confirm {
                client: client.map(Box::new),
            });
        }
        let now = self.clock.now();
        let mut ended = Vec::new();
        if let Some((session, _)) = &session {
            ended.push(session.sid.clone());
        }
        if let Some(sid) = hint.as_ref().and_then(|h| h.sid.clone())
            && !ended.contains(&sid)
        {
            ended.push(sid);
        }
        for sid in ended {
            let revoked = self.store.oidc().end_idp_session(pool, &sid, now).await?;
            tracing::info!(pool_id = %pool, grants = revoked.len(), "IdP session ended");
        }
        Ok(LogoutStep::Done(redirect))
    }
}
