//! Admin routes for a pool's users: search, create, show (with identities, metadata and latest events), change the
//! profile, set or remove a metadata key, block, unblock, log out everywhere, delete.

use axum::{Json, extract::State, http::StatusCode};
use denglu_domain::{RegisterMethod, UserFilter, UserMatch};
use denglu_service::{ProfileChange, RegisterInput};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::AdminCaller,
        body::{AdminJson, AdminPath, AdminQuery, parse, pool_id, time, user_id},
        reply::{MetadataView, UserDetailView, UserPage},
    },
    native::ErrorBody,
    views::UserView,
};

/// A user search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchQuery {
    /// Matched against username, e-mail, phone, nickname, openid and unionid (any of them), ignoring case for the
    /// first four.
    q: Option<String>,
    /// `prefix` (default: the field starts with `q`) or `exact`.
    #[serde(rename = "match")]
    #[param(rename = "match")]
    matching: Option<String>,
    /// `true`: only blocked users; `false`: only users not blocked.
    blocked: Option<String>,
    /// Only users who signed up this way, e.g. `oauth:wxapp`.
    register_method: Option<String>,
    /// Only users who signed up at or after this RFC 3339 time.
    created_after: Option<String>,
    /// Only users who signed up before this RFC 3339 time.
    created_before: Option<String>,
    /// The `nextCursor` of the previous page.
    cursor: Option<String>,
    /// Page size, 1 to 200 (default 50).
    limit: Option<String>,
}

impl SearchQuery {
    fn filter(&self) -> Result<UserFilter, AdminError> {
        let matching = match self.matching.as_deref() {
            None | Some("prefix") => UserMatch::Prefix,
            Some("exact") => UserMatch::Exact,
            Some(_) => return Err(AdminError::invalid("invalid `match`: prefix or exact")),
        };
        Ok(UserFilter {
            term: self.q.clone(),
            matching,
            blocked: parse("blocked", self.blocked.as_deref(), "true or false")?,
            register_method: parse::<RegisterMethod>(
                "registerMethod",
                self.register_method.as_deref(),
                "default:username-password, oauth:wxapp or oauth:app2wxapp",
            )?,
            created_after: time("createdAfter", self.created_after.as_deref())?,
            created_before: time("createdBefore", self.created_before.as_deref())?,
            before_id: self
                .cursor
                .as_deref()
                .map(|raw| {
                    denglu_domain::UserId::parse(raw).map_err(|_| {
                        AdminError::invalid("invalid `cursor`: give the `nextCursor` of a page")
                    })
                })
                .transpose()?,
            limit: match parse::<u32>("limit", self.limit.as_deref(), "a number from 1 to 200")? {
                None => 50,
                Some(limit @ 1..=200) => limit,
                Some(_) => {
                    return Err(AdminError::invalid(
                        "invalid `limit`: a number from 1 to 200",
                    ));
                }
            },
        })
    }
}

/// A new password account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CreateUserRequest {
    /// Username (3 to 32 letters, digits, `_`, `-`, `.`); this or `email` is required.
    username: Option<String>,
    /// E-mail address.
    email: Option<String>,
    /// Password, 8 to 128 characters.
    password: String,
    /// Display name.
    nickname: Option<String>,
}

/// Changes to a user's profile; absent fields stay, `""` clears.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ChangeUserRequest {
    /// Display name, at most 100 characters.
    nickname: Option<String>,
    /// Avatar URL (absolute http(s)).
    photo: Option<String>,
}

/// Searches the pool's users, newest first.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/users", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"), SearchQuery),
    responses((status = 200, body = UserPage),
        (status = 400, description = "1002 a parameter is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn search(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
    AdminQuery(query): AdminQuery<SearchQuery>,
) -> Result<Json<UserPage>, AdminError> {
    let filter = query.filter()?;
    let limit = filter.limit as usize;
    let users = state
        .services
        .admin(&operator)
        .search_users(&pool_id(&pool)?, filter)
        .await?;
    let full_page = users.len() == limit;
    Ok(Json(UserPage {
        next_cursor: full_page
            .then(|| users.last().map(|user| user.id.to_string()))
            .flatten(),
        users: users.iter().map(|user| UserView::new(user, None)).collect(),
    }))
}

/// Creates a password account, whatever the pool's registration policy.
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/users", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body = CreateUserRequest,
    responses((status = 201, body = UserView),
        (status = 400, description = "1002 a field is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 409, description = "2026 the username or e-mail is taken", body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
    AdminJson(request): AdminJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<UserView>), AdminError> {
    let input = RegisterInput {
        username: request.username,
        email: request.email,
        password: request.password,
        nickname: request.nickname,
    };
    let user = state
        .services
        .admin(&operator)
        .create_user(&pool_id(&pool)?, input)
        .await?;
    Ok((StatusCode::CREATED, Json(UserView::new(&user, None))))
}

/// A user's whole record: the user object, WeChat identities, metadata and the latest audit events about them.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/users/{user_id}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("user_id" = String, Path, description = "User id")),
    responses((status = 200, body = UserDetailView),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool, 2004 no such user", body = ErrorBody)))]
pub(crate) async fn show(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, user)): AdminPath<(String, String)>,
) -> Result<Json<UserDetailView>, AdminError> {
    let detail = state
        .services
        .admin(&operator)
        .user(&pool_id(&pool)?, &user_id(&user)?)
        .await?;
    Ok(Json(detail.into()))
}

/// Changes a user's nickname or photo.
#[utoipa::path(patch, path = "/api/v1/admin/pools/{pool_id}/users/{user_id}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("user_id" = String, Path, description = "User id")),
    request_body = ChangeUserRequest,
    responses((status = 200, body = UserView),
        (status = 400, description = "1002 a field is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool, 2004 no such user", body = ErrorBody)))]
