//! The ids a native path names, checked before anything reads them: a pool id (a malformed one names no pool, 2224)
//! and a QR scene (only the characters a scene is made of; anything else, a NUL say, is 1002 naming it).

use axum::{
    extract::{FromRequestParts, Path},
    http::request::Parts,
};
use denglu_domain::PoolId;
use denglu_service::ErrorCode;

use crate::native::ApiError;

/// The pool of the path's `{pool_id}`: 2224 when malformed (it names no pool).
pub(crate) struct PoolPath(pub(crate) PoolId);

impl<S: Send + Sync> FromRequestParts<S> for PoolPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::new(ErrorCode::PoolNotFound))?;
        PoolId::parse(&raw)
            .map(Self)
            .map_err(|_| ApiError::new(ErrorCode::PoolNotFound))
    }
}

/// The QR scene of the path's `{scene}`, or of `{file}` as `<scene>.png`: 1 to 128 characters of `[A-Za-z0-9_-]`
/// (what the server makes scenes of), 1002 otherwise.
pub(crate) struct ScenePath(pub(crate) String);

impl<S: Send + Sync> FromRequestParts<S> for ScenePath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let invalid = || {
            ApiError::with_message(
                ErrorCode::InvalidRequest,
                "invalid `scene`: a QR scene has 1 to 128 letters, digits, `-` and `_`",
            )
        };
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| invalid())?;
        let scene = raw.strip_suffix(".png").unwrap_or(&raw);
        let well_formed = (1..=128).contains(&scene.len())
            && scene
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if well_formed {
            Ok(Self(scene.to_owned()))
        } else {
            Err(invalid())
        }
    }
}
