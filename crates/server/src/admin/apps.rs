//! Admin routes for a pool's WeChat apps: list, add, change, remove, and test an app's AppSecret against WeChat.

use axum::{Json, extract::State, http::StatusCode};
use denglu_service::{NewWechatApp, WechatAppChange};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::AdminCaller,
        body::{AdminJson, AdminPath, pool_id},
        reply::{WechatAppList, WechatAppView},
    },
    native::ErrorBody,
};

/// A WeChat app to add.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct AddAppRequest {
    /// `wx` and 16 hexadecimal characters.
    appid: String,
    /// `mini_program` or `mobile_app`.
    kind: String,
    /// A name for people, 1 to 64 characters; the AppID when absent.
    name: Option<String>,
    /// For a mini program: the logins it serves, any of `qr_login`, `app_launch` and `sdk`. None for a mobile app.
    #[serde(default)]
    roles: Vec<String>,
    /// The AppSecret: required for a mini program, optional for a mobile app. Stored sealed, never shown again.
    secret: Option<String>,
    /// The link prefix registered in WeChat for url-mode QR codes; the deployment scanner's when absent.
    link_prefix: Option<String>,
    /// The page wxacode-mode QR codes open; the deployment scanner's when absent.
    confirm_page: Option<String>,
    /// Whether to test the AppSecret against WeChat first (default true): a refusal is 4306, in words.
    check: Option<bool>,
}

/// Changes to a WeChat app; absent fields stay as they are, `null` link prefix or confirm page falls back to the
/// deployment scanner's.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ChangeAppRequest {
    /// A new name.
    name: Option<String>,
    /// The logins the mini program serves, replacing the earlier list.
    roles: Option<Vec<String>>,
    /// A new AppSecret, tested against WeChat first unless `check` is false.
    secret: Option<String>,
    /// An absolute http(s) URL, or null.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<String>)]
    link_prefix: Option<Option<String>>,
    /// A page path, or null.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<String>)]
    confirm_page: Option<Option<String>>,
    /// Whether to test a new AppSecret against WeChat first (default true).
    check: Option<bool>,
}

/// The pool's WeChat apps, in the order they were added (the first with a role serves requests that name none).
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/apps", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, body = WechatAppList),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<Json<WechatAppList>, AdminError> {
    let apps = state
        .services
        .admin(&operator)
        .wechat_apps(&pool_id(&pool)?)
        .await?;
    Ok(Json(WechatAppList {
        apps: apps.iter().map(WechatAppView::from).collect(),
    }))
}

/// Adds a mini program or a mobile app to the pool. A mini program's AppSecret is tested with WeChat first.
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/apps", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body = AddAppRequest,
    responses((status = 201, body = WechatAppView),
        (status = 400, description = "1002 a field is invalid (named); 4306 WeChat refused the AppID or AppSecret (the reason in words)", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody),
        (status = 409, description = "4602 the pool has this AppID already", body = ErrorBody),
        (status = 502, description = "4303 WeChat could not be asked: try again, or send check=false", body = ErrorBody)))]
pub(crate) async fn add(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
    AdminJson(request): AdminJson<AddAppRequest>,
) -> Result<(StatusCode, Json<WechatAppView>), AdminError> {
    let input = NewWechatApp {
        appid: request.appid,
        kind: request.kind,
        name: request.name,
        roles: request.roles,
        secret: request.secret,
        link_prefix: request.link_prefix,
        confirm_page: request.confirm_page,
        check: request.check.unwrap_or(true),
    };
    let app = state
        .services
        .admin(&operator)
        .add_wechat_app(&pool_id(&pool)?, input)
        .await?;
    Ok((StatusCode::CREATED, Json(WechatAppView::from(&app))))
}

/// Changes a WeChat app of the pool.
#[utoipa::path(patch, path = "/api/v1/admin/pools/{pool_id}/apps/{appid}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("appid" = String, Path, description = "The app's AppID")),
    request_body = ChangeAppRequest,
    responses((status = 200, body = WechatAppView),
        (status = 400, description = "1002 a field is invalid (named); 4306 WeChat refused the new AppSecret", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool; 4601 the pool has no such app", body = ErrorBody),
        (status = 502, description = "4303 WeChat could not be asked", body = ErrorBody)))]
pub(crate) async fn change(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, appid)): AdminPath<(String, String)>,
    AdminJson(request): AdminJson<ChangeAppRequest>,
) -> Result<Json<WechatAppView>, AdminError> {
    let change = WechatAppChange {
        name: request.name,
        roles: request.roles,
        secret: request.secret,
        link_prefix: request.link_prefix,
        confirm_page: request.confirm_page,
        check: request.check.unwrap_or(true),
    };
    let app = state
        .services
        .admin(&operator)
        .change_wechat_app(&pool_id(&pool)?, &appid, change)
        .await?;
    Ok(Json(WechatAppView::from(&app)))
}

/// Removes a WeChat app from the pool; its users keep their accounts and WeChat identities.
#[utoipa::path(delete, path = "/api/v1/admin/pools/{pool_id}/apps/{appid}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("appid" = String, Path, description = "The app's AppID")),
    responses((status = 204, description = "Removed"),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool; 4601 the pool has no such app", body = ErrorBody)))]
pub(crate) async fn remove(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, appid)): AdminPath<(String, String)>,
) -> Result<StatusCode, AdminError> {
    state
        .services
        .admin(&operator)
        .remove_wechat_app(&pool_id(&pool)?, &appid)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Tests a mini program's stored AppSecret against WeChat (`stable_token`).
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/apps/{appid}/check", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("appid" = String, Path, description = "The app's AppID")),
    responses((status = 200, description = "WeChat accepted the credentials", body = WechatAppView),
        (status = 400, description = "4306 WeChat refused the AppID or AppSecret (the reason in words); 1002 a mobile app", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool; 4601 the pool has no such app", body = ErrorBody),
        (status = 502, description = "4303 WeChat could not be asked", body = ErrorBody)))]
pub(crate) async fn check(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, appid)): AdminPath<(String, String)>,
) -> Result<Json<WechatAppView>, AdminError> {
    let app = state
        .services
        .admin(&operator)
        .check_wechat_app(&pool_id(&pool)?, &appid)
        .await?;
    Ok(Json(WechatAppView::from(&app)))
}
