//! What a replica remembers to check tokens fast: the tokens it verified (for as long as it keeps the pool keys that
//! verified them), users' standing (deleted, blocked, logged out), OpenID Connect grants and clients, which it forgets
//! as soon as the store's revocation notices say they changed, whichever replica changed them.

use std::{hash::Hash, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use denglu_crypto::hash_secret;
use denglu_domain::{ClientId, OidcClient, OidcGrant, PoolId, User, UserId};
use denglu_store::{Revocation, Revocations};
use denglu_tokens::{AccessClaims, UserClaims};
use moka::sync::Cache;

use crate::{
    ServiceError, ServiceResult,
    shared::{
        heard::Heard,
        pool_cache::{CachedPool, POOL_CACHE_TTL},
    },
};

/// How many verified tokens, standings, grants and clients a replica remembers (each); past it the least used are read again.
const MAX_REMEMBERED: u64 = 100_000;

/// How long a replica trusts a standing, a grant or a client it read: notices make it forget a changed one at once;
/// this bounds only what a lost notice would leave. On SQLite none is remembered, since a `denglu` command is another
/// process that no notice reaches (see [`Store::notices_reach_every_process`](denglu_store::Store)).
pub(crate) const STANDING_TTL: Duration = Duration::from_secs(1);

/// The per-replica memory of token checks, shared by the clones of [`Core`](crate::Core).
#[derive(Clone)]
pub(crate) struct TokenChecks {
    verified: Cache<[u8; 32], Arc<Verified>>,
    standings: Cache<(PoolId, UserId), Standing>,
    grants: Cache<(PoolId, String), OidcGrant>,
    clients: Cache<(PoolId, ClientId), OidcClient>,
    notices: Heard<Revocation>,
}

/// A token that passed signature and claim checks with these keys of its pool.
struct Verified {
    claims: Claims,
    keys: Arc<CachedPool>,
}

/// The claims of a verified token, of either kind.
enum Claims {
    User(UserClaims),
    Access(AccessClaims),
}

/// What of a user decides whether their tokens still work.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Standing {
    /// No such user (deleted).
    Gone,
    /// Blocked: no token works.
    Blocked,
    /// Tokens issued before this were revoked (a logout everywhere), if ever.
    Active(Option<DateTime<Utc>>),
}

impl Standing {
    /// The standing of `user` as stored (`None`: no such user).
    pub(crate) fn of(user: Option<&User>) -> Self {
        match user {
            None => Self::Gone,
            Some(user) if user.blocked => Self::Blocked,
            Some(user) => Self::Active(user.tokens_valid_after),
        }
    }

    /// Whether a token issued at `iat` still works, with the same refusals as a full check.
    pub(crate) fn admits(self, iat: i64) -> ServiceResult<()> {
        match self {
            Self::Gone => Err(denglu_tokens::TokenError::Invalid.into()),
            Self::Blocked => Err(ServiceError::UserBlocked),
            Self::Active(after) => {
                let revoked =
                    after.is_some_and(|after| iat < denglu_domain::revocation_floor(after));
                if revoked {
                    Err(ServiceError::TokenRevoked)
                } else {
                    Ok(())
                }
            }
        }
    }
}

impl Default for TokenChecks {
    fn default() -> Self {
        Self {
            verified: Cache::builder()
                .max_capacity(MAX_REMEMBERED)
                .time_to_live(POOL_CACHE_TTL)
                .build(),
            standings: remembered(),
            grants: remembered(),
            clients: remembered(),
            notices: Heard::default(),
        }
    }
}

fn remembered<K, V>() -> Cache<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    Cache::builder()
        .max_capacity(MAX_REMEMBERED)
        .time_to_live(STANDING_TTL)
        .build()
}

impl TokenChecks {
    /// The claims a user token was verified to have with exactly these keys of its pool, unless it has expired since
    /// (`now` in seconds).
    pub(crate) fn verified_user(
        &self,
        token: &str,
        keys: &Arc<CachedPool>,
        now: i64,
    ) -> Option<UserClaims> {
        match &self.verified_with(token, keys)?.claims {
            Claims::User(claims) if claims.exp > now => Some(claims.clone()),
            _ => None,
        }
    }

    /// The claims an OpenID Connect access token was verified to have, as [`TokenChecks::verified_user`].
    pub(crate) fn verified_access(
        &self,
        token: &str,
        keys: &Arc<CachedPool>,
        now: i64,
    ) -> Option<AccessClaims> {
        match &self.verified_with(token, keys)?.claims {
            Claims::Access(claims) if claims.exp > now => Some(claims.clone()),
            _ => None,
        }
    }

