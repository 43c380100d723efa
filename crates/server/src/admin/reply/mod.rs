//! What the admin API answers: pools and their login settings, WeChat apps, applications (OIDC clients), signing keys, users with their
//! identities, audit events, admin tokens and operators, as camelCase JSON. Secrets appear only in the answers that
//! make them, once.

use chrono::{DateTime, SecondsFormat, Utc};
use denglu_domain::{AdminScope, AdminToken, AuditEvent, Pool, WechatIdentity};
use denglu_service::{PoolSigningKey, UserDetail};
use serde::Serialize;
use utoipa::ToSchema;

use crate::views::UserView;

mod apps;
mod clients;
mod operators;
mod settings;

pub(crate) use apps::{WechatAppList, WechatAppView};
pub(crate) use clients::{ClientList, ClientView, ClientWithSecretView};
pub(crate) use operators::{
    CreatedOperatorView, OperatorList, OperatorView, SessionView, SetupDoneView, TotpOfferView,
};
pub(crate) use settings::{PoolAppLoginSettingsView, PoolQrSettingsView};

pub(crate) fn iso(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A pool's settings.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PoolView {
    /// Pool id (24 hex).
    pub(crate) id: String,
    /// Display name.
    pub(crate) name: String,
    /// `HS256`, `RS256` or `ES256`.
    pub(crate) jwt_algorithm: String,
    /// Lifetime of the tokens it issues, in seconds.
    pub(crate) token_lifetime_seconds: u32,
    /// `open`, `login-only` or `match-verified-phone`.
    pub(crate) registration_policy: String,
    /// When it was made.
    pub(crate) created_at: String,
    /// When its settings last changed.
    pub(crate) updated_at: String,
}

impl From<&Pool> for PoolView {
    fn from(pool: &Pool) -> Self {
        Self {
            id: pool.id.to_string(),
            name: pool.name.as_str().to_owned(),
            jwt_algorithm: pool.jwt_algorithm.as_str().to_owned(),
            token_lifetime_seconds: pool.token_lifetime.seconds(),
            registration_policy: pool.registration_policy.as_str().to_owned(),
            created_at: iso(pool.created_at),
            updated_at: iso(pool.updated_at),
        }
    }
}

/// The pools an operator administers.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PoolList {
    /// Oldest first.
    pub(crate) pools: Vec<PoolView>,
}

/// A new pool and its secret.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CreatedPoolView {
    /// The pool.
    pub(crate) pool: PoolView,
    /// The pool secret (`X-Pool-Secret`), shown this once: keep it now.
    pub(crate) secret: String,
}

/// A new pool secret.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PoolSecretView {
    /// The pool secret, shown this once; the previous one stops working (within 5 s on every replica).
    pub(crate) secret: String,
}

/// A signing key, without its secret part.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct KeyView {
    /// Key id: the `kid` of the tokens it signs and of its JWKS entry.
    pub(crate) kid: String,
    /// The algorithm it signs with.
    pub(crate) algorithm: String,
    /// `active` (signs new tokens), `previous` (still verifies) or `retired`.
    pub(crate) state: String,
    /// When it was made.
    pub(crate) created_at: String,
    /// When it was retired, if it was.
    pub(crate) retired_at: Option<String>,
}

impl From<&PoolSigningKey> for KeyView {
    fn from(key: &PoolSigningKey) -> Self {
        Self {
            kid: key.kid.clone(),
            algorithm: key.algorithm.as_str().to_owned(),
            state: key.state.as_str().to_owned(),
            created_at: iso(key.created_at),
            retired_at: key.retired_at.map(iso),
        }
    }
}

/// A pool's signing keys.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct KeyList {
    /// The active key first, then the previous and retired ones, newest first.
    pub(crate) keys: Vec<KeyView>,
}

/// A page of users.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserPage {
    /// Newest first.
    pub(crate) users: Vec<UserView>,
    /// Give it as `cursor` for the next page; `null` on the last page.
    pub(crate) next_cursor: Option<String>,
}

/// A WeChat identity of a user.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct IdentityView {
    /// The mini program's AppID.
    pub(crate) appid: String,
    /// The user's openid in it.
    pub(crate) openid: String,
    /// The unionid, when the mini program is bound to an open platform account.
    pub(crate) unionid: Option<String>,
    /// When it was linked.
    pub(crate) created_at: String,
}

impl From<&WechatIdentity> for IdentityView {
    fn from(identity: &WechatIdentity) -> Self {
        Self {
            appid: identity.appid.as_str().to_owned(),
            openid: identity.openid.clone(),
            unionid: identity.unionid.clone(),
            created_at: iso(identity.created_at),
        }
    }
}

/// A user's whole record.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct UserDetailView {
    /// The user object.
    pub(crate) user: UserView,
    /// Their WeChat identities, oldest first.
    pub(crate) identities: Vec<IdentityView>,
    /// Their metadata.
    pub(crate) metadata: std::collections::BTreeMap<String, String>,
    /// The latest audit events about them, newest first.
    pub(crate) recent_events: Vec<AuditEventView>,
}

