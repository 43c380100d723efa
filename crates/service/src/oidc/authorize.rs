//! The authorization request (OIDC Core §3.1.2.1, RFC 6749 §4.1.1, RFC 7636): its parameters as sent, and the
//! checks that make it a [`ValidRequest`]. Before the client and its redirect URI are known to match, an error is
//! shown and never redirected ([`Refusal::Show`]); after, it goes back to the client ([`Refusal::Redirect`]).

use denglu_domain::{ClientId, CodeChallenge, GrantType, OidcClient, Pool, PoolId, Scope};
use serde::{Deserialize, Serialize};

use crate::{
    Oidc, ServiceError,
    oidc::{OAuthCode, OAuthError},
    shared::text::given_ref,
};

/// The longest `state` and `nonce` accepted.
const MAX_ECHOED_CHARS: usize = 1024;

/// The parameters of an authorization request, as sent in the query (GET) or the form (POST).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizeParams {
    /// The client.
    pub client_id: Option<String>,
    /// Where to send the answer: one of the client's registered URIs, exactly.
    pub redirect_uri: Option<String>,
    /// `code` (the only one supported).
    pub response_type: Option<String>,
    /// Scopes separated by spaces.
    pub scope: Option<String>,
    /// The client's value, sent back with the answer.
    pub state: Option<String>,
    /// The client's value, put in the ID token.
    pub nonce: Option<String>,
    /// PKCE: `BASE64URL(SHA-256(code_verifier))`.
    pub code_challenge: Option<String>,
    /// PKCE: `S256` (the only one accepted).
    pub code_challenge_method: Option<String>,
    /// `none`, `login`, `consent` (`select_account` is read as `login`), separated by spaces.
    pub prompt: Option<String>,
    /// The longest time since the user's login that the client accepts, in seconds.
    pub max_age: Option<String>,
    /// Who the client thinks logs in (pre-fills the password form).
    pub login_hint: Option<String>,
    /// The languages the user prefers, separated by spaces.
    pub ui_locales: Option<String>,
    /// `query` (the only one supported).
    pub response_mode: Option<String>,
    /// A request object (not supported).
    pub request: Option<String>,
    /// A request object by reference (not supported).
    pub request_uri: Option<String>,
}

/// What `prompt` asks for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Prompt {
    /// Never show a page: answer at once, with an error if the user must act.
    pub(crate) none: bool,
    /// Make the user log in again, even with a session.
    pub(crate) login: bool,
    /// Ask for consent again, even if it was given.
    pub(crate) consent: bool,
}

/// An authorization request that passed every check.
#[derive(Debug, Clone)]
pub(crate) struct ValidRequest {
    pub(crate) pool: Pool,
    pub(crate) client: OidcClient,
    pub(crate) redirect_uri: String,
    /// The scopes the client asked for and may have, in [`Scope::ALL`]'s order.
    pub(crate) scopes: Vec<Scope>,
    pub(crate) state: Option<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) code_challenge: CodeChallenge,
    pub(crate) prompt: Prompt,
    pub(crate) max_age: Option<i64>,
    pub(crate) login_hint: Option<String>,
    pub(crate) ui_locales: Option<String>,
}

/// Why an authorization request is refused, and where the refusal goes.
#[derive(Debug)]
pub enum Refusal {
    /// Shown on an error page: the client or its redirect URI cannot be trusted with a redirect.
    Show(OAuthError),
    /// Sent back to the client's redirect URI (a URL with `error`, `error_description`, `state` and `iss`).
    Redirect(String),
}

impl From<ServiceError> for Refusal {
    fn from(error: ServiceError) -> Self {
        Self::Show(error.into())
    }
}

impl From<denglu_store::StoreError> for Refusal {
    fn from(error: denglu_store::StoreError) -> Self {
        Self::Show(error.into())
    }
}