    fn verified_with(&self, token: &str, keys: &Arc<CachedPool>) -> Option<Arc<Verified>> {
        let hit = self.verified.get(hash_secret(token).as_bytes())?;
        Arc::ptr_eq(&hit.keys, keys).then_some(hit)
    }

    /// Remembers that a user token verified to `claims` with these keys.
    pub(crate) fn remember_user(&self, token: &str, keys: &Arc<CachedPool>, claims: &UserClaims) {
        self.remember_verified(token, keys, Claims::User(claims.clone()));
    }

    /// Remembers that an access token verified to `claims` with these keys.
    pub(crate) fn remember_access(
        &self,
        token: &str,
        keys: &Arc<CachedPool>,
        claims: &AccessClaims,
    ) {
        self.remember_verified(token, keys, Claims::Access(claims.clone()));
    }

    fn remember_verified(&self, token: &str, keys: &Arc<CachedPool>, claims: Claims) {
        let entry = Verified {
            claims,
            keys: Arc::clone(keys),
        };
        self.verified
            .insert(*hash_secret(token).as_bytes(), Arc::new(entry));
    }

    /// The remembered standing of a user, after forgetting everything the notices heard since named; and how many
    /// notices were ever heard, for [`TokenChecks::remember_standing`]. `subscribe` is the store's
    /// [`revocations`](denglu_store::Store::revocations), called once.
    pub(crate) fn standing(
        &self,
        key: &(PoolId, UserId),
        subscribe: impl FnOnce() -> Revocations,
    ) -> (Option<Standing>, u64) {
        let heard = self.hear(subscribe);
        (self.standings.get(key), heard)
    }

    /// Remembers a standing read from the store, unless a notice came while it was read (`heard` is what
    /// [`TokenChecks::standing`] returned before the read): then it may be out of date already.
    pub(crate) fn remember_standing(
        &self,
        key: (PoolId, UserId),
        standing: Standing,
        heard: u64,
        subscribe: impl FnOnce() -> Revocations,
    ) {
        if self.hear(subscribe) == heard {
            self.standings.insert(key, standing);
        }
    }

    /// The remembered grant, as [`TokenChecks::standing`].
    pub(crate) fn grant(
        &self,
        key: &(PoolId, String),
        subscribe: impl FnOnce() -> Revocations,
    ) -> (Option<OidcGrant>, u64) {
        let heard = self.hear(subscribe);
        (self.grants.get(key), heard)
    }

    /// Remembers a grant read from the store, as [`TokenChecks::remember_standing`].
    pub(crate) fn remember_grant(
        &self,
        grant: &OidcGrant,
        heard: u64,
        subscribe: impl FnOnce() -> Revocations,
    ) {
        if self.hear(subscribe) == heard {
            let key = (grant.pool_id.clone(), grant.id.clone());
            self.grants.insert(key, grant.clone());
        }
    }

    /// The remembered client, as [`TokenChecks::standing`].
    pub(crate) fn client(
        &self,
        key: &(PoolId, ClientId),
        subscribe: impl FnOnce() -> Revocations,
    ) -> (Option<OidcClient>, u64) {
        let heard = self.hear(subscribe);
        (self.clients.get(key), heard)
    }

    /// Remembers a client read from the store, as [`TokenChecks::remember_standing`].
    pub(crate) fn remember_client(
        &self,
        client: &OidcClient,
        heard: u64,
        subscribe: impl FnOnce() -> Revocations,
    ) {
        if self.hear(subscribe) == heard {
            let key = (client.pool_id.clone(), client.client_id.clone());
            self.clients.insert(key, client.clone());
        }
    }

    fn hear(&self, subscribe: impl FnOnce() -> Revocations) -> u64 {
        self.notices.hear(subscribe, |notice| match notice {
            Some(Revocation::User(pool, user)) => self.standings.invalidate(&(pool, user)),
            Some(Revocation::Grant(pool, grant)) => self.grants.invalidate(&(pool, grant)),
            Some(Revocation::Client(pool, client)) => self.clients.invalidate(&(pool, client)),
            Some(Revocation::Everyone) | None => {
                self.standings.invalidate_all();
                self.grants.invalidate_all();
                self.clients.invalidate_all();
            }
        })
    }
}

#[cfg(test)]
mod tests;
