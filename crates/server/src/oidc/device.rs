//! The device flow's endpoints: `POST {issuer}/device/authorize` (the device asks; JSON, RFC 8628 §3.2) and
//! `GET {issuer}/device` (the verification page: type the user code, then scan the QR code shown with WeChat).

use axum::{
    Json,
    extract::{Query, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
};
use denglu_service::DeviceAuthorization;
use serde::{Deserialize, Serialize};

use crate::{
    AppState,
    http::Client,
    oidc::{
        OidcError,
        authorize::accept_language,
        body::{OidcForm, OidcPool, client_credentials},
        error::ErrorPage,
        pages::{self, Locale},
    },
};

/// The device authorization request's form.
#[derive(Debug, Deserialize)]
pub(crate) struct DeviceForm {
    client_id: Option<String>,
    client_secret: Option<String>,
    scope: Option<String>,
}

/// The device authorization response.
#[derive(Debug, Serialize)]
pub(crate) struct DeviceReply {
    device_code: String,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: String,
    /// The QR code as a PNG, for a device that shows an image rather than drawing `verification_uri_complete`.
    qrcode: String,
    expires_in: i64,
    interval: u32,
}

impl From<DeviceAuthorization> for DeviceReply {
    fn from(answer: DeviceAuthorization) -> Self {
        Self {
            device_code: answer.device_code,
            user_code: answer.user_code,
            verification_uri: answer.verification_uri,
            verification_uri_complete: answer.verification_uri_complete,
            qrcode: answer.qrcode,
            expires_in: answer.expires_in,
            interval: answer.interval,
        }
    }
}

/// `POST {issuer}/device/authorize`.
pub(crate) async fn authorize_device(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    headers: HeaderMap,
    client: Client,
    OidcForm(form): OidcForm<DeviceForm>,
) -> Result<Response, OidcError> {
    let credentials = client_credentials(&headers, form.client_id, form.client_secret)?;
    let answer = state
        .services
        .oidc()
        .authorize_device(
            &pool,
            &credentials,
            form.scope.as_deref(),
            client.requester(),
        )
        .await?;
    Ok(super::token::no_store(
        Json(DeviceReply::from(answer)).into_response(),
    ))
}

/// The verification page's query.
#[derive(Debug, Deserialize)]
pub(crate) struct DeviceQuery {
    user_code: Option<String>,
    ui_locales: Option<String>,
}

/// `GET {issuer}/device`: without a user code, a form to type it; with a live one, the QR code to scan.
pub(crate) async fn verification_page(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    headers: HeaderMap,
    Query(query): Query<DeviceQuery>,
) -> Response {
    let locale = Locale::choose(query.ui_locales.as_deref(), accept_language(&headers));
    let Some(user_code) = query.user_code.filter(|c| !c.trim().is_empty()) else {
        return pages::device_code_page(&pool, locale, false);
    };
    match state.services.oidc().device_page(&pool, &user_code).await {
        Ok(Some(page)) => pages::device_scan_page(&page, locale),
        Ok(None) => pages::device_code_page(&pool, locale, true),
        Err(error) => ErrorPage { error, locale }.into_response(),
    }
}
