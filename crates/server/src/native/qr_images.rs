//! QR login's images and pages for people: the code a session shows, a pool's logo, and the page a QR link opens
//! in an ordinary browser (which says to scan it with WeChat).

use axum::{
    extract::State,
    response::{Html, Response},
};

use crate::{
    AppState,
    http::image_response,
    native::{
        ApiError, ErrorBody,
        paths::{PoolPath, ScenePath},
    },
};

/// The code of a live QR session (`<scene>.png`).
#[utoipa::path(get, path = "/qrcode/{file}", tag = "qr",
    params(("file" = String, Path, description = "`<scene>.png`")),
    responses((status = 200, description = "The code (PNG, or JPEG for a WeChat mini program code)", content_type = "image/png"),
        (status = 404, description = "4205 unknown code", body = ErrorBody),
        (status = 410, description = "4202 expired, 4203 cancelled, 4204 used", body = ErrorBody)))]
pub(crate) async fn qrcode(
    State(state): State<AppState>,
    ScenePath(scene): ScenePath,
) -> Result<Response, ApiError> {
    let image = state.services.qr().image(&scene).await?;
    Ok(image_response(image.content_type, image.bytes, "no-store"))
}

/// A pool's logo.
#[utoipa::path(get, path = "/api/v1/pools/{pool_id}/logo.png", tag = "qr",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, description = "The logo", content_type = "image/png"),
        (status = 404, description = "2224 unknown pool, or no logo (1004)", body = ErrorBody)))]
pub(crate) async fn logo(
    State(state): State<AppState>,
    PoolPath(pool_id): PoolPath,
) -> Result<Response, ApiError> {
    let png = state
        .services
        .qr()
        .logo_png(&pool_id)
        .await?
        .ok_or_else(|| {
            ApiError::with_message(
                denglu_service::ErrorCode::NoSuchEndpoint,
                "this pool has no logo",
            )
        })?;
    Ok(image_response("image/png", png, "public, max-age=300"))
}

/// What a QR link shows when opened outside WeChat: scan it with WeChat instead.
pub(crate) async fn scan_with_wechat() -> Html<&'static str> {
    Html(SCAN_WITH_WECHAT)
}

const SCAN_WITH_WECHAT: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>请使用微信扫码 · Scan with WeChat</title>
<style>body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;display:flex;
min-height:100vh;align-items:center;justify-content:center;background:#f6f7f9;color:#1f2328}
main{max-width:28rem;padding:2rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.1);text-align:center}
h1{font-size:1.25rem;margin:0 0 .75rem}p{margin:.5rem 0;line-height:1.5;color:#57606a}</style></head>
<body><main><h1>请使用微信扫一扫登录</h1><p>这个二维码需要用微信扫描：打开微信，点击“扫一扫”，再扫描网页上的二维码。</p>
<h1 lang="en">Scan this code with WeChat</h1><p lang="en">Open WeChat, tap “Scan”, and scan the QR code on the web page to log in.</p></main></body></html>
"#;