/// A user's metadata after a change.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MetadataView {
    /// Every key the user has now, with its value.
    pub(crate) metadata: std::collections::BTreeMap<String, String>,
}

impl From<Vec<(String, String)>> for MetadataView {
    fn from(pairs: Vec<(String, String)>) -> Self {
        Self {
            metadata: pairs.into_iter().collect(),
        }
    }
}

impl From<UserDetail> for UserDetailView {
    fn from(detail: UserDetail) -> Self {
        Self {
            user: UserView::new(&detail.user, None),
            identities: detail.identities.iter().map(IdentityView::from).collect(),
            metadata: detail.metadata.into_iter().collect(),
            recent_events: detail
                .recent_events
                .iter()
                .map(AuditEventView::from)
                .collect(),
        }
    }
}

/// An audit event.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuditEventView {
    /// Its number; later events have higher numbers.
    pub(crate) id: i64,
    /// When it happened.
    pub(crate) at: String,
    /// Who did it: `cli` or `token:<id>`.
    pub(crate) actor: String,
    /// What happened, e.g. `pool.update`, `user.block`.
    pub(crate) kind: String,
    /// The pool it concerns.
    pub(crate) pool_id: Option<String>,
    /// The user it concerns.
    pub(crate) user_id: Option<String>,
    /// The documented error code when it failed; `null` when it succeeded.
    pub(crate) code: Option<u32>,
    /// The client address.
    pub(crate) ip: Option<String>,
    /// The client's user agent.
    pub(crate) user_agent: Option<String>,
    /// What changed (`before`, `after`), never a secret.
    #[schema(value_type = Option<Object>)]
    pub(crate) detail: Option<serde_json::Value>,
}

impl From<&AuditEvent> for AuditEventView {
    fn from(recorded: &AuditEvent) -> Self {
        let event = &recorded.event;
        Self {
            id: recorded.id,
            at: iso(event.at),
            actor: event.actor.clone(),
            kind: event.kind.clone(),
            pool_id: event.pool_id.as_ref().map(ToString::to_string),
            user_id: event.user_id.as_ref().map(ToString::to_string),
            code: event.code,
            ip: event.ip.clone(),
            user_agent: event.user_agent.clone(),
            detail: event.detail.clone(),
        }
    }
}

/// A page of audit events.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuditPage {
    /// Newest first.
    pub(crate) events: Vec<AuditEventView>,
    /// Give it as `cursor` for the next page; `null` on the last page.
    pub(crate) next_cursor: Option<String>,
}

/// An admin API token, without its secret.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenView {
    /// Its id, for revoking.
    pub(crate) id: String,
    /// What it is for.
    pub(crate) name: String,
    /// The pools it administers; `null` for the whole deployment (an owner's token).
    pub(crate) pools: Option<Vec<String>>,
    /// Whether it may change things.
    pub(crate) write: bool,
    /// When it was made.
    pub(crate) created_at: String,
    /// When it stops working.
    pub(crate) expires_at: String,
    /// When it was revoked, if it was.
    pub(crate) revoked_at: Option<String>,
}

impl From<&AdminToken> for TokenView {
    fn from(token: &AdminToken) -> Self {
        Self {
            id: token.id.to_string(),
            name: token.name.clone(),
            pools: scope_pools(&token.scope),
            write: token.write,
            created_at: iso(token.created_at),
            expires_at: iso(token.expires_at),
            revoked_at: token.revoked_at.map(iso),
        }
    }
}

/// The pools of a scope; `None` for the whole deployment.
pub(crate) fn scope_pools(scope: &AdminScope) -> Option<Vec<String>> {
    match scope {
        AdminScope::Deployment => None,
        AdminScope::Pools(pools) => Some(pools.iter().map(ToString::to_string).collect()),
    }
}

/// Admin tokens.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TokenList {
    /// Newest first, revoked and expired ones included.
    pub(crate) tokens: Vec<TokenView>,
}

/// A new admin token and its secret.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CreatedTokenView {
    /// The token.
    pub(crate) token: TokenView,
    /// Its secret, for `Authorization: Bearer …`, shown this once: keep it now.
    pub(crate) secret: String,
}

/// Who the caller is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct WhoAmI {
    /// How the audit log names the caller: `token:<id>` or `operator:<name>`.
    pub(crate) actor: String,
    /// The pools the caller administers; `null` for the whole deployment.
    pub(crate) pools: Option<Vec<String>>,
    /// Whether the caller may change things.
    pub(crate) write: bool,
    /// The operator account, when the caller signed in as one (absent for admin tokens).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) operator: Option<OperatorView>,
    /// The session's CSRF token, to send in `X-CSRF-Token` with every change (sessions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) csrf_token: Option<String>,
    /// How many unused recovery codes the operator has (sessions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) recovery_codes_left: Option<u32>,
}
