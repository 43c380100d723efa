//! Token sessions: issuing a user's token, verifying one (signature, expiry, revocation, blocking), logging out.

use std::{
    collections::HashMap,
    sync::{Arc, PoisonError, RwLock},
};

use chrono::{DateTime, Utc};
use denglu_crypto::random_token;
use denglu_domain::{Pool, User};
use denglu_tokens::{ClaimsData, KeyMaterial, TokenError, UserClaims, VerifyRules, peek_pool_id};

use crate::{ServiceError, ServiceResult, Services};

/// Opened signing keys by kid. Keys never change once made, so every replica may cache them for good.
#[derive(Clone, Default)]
pub(crate) struct KeyCache(Arc<RwLock<HashMap<String, Arc<KeyMaterial>>>>);

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

/// A token ready to be signed, with its expiry.
pub(crate) struct PendingToken {
    claims: UserClaims,
    pub(crate) expires_at: DateTime<Utc>,
}

impl Services {
    /// The pool's keys of its current algorithm, newest first, opened.
    pub(crate) async fn pool_keys(&self, pool: &Pool) -> ServiceResult<Vec<Arc<KeyMaterial>>> {
        let stored = self.store.signing_keys(&pool.id).await?;
        let mut opened = Vec::new();
        for key in stored.iter().filter(|k| k.algorithm == pool.jwt_algorithm) {
            let cached = self
                .keys
                .0
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .get(&key.kid)
                .cloned();
            let material = match cached {
                Some(material) => material,
                None => {
                    let material = Arc::new(
                        KeyMaterial::open(key, &self.master_key)
                            .map_err(|e| ServiceError::Internal(e.to_string()))?,
                    );
                    let mut cache = self.keys.0.write().unwrap_or_else(PoisonError::into_inner);
                    cache.insert(key.kid.clone(), Arc::clone(&material));
                    material
                }
            };
            opened.push(material);
        }
        Ok(opened)
    }

    /// The claims of a token for `user` issued at `now`; sign with [`Services::sign`].
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
    pub(crate) async fn sign(&self, pool: &Pool, token: &PendingToken) -> ServiceResult<String> {
        let keys = self.pool_keys(pool).await?;
        let key = keys.first().ok_or_else(|| {
            ServiceError::Internal(format!(
                "pool {} has no {} key",
                pool.id, pool.jwt_algorithm
            ))
        })?;
        Ok(key.sign(&token.claims))
    }

    /// Verifies a user token. `None`, empty, `undefined` and `null` (what SDKs send before login) mean "no token".
    pub async fn verify_token(&self, token: Option<&str>) -> ServiceResult<VerifiedToken> {
        let token = token
            .map(str::trim)
            .filter(|t| !matches!(*t, "" | "undefined" | "null"));
        let token = token.ok_or(ServiceError::NotLoggedIn)?;
        let pool_id = peek_pool_id(token).ok_or(TokenError::Malformed)?;
        let pool = self
            .store
            .pool(&pool_id)
            .await?
            .ok_or(TokenError::Invalid)?;
        let keys = self.pool_keys(&pool).await?;
        let issuer = self.pool_issuer(&pool.id);
        let rules = VerifyRules {
            pool_id: &pool.id,
            issuer: &issuer,
            algorithm: pool.jwt_algorithm,
            now: self.clock.now(),
        };
        let claims = denglu_tokens::verify(token, rules, &keys)?;
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
        Ok(VerifiedToken { claims, pool, user })
    }

    /// Logs the token's user out everywhere: every token issued until now stops working.
    pub async fn logout(&self, token: Option<&str>) -> ServiceResult<()> {
        let verified = self.verify_token(token).await?;
        self.store
            .revoke_tokens(&verified.pool.id, &verified.user.id, self.clock.now())
            .await?;
        tracing::info!(pool_id = %verified.pool.id, user_id = %verified.user.id, "user logged out");
        Ok(())
    }
}
