//! Avatar uploads: checked by content (PNG or JPEG, at most 512 KiB, declared size checked before decoding),
//! re-encoded as a PNG of at most 256×256 (the same rules as pool logos), and stored in the database under a random
//! name, so that every replica serves it. Avatars stored as files in the uploads folder by earlier versions are
//! still served from there.

use std::path::Path;

use denglu_crypto::random_token;
use denglu_domain::{User, UserId};
use denglu_qr_image::Logo;
use denglu_store::NewAvatar;

use crate::{Caller, ServiceError, ServiceResult, Users, shared::blocking::run_blocking};

/// The URL path under which avatars are served.
pub const AVATAR_PATH: &str = "/uploads/avatars";

impl Users<'_> {
    /// Replaces the user's avatar with an uploaded image and returns the updated user.
    #[tracing::instrument(skip_all, fields(pool_id = %caller.pool_id(), user_id = %id))]
    pub async fn upload_avatar(
        &self,
        caller: &Caller,
        id: &UserId,
        upload: Vec<u8>,
    ) -> ServiceResult<User> {
        let (pool, user) = self.user_for(caller, id).await?;
        let picture = run_blocking(move || Logo::from_upload(&upload))
            .await?
            .map_err(|e| ServiceError::Rejected(e.to_string()))?;
        let name = format!("{}.png", random_token(16));
        let photo = format!("{}{AVATAR_PATH}/{name}", self.public_url);
        let avatar = NewAvatar {
            name: &name,
            png: picture.png_bytes(),
            photo: &photo,
        };
        let user = self
            .store
            .set_avatar(&pool.id, &user.id, avatar, self.clock.now())
            .await?;
        tracing::info!(pool_id = %pool.id, user_id = %user.id, "avatar uploaded");
        Ok(user)
    }

    /// The PNG of a stored avatar; `None` for a name that is not one of ours or an avatar that is gone.
    #[tracing::instrument(skip_all)]
    pub async fn avatar(&self, name: &str) -> ServiceResult<Option<Vec<u8>>> {
        let Some(stem) = name.strip_suffix(".png") else {
            return Ok(None);
        };
        let ours = stem.len() == 22
            && stem
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !ours {
            return Ok(None);
        }
        if let Some(png) = self.store.avatar(name).await? {
            return Ok(Some(png));
        }
        let legacy_file = self.uploads.join("avatars").join(name);
        run_blocking(move || std::fs::read(&legacy_file).ok()).await
    }
}

/// The default uploads folder.
pub fn default_uploads_folder() -> &'static Path {
    Path::new("data/uploads")
}
