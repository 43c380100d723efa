//! The authorization request while the user is on the login or consent page: sealed with the master key into the
//! page's forms (so no server keeps it), bound to the browser's CSRF cookie (so a form can only be sent by the
//! browser the page was shown to) and to the moment the request arrived (so that `prompt=login` and `max_age` are
//! satisfied by a login after it).

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Duration, Utc};
use denglu_crypto::secret_matches;
use denglu_domain::{PoolId, Sealed};
use serde::{Deserialize, Serialize};

use crate::{
    Oidc,
    oidc::{AuthorizeParams, OAuthError},
};

/// How long a login page may stay open before its forms are refused.
const INTERACTION_LIFETIME: Duration = Duration::minutes(30);

/// What the sealed interaction holds.
#[derive(Serialize, Deserialize)]
struct Sealing {
    /// The request's parameters, checked again when it continues.
    params: AuthorizeParams,
    /// The browser's CSRF cookie, hashed.
    csrf: String,
    /// When the request arrived (seconds).
    asked_at: i64,
}

/// An authorization request brought back from a page's form.
#[derive(Debug, Clone)]
pub(crate) struct Interaction {
    pub(crate) params: AuthorizeParams,
    pub(crate) asked_at: DateTime<Utc>,
}

impl Oidc<'_> {
    /// Seals the request `params` that arrived at `asked_at` for a page shown to the browser holding `csrf`.
    pub(crate) fn seal_interaction(
        &self,
        pool: &PoolId,
        params: &AuthorizeParams,
        csrf: &str,
        asked_at: DateTime<Utc>,
    ) -> String {
        let sealing = Sealing {
            params: params.clone(),
            csrf: URL_SAFE_NO_PAD.encode(denglu_crypto::hash_secret(csrf).as_bytes()),
            asked_at: asked_at.timestamp(),
        };
        let json = serde_json::to_vec(&sealing).expect("the interaction serialises");
        let sealed = self.master_key.seal(&context(pool), &json);
        URL_SAFE_NO_PAD.encode(sealed.as_bytes())
    }

    /// Opens a sealed interaction sent back by the browser holding `csrf`; refused when it was not sealed by this
    /// deployment for this pool, was sealed for another browser, or is too old.
    pub(crate) fn open_interaction(
        &self,
        pool: &PoolId,
        sealed: &str,
        csrf: Option<&str>,
    ) -> Result<Interaction, OAuthError> {
        let refused = || {
            OAuthError::invalid_request(
                "this login page has expired or was opened in another browser; start the login again",
            )
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(sealed.trim())
            .map_err(|_| refused())?;
        let json = self
            .master_key
            .open(&context(pool), &Sealed::from_bytes(bytes))
            .map_err(|_| refused())?;
        let sealing: Sealing = serde_json::from_slice(&json).map_err(|_| refused())?;
        let expected = URL_SAFE_NO_PAD
            .decode(&sealing.csrf)
            .ok()
            .and_then(|bytes| denglu_domain::SecretHash::from_slice(&bytes))
            .ok_or_else(refused)?;
        if !csrf.is_some_and(|csrf| secret_matches(csrf, &expected)) {
            return Err(refused());
        }
        let asked_at = DateTime::from_timestamp(sealing.asked_at, 0).ok_or_else(refused)?;
        if self.clock.now() > asked_at + INTERACTION_LIFETIME {
            return Err(refused());
        }
        Ok(Interaction {
            params: sealing.params,
            asked_at,
        })
    }
}

fn context(pool: &PoolId) -> String {
    format!("oidc-interaction:{pool}")
}
