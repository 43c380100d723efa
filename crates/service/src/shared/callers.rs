//! Who is asking, for the rules that act on a user's data: the user themselves (their verified token) or the pool's
//! backend (the pool secret).

use denglu_domain::{Pool, PoolId, User, UserId};

use crate::{Core, ErrorCode, ServiceError, ServiceResult, VerifiedToken};

/// Who is asking.
#[derive(Debug, Clone)]
pub enum Caller {
    /// A user, by their verified token: may read and change only their own data.
    User {
        /// Their pool.
        pool: PoolId,
        /// Themselves.
        user: UserId,
    },
    /// The pool's backend, by the pool secret: may read and change any user of the pool.
    Pool(PoolId),
}

impl From<&VerifiedToken> for Caller {
    fn from(verified: &VerifiedToken) -> Self {
        Self::User {
            pool: verified.pool.id.clone(),
            user: verified.user.id.clone(),
        }
    }
}

impl Caller {
    /// The caller's pool (for spans and logs).
    pub(crate) fn pool_id(&self) -> &PoolId {
        match self {
            Self::User { pool, .. } | Self::Pool(pool) => pool,
        }
    }
}

impl Core {
    /// Who the caller is: the pool secret when given and right, else the user of `token`.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn caller(
        &self,
        pool: &PoolId,
        token: Option<&str>,
        pool_secret: Option<&str>,
    ) -> ServiceResult<Caller> {
        if let Some(secret) = pool_secret.filter(|s| !s.is_empty()) {
            self.authorize_pool(pool, Some(secret)).await?;
            return Ok(Caller::Pool(pool.clone()));
        }
        Ok(Caller::from(&self.verify_token(token).await?))
    }

    /// The user `id` of the caller's pool, if the caller may act on it.
    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %caller.pool_id(), user_id = %id))]
    pub async fn user_for(&self, caller: &Caller, id: &UserId) -> ServiceResult<(Pool, User)> {
        let pool_id = match caller {
            Caller::User { pool, user } if user == id => pool,
            Caller::User { .. } => return Err(ServiceError::Refused(ErrorCode::Forbidden)),
            Caller::Pool(pool) => pool,
        };
        let pool = self.pool(pool_id).await?;
        let user = self
            .store
            .user(&pool.id, id)
            .await?
            .ok_or(ServiceError::UserNotFound)?;
        Ok((pool, user))
    }
}
