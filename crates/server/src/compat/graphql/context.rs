//! Who is asking: the request's token, pool secret, address and user agent, the caller they make for a named user
//! pool, and the address's rate limits.

use std::sync::Arc;

use denglu_domain::{PoolId, Requester, UserId};
use denglu_service::{Caller, ServiceError, ServiceResult, Services};

use crate::http::{Client, Limited, RateLimits};

/// What every resolver of one request can reach.
pub(crate) struct RequestContext {
    services: Services,
    token: Option<String>,
    pool_secret: Option<String>,
    client: Client,
    limits: Arc<RateLimits>,
}

impl RequestContext {
    /// The context of a request from `client` with this `Authorization` token and `X-Pool-Secret` (blank means
    /// none), under the router's `limits`.
    pub(crate) fn new(
        services: Services,
        limits: Arc<RateLimits>,
        token: Option<&str>,
        pool_secret: Option<&str>,
        client: Client,
    ) -> Self {
        Self {
            services,
            client,
            limits,
            token: token.map(str::to_owned),
            pool_secret: pool_secret
                .map(str::trim)
                .filter(|secret| !secret.is_empty())
                .map(str::to_owned),
        }
    }

    /// The application services.
    pub(crate) fn services(&self) -> &Services {
        &self.services
    }

    /// The client as services record it: a login's `lastIP`, and the address and user agent of its audit entry.
    pub(crate) fn requester(&self) -> Requester {
        self.client.requester()
    }

    /// Counts a sign-up from the client's address against `http.sign_ups_per_minute` (shared with the native
    /// sign-up); `TooManyRequests` past it.
    pub(crate) fn count_sign_up(&self) -> ServiceResult<()> {
        self.limits.check(Limited::SignUp, self.client.ip)
    }

    /// The token of the `Authorization` header, if any.
    pub(crate) fn header_token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    /// The pool secret of the `X-Pool-Secret` header, if any.
    pub(crate) fn pool_secret(&self) -> Option<&str> {
        self.pool_secret.as_deref()
    }

    /// The caller: the pool's backend when the pool secret is given and right, else the token's user.
    ///
    /// The pool is `named` (a `registerInClient` argument), else the one the token names. A user token of
    /// another pool than the named one is refused (1001).
    pub(crate) async fn caller(&self, named: Option<&str>) -> ServiceResult<Caller> {
        let named = named.map(parse_pool_id).transpose()?;
        let token = self.header_token();
        let pool = named
            .clone()
            .or_else(|| token.and_then(denglu_tokens::peek_pool_id));
        let caller = match (pool, self.pool_secret()) {
            (Some(pool), secret) => self.services.caller(&pool, token, secret).await?,
            (None, Some(_)) => {
                return Err(ServiceError::Rejected(
                    "with X-Pool-Secret, name the user pool: give `registerInClient`".to_owned(),
                ));
            }
            (None, None) => {
                let verified = self.services.verify_token(token).await?;
                Caller::User {
                    pool: verified.pool.id,
                    user: verified.user.id,
                }
            }
        };
        let caller_pool = match &caller {
            Caller::User { pool, .. } | Caller::Pool(pool) => pool,
        };
        match named {
            Some(named) if &named != caller_pool => {
                Err(ServiceError::Refused(denglu_service::ErrorCode::Forbidden))
            }
            _ => Ok(caller),
        }
    }
}

/// A pool id from an argument; a malformed one names no pool (2224).
pub(crate) fn parse_pool_id(raw: &str) -> ServiceResult<PoolId> {
    PoolId::parse(raw).map_err(|_| ServiceError::PoolNotFound)
}

/// A user id from an argument; a malformed one names no user (2004).
pub(crate) fn parse_user_id(raw: &str) -> ServiceResult<UserId> {
    UserId::parse(raw).map_err(|_| ServiceError::UserNotFound)
}
