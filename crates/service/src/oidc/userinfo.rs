//! Bearer access tokens: checked against the grant and the user's standing, as this replica remembers them until a
//! notice says they changed (so a revocation, a block or a logout everywhere bites at the next request), and the
//! userinfo endpoint (OIDC Core §5.3) that answers with the user's profile.

use denglu_domain::{OidcGrant, PoolId, Scope};
use denglu_tokens::{AccessClaims, OidcRules, TokenError, verify_access_token};
use serde_json::{Map, Value};

use crate::{
    Oidc,
    oidc::{OAuthCode, OAuthError, OAuthResult, claims::scoped_claims},
    shared::token_checks::Standing,
};

/// An access token that passed every check, with its grant.
pub(crate) struct LiveAccess {
    pub(crate) claims: AccessClaims,
    pub(crate) grant: OidcGrant,
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
        let (Some(user_id), true) = (&live.grant.user_id, scopes.contains(&Scope::Openid)) else {
            return Err(OAuthError::new(
                OAuthCode::InsufficientScope,
                "userinfo needs an access token with the openid scope, for a user",
            ));
        };
        // The profile as stored now; its standing checked again on what was read.
        let user = self.store.user(pool, user_id).await?;
        let standing = Standing::of(user.as_ref()).admits(live.claims.iat);
        let (Some(user), Ok(())) = (user, standing) else {
            return Err(OAuthError::new(
                OAuthCode::InvalidToken,
                "the access token is not valid",
            ));
        };
        let mut claims = scoped_claims(&user, &scopes);
        claims.insert("sub".to_owned(), user.id.to_string().into());
        Ok(claims)
    }

    /// The access token, if it is this pool's, unexpired, and its grant and user still stand. What this replica
    /// verified or read before may answer (see `shared/token_checks.rs`): a revocation, a block or a logout anywhere
    /// still bites at the next request.
    pub(crate) async fn live_access(
        &self,
        pool: &PoolId,
        token: &str,
    ) -> OAuthResult<Option<LiveAccess>> {
        let cached = self.cached_pool(pool).await?;
        let now = self.clock.now();
        let claims = match self
            .token_checks
            .verified_access(token, &cached, now.timestamp())
        {
            Some(claims) => claims,
            None => {
                let keys = self.oidc_keys(pool).await?;
                let issuer = self.issuer(pool);
                let rules = OidcRules {
                    issuer: &issuer,
                    now,
                };
                match verify_access_token(token, rules, &keys.verifiers) {
                    Ok(claims) => {
                        self.token_checks.remember_access(token, &cached, &claims);
                        claims
                    }
                    Err(TokenError::Malformed | TokenError::Invalid | TokenError::Expired) => {
                        return Ok(None);
                    }
                }
            }
        };
        let Some(grant) = self.kept_grant(pool, &claims.gid).await? else {
            return Ok(None);
        };
        if !grant.is_live(now) {
            return Ok(None);
        }
        if let Some(user) = &grant.user_id
            && self.standing(pool, user).await?.admits(claims.iat).is_err()
        {
            return Ok(None);
        }
        Ok(Some(LiveAccess { claims, grant }))
    }

    /// The pool's grant with this id, as this replica remembers it or else as stored.
    async fn kept_grant(&self, pool: &PoolId, id: &str) -> OAuthResult<Option<OidcGrant>> {
        let key = (pool.clone(), id.to_owned());
        let subscribe = || self.store.revocations();
        let (remembered, heard) = self.token_checks.grant(&key, subscribe);
        if remembered.is_some() {
            return Ok(remembered);
        }
        let grant = self.store.oidc().grant(pool, id).await?;
        if let Some(grant) = &grant
            && self.store.notices_reach_every_process()
        {
            self.token_checks.remember_grant(grant, heard, subscribe);
        }
        Ok(grant)
    }
}
