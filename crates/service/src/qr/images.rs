//! The images of QR login: the code a session shows (drawn by denglu with the pool's logo, or a mini program code
//! from WeChat) and the pool's logo.

use denglu_domain::{PoolId, QrMode};
use denglu_qr_image::{Logo, render_png};
use denglu_wechat::{ErrorKind, ImageFormat, UnlimitedCode};

use crate::{ErrorCode, QrLogin, ServiceError, ServiceResult, shared::blocking::run_blocking};

/// Width of the QR images, in pixels (the SDKs show them at 240).
const QR_SIZE: u32 = 480;

/// The scene of the preview's link: as long as a real one, so the preview has a real code's density.
const PREVIEW_SCENE: &str = "preview0preview0preview0preview0";

/// The link prefix the preview uses when no scanner serves the pool.
const PLACEHOLDER_PREFIX: &str = "https://example.com/qr/";

/// An image and its MIME type.
#[derive(Debug, Clone)]
pub struct Image {
    /// `image/png` or `image/jpeg`.
    pub content_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl QrLogin<'_> {
    /// The code of a live session: in url mode a QR of `<link prefix><scene>` with the pool's logo; in wxacode
    /// mode the scanner mini program's code for the scene.
    #[tracing::instrument(skip_all)]
    pub async fn image(&self, scene: &str) -> ServiceResult<Image> {
        let view = self.scanner_view(scene).await?;
        let app = self
            .qr_scanner(&view.pool.id, view.session.use_self_wxapp)
            .await?;
        let settings = self.settings(&view.pool.id).await?;
        match settings.mode {
            QrMode::Url => {
                self.draw(&view.pool.id, format!("{}{scene}", app.link_prefix))
                    .await
            }
            QrMode::Wxacode => {
                let now = self.clock.now();
                if let Some(image) = self.wxacodes.get(scene, now) {
                    return Ok(image);
                }
                let mut request = UnlimitedCode::new(scene).page(app.confirm_page.clone());
                request.check_path = false;
                let code = self
                    .wechat
                    .unlimited_code(&app.credentials, &request)
                    .await
                    .map_err(|error| match error.kind() {
                        // WeChat refused the scene or page: the scanner is misconfigured, not the caller.
                        ErrorKind::InvalidRequest => {
                            ServiceError::Wechat(ErrorCode::QrUnavailable, error.to_string())
                        }
                        _ => error.into(),
                    })?;
                let image = Image {
                    content_type: code.format.content_type(),
                    bytes: code.bytes,
                };
                self.wxacodes
                    .put(scene, &image, view.session.expires_at, now);
                Ok(image)
            }
        }
    }

    /// What the pool's url-mode codes look like now, for the console's preview: its scanner's link with a sample
    /// scene (a placeholder link when no scanner serves the pool yet), drawn with its logo. No session is made.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn preview(&self, pool: &PoolId) -> ServiceResult<Image> {
        self.pool(pool).await?;
        let prefix = match self.qr_scanner(pool, false).await {
            Ok(app) => app.link_prefix,
            Err(ServiceError::Refused(_)) => PLACEHOLDER_PREFIX.to_owned(),
            Err(error) => return Err(error),
        };
        self.draw(pool, format!("{prefix}{PREVIEW_SCENE}")).await
    }

    /// A QR code of `link` with the pool's logo in the middle.
    async fn draw(&self, pool: &PoolId, link: String) -> ServiceResult<Image> {
        let logo = self.logo(pool).await?;
        let bytes = run_blocking(move || render_png(&link, QR_SIZE, logo.as_ref()))
            .await?
            .map_err(|e| ServiceError::Internal(e.to_string()))?;
        Ok(Image {
            content_type: ImageFormat::Png.content_type(),
            bytes,
        })
    }

    /// A pool's logo PNG, if it has one.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn logo_png(&self, pool: &PoolId) -> ServiceResult<Option<Vec<u8>>> {
        self.pool(pool).await?;
        Ok(self.store.pool_logo(pool).await?)
    }

    /// Replaces a pool's logo with an upload (PNG or JPEG, checked by content, re-encoded), or removes it.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn set_logo(&self, pool: &PoolId, upload: Option<Vec<u8>>) -> ServiceResult<()> {
        self.pool(pool).await?;
        let png = match upload {
            Some(bytes) => Some(
                run_blocking(move || Logo::from_upload(&bytes))
                    .await?
                    .map_err(|e| ServiceError::Rejected(e.to_string()))?
                    .png_bytes()
                    .to_vec(),
            ),
            None => None,
        };
        self.store
            .save_pool_logo(pool, png.as_deref(), self.clock.now())
            .await?;
        Ok(())
    }

    #[tracing::instrument(level = "debug", skip_all, fields(pool_id = %pool))]
    async fn logo(&self, pool: &PoolId) -> ServiceResult<Option<Logo>> {
        let Some(png) = self.store.pool_logo(pool).await? else {
            return Ok(None);
        };
        match Logo::from_stored_png(&png) {
            Ok(logo) => Ok(Some(logo)),
            Err(error) => {
                tracing::warn!(%pool, %error, "stored logo unreadable; drawing the code without it");
                Ok(None)
            }
        }
    }
}
