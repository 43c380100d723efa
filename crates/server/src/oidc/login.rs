//! The login page's two ways in: `POST {issuer}/login/qr` (the page's script, once the phone confirmed the QR code:
//! JSON in, `{location}` out) and `POST {issuer}/login/password` (the password form). Each opens the IdP session
//! (a new cookie) and sends the browser on with its authorization request.

use axum::{
    Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};
use denglu_service::{AuthorizeStep, LoginInput, NewSession, ServiceError};
use serde::{Deserialize, Serialize};

use crate::{
    AppState,
    http::{Client, decode, secure_cookies},
    oidc::{
        OidcError,
        authorize::{PageBrowser, accept_language, is_phone},
        body::{BrowserCookies, OidcForm, OidcPool},
        cookies,
        pages::{self, Locale},
    },
};

/// The page script's request once the QR login completed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QrLoginBody {
    /// The sealed request of the page.
    interaction: String,
    /// The user token the QR code's login collected.
    token: String,
}

/// Where the page goes next.
#[derive(Debug, Serialize)]
pub(crate) struct NextLocation {
    location: String,
}

/// `POST {issuer}/login/qr`.
pub(crate) async fn login_qr(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    cookies: BrowserCookies,
    body: Bytes,
) -> Result<Response, OidcError> {
    let body: QrLoginBody = decode(&body).map_err(|fault| {
        OidcError::invalid(
            fault
                .message()
                .unwrap_or_else(|| "the body is too large".to_owned()),
        )
    })?;
    let session = state
        .services
        .oidc()
        .log_in_by_qr(
            &pool,
            &body.interaction,
            cookies.csrf.as_deref(),
            &body.token,
        )
        .await?;
    let mut response = Json(NextLocation {
        location: session.resume.clone(),
    })
    .into_response();
    cookies::set_session(
        &mut response,
        &pool,
        &session.cookie,
        session.max_age,
        secure_cookies(&state),
    );
    Ok(response)
}

/// The password form.
#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    /// The sealed request of the page.
    interaction: String,
    /// Username or e-mail.
    account: String,
    /// The password.
    password: String,
}

/// `POST {issuer}/login/password`: on success a redirect on; on failure the login page again with the reason.
pub(crate) async fn login_password(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    cookies: BrowserCookies,
    headers: HeaderMap,
    client: Client,
    OidcForm(form): OidcForm<PasswordForm>,
) -> Response {
    let input = LoginInput {
        account: form.account,
        password: form.password,
        from: client.requester(),
    };
    let result = state
        .services
        .oidc()
        .log_in_by_password(&pool, &form.interaction, cookies.csrf.as_deref(), input)
        .await;
    let locale = Locale::choose(None, accept_language(&headers));
    match result {
        Ok(NewSession {
            cookie,
            max_age,
            resume,
        }) => {
            let mut response = Redirect::to(&resume).into_response();
            cookies::set_session(
                &mut response,
                &pool,
                &cookie,
                max_age,
                secure_cookies(&state),
            );
            response
        }
        Err(error) => {
            crate::http::log_failure(&error);
            let message = match &error {
                ServiceError::Internal(_) | ServiceError::Unavailable(_) => {
                    "the server failed; try again later".to_owned()
                }
                other => other.to_string(),
            };
            let page = PageBrowser::new(&state, cookies);
            match state
                .services
                .oidc()
                .resume(&pool, &form.interaction, page.browser())
                .await
            {
                Ok(AuthorizeStep::Login(login)) => {
                    let locale = Locale::choose(
                        login.context.ui_locales.as_deref(),
                        accept_language(&headers),
                    );
                    let mut response = pages::login_page(
                        &pool,
                        &login,
                        locale,
                        is_phone(&headers),
                        Some(&message),
                    );
                    *response.status_mut() = StatusCode::BAD_REQUEST;
                    response
                }
                other => page.answer(&pool, other, locale, None, &headers),
            }
        }
    }
}
