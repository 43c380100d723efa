//! A pool's OpenID Provider metadata (OIDC Discovery 1.0 §3, RFC 8414): its endpoints and what they support. It
//! lists only what denglu implements, and the tests check that each item works.

use denglu_domain::{GrantType, PoolId, Scope};
use serde_json::{Value, json};

use crate::{Oidc, ServiceResult, oidc::claims::SUPPORTED_CLAIMS};

impl Oidc<'_> {
    /// The pool's issuer URL (`iss` of its OIDC tokens): `<public_url>/oidc/<pool>`.
    pub fn issuer(&self, pool: &PoolId) -> String {
        format!("{}/oidc/{pool}", self.public_url())
    }

    /// The pool's discovery document.
    #[tracing::instrument(skip_all, fields(pool_id = %pool))]
    pub async fn discovery(&self, pool: &PoolId) -> ServiceResult<Value> {
        self.pool(pool).await?;
        let keys = self.oidc_keys(pool).await?;
        let issuer = self.issuer(pool);
        let grant_types: Vec<&str> = GrantType::ALL.iter().map(|grant| grant.as_str()).collect();
        let scopes: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
        let signing = keys.signer.algorithm.as_str();
        Ok(json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/authorize"),
            "token_endpoint": format!("{issuer}/token"),
            "userinfo_endpoint": format!("{issuer}/userinfo"),
            "jwks_uri": format!("{issuer}/jwks.json"),
            "revocation_endpoint": format!("{issuer}/revoke"),
            "introspection_endpoint": format!("{issuer}/introspect"),
            "end_session_endpoint": format!("{issuer}/logout"),
            "device_authorization_endpoint": format!("{issuer}/device/authorize"),
            "scopes_supported": scopes,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": grant_types,
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": [signing],
            "userinfo_signing_alg_values_supported": [],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "revocation_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
            "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": SUPPORTED_CLAIMS,
            "claims_parameter_supported": false,
            "request_parameter_supported": false,
            "request_uri_parameter_supported": false,
            "prompt_values_supported": ["none", "login", "consent", "select_account"],
            "ui_locales_supported": ["zh-CN", "en"],
            "authorization_response_iss_parameter_supported": true,
            "frontchannel_logout_supported": false,
            "backchannel_logout_supported": false,
        }))
    }
}
