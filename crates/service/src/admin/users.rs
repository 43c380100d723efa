//! Administering a pool's users: searching, a user's whole record, creating password accounts, changing a profile
//! or metadata, blocking, logging out everywhere, and erasing a user with everything of theirs.

use denglu_domain::{AuditEvent, AuditFilter, PoolId, User, UserFilter, UserId, WechatIdentity};
use serde_json::{Value, json};

use crate::{
    Accounts, Caller, ProfileChange, RegisterInput, ServiceError, ServiceResult, Users,
    admin::Admin,
};

/// The most users one search returns.
const MAX_PAGE: u32 = 200;
/// How many of a user's latest audit events their record shows.
const RECENT_EVENTS: u32 = 20;

/// A user's whole record, as an operator sees it.
#[derive(Debug)]
pub struct UserDetail {
    /// The user.
    pub user: User,
    /// Their WeChat identities, oldest first.
    pub identities: Vec<WechatIdentity>,
    /// Their metadata, in key order.
    pub metadata: Vec<(String, String)>,
    /// The latest audit events about them, newest first.
    pub recent_events: Vec<AuditEvent>,
}

/// A user's profile as the audit log shows it.
fn profile(user: &User) -> Value {
    json!({ "nickname": user.nickname, "photo": user.photo, "blocked": user.blocked })
}

impl Admin<'_> {
    /// The pool's users the filter selects, newest first; at most 200.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn search_users(
        &self,
        pool: &PoolId,
        mut filter: UserFilter,
    ) -> ServiceResult<Vec<User>> {
        self.operator.read(pool)?;
        self.core.pool(pool).await?;
        if let Some(term) = &filter.term
            && (term.is_empty() || term.chars().count() > 128 || term.contains('\0'))
        {
            return Err(ServiceError::Rejected(
                "a search term has 1 to 128 characters and no NUL".to_owned(),
            ));
        }
        filter.limit = filter.limit.clamp(1, MAX_PAGE);
        Ok(self.store.admin().search_users(pool, &filter).await?)
    }

    /// A user's whole record: profile, WeChat identities, metadata and latest audit events.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, user_id = %id))]
    pub async fn user(&self, pool: &PoolId, id: &UserId) -> ServiceResult<UserDetail> {
        self.operator.read(pool)?;
        let user = Accounts::new(self.core).user(pool, id).await?;
        let identities = self.store.admin().wechat_identities(pool, id).await?;
        let metadata = self.store.user_metadata(pool, id).await?;
        let filter = AuditFilter {
            pools: Some(vec![pool.clone()]),
            user: Some(id.clone()),
            limit: RECENT_EVENTS,
            ..AuditFilter::default()
        };
        let recent_events = self.store.admin().audit_events(&filter).await?;
        Ok(UserDetail {
            user,
            identities,
            metadata,
            recent_events,
        })
    }

    /// Creates a password account, whatever the pool's registration policy.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn create_user(&self, pool: &PoolId, input: RegisterInput) -> ServiceResult<User> {
        self.operator.write(pool)?;
        let found = self.core.pool(pool).await?;
        let user = Accounts::new(self.core)
            .create_password_user(&found, input)
            .await?;
        let detail = json!({ "after": { "username": user.username.as_ref().map(|u| u.as_str()),
            "email": user.email.as_ref().map(|e| e.as_str()), "nickname": user.nickname } });
        self.record("user.create", Some(pool), Some(&user.id), Some(detail))
            .await;
        Ok(user)
    }

    /// Changes a user's nickname or photo.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, user_id = %id))]
    pub async fn update_user(
        &self,
        pool: &PoolId,
        id: &UserId,
        change: ProfileChange,
    ) -> ServiceResult<User> {
        self.operator.write(pool)?;
        let before = Accounts::new(self.core).user(pool, id).await?;
        let after = Users::new(self.core)
            .change_profile(&Caller::Pool(pool.clone()), id, change)
            .await?;
        let detail = json!({ "before": profile(&before), "after": profile(&after) });
        self.record("user.update", Some(pool), Some(id), Some(detail))
            .await;
        Ok(after)
    }

    /// Sets one of a user's metadata keys and returns all of them, in key order.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, user_id = %id))]
    pub async fn set_user_metadata(
        &self,
        pool: &PoolId,
        id: &UserId,
        key: &str,
        value: &str,
    ) -> ServiceResult<Vec<(String, String)>> {
        self.operator.write(pool)?;
        let metadata = Users::new(self.core)
            .set_metadata(&Caller::Pool(pool.clone()), id, key, value)
            .await?;
        let detail = json!({ "key": key, "removed": false });
        self.record("user.metadata", Some(pool), Some(id), Some(detail))
            .await;
        Ok(metadata)
    }

    /// Removes one of a user's metadata keys (an absent key is fine) and returns the rest, in key order.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, user_id = %id))]
    pub async fn remove_user_metadata(
        &self,
        pool: &PoolId,
        id: &UserId,
        key: &str,
    ) -> ServiceResult<Vec<(String, String)>> {
        self.operator.write(pool)?;
        let metadata = Users::new(self.core)
            .remove_metadata(&Caller::Pool(pool.clone()), id, key)
            .await?;
        let detail = json!({ "key": key, "removed": true });
        self.record("user.metadata", Some(pool), Some(id), Some(detail))
            .await;
        Ok(metadata)
    }

    /// Blocks (revoking every token at once) or unblocks a user.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, user_id = %id, blocked))]
    pub async fn set_user_blocked(
        &self,
        pool: &PoolId,
        id: &UserId,
        blocked: bool,
    ) -> ServiceResult<User> {
        self.operator.write(pool)?;
        let user = Accounts::new(self.core)
            .set_user_blocked(pool, id, blocked)
            .await?;
        let kind = if blocked {
            "user.block"
        } else {
            "user.unblock"
        };
        self.record(kind, Some(pool), Some(id), None).await;
        Ok(user)
    }

    /// Revokes every token the user holds.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, user_id = %id))]
    pub async fn log_user_out(&self, pool: &PoolId, id: &UserId) -> ServiceResult<User> {
        self.operator.write(pool)?;
        let user = Users::new(self.core)
            .revoke_tokens(&Caller::Pool(pool.clone()), id)
            .await?;
        self.record("user.logout", Some(pool), Some(id), None).await;
        Ok(user)
    }

    /// Erases a user: the record, their WeChat identities and the phones WeChat verified for them, metadata,
    /// avatars, tickets and QR sessions, in one transaction. Their tokens stop verifying with the record.
    #[tracing::instrument(skip_all, fields(pool_id = %pool, user_id = %id))]
    pub async fn delete_user(&self, pool: &PoolId, id: &UserId) -> ServiceResult<()> {
        self.operator.write(pool)?;
        self.core.pool(pool).await?;
        if !self.store.admin().delete_user(pool, id).await? {
            return Err(ServiceError::UserNotFound);
        }
        tracing::info!(pool_id = %pool, user_id = %id, "user deleted");
        self.record("user.delete", Some(pool), Some(id), None).await;
        Ok(())
    }
}
