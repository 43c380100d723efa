//! What the admin API answers about operators: accounts, their setup links and sessions, the authenticator offered
//! at setup and the recovery codes made then.

use base64::{Engine, engine::general_purpose::STANDARD};
use denglu_domain::{OperatorAccount, OperatorSession};
use denglu_service::{CreatedOperator, SetupCompletion, TotpOffer};
use serde::Serialize;
use utoipa::ToSchema;

use crate::admin::reply::{iso, scope_pools};

/// An operator account.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct OperatorView {
    /// Its id (24 hex).
    pub(crate) id: String,
    /// Its sign-in name.
    pub(crate) name: String,
    /// The pools it administers; `null` for an owner (the whole deployment).
    pub(crate) pools: Option<Vec<String>>,
    /// Whether it has set its password and authenticator (else its setup link is waiting).
    pub(crate) set_up: bool,
    /// When its unused setup link stops working, if it has one.
    pub(crate) setup_expires_at: Option<String>,
    /// When it was made.
    pub(crate) created_at: String,
}

impl From<&OperatorAccount> for OperatorView {
    fn from(operator: &OperatorAccount) -> Self {
        Self {
            id: operator.id.to_string(),
            name: operator.name.to_string(),
            pools: scope_pools(&operator.scope),
            set_up: operator.is_set_up(),
            setup_expires_at: operator.setup.as_ref().map(|link| iso(link.expires_at)),
            created_at: iso(operator.created_at),
        }
    }
}

/// The deployment's operators.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OperatorList {
    /// Oldest first.
    pub(crate) operators: Vec<OperatorView>,
}

/// A new or reset operator and their one-time setup link.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CreatedOperatorView {
    /// The operator.
    pub(crate) operator: OperatorView,
    /// The page where they set their password and authenticator, with the setup token in its fragment.
    pub(crate) setup_url: String,
    /// The setup token alone, for `POST /api/v1/admin/setup/totp` and `POST /api/v1/admin/setup`. Shown this once.
    pub(crate) setup_token: String,
}

impl From<CreatedOperator> for CreatedOperatorView {
    fn from(created: CreatedOperator) -> Self {
        Self {
            operator: OperatorView::from(&created.operator),
            setup_url: created.setup_url,
            setup_token: created.setup_secret,
        }
    }
}

/// A session begun by signing in. The session itself is in the `denglu_admin` cookie.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SessionView {
    /// Who signed in.
    pub(crate) operator: OperatorView,
    /// Send it in `X-CSRF-Token` with every request that changes something.
    pub(crate) csrf_token: String,
    /// When the session ends however busy it is (it also ends after the idle timeout without requests).
    pub(crate) expires_at: String,
}

impl SessionView {
    pub(crate) fn new(operator: &OperatorAccount, session: &OperatorSession) -> Self {
        Self {
            operator: OperatorView::from(operator),
            csrf_token: session.csrf_token.clone(),
            expires_at: iso(session.expires_at),
        }
    }
}

/// The authenticator offered to an operator setting up.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TotpOfferView {
    /// The operator's name.
    pub(crate) name: String,
    /// The `otpauth://totp/…` URI authenticator apps read.
    pub(crate) otpauth_uri: String,
    /// The secret in base32, for typing into the app by hand.
    pub(crate) secret: String,
    /// The URI as a QR code: a `data:image/png;base64,…` URL.
    pub(crate) qr_code: String,
}

impl From<TotpOffer> for TotpOfferView {
    fn from(offer: TotpOffer) -> Self {
        Self {
            name: offer.name,
            otpauth_uri: offer.uri,
            secret: offer.secret,
            qr_code: format!("data:image/png;base64,{}", STANDARD.encode(&offer.qr_png)),
        }
    }
}

/// A completed setup.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SetupDoneView {
    /// The name to sign in with.
    pub(crate) name: String,
    /// Ten single-use codes that stand in for the authenticator, shown this once: keep them somewhere safe.
    pub(crate) recovery_codes: Vec<String>,
}

impl From<SetupCompletion> for SetupDoneView {
    fn from(done: SetupCompletion) -> Self {
        Self {
            name: done.name,
            recovery_codes: done.recovery_codes,
        }
    }
}
