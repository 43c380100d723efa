//! The OpenID Connect provider: every pool is an issuer (`<public_url>/oidc/<pool>`) whose login page shows the
//! WeChat QR code. Split by endpoint: discovery and keys, the authorization request and its pages (`authorize`,
//! `interaction`, `sessions`, `flow`), the token endpoint (`clients`, `token`, `issue`), userinfo, introspection and
//! revocation, logout, and the device flow. OAuth's error shapes are in `error`.

mod authorize;
mod claims;
mod clients;
pub(crate) mod device;
mod discovery;
mod error;
mod flow;
mod interaction;
mod introspection;
mod issue;
pub(crate) mod keys;
mod logout;
mod sessions;
mod token;
mod userinfo;

pub use authorize::{AuthorizeParams, Refusal};
pub use clients::ClientCredentials;
pub use device::{DeviceAuthorization, DevicePage};
pub use error::{OAuthCode, OAuthError, OAuthResult};
pub use flow::{AuthorizeStep, ConsentPage, LoginPage, PageContext};
pub use issue::IssuedTokens;
pub use logout::{LogoutParams, LogoutStep};
pub use sessions::{Browser, NewSession};
pub use token::TokenRequest;

use denglu_domain::PoolId;
use serde_json::Value;

use crate::{ServiceResult, shared::flow_view};

flow_view! {
    /// The OpenID Connect provider: discovery, the authorization flow and its pages, the token endpoint, userinfo,
    /// introspection, revocation and logout.
    Oidc
}

impl Oidc<'_> {
    /// The pool's OIDC signing keys as a JWKS document.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn jwks(&self, pool: &PoolId) -> ServiceResult<Value> {
        self.oidc_jwks(pool).await
    }
}
