//! Avatar uploads: checked by content (PNG or JPEG, at most 512 KiB, declared size checked before decoding),
//! re-encoded as a PNG of at most 256×256 (the same rules as pool logos), and stored under a random name in the
//! uploads folder.

use std::path::{Path, PathBuf};

use denglu_crypto::random_token;
use denglu_domain::{User, UserId};
use denglu_qr_image::Logo;

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
        let folder = self.avatar_folder();
        let name = format!("{}.png", random_token(16));
        let path = folder.join(&name);
        run_blocking(move || -> ServiceResult<()> {
            let picture =
                Logo::from_upload(&upload).map_err(|e| ServiceError::Rejected(e.to_string()))?;
            std::fs::create_dir_all(&folder)
                .and_then(|()| std::fs::write(&path, picture.png_bytes()))
                .map_err(|e| {
                    ServiceError::Internal(format!(
                        "cannot store an avatar in {}: {e}",
                        folder.display()
                    ))
                })
        })
        .await??;
        let photo = format!("{}{AVATAR_PATH}/{name}", self.public_url);
        let user = self
            .store
            .set_profile(
                &pool.id,
                &user.id,
                user.nickname.as_deref(),
                Some(&photo),
                self.clock.now(),
            )
            .await?;
        tracing::info!(pool_id = %pool.id, user_id = %user.id, "avatar uploaded");
        Ok(user)
    }

    /// The PNG of a stored avatar; `None` for a name that is not one of ours or a missing file.
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
        let path = self.avatar_folder().join(name);
        run_blocking(move || std::fs::read(&path).ok()).await
    }

    fn avatar_folder(&self) -> PathBuf {
        self.uploads.join("avatars")
    }
}

/// The default uploads folder.
pub fn default_uploads_folder() -> &'static Path {
    Path::new("data/uploads")
}
