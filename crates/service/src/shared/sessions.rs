//! Token sessions: a login (counted, with a new token), verifying a token (signature, expiry, revocation, blocking),
//! checking one fast (its claims only), logging out.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use denglu_crypto::random_token;
use denglu_domain::{Pool, PoolId, User, UserId};
use denglu_tokens::{ClaimsData, TokenError, UserClaims, VerifyRules, peek_pool_id};

use denglu_store::{LoginRecord, StoreError};

use crate::{
    Core, ServiceError, ServiceResult,
    shared::{pool_cache::CachedPool, token_checks::Standing},
};

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
        let (keys, claims) = self.verified_claims(token).await?;
        let user_id = UserId::parse(&claims.sub).map_err(|_| TokenError::Invalid)?;
        let user = self.store.user(&keys.pool.id, &user_id).await?;
        Standing::of(user.as_ref()).admits(claims.iat)?;
        Ok(VerifiedToken {
            claims,
            pool: keys.pool.clone(),
            user: user.ok_or(TokenError::Invalid)?,
        })
    }

    /// Checks a user token as [`Core::verify_token`] does (the same refusals), for callers that need only its
    /// claims: the user's standing may come from this replica's memory, which every replica's block, logout and
    /// deletion clears at once (see `shared/token_checks.rs`).
    #[tracing::instrument(skip_all)]
    pub async fn check_token(&self, token: Option<&str>) -> ServiceResult<UserClaims> {
        let (keys, claims) = self.verified_claims(token).await?;
        let user_id = UserId::parse(&claims.sub).map_err(|_| TokenError::Invalid)?;
        self.standing(&keys.pool.id, &user_id)
            .await?
            .admits(claims.iat)?;
        Ok(claims)
    }

    /// A user's standing, as this replica remembers it or else as stored (then remembered).
    pub(crate) async fn standing(&self, pool: &PoolId, user: &UserId) -> ServiceResult<Standing> {
        let key = (pool.clone(), user.clone());
        let subscribe = || self.store.revocations();
        let (remembered, heard) = self.token_checks.standing(&key, subscribe);
        if let Some(standing) = remembered {
            return Ok(standing);
        }
        let standing = Standing::of(self.store.user(pool, user).await?.as_ref());
        if self.store.notices_reach_every_process() {
            self.token_checks
                .remember_standing(key, standing, heard, subscribe);
        }
        Ok(standing)
    }

    /// A token's pool (with the keys that verified it) and claims, once its signature, issuer, audience, dates and
    /// pool are checked; a token this replica verified with the same keys is not verified again.
    async fn verified_claims(
        &self,
        token: Option<&str>,
    ) -> ServiceResult<(Arc<CachedPool>, UserClaims)> {
        let token = token
            .map(str::trim)
            .filter(|t| !matches!(*t, "" | "undefined" | "null"));
        let token = token.ok_or(ServiceError::NotLoggedIn)?;
        let pool_id = peek_pool_id(token).ok_or(TokenError::Malformed)?;
        let keys = match self.cached_pool(&pool_id).await {
            Err(ServiceError::PoolNotFound) => return Err(TokenError::Invalid.into()),
            other => other?,
        };
        let now = self.clock.now();
        if let Some(claims) = self
            .token_checks
            .verified_user(token, &keys, now.timestamp())
        {
            return Ok((keys, claims));
        }
        let issuer = self.pool_issuer(&keys.pool.id);
        let rules = VerifyRules {
            pool_id: &keys.pool.id,
            issuer: &issuer,
            now,
        };
        let claims = denglu_tokens::verify(token, rules, keys.keys()?)?;
        self.token_checks.remember_user(token, &keys, &claims);
        Ok((keys, claims))
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

/// The user as a login counted in a transaction (a QR claim, a ticket redeemed) left them: what the store's count
/// writes, applied to the record read before it (read back, it could fail after the transaction committed).
pub(crate) fn counted(user: User, login: &LoginRecord) -> User {
    User {
        logins_count: user.logins_count + 1,
        last_login: Some(login.at),
        last_ip: login.ip.clone(),
        token_expired_at: Some(login.token_expires_at),
        updated_at: login.at,
        ..user
    }
}
