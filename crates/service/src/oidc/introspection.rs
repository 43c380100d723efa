//! Token introspection (RFC 7662) and revocation (RFC 7009), for the pool's clients. Revoking a token revokes its
//! grant: every access and refresh token of that login.

use denglu_crypto::hash_secret;
use denglu_domain::PoolId;
use serde_json::{Map, Value, json};

use crate::{
    Oidc,
    oidc::{ClientCredentials, OAuthResult},
};

impl Oidc<'_> {
    /// What a confidential client of the pool may know of `token`: `{"active": false}` for anything unknown,
    /// expired, revoked or of another pool; otherwise its claims.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn introspect(
        &self,
        pool: &PoolId,
        credentials: &ClientCredentials,
        token: &str,
    ) -> OAuthResult<Map<String, Value>> {
        self.pool(pool).await?;
        self.authenticate_client(pool, credentials, true).await?;
        let inactive = || {
            json!({ "active": false })
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        if let Some(live) = self.live_access(pool, token).await? {
            let claims = live.claims;
            let answer = json!({
                "active": true,
                "token_type": "Bearer",
                "scope": claims.scope,
                "client_id": claims.client_id,
                "sub": claims.sub,
                "aud": claims.aud,
                "iss": claims.iss,
                "exp": claims.exp,
                "iat": claims.iat,
                "jti": claims.jti,
            });
            return Ok(answer.as_object().cloned().unwrap_or_default());
        }
        let now = self.clock.now();
        match self
            .store
            .oidc()
            .refresh_token_grant(pool, &hash_secret(token))
            .await?
        {
            Some((grant, false)) if grant.is_live(now) => {
                if self.grant_user(&grant).await.is_err() {
                    return Ok(inactive());
                }
                let answer = json!({
                    "active": true,
                    "token_type": "refresh_token",
                    "scope": grant.scope_text(),
                    "client_id": grant.client_id.to_string(),
                    "sub": grant.user_id.map(|id| id.to_string()),
                    "iss": self.issuer(pool),
                    "exp": grant.expires_at.timestamp(),
                    "iat": grant.created_at.timestamp(),
                });
                Ok(answer.as_object().cloned().unwrap_or_default())
            }
            _ => Ok(inactive()),
        }
    }

    /// Revokes `token` (an access or a refresh token) and everything of its grant, if it is the client's. Unknown,
    /// expired and other clients' tokens change nothing, and the answer is the same (RFC 7009 §2.2).
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn revoke(
        &self,
        pool: &PoolId,
        credentials: &ClientCredentials,
        token: &str,
    ) -> OAuthResult<()> {
        self.pool(pool).await?;
        let client = self.authenticate_client(pool, credentials, false).await?;
        let grant = match self.live_access(pool, token).await? {
            Some(live) => Some(live.grant),
            None => self
                .store
                .oidc()
                .refresh_token_grant(pool, &hash_secret(token))
                .await?
                .map(|(grant, _)| grant),
        };
        if let Some(grant) = grant.filter(|grant| grant.client_id == client.client_id) {
            self.store
                .oidc()
                .revoke_grant(pool, &grant.id, self.clock.now())
                .await?;
            tracing::info!(pool_id = %pool, client_id = %client.client_id, "grant revoked by its client");
        }
        Ok(())
    }
}
