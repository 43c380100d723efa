//! Admin routes for a pool's applications (OpenID Connect clients): list, show, create, change, rotate the secret,
//! delete. The `clientSecret` appears only in the answers of create and rotate.

use axum::{Json, extract::State, http::StatusCode};
use denglu_service::{ClientChange, CreatedClient, NewClient};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::AdminCaller,
        body::{AdminJson, AdminPath, pool_id},
        reply::{ClientList, ClientView, ClientWithSecretView},
    },
    native::ErrorBody,
};

/// An application to create. Lists and lifetimes left out take their defaults.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct CreateClientRequest {
    /// Its name, shown on the login page: 1 to 64 characters.
    name: String,
    /// `confidential` (a server that keeps a secret) or `public` (a single-page or native app: no secret, PKCE).
    kind: String,
    /// Its logo, an absolute https URL.
    logo_uri: Option<String>,
    /// Redirect URIs, matched exactly: https; http only on 127.0.0.1, [::1] or localhost (any port); or a
    /// private-use scheme with a dot (`com.example.app:/callback`). No fragments, no wildcards.
    #[serde(default)]
    redirect_uris: Vec<String>,
    /// Where the user may be sent after logout, by the same rules.
    #[serde(default)]
    post_logout_redirect_uris: Vec<String>,
    /// Any of `authorization_code`, `refresh_token`, `client_credentials` (confidential only) and
    /// `urn:ietf:params:oauth:grant-type:device_code`; `authorization_code` and `refresh_token` by default.
    grant_types: Option<Vec<String>>,
    /// Any of `openid`, `profile`, `phone`, `email`, `offline_access` and `wechat`; `openid` and `profile` by
    /// default.
    scopes: Option<Vec<String>>,
    /// Seconds, 60 to 86400; 3600 by default.
    access_token_lifetime: Option<i64>,
    /// Seconds from the login, 3600 to 31536000; 2592000 (30 days) by default.
    refresh_token_lifetime: Option<i64>,
    /// Seconds, 60 to 86400; 3600 by default.
    id_token_lifetime: Option<i64>,
    /// A first-party application: no consent screen. False by default.
    first_party: Option<bool>,
    /// Its back-channel logout endpoint, an absolute https URL.
    backchannel_logout_uri: Option<String>,
}

/// Changes to an application; absent fields stay as they are, `null` clears the logo or back-channel logout URI.
/// The kind and `clientId` never change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ChangeClientRequest {
    /// A new name.
    name: Option<String>,
    /// An https URL, or null.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<String>)]
    logo_uri: Option<Option<String>>,
    /// Redirect URIs, replacing the list.
    redirect_uris: Option<Vec<String>>,
    /// Post-logout redirect URIs, replacing the list.
    post_logout_redirect_uris: Option<Vec<String>>,
    /// Grant types, replacing the list.
    grant_types: Option<Vec<String>>,
    /// Scopes, replacing the list.
    scopes: Option<Vec<String>>,
    /// Seconds.
    access_token_lifetime: Option<i64>,
    /// Seconds.
    refresh_token_lifetime: Option<i64>,
    /// Seconds.
    id_token_lifetime: Option<i64>,
    /// Whether its users see no consent screen.
    first_party: Option<bool>,
    /// An https URL, or null.
    #[serde(default, deserialize_with = "crate::http::present")]
    #[schema(value_type = Option<String>)]
    backchannel_logout_uri: Option<Option<String>>,
}

fn with_secret(created: &CreatedClient) -> ClientWithSecretView {
    ClientWithSecretView {
        client: ClientView::from(&created.client),
        client_secret: created.secret.clone(),
    }
}

/// The pool's applications, in the order they were created. No secrets.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/clients", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    responses((status = 200, body = ClientList),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
) -> Result<Json<ClientList>, AdminError> {
    let clients = state
        .services
        .admin(&operator)
        .oidc_clients(&pool_id(&pool)?)
        .await?;
    Ok(Json(ClientList {
        clients: clients.iter().map(ClientView::from).collect(),
    }))
}

