//! Avatar upload (native, multipart) and the stored avatars, served with headers that keep browsers from reading
//! them as anything but a PNG.

use std::sync::Arc;

use axum::{
    Extension, Json,
    extract::{
        Multipart, Path, State,
        multipart::{MultipartError, MultipartRejection},
    },
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use denglu_domain::UserId;
use denglu_service::{Caller, ErrorCode};

use crate::{
    AppState,
    http::{ClientIp, Limited, RateLimits, bearer_token},
    native::{ApiError, ErrorBody},
    views::UserView,
};

/// Replaces the user's avatar with the multipart field `file` (PNG or JPEG, at most 512 KiB; re-encoded as a PNG
/// of at most 256×256) and answers the updated user. The caller is the user themselves (their token).
#[utoipa::path(post, path = "/api/v1/users/{user_id}/avatar", tag = "accounts",
    params(("user_id" = String, Path, description = "The user (yourself)")),
    request_body(content = Vec<u8>, content_type = "multipart/form-data", description = "field `file`: the image"),
    responses((status = 200, body = UserView),
        (status = 400, description = "1002 no `file` field, not a PNG or JPEG, too large, or corrupt", body = ErrorBody),
        (status = 401, description = "2020 no token; 2206/2207", body = ErrorBody),
        (status = 403, description = "1001 another user's avatar", body = ErrorBody),
        (status = 413, description = "1003 the body is larger than http.max_body_bytes", body = ErrorBody),
        (status = 429, description = "4290 this address uploaded too often (`http.avatar_uploads_per_minute`)", body = ErrorBody)),
    security(("bearer" = [])))]
pub(crate) async fn upload(
    State(state): State<AppState>,
    Extension(limits): Extension<Arc<RateLimits>>,
    ip: ClientIp,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Json<UserView>, ApiError> {
    let invalid = |message: &str| ApiError::with_message(ErrorCode::InvalidRequest, message);
    let mut multipart = multipart
        .map_err(|_| invalid("send the image as multipart/form-data in the field `file`"))?;
    let unreadable = |error: MultipartError| {
        if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(ErrorCode::PayloadTooLarge)
        } else {
            invalid("the multipart body is malformed")
        }
    };
    let mut image = None;
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() == Some("file") {
            image = Some(field.bytes().await.map_err(unreadable)?.to_vec());
        }
    }
    // The body is read before the token is checked: answering early would close the connection on a client
    // still sending the file, which then sees a network error instead of 2206/2207 (or 4290).
    limits.check(Limited::AvatarUpload, ip.0)?;
    let verified = state.services.verify_token(bearer_token(&headers)).await?;
    let id = UserId::parse(&user_id).map_err(|_| ApiError::new(ErrorCode::UserNotFound))?;
    let image = image.ok_or_else(|| invalid("send the image in the multipart field `file`"))?;
    let caller = Caller::from(&verified);
    let user = state
        .services
        .users()
        .upload_avatar(&caller, &id, image)
        .await?;
    Ok(Json(UserView::new(&user, None)))
}

/// A stored avatar.
pub(crate) async fn serve(
    State(state): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let png = state
        .services
        .users()
        .avatar(&name)
        .await?
        .ok_or_else(|| ApiError::with_message(ErrorCode::NoSuchEndpoint, "no such avatar"))?;
    let mut response = (StatusCode::OK, png).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400, immutable"),
    );
    Ok(response)
}
