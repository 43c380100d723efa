//! Minting the tokens of a grant: an access token (RFC 9068), an ID token when `openid` was granted to a user, and a
//! refresh token when `offline_access` was and the client may refresh. Each names the grant it came from.

use chrono::Duration;
use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{GrantType, OidcClient, OidcGrant, RefreshToken, Scope, User, scope_text};
use denglu_tokens::{AccessClaims, IdClaims, OidcTokenKind, access_token_hash};

use crate::{
    Oidc,
    oidc::{OAuthResult, claims::scoped_claims},
};

/// What the token endpoint answers (RFC 6749 §5.1, OIDC Core §3.1.3.3).
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    /// The access token (a JWT).
    pub access_token: String,
    /// Its lifetime in seconds.
    pub expires_in: u32,
    /// A refresh token, when one was issued.
    pub refresh_token: Option<String>,
    /// An ID token, when `openid` was granted to a user.
    pub id_token: Option<String>,
    /// The scopes of the access token, separated by spaces.
    pub scope: String,
}

/// How the tokens of a grant are minted.
pub(crate) struct Minting<'a> {
    pub(crate) grant: &'a OidcGrant,
    pub(crate) client: &'a OidcClient,
    /// The user, for a grant that has one.
    pub(crate) user: Option<&'a User>,
    /// The scopes of this access token: the grant's, or fewer on a refresh that asked for fewer.
    pub(crate) scopes: &'a [Scope],
    /// The authorization request's nonce (on a code exchange only).
    pub(crate) nonce: Option<String>,
    /// The refresh token to hand out, already stored by the caller (a rotation's successor); `None` to decide here.
    pub(crate) refresh_token: Option<String>,
}

impl Oidc<'_> {
    /// Mints the tokens of a grant; a first refresh token is stored here when one is due.
    pub(crate) async fn mint(&self, minting: Minting<'_>) -> OAuthResult<IssuedTokens> {
        let Minting {
            grant,
            client,
            user,
            scopes,
            nonce,
            refresh_token,
        } = minting;
        let now = self.clock.now();
        let iat = user.map_or(now.timestamp(), |user| user.token_issued_at(now));
        let keys = self.oidc_keys(&grant.pool_id).await?;
        let issuer = self.issuer(&grant.pool_id);
        let access_lifetime = client.access_token_lifetime.seconds();
        let sub = user.map_or_else(|| client.client_id.to_string(), |user| user.id.to_string());
        let access = AccessClaims {
            iss: issuer.clone(),
            sub: sub.clone(),
            aud: issuer.clone(),
            exp: iat + i64::from(access_lifetime),
            iat,
            jti: random_token(16),
            client_id: client.client_id.to_string(),
            scope: scope_text(scopes),
            gid: grant.id.clone(),
            auth_time: grant.auth_time.map(|at| at.timestamp()),
        };
        let access_token = keys.signer.sign_as(OidcTokenKind::Access, &access);
        let id_token = match (user, scopes.contains(&Scope::Openid)) {
            (Some(user), true) => {
                let claims = IdClaims {
                    iss: issuer,
                    sub,
                    aud: client.client_id.to_string(),
                    exp: iat + i64::from(client.id_token_lifetime.seconds()),
                    iat,
                    auth_time: grant.auth_time.unwrap_or(grant.created_at).timestamp(),
                    nonce,
                    azp: client.client_id.to_string(),
                    sid: grant.sid.clone(),
                    amr: grant.method.iter().map(|m| m.as_str().to_owned()).collect(),
                    at_hash: Some(access_token_hash(&access_token)),
                    scoped: scoped_claims(user, scopes),
                };
                Some(keys.signer.sign_as(OidcTokenKind::Id, &claims))
            }
            _ => None,
        };
        let refresh_token = match refresh_token {
            Some(successor) => Some(successor),
            None if user.is_some()
                && grant.scopes.contains(&Scope::OfflineAccess)
                && client.grant_types.contains(&GrantType::RefreshToken) =>
            {
                let token = random_token(32);
                let stored = RefreshToken {
                    token_hash: hash_secret(&token),
                    grant_id: grant.id.clone(),
                    pool_id: grant.pool_id.clone(),
                    created_at: now,
                };
                self.store.oidc().insert_refresh_token(&stored).await?;
                Some(token)
            }
            None => None,
        };
        Ok(IssuedTokens {
            access_token,
            expires_in: access_lifetime,
            refresh_token,
            id_token,
            scope: scope_text(scopes),
        })
    }
}

/// A grant given now to a client acting for itself, living as long as its access token.
pub(crate) fn client_grant(
    client: &OidcClient,
    scopes: Vec<Scope>,
    now: chrono::DateTime<chrono::Utc>,
) -> OidcGrant {
    OidcGrant {
        id: random_token(16),
        pool_id: client.pool_id.clone(),
        client_id: client.client_id.clone(),
        user_id: None,
        scopes,
        sid: None,
        method: None,
        auth_time: None,
        created_at: now,
        expires_at: now + Duration::seconds(i64::from(client.access_token_lifetime.seconds())),
        revoked_at: None,
    }
}