/// Creates an application. A confidential one's `clientSecret` is in this answer only.
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/clients", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id")),
    request_body = CreateClientRequest,
    responses((status = 201, body = ClientWithSecretView),
        (status = 400, description = "1002 a field is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool", body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath(pool): AdminPath<String>,
    AdminJson(request): AdminJson<CreateClientRequest>,
) -> Result<(StatusCode, Json<ClientWithSecretView>), AdminError> {
    let input = NewClient {
        name: request.name,
        kind: request.kind,
        logo_uri: request.logo_uri,
        redirect_uris: request.redirect_uris,
        post_logout_redirect_uris: request.post_logout_redirect_uris,
        grant_types: request.grant_types,
        scopes: request.scopes,
        access_token_lifetime: request.access_token_lifetime,
        refresh_token_lifetime: request.refresh_token_lifetime,
        id_token_lifetime: request.id_token_lifetime,
        first_party: request.first_party.unwrap_or(false),
        backchannel_logout_uri: request.backchannel_logout_uri,
    };
    let created = state
        .services
        .admin(&operator)
        .create_oidc_client(&pool_id(&pool)?, input)
        .await?;
    Ok((StatusCode::CREATED, Json(with_secret(&created))))
}

/// One application of the pool. No secret.
#[utoipa::path(get, path = "/api/v1/admin/pools/{pool_id}/clients/{client_id}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("client_id" = String, Path, description = "The application's client id")),
    responses((status = 200, body = ClientView),
        (status = 403, description = "1001 the caller does not administer this pool", body = ErrorBody),
        (status = 404, description = "2224 no such pool; 4701 the pool has no such application", body = ErrorBody)))]
pub(crate) async fn show(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, client_id)): AdminPath<(String, String)>,
) -> Result<Json<ClientView>, AdminError> {
    let client = state
        .services
        .admin(&operator)
        .oidc_client(&pool_id(&pool)?, &client_id)
        .await?;
    Ok(Json(ClientView::from(&client)))
}

/// Changes an application: every field but its kind and client id.
#[utoipa::path(patch, path = "/api/v1/admin/pools/{pool_id}/clients/{client_id}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("client_id" = String, Path, description = "The application's client id")),
    request_body = ChangeClientRequest,
    responses((status = 200, body = ClientView),
        (status = 400, description = "1002 a field is invalid (named)", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool; 4701 the pool has no such application", body = ErrorBody)))]
pub(crate) async fn change(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, client_id)): AdminPath<(String, String)>,
    AdminJson(request): AdminJson<ChangeClientRequest>,
) -> Result<Json<ClientView>, AdminError> {
    let change = ClientChange {
        name: request.name,
        logo_uri: request.logo_uri,
        redirect_uris: request.redirect_uris,
        post_logout_redirect_uris: request.post_logout_redirect_uris,
        grant_types: request.grant_types,
        scopes: request.scopes,
        access_token_lifetime: request.access_token_lifetime,
        refresh_token_lifetime: request.refresh_token_lifetime,
        id_token_lifetime: request.id_token_lifetime,
        first_party: request.first_party,
        backchannel_logout_uri: request.backchannel_logout_uri,
    };
    let client = state
        .services
        .admin(&operator)
        .change_oidc_client(&pool_id(&pool)?, &client_id, change)
        .await?;
    Ok(Json(ClientView::from(&client)))
}

/// Deletes an application.
#[utoipa::path(delete, path = "/api/v1/admin/pools/{pool_id}/clients/{client_id}", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("client_id" = String, Path, description = "The application's client id")),
    responses((status = 204, description = "Deleted"),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool; 4701 the pool has no such application", body = ErrorBody)))]
pub(crate) async fn delete(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, client_id)): AdminPath<(String, String)>,
) -> Result<StatusCode, AdminError> {
    state
        .services
        .admin(&operator)
        .delete_oidc_client(&pool_id(&pool)?, &client_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Gives a confidential application a new `clientSecret`, in this answer only; the old one stops working at once.
#[utoipa::path(post, path = "/api/v1/admin/pools/{pool_id}/clients/{client_id}/secret", tag = "admin",
    params(("pool_id" = String, Path, description = "User pool id"),
        ("client_id" = String, Path, description = "The application's client id")),
    responses((status = 200, body = ClientWithSecretView),
        (status = 400, description = "1002 a public client has no secret", body = ErrorBody),
        (status = 403, description = "1001 the caller does not administer this pool, or its token is read-only", body = ErrorBody),
        (status = 404, description = "2224 no such pool; 4701 the pool has no such application", body = ErrorBody)))]
pub(crate) async fn rotate_secret(
    State(state): State<AppState>,
    AdminCaller(operator): AdminCaller,
    AdminPath((pool, client_id)): AdminPath<(String, String)>,
) -> Result<Json<ClientWithSecretView>, AdminError> {
    let rotated = state
        .services
        .admin(&operator)
        .rotate_oidc_client_secret(&pool_id(&pool)?, &client_id)
        .await?;
    Ok(Json(with_secret(&rotated)))
}
