//! The browser's endpoints of the authorization flow: `GET|POST {issuer}/authorize`, `GET {issuer}/authorize/resume`
//! (after a login, or to switch the page's language) and `POST {issuer}/consent`. Each answers with a page, a
//! redirect to the client, or the error page.

use axum::{
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use denglu_domain::PoolId;
use denglu_service::{AuthorizeParams, AuthorizeStep, Browser, OAuthError, Refusal};
use serde::Deserialize;

use crate::{
    AppState,
    http::secure_cookies,
    oidc::{
        body::{BrowserCookies, OidcForm, OidcPool},
        cookies,
        error::ErrorPage,
        pages::{self, Locale},
    },
};

/// `GET {issuer}/authorize`.
pub(crate) async fn authorize_get(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    cookies: BrowserCookies,
    headers: HeaderMap,
    params: Result<Query<AuthorizeParams>, axum::extract::rejection::QueryRejection>,
) -> Response {
    match params {
        Ok(Query(params)) => authorize(&state, &pool, params, cookies, &headers).await,
        Err(_) => bad_query(&headers),
    }
}

/// `POST {issuer}/authorize` (the parameters form-encoded).
pub(crate) async fn authorize_post(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    cookies: BrowserCookies,
    headers: HeaderMap,
    OidcForm(params): OidcForm<AuthorizeParams>,
) -> Response {
    authorize(&state, &pool, params, cookies, &headers).await
}

async fn authorize(
    state: &AppState,
    pool: &PoolId,
    params: AuthorizeParams,
    cookies: BrowserCookies,
    headers: &HeaderMap,
) -> Response {
    let locale = Locale::choose(params.ui_locales.as_deref(), accept_language(headers));
    let page = PageBrowser::new(state, cookies);
    let step = state
        .services
        .oidc()
        .authorize(pool, &params, page.browser())
        .await;
    page.answer(pool, step, locale, None, headers)
}

/// The query of `GET {issuer}/authorize/resume`.
#[derive(Debug, Deserialize)]
pub(crate) struct ResumeQuery {
    /// The sealed request of the page.
    interaction: String,
    /// The language to show the page in instead.
    ui_locales: Option<String>,
}

/// `GET {issuer}/authorize/resume`: the request a page sealed, continued.
pub(crate) async fn resume(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    cookies: BrowserCookies,
    headers: HeaderMap,
    query: Result<Query<ResumeQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Ok(Query(query)) = query else {
        return bad_query(&headers);
    };
    let chosen = query
        .ui_locales
        .as_deref()
        .map(|ui| Locale::choose(Some(ui), None));
    let locale = chosen.unwrap_or_else(|| Locale::choose(None, accept_language(&headers)));
    let page = PageBrowser::new(&state, cookies);
    let step = state
        .services
        .oidc()
        .resume(&pool, &query.interaction, page.browser())
        .await;
    page.answer(&pool, step, locale, chosen, &headers)
}

/// The consent form.
#[derive(Debug, Deserialize)]
pub(crate) struct ConsentForm {
    /// The sealed request of the page.
    interaction: String,
    /// `allow` or `deny`.
    decision: String,
}

/// `POST {issuer}/consent`.
pub(crate) async fn consent(
    State(state): State<AppState>,
    OidcPool(pool): OidcPool,
    cookies: BrowserCookies,
    headers: HeaderMap,
    OidcForm(form): OidcForm<ConsentForm>,
) -> Response {
    let locale = Locale::choose(None, accept_language(&headers));
    let page = PageBrowser::new(&state, cookies);
    let approved = form.decision == "allow";
    let step = state
        .services
        .oidc()
        .consent(&pool, &form.interaction, page.browser(), approved)
        .await;
    page.answer(&pool, step, locale, None, &headers)
}

/// The browser of a page request: its cookies, and a CSRF cookie made for it when it has none.
pub(crate) struct PageBrowser {
    cookies: BrowserCookies,
    new_csrf: Option<String>,
    secure: bool,
}

impl PageBrowser {
    pub(crate) fn new(state: &AppState, mut cookies: BrowserCookies) -> Self {
        let new_csrf = match cookies.csrf {
            Some(_) => None,
            None => Some(denglu_crypto::random_token(32)),
        };
        if cookies.csrf.is_none() {
            cookies.csrf.clone_from(&new_csrf);
        }
        Self {
            cookies,
            new_csrf,
            secure: secure_cookies(state),
        }
    }

    pub(crate) fn browser(&self) -> Browser<'_> {
        Browser {
            session: self.cookies.session.as_deref(),
            csrf: self.cookies.csrf.as_deref(),
        }
    }

    /// The answer to the browser for `step`. A page speaks the `chosen` language, else the request's `ui_locales`
    /// or the browser's; an error page `fallback`.
    pub(crate) fn answer(
        &self,
        pool: &PoolId,
        step: Result<AuthorizeStep, Refusal>,
        fallback: Locale,
        chosen: Option<Locale>,
        headers: &HeaderMap,
    ) -> Response {
        let page_locale = |ui_locales: Option<&str>| {
            chosen.unwrap_or_else(|| Locale::choose(ui_locales, accept_language(headers)))
        };
        let response = match step {
            Ok(AuthorizeStep::Redirect(uri)) | Err(Refusal::Redirect(uri)) => {
                Redirect::to(&uri).into_response()
            }
            Ok(AuthorizeStep::Login(page)) => {
                let locale = page_locale(page.context.ui_locales.as_deref());
                pages::login_page(pool, &page, locale, is_phone(headers), None)
            }
            Ok(AuthorizeStep::Consent(page)) => {
                let locale = page_locale(page.context.ui_locales.as_deref());
                pages::consent_page(pool, &page, locale)
            }
            Err(Refusal::Show(error)) => ErrorPage {
                error,
                locale: fallback,
            }
            .into_response(),
        };
        self.with_csrf(pool, response)
    }

    /// `response`, giving the browser the CSRF cookie made for it, if one was.
    pub(crate) fn with_csrf(&self, pool: &PoolId, mut response: Response) -> Response {
        if let Some(csrf) = &self.new_csrf {
            cookies::set_csrf(&mut response, pool, csrf, self.secure);
        }
        response
    }
}

pub(crate) fn accept_language(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
}

/// Whether the browser is a phone's (which cannot scan a QR code on its own screen).
pub(crate) fn is_phone(headers: &HeaderMap) -> bool {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| {
            ["iPhone", "Android", "Mobile", "MicroMessenger"]
                .iter()
                .any(|m| ua.contains(m))
        })
}

/// The error page of a query that does not parse.
pub(crate) fn bad_query(headers: &HeaderMap) -> Response {
    let error = OAuthError::invalid_request("the query is malformed or repeats a parameter");
    let locale = Locale::choose(None, accept_language(headers));
    let mut response = ErrorPage { error, locale }.into_response();
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}
