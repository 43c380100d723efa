//! A user's own data, changed by the user themselves (their token) or by the pool's backend (the pool secret):
//! key/value metadata with per-user limits, profile fields, the avatar (`avatars`) and logging out everywhere.

mod avatars;

pub use avatars::{AVATAR_PATH, default_uploads_folder};

use denglu_domain::{User, UserId};
use denglu_store::StoreError;

use crate::{
    Caller, ServiceError, ServiceResult,
    shared::{flow_view, text::refuse_nul},
};

flow_view! {
    /// A user's own data, changed by the user or the pool's backend: metadata, profile, avatar, logout everywhere.
    Users
}

/// At most this many metadata keys per user.
pub const MAX_METADATA_KEYS: usize = 50;
/// A metadata key's largest length, in characters.
pub const MAX_METADATA_KEY_CHARS: usize = 64;
/// A metadata value's largest length, in characters.
pub const MAX_METADATA_VALUE_CHARS: usize = 1024;

/// Profile changes; `None` leaves a field as it is.
#[derive(Debug, Default)]
pub struct ProfileChange {
    /// Display name (at most 100 characters; empty clears it).
    pub nickname: Option<String>,
    /// Avatar URL (an absolute http(s) URL; empty clears it).
    pub photo: Option<String>,
}

impl Users<'_> {
    /// The user's metadata, in key order.
    #[tracing::instrument(skip_all, fields(pool_id = %caller.pool_id(), user_id = %id))]
    pub async fn metadata(
        &self,
        caller: &Caller,
        id: &UserId,
    ) -> ServiceResult<Vec<(String, String)>> {
        let (pool, user) = self.user_for(caller, id).await?;
        Ok(self.store.user_metadata(&pool.id, &user.id).await?)
    }

    /// Sets one metadata key and returns all of them.
    #[tracing::instrument(skip_all, fields(pool_id = %caller.pool_id(), user_id = %id))]
    pub async fn set_metadata(
        &self,
        caller: &Caller,
        id: &UserId,
        key: &str,
        value: &str,
    ) -> ServiceResult<Vec<(String, String)>> {
        let (pool, user) = self.user_for(caller, id).await?;
        if key.is_empty() || key.chars().count() > MAX_METADATA_KEY_CHARS {
            return Err(ServiceError::Rejected(format!(
                "a metadata key has 1 to {MAX_METADATA_KEY_CHARS} characters"
            )));
        }
        refuse_nul("key", key)?;
        refuse_nul("value", value)?;
        if value.chars().count() > MAX_METADATA_VALUE_CHARS {
            return Err(ServiceError::Rejected(format!(
                "a metadata value has at most {MAX_METADATA_VALUE_CHARS} characters"
            )));
        }
        // The store counts the keys in the same atomic write, so concurrent new keys cannot pass the limit.
        let stored = match self
            .store
            .set_user_metadata(
                &pool.id,
                &user.id,
                key,
                value,
                MAX_METADATA_KEYS,
                self.clock.now(),
            )
            .await
        {
            Err(StoreError::NotFound) => return Err(ServiceError::UserNotFound),
            stored => stored?,
        };
        if !stored {
            return Err(ServiceError::Rejected(format!(
                "a user has at most {MAX_METADATA_KEYS} metadata keys"
            )));
        }
        Ok(self.store.user_metadata(&pool.id, &user.id).await?)
    }

    /// Removes one metadata key (absent keys are fine) and returns the rest.
    #[tracing::instrument(skip_all, fields(pool_id = %caller.pool_id(), user_id = %id))]
    pub async fn remove_metadata(
        &self,
        caller: &Caller,
        id: &UserId,
        key: &str,
    ) -> ServiceResult<Vec<(String, String)>> {
        let (pool, user) = self.user_for(caller, id).await?;
        self.store
            .remove_user_metadata(&pool.id, &user.id, key)
            .await?;
        Ok(self.store.user_metadata(&pool.id, &user.id).await?)
    }

    /// Changes the user's nickname or avatar.
    #[tracing::instrument(skip_all, fields(pool_id = %caller.pool_id(), user_id = %id))]
    pub async fn change_profile(
        &self,
        caller: &Caller,
        id: &UserId,
        change: ProfileChange,
    ) -> ServiceResult<User> {
        let (pool, user) = self.user_for(caller, id).await?;
        if let Some(nickname) = &change.nickname {
            refuse_nul("nickname", nickname)?;
        }
        let nickname = match change.nickname {
            Some(name) if name.chars().count() > 100 => {
                return Err(ServiceError::Rejected(
                    "a nickname has at most 100 characters".to_owned(),
                ));
            }
            Some(name) => Some(name).filter(|n| !n.is_empty()),
            None => user.nickname.clone(),
        };
        let photo = match change.photo {
            Some(url) if url.is_empty() => None,
            Some(url) => Some(
                denglu_domain::CallbackUrl::parse(&url)
                    .map_err(|_| {
                        ServiceError::Rejected("a photo is an absolute http(s) URL".to_owned())
                    })?
                    .as_str()
                    .to_owned(),
            ),
            None => user.photo.clone(),
        };
        Ok(self
            .store
            .set_profile(
                &pool.id,
                &user.id,
                nickname.as_deref(),
                photo.as_deref(),
                self.clock.now(),
            )
            .await?)
    }

    /// Revokes every token of the user issued until now (the SDKs' `logout`, `tokenExpiredAt: "0"`).
    #[tracing::instrument(skip_all, fields(pool_id = %caller.pool_id(), user_id = %id))]
    pub async fn revoke_tokens(&self, caller: &Caller, id: &UserId) -> ServiceResult<User> {
        let (pool, user) = self.user_for(caller, id).await?;
        let user = self
            .store
            .revoke_tokens(&pool.id, &user.id, self.clock.now())
            .await?;
        tracing::info!(pool_id = %pool.id, user_id = %user.id, "tokens revoked");
        Ok(user)
    }
}
