//! Bearer access tokens: checked at once against the grant and the user (so a revocation, a block or a logout
//! everywhere bites at the next request), and the userinfo endpoint (OIDC Core §5.3) that answers with them.

use denglu_domain::{OidcGrant, PoolId, Scope, User};
use denglu_tokens::{AccessClaims, OidcRules, TokenError, verify_access_token};
use serde_json::{Map, Value};

use crate::{
    Oidc,
    oidc::{OAuthCode, OAuthError, OAuthResult, claims::scoped_claims},
};

/// An access token that passed every check, with what it names.
pub(crate) struct LiveAccess {
    pub(crate) claims: AccessClaims,
    pub(crate) grant: OidcGrant,
    /// Its user, unless a client acts for itself.
    pub(crate) user: Option<User>,
}

impl Oidc<'_> {
    /// The claims the access `token` releases about its user: `sub` and the claims of its scopes.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn userinfo(
        &self,
        pool: &PoolId,
        token: Option<&str>,
    ) -> OAuthResult<Map<String, Value>> {
        self.pool(pool).await?;
        let token = token.filter(|t| !t.is_empty()).ok_or_else(|| {
            OAuthError::new(
                OAuthCode::InvalidToken,
                "send the access token as a Bearer token",
            )
        })?;
        let live = self.live_access(pool, token).await?.ok_or_else(|| {
            OAuthError::new(OAuthCode::InvalidToken, "the access token is not valid")
        })?;
        let names: Vec<&str> = live.claims.scope.split_whitespace().collect();
        let scopes = Scope::parse_list(&names).unwrap_or_default();
        let (Some(user), true) = (&live.user, scopes.contains(&Scope::Openid)) else {
            return Err(OAuthError::new(
                OAuthCode::InsufficientScope,
                "userinfo needs an access token with the openid scope, for a user",
            ));
        };
        let mut claims = scoped_claims(user, &scopes);
        claims.insert("sub".to_owned(), user.id.to_string().into());
        Ok(claims)
    }

    /// The access token, if it is this pool's, unexpired, and its grant, user and client still stand.
    pub(crate) async fn live_access(
        &self,
        pool: &PoolId,
        token: &str,
    ) -> OAuthResult<Option<LiveAccess>> {
        let keys = self.oidc_keys(pool).await?;
        let issuer = self.issuer(pool);
        let rules = OidcRules {
            issuer: &issuer,
            now: self.clock.now(),
        };
        let claims = match verify_access_token(token, rules, &keys.verifiers) {
            Ok(claims) => claims,
            Err(TokenError::Malformed | TokenError::Invalid | TokenError::Expired) => {
                return Ok(None);
            }
        };
        let Some(grant) = self.store.oidc().grant(pool, &claims.gid).await? else {
            return Ok(None);
        };
        if !grant.is_live(rules.now) {
            return Ok(None);
        }
        let user = match &grant.user_id {
            None => None,
            Some(id) => match self.store.user(pool, id).await? {
                Some(user) if !user.blocked && !user.is_token_revoked(claims.iat) => Some(user),
                _ => return Ok(None),
            },
        };
        Ok(Some(LiveAccess {
            claims,
            grant,
            user,
        }))
    }
}
