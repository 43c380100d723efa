//! Token sessions: a login (counted, with a new token), verifying a token (signature, expiry, revocation, blocking),
//! logging out.

use chrono::{DateTime, Utc};
use denglu_crypto::random_token;
use denglu_domain::{Pool, User};
use denglu_tokens::{ClaimsData, TokenError, UserClaims, VerifyRules, peek_pool_id};

use denglu_store::{LoginRecord, StoreError};

use crate::{Core, ServiceError, ServiceResult};

/// A token that passed every check, with the records it names.
#[derive(Debug, Clone)]
pub struct VerifiedToken {
    /// The verified claims.
    pub claims: UserClaims,
    /// The pool that issued it.
    pub pool: Pool,
    /// The user it belongs to, as stored now.
    pub user: User,
}

/// A logged-in user and their new token.
#[derive(Debug)]
pub struct Session {
    /// The user after the login was counted.
    pub user: User,
    /// The signed token.
    pub token: String,
    /// When the token expires.
    pub expires_at: DateTime<Utc>,
}

/// A token ready to be signed, with its expiry.
pub(crate) struct PendingToken {
    claims: UserClaims,
    pub(crate) expires_at: DateTime<Utc>,
}

impl Core {
    /// Counts a login of `user` (already authenticated, not blocked) and issues their token.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool.id, user_id = %user.id))]
    pub(crate) async fn log_in(
        &self,
        pool: &Pool,
        user: &User,
        ip: Option<String>,
    ) -> ServiceResult<Session> {
        let now = self.clock.now();
        let pending = self.prepare_token(pool, user, now);
        let record = LoginRecord {
            at: now,
            ip,
            token_expires_at: pending.expires_at,
        };
        let user = self
            .store
            .record_login(&pool.id, &user.id, &record)
            .await
            .map_err(user_not_found)?;
        let token = self.sign(pool, &pending).await?;
        Ok(Session {
            user,
            token,
            expires_at: pending.expires_at,
        })
    }

    /// The claims of a token for `user` issued at `now`; sign with [`Core::sign`].
    pub(crate) fn prepare_token(
        &self,
        pool: &Pool,
        user: &User,
        now: DateTime<Utc>,
    ) -> PendingToken {
        let iat = user.token_issued_at(now);
        let exp = iat + i64::from(pool.token_lifetime.seconds());
        let claims = UserClaims {
            data: ClaimsData {
                id: user.id.to_string(),
                client_id: pool.id.to_string(),
                unionid: user.unionid.clone(),
                email: user.email.as_ref().map(|e| e.as_str().to_owned()),
                phone: user.phone.clone(),
            },
            sub: user.id.to_string(),
            iss: self.pool_issuer(&pool.id),
            aud: pool.id.to_string(),
            jti: random_token(16),
            iat,
            exp,
        };
        PendingToken {
            claims,
            expires_at: DateTime::from_timestamp(exp, 0).unwrap_or(now),
        }
    }

    /// Signs a prepared token with the pool's newest key.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool.id))]
    pub(crate) async fn sign(&self, pool: &Pool, token: &PendingToken) -> ServiceResult<String> {
        let cached = self.cached_pool(&pool.id).await?;
        let key = cached.keys()?.first().ok_or_else(|| {
            ServiceError::Internal(format!(
                "pool {} has no {} key",
                pool.id, pool.jwt_algorithm
            ))
        })?;
        Ok(key.sign(&token.claims))
    }

    /// Verifies a user token. `None`, empty, `undefined` and `null` (what SDKs send before login) mean "no token".
    #[tracing::instrument(skip_all)]
    pub async fn verify_token(&self, token: Option<&str>) -> ServiceResult<VerifiedToken> {
        let token = token
            .map(str::trim)
            .filter(|t| !matches!(*t, "" | "undefined" | "null"));
        let token = token.ok_or(ServiceError::NotLoggedIn)?;
        let pool_id = peek_pool_id(token).ok_or(TokenError::Malformed)?;
        let cached = match self.cached_pool(&pool_id).await {
            Err(ServiceError::PoolNotFound) => return Err(TokenError::Invalid.into()),
            other => other?,
        };
        let pool = &cached.pool;
        let issuer = self.pool_issuer(&pool.id);
        let rules = VerifyRules {
            pool_id: &pool.id,
            issuer: &issuer,
            now: self.clock.now(),
        };
        let claims = denglu_tokens::verify(token, rules, cached.keys()?)?;
        let user_id = denglu_domain::UserId::parse(&claims.sub).map_err(|_| TokenError::Invalid)?;
        let user = self
            .store
            .user(&pool.id, &user_id)
            .await?
            .ok_or(TokenError::Invalid)?;
        if user.blocked {
            return Err(ServiceError::UserBlocked);
        }
        if user.is_token_revoked(claims.iat) {
            return Err(ServiceError::TokenRevoked);
        }
        Ok(VerifiedToken {
            claims,
            pool: pool.clone(),
            user,
        })
    }

    /// Logs the token's user out everywhere: every token issued until now stops working.
    #[tracing::instrument(skip_all, fields(pool_id = %verified.pool.id, user_id = %verified.user.id))]
    pub async fn logout(&self, verified: &VerifiedToken) -> ServiceResult<()> {
        self.store
            .revoke_tokens(&verified.pool.id, &verified.user.id, self.clock.now())
            .await?;
        tracing::info!(pool_id = %verified.pool.id, user_id = %verified.user.id, "user logged out");
        Ok(())
    }
}

/// A missing user as `UserNotFound`; other store errors as they are.
pub(crate) fn user_not_found(error: StoreError) -> ServiceError {
    match error {
        StoreError::NotFound => ServiceError::UserNotFound,
        other => other.into(),
    }
}
