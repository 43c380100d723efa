//! `getClientWhenSdkInit` (spec §1.4): what the Node build of authing-js-sdk asks for when it starts — the
//! pool's public settings (`clientInfo`) and an `accessToken` whose `exp` it watches.
//!
//! denglu has no owner tokens: the `accessToken` is an unsigned placeholder JWT (`alg: none`) that carries
//! only the pool id and its `iat`/`exp`, so the SDK starts and refreshes it on time. It grants nothing: every
//! verifier refuses `none`, and a pool's backend acts on users with the `X-Pool-Secret` header instead.

use async_graphql::SimpleObject;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use denglu_domain::Pool;
use serde_json::json;

use crate::{compat::graphql::user::ClientType, views::iso};

/// The answer of `getClientWhenSdkInit`.
#[derive(Debug, SimpleObject)]
pub(crate) struct SdkInit {
    /// The placeholder token when the pool secret was given (null without it).
    pub(crate) access_token: Option<String>,
    /// The pool's public settings.
    pub(crate) client_info: ClientInfo,
}

impl SdkInit {
    /// The answer for `pool` at `now`; `with_token` when the caller proved the pool secret.
    pub(crate) fn new(pool: &Pool, now: DateTime<Utc>, with_token: bool) -> Self {
        Self {
            access_token: with_token.then(|| placeholder_token(pool, now)),
            client_info: ClientInfo::from(pool),
        }
    }
}

/// A user pool as Authing's `Client` (the fields the SDK selects; what denglu lacks is null or false).
#[derive(Debug, SimpleObject)]
pub(crate) struct ClientInfo {
    /// The pool id.
    #[graphql(name = "_id")]
    id: String,
    /// Display name.
    name: String,
    /// Not kept by denglu: always null.
    descriptions: Option<String>,
    /// Token lifetime in seconds.
    jwt_expired: u32,
    /// Creation time.
    created_at: String,
    /// Always false: deleted pools are gone.
    is_deleted: bool,
    /// Not sent here: always null (the logo is at `/api/v1/pools/{id}/logo.png` when set).
    logo: Option<String>,
    /// Always false: new users' e-mails are unverified.
    email_verified_default: bool,
    /// Whether the pool refuses sign-up.
    register_disabled: bool,
    /// Always false.
    #[graphql(name = "showWXMPQRCode")]
    show_wxmp_qr_code: bool,
    /// Always true: the pool serves mini program login.
    use_mini_login: bool,
    /// Not kept per pool (CORS is a server setting): always null.
    allowed_origins: Option<String>,
    /// Not kept by denglu: always null.
    client_type: Option<ClientType>,
}

impl From<&Pool> for ClientInfo {
    fn from(pool: &Pool) -> Self {
        Self {
            id: pool.id.to_string(),
            name: pool.name.as_str().to_owned(),
            descriptions: None,
            jwt_expired: pool.token_lifetime.seconds(),
            created_at: iso(pool.created_at),
            is_deleted: false,
            logo: None,
            email_verified_default: false,
            register_disabled: !pool.registration_policy.allows_sign_up(),
            show_wxmp_qr_code: false,
            use_mini_login: true,
            allowed_origins: None,
            client_type: None,
        }
    }
}

/// `base64url({"alg":"none","typ":"JWT"}).base64url({clientId, scope, iat, exp}).` — no signature.
fn placeholder_token(pool: &Pool, now: DateTime<Utc>) -> String {
    let iat = now.timestamp();
    let header = json!({ "alg": "none", "typ": "JWT" });
    let payload = json!({
        "clientId": pool.id.as_str(),
        "scope": "sdk-init",
        "iat": iat,
        "exp": iat + i64::from(pool.token_lifetime.seconds()),
    });
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}
