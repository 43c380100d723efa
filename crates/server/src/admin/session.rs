//! Admin routes for operators' own access: signing in (a session cookie and its CSRF token), signing out, who the
//! caller is, and setting an account up through its one-time setup link.

use axum::{
    Json,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use denglu_service::{SignIn, SignedIn};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::{
    AppState,
    admin::{
        AdminError,
        auth::{Caller, cleared_cookie, session_cookie},
        body::AdminJson,
        reply::{OperatorView, SessionView, SetupDoneView, TotpOfferView, WhoAmI, scope_pools},
    },
    http::{Client, secure_cookies},
    native::ErrorBody,
};

/// A sign-in.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SignInRequest {
    /// The operator's name.
    name: String,
    /// Their password.
    password: String,
    /// The six digits their authenticator shows, or one of their recovery codes.
    code: String,
}

/// The setup link's token.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SetupTokenRequest {
    /// The token of the setup link (the part after `#`).
    setup_token: String,
}

/// Completing a setup.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct SetupRequest {
    /// The token of the setup link.
    setup_token: String,
    /// The new password: 12 to 128 characters.
    password: String,
    /// The six digits the authenticator shows for the offered secret.
    code: String,
}

fn with_cookie(mut response: Response, cookie: &str) -> Result<Response, AdminError> {
    let value = HeaderValue::from_str(cookie)
        .map_err(|_| AdminError::invalid("the session cookie could not be written"))?;
    response.headers_mut().append(header::SET_COOKIE, value);
    Ok(response)
}

/// Signs an operator in with name, password and one-time code (or a recovery code). The answer sets the
/// `denglu_admin` session cookie (HttpOnly, `SameSite=Strict`, `Secure` under https) and carries the CSRF token that
/// every change must send in `X-CSRF-Token`.
#[utoipa::path(post, path = "/api/v1/admin/session", tag = "admin", request_body = SignInRequest,
    responses((status = 200, body = SessionView, description = "Signed in; the session is in the `denglu_admin` cookie"),
        (status = 400, description = "1002 a field is missing or of the wrong type", body = ErrorBody),
        (status = 401, description = "4503 wrong name, password or code (which one is not said)", body = ErrorBody),
        (status = 429, description = "4290 too many attempts for this name or from this address", body = ErrorBody)))]
pub(crate) async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    AdminJson(request): AdminJson<SignInRequest>,
) -> Result<Response, AdminError> {
    let attempt = SignIn {
        name: request.name,
        password: request.password,
        code: request.code,
    };
    let signed_in = state
        .services
        .sign_in_operator(attempt, client.requester())
        .await?;
    let view = SessionView::new(&signed_in.operator, &signed_in.session);
    with_cookie(Json(view).into_response(), &cookie_of(&state, &signed_in))
}

/// Signs the session's operator out: the session ends and the cookie is cleared. Needs the CSRF token.
#[utoipa::path(delete, path = "/api/v1/admin/session", tag = "admin",
    responses((status = 204, description = "Signed out"),
        (status = 400, description = "1002 the caller used an admin token, not a session", body = ErrorBody),
        (status = 401, description = "4501 no session, 4506 the session has ended", body = ErrorBody),
        (status = 403, description = "4504 no or wrong CSRF token", body = ErrorBody)))]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AdminError> {
    let (Some((_, secret)), Some(account)) = (&caller.session, caller.operator.account()) else {
        return Err(AdminError::invalid(
            "signing out ends a session; an admin token is revoked instead",
        ));
    };
    let from = caller.operator.requester().clone();
    state
        .services
        .sign_out_operator(secret, account, from)
        .await?;
    with_cookie(
        StatusCode::NO_CONTENT.into_response(),
        &cleared_cookie(secure_cookies(&state)),
    )
}

/// Who the caller is: the pools they administer and whether they may write; for a session also the operator, the
/// CSRF token and the recovery codes left.
#[utoipa::path(get, path = "/api/v1/admin/whoami", tag = "admin",
    responses((status = 200, body = WhoAmI),
        (status = 401, description = "4501 no admin token or session, 4502 a bad token, 4506 an ended session", body = ErrorBody)))]
pub(crate) async fn whoami(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<WhoAmI>, AdminError> {
    let operator = &caller.operator;
    let recovery_codes_left = state.services.admin(operator).recovery_codes_left().await?;
    Ok(Json(WhoAmI {
        actor: operator.actor(),
        pools: scope_pools(operator.scope()),
        write: operator.may_write(),
        operator: operator.account().map(OperatorView::from),
        csrf_token: caller.session.map(|(session, _)| session.csrf_token),
        recovery_codes_left,
    }))
}

/// Offers an authenticator secret to the operator of a setup link: its `otpauth://` URI, as a QR code and in base32.
/// Each call offers a new one; the last offered is the one `POST /api/v1/admin/setup` confirms.
#[utoipa::path(post, path = "/api/v1/admin/setup/totp", tag = "admin", request_body = SetupTokenRequest,
    responses((status = 200, body = TotpOfferView),
        (status = 400, description = "4505 the setup link is unknown, expired or used; 1002 a bad body", body = ErrorBody)))]
pub(crate) async fn offer_totp(
    State(state): State<AppState>,
    AdminJson(request): AdminJson<SetupTokenRequest>,
) -> Result<Json<TotpOfferView>, AdminError> {
    let offer = state
        .services
        .offer_operator_totp(&request.setup_token)
        .await?;
    Ok(Json(TotpOfferView::from(offer)))
}

/// Sets the password and confirms the offered authenticator with its current code; uses the setup link up and
/// answers ten recovery codes, once. Then sign in with `POST /api/v1/admin/session`.
#[utoipa::path(post, path = "/api/v1/admin/setup", tag = "admin", request_body = SetupRequest,
    responses((status = 200, body = SetupDoneView),
        (status = 400, description = "4505 the setup link is unknown, expired or used; 1002 a short password, no \
            authenticator offered yet, or a code that does not match", body = ErrorBody)))]
pub(crate) async fn complete_setup(
    State(state): State<AppState>,
    client: Client,
    AdminJson(request): AdminJson<SetupRequest>,
) -> Result<Json<SetupDoneView>, AdminError> {
    let done = state
        .services
        .complete_operator_setup(
            &request.setup_token,
            request.password,
            &request.code,
            client.requester(),
        )
        .await?;
    Ok(Json(SetupDoneView::from(done)))
}

/// `denglu dev` only (see [`crate::dev_console_router`]): signs the browser in as the development owner `dev` and
/// sends it to the console.
pub(crate) async fn dev_sign_in(
    State(state): State<AppState>,
    client: Client,
) -> Result<Response, AdminError> {
    let signed_in = state.services.sign_in_dev_owner(client.requester()).await?;
    let redirect = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, HeaderValue::from_static("/console/"))],
    );
    with_cookie(redirect.into_response(), &cookie_of(&state, &signed_in))
}

/// The session cookie of a sign-in, living as long as its session.
fn cookie_of(state: &AppState, signed_in: &SignedIn) -> String {
    let max_age = (signed_in.session.expires_at - signed_in.session.created_at).num_seconds();
    session_cookie(&signed_in.secret, max_age, secure_cookies(state))
}
