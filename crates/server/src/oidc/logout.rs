//! `GET|POST {issuer}/logout` (RP-Initiated Logout 1.0): ends the browser's IdP session, clears its cookie and sends
//! the browser to the client's registered post-logout URI, or shows "logged out". Without a valid `id_token_hint`
//! the user confirms on a page whose form carries the browser's CSRF cookie value.

use axum::{
    extract::{Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use denglu_domain::PoolId;
use denglu_service::{LogoutParams, LogoutStep};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::{
    AppState,
    http::secure_cookies,
    oidc::{
        authorize::{PageBrowser, accept_language},
        body::{BrowserCookies, OidcForm, OidcPool},
        cookies,
        error::ErrorPage,
        pages::{self, Locale},
    },
};

/// `GET {issuer}/logout`.
pub(crate) async fn logout_get(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    cookies: BrowserCookies,
    headers: HeaderMap,
    params: Result<Query<LogoutParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    match params {
        Ok(Query(params)) => logout(&state, &pool, params, false, cookies, &headers).await,
        Err(_) => super::authorize::bad_query(&headers),
    }
}

/// The form of `POST {issuer}/logout`: the logout parameters, and on the confirmation page's form its CSRF value.
#[derive(Debug, Deserialize)]
pub(crate) struct LogoutForm {
    #[serde(flatten)]
    params: LogoutParams,
    /// `yes` from the confirmation page.
    confirm: Option<String>,
    /// The browser's CSRF cookie value, from the confirmation page.
    csrf: Option<String>,
}

/// `POST {issuer}/logout`.
pub(crate) async fn logout_post(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    cookies: BrowserCookies,
    headers: HeaderMap,
    OidcForm(form): OidcForm<LogoutForm>,
) -> Response {
    let confirmed = form.confirm.as_deref() == Some("yes")
        && matches!((&form.csrf, &cookies.csrf), (Some(sent), Some(held)) if bool::from(sent.as_bytes().ct_eq(held.as_bytes())));
    logout(&state, &pool, form.params, confirmed, cookies, &headers).await
}

async fn logout(
    state: &AppState,
    pool: &PoolId,
    params: LogoutParams,
    confirmed: bool,
    cookies: BrowserCookies,
    headers: &HeaderMap,
) -> Response {
    let locale = Locale::choose(params.ui_locales.as_deref(), accept_language(headers));
    let page = PageBrowser::new(state, cookies);
    let step = state
        .services
        .oidc()
        .end_session(pool, &params, page.browser(), confirmed)
        .await;
    match step {
        Err(error) => ErrorPage { error, locale }.into_response(),
        Ok(LogoutStep::Confirm { client }) => {
            let csrf = page.browser().csrf.unwrap_or_default().to_owned();
            let mut hidden = vec![("csrf", csrf.as_str())];
            let fields = [
                ("client_id", params.client_id.as_deref()),
                (
                    "post_logout_redirect_uri",
                    params.post_logout_redirect_uri.as_deref(),
                ),
                ("state", params.state.as_deref()),
                ("ui_locales", params.ui_locales.as_deref()),
            ];
            hidden.extend(
                fields
                    .iter()
                    .filter_map(|(name, value)| value.map(|v| (*name, v))),
            );
            let name = client.as_ref().map(|c| c.name.as_str());
            let response = pages::logout_confirm_page(pool, name, &hidden, locale);
            page.with_csrf(pool, response)
        }
        Ok(LogoutStep::Done(redirect)) => {
            let mut response = match redirect {
                Some(uri) => Redirect::to(&uri).into_response(),
                None => pages::logged_out_page(locale),
            };
            cookies::clear_session(&mut response, pool, secure_cookies(state));
            response
        }
    }
}