pub(crate) async fn change(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, user)): AdminPath<(String, String)>,
    AdminJson(request): AdminJson<ChangeUserRequest>,
) -> Result<Json<UserView>, AdminError> {
    let change = ProfileChange {
        nickname: request.nickname,
        photo: request.photo,
    };
    let user = state
        .services
        .admin(&operator)
        .update_user(&pool_id(&pool)?, &user_id(&user)?, change)
        .await?;
    Ok(Json(UserView::new(&user, None)))
}

/// A metadata value to set.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SetMetadataRequest {
    /// The value, at most 1024 characters.
    value: String,
}

/// Sets one of a user's metadata keys (1 to 64 characters; a user has at most 50 keys) and answers all of them.
#[utoipa::path(put, path = "/api/v1/admin/pools/{pool_id}/users/{user_id}/metadata/{key}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("user_id" = String, Path, description = "User id"),
        ("key" = String, Path, description = "Metadata key")),
    request_body = SetMetadataRequest,
    responses((status = 200, body = MetadataView),
        (status = 400, description = "1002 the key or value is too long, or the user has 50 keys already", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool, 2004 no such user", body = ErrorBody)))]
pub(crate) async fn set_metadata(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, user, key)): AdminPath<(String, String, String)>,
    AdminJson(request): AdminJson<SetMetadataRequest>,
) -> Result<Json<MetadataView>, AdminError> {
    let metadata = state
        .services
        .admin(&operator)
        .set_user_metadata(&pool_id(&pool)?, &user_id(&user)?, &key, &request.value)
        .await?;
    Ok(Json(metadata.into()))
}

/// Removes one of a user's metadata keys (an absent key is fine) and answers the rest.
#[utoipa::path(delete, path = "/api/v1/admin/pools/{pool_id}/users/{user_id}/metadata/{key}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("user_id" = String, Path, description = "User id"),
        ("key" = String, Path, description = "Metadata key")),
    responses((status = 200, body = MetadataView),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool, 2004 no such user", body = ErrorBody)))]
pub(crate) async fn remove_metadata(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, user, key)): AdminPath<(String, String, String)>,
) -> Result<Json<MetadataView>, AdminError> {
    let metadata = state
        .services
        .admin(&operator)
        .remove_user_metadata(&pool_id(&pool)?, &user_id(&user)?, &key)
        .await?;
    Ok(Json(metadata.into()))
}

/// Erases a user: the record, WeChat identities and verified phones, metadata, avatars, tickets; their tokens stop
/// working at once.
#[utoipa::path(delete, path = "/api/v1/admin/pools/{pool_id}/users/{user_id}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("user_id" = String, Path, description = "User id")),
    responses((status = 204, description = "Erased"),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool, 2004 no such user", body = ErrorBody)))]
pub(crate) async fn delete(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, user)): AdminPath<(String, String)>,
) -> Result<StatusCode, AdminError> {
    state
        .services
        .admin(&operator)
        .delete_user(&pool_id(&pool)?, &user_id(&user)?)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What a state route does to the user.
enum Action {
    Block,
    Unblock,
    LogOut,
}

async fn act(
    state: &AppState,
    operator: &denglu_service::Operator,
    (pool, user): (String, String),
    action: Action,
) -> Result<Json<UserView>, AdminError> {
    let admin = state.services.admin(operator);
    let (pool, user) = (pool_id(&pool)?, user_id(&user)?);
    let changed = match action {
        Action::Block => admin.set_user_blocked(&pool, &user, true).await?,
        Action::Unblock => admin.set_user_blocked(&pool, &user, false).await?,
        Action::LogOut => admin.log_user_out(&pool, &user).await?,
    };
    Ok(Json(UserView::new(&changed, None)))
}

/// Blocks a user: every token they hold is refused at once, and they cannot log in.
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/users/{user_id}/block", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("user_id" = String, Path, description = "User id")),
    responses((status = 200, body = UserView),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool, 2004 no such user", body = ErrorBody)))]
pub(crate) async fn block(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(ids): AdminPath<(String, String)>,
) -> Result<Json<UserView>, AdminError> {
    act(&state, &operator, ids, Action::Block).await
}

/// Unblocks a user (tokens revoked by the block stay revoked).
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/users/{user_id}/unblock", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("user_id" = String, Path, description = "User id")),
    responses((status = 200, body = UserView),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool, 2004 no such user", body = ErrorBody)))]
pub(crate) async fn unblock(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(ids): AdminPath<(String, String)>,
) -> Result<Json<UserView>, AdminError> {
    act(&state, &operator, ids, Action::Unblock).await
}

/// Logs a user out everywhere: every token issued until now is refused.
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/users/{user_id}/logout", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("user_id" = String, Path, description = "User id")),
    responses((status = 200, body = UserView),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool, 2004 no such user", body = ErrorBody)))]
pub(crate) async fn logout(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(ids): AdminPath<(String, String)>,
) -> Result<Json<UserView>, AdminError> {
    act(&state, &operator, ids, Action::LogOut).await
}