impl Oidc<'_> {
    /// Checks an authorization request to the pool.
    pub(crate) async fn check_request(
        &self,
        pool: &PoolId,
        params: &AuthorizeParams,
    ) -> Result<ValidRequest, Refusal> {
        let pool = self.pool(pool).await?;
        let show = |text: &str| Refusal::Show(OAuthError::invalid_request(text));
        let client_id =
            given_ref(params.client_id.as_deref()).ok_or_else(|| show("client_id is missing"))?;
        let client = match ClientId::parse(client_id) {
            Ok(id) => self.store.oidc_clients().oidc_client(&pool.id, &id).await?,
            Err(_) => None,
        }
        .ok_or_else(|| show("no application of this issuer has this client_id"))?;
        let redirect_uri = given_ref(params.redirect_uri.as_deref())
            .ok_or_else(|| show("redirect_uri is missing"))?;
        if !client
            .redirect_uris
            .iter()
            .any(|uri| redirect_matches(uri.as_str(), redirect_uri))
        {
            return Err(show(
                "redirect_uri is not one of this application's registered redirect URIs (they are matched exactly)",
            ));
        }
        let echoed = |value: &Option<String>| {
            value
                .as_ref()
                .is_none_or(|v| v.chars().count() <= MAX_ECHOED_CHARS)
        };
        if !echoed(&params.state) || !echoed(&params.nonce) {
            return Err(show("state and nonce are limited to 1024 characters"));
        }
        let back = |code: OAuthCode, text: &str| {
            Refusal::Redirect(self.error_redirect(
                &pool.id,
                redirect_uri,
                &OAuthError::new(code, text),
                params.state.as_deref(),
            ))
        };
        let invalid = |text: &str| back(OAuthCode::InvalidRequest, text);
        if params.request.is_some() || params.request_uri.is_some() {
            return Err(invalid("request objects are not supported"));
        }
        match given_ref(params.response_type.as_deref()) {
            Some("code") => {}
            None => return Err(invalid("response_type is missing")),
            Some(_) => {
                return Err(back(
                    OAuthCode::UnsupportedResponseType,
                    "only response_type=code is supported",
                ));
            }
        }
        if given_ref(params.response_mode.as_deref()).is_some_and(|mode| mode != "query") {
            return Err(invalid("only response_mode=query is supported"));
        }
        if !client.grant_types.contains(&GrantType::AuthorizationCode) {
            return Err(back(
                OAuthCode::UnauthorizedClient,
                "this application may not use the authorization code flow",
            ));
        }
        let prompt = read_prompt(params.prompt.as_deref()).map_err(&invalid)?;
        let scopes = read_scopes(params.scope.as_deref(), &client, prompt)
            .map_err(|text| back(OAuthCode::InvalidScope, text))?;
        let code_challenge = match (
            given_ref(params.code_challenge.as_deref()),
            given_ref(params.code_challenge_method.as_deref()),
        ) {
            (None, _) => {
                return Err(invalid(
                    "PKCE is required: send code_challenge and code_challenge_method=S256",
                ));
            }
            (Some(_), Some("S256")) => CodeChallenge::parse(
                params.code_challenge.as_deref().unwrap_or_default(),
            )
            .map_err(|_| {
                invalid("code_challenge must be 43 characters of base64url (a SHA-256 digest)")
            })?,
            (Some(_), _) => {
                return Err(invalid(
                    "code_challenge_method must be S256 (plain is refused)",
                ));
            }
        };
        let max_age = match given_ref(params.max_age.as_deref()) {
            None => None,
            Some(raw) => Some(
                raw.parse::<i64>()
                    .ok()
                    .filter(|age| *age >= 0)
                    .ok_or_else(|| invalid("max_age must be a whole number of seconds"))?,
            ),
        };
        Ok(ValidRequest {
            redirect_uri: redirect_uri.to_owned(),
            scopes,
            state: params.state.clone(),
            nonce: given_ref(params.nonce.as_deref()).map(str::to_owned),
            code_challenge,
            prompt,
            max_age,
            login_hint: given_ref(params.login_hint.as_deref())
                .map(|hint| hint.chars().take(128).collect()),
            ui_locales: params.ui_locales.clone(),
            pool,
            client,
        })
    }

    /// `redirect_uri` with an error for the client (RFC 6749 §4.1.2.1, RFC 9207).
    pub(crate) fn error_redirect(
        &self,
        pool: &PoolId,
        redirect_uri: &str,
        error: &OAuthError,
        state: Option<&str>,
    ) -> String {
        let mut pairs = vec![
            ("error", error.code.as_str()),
            ("error_description", error.description.as_str()),
        ];
        if let Some(state) = state {
            pairs.push(("state", state));
        }
        let issuer = self.issuer(pool);
        pairs.push(("iss", &issuer));
        with_query(redirect_uri, &pairs)
    }
}

/// Whether the request's `given` redirect URI is the `registered` one: the same string, or for a loopback address
/// (`http://127.0.0.1`, `http://[::1]`) the same but for the port, which a native app picks when it starts
/// (RFC 8252 §7.3).
fn redirect_matches(registered: &str, given: &str) -> bool {
    if registered == given {
        return true;
    }
    let (Ok(registered), Ok(given)) = (url::Url::parse(registered), url::Url::parse(given)) else {
        return false;
    };
    let loopback = |url: &url::Url| {
        url.scheme() == "http" && matches!(url.host_str(), Some("127.0.0.1" | "[::1]"))
    };
    let without_port = |url: &url::Url| {
        let mut url = url.clone();
        url.set_port(None).is_ok().then_some(url)
    };
    loopback(&registered)
        && loopback(&given)
        && without_port(&registered).is_some_and(|r| Some(r) == without_port(&given))
}

fn read_prompt(raw: Option<&str>) -> Result<Prompt, &'static str> {
    let mut prompt = Prompt::default();
    for value in raw.unwrap_or_default().split_whitespace() {
        match value {
            "none" => prompt.none = true,
            "login" | "select_account" => prompt.login = true,
            "consent" => prompt.consent = true,
            _ => return Err("prompt takes none, login, consent or select_account"),
        }
    }
    if prompt.none && (prompt.login || prompt.consent) {
        return Err("prompt=none cannot be combined with another value");
    }
    Ok(prompt)
}

/// The scopes asked for, each one the client may have; `offline_access` only for a first-party client or with
/// `prompt=consent` (OIDC Core §11), otherwise left out.
fn read_scopes(
    raw: Option<&str>,
    client: &OidcClient,
    prompt: Prompt,
) -> Result<Vec<Scope>, &'static str> {
    let names: Vec<&str> = raw.unwrap_or_default().split_whitespace().collect();
    if names.is_empty() {
        return Err("scope is missing: ask for openid and the scopes the application needs");
    }
    let scopes = Scope::parse_list(&names).map_err(
        |_| "a scope is unknown: use openid, profile, phone, email, offline_access or wechat",
    )?;
    if scopes.iter().any(|scope| !client.scopes.contains(scope)) {
        return Err("a scope is not among this application's allowed scopes");
    }
    let offline_allowed = client.first_party || prompt.consent;
    Ok(scopes
        .into_iter()
        .filter(|scope| *scope != Scope::OfflineAccess || offline_allowed)
        .collect())
}

/// `uri` with `pairs` added to its query, form-encoded.
pub(crate) fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    let query = serializer.finish();
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{query}")
}
