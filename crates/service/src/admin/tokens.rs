//! Admin API tokens: made by an owner for automation (named, scoped to pools and to reading or writing, expiring),
//! shown once, kept hashed, revocable; and checking the one a request presents.

use chrono::TimeDelta;
use denglu_crypto::{hash_secret, random_token};
use denglu_domain::{AdminScope, AdminToken, AdminTokenId};
use serde_json::json;

use crate::{
    Core, ErrorCode, ServiceError, ServiceResult,
    admin::{Admin, scope_detail},
};

/// What every admin token's secret starts with, so that one pasted somewhere is recognisable.
const SECRET_PREFIX: &str = "dgl_admin_";
/// The longest lifetime a token may have.
const MAX_LIFETIME_DAYS: u32 = 3650;

/// What a new admin token may do.
#[derive(Debug, Clone)]
pub struct NewAdminToken {
    /// What it is for: 1 to 64 characters.
    pub name: String,
    /// The pools it administers.
    pub scope: AdminScope,
    /// Whether it may change things.
    pub write: bool,
    /// How long it works, in days: 1 to 3650.
    pub lifetime_days: u32,
}

/// A new admin token and its secret, shown this once.
#[derive(Debug)]
pub struct CreatedAdminToken {
    /// The token.
    pub token: AdminToken,
    /// Its secret, for `Authorization: Bearer …`.
    pub secret: String,
}

impl Core {
    /// The live admin token whose secret is `secret`: 4501 without one, 4502 when it is unknown, expired or revoked.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn authenticate_admin(&self, secret: Option<&str>) -> ServiceResult<AdminToken> {
        let secret = secret
            .filter(|s| !s.is_empty())
            .ok_or(ServiceError::Refused(ErrorCode::AdminTokenMissing))?;
        let token = self
            .store
            .admin()
            .admin_token_by_hash(&hash_secret(secret))
            .await?
            .filter(|token| token.is_live(self.clock.now()))
            .ok_or(ServiceError::Refused(ErrorCode::AdminTokenInvalid))?;
        Ok(token)
    }
}

impl Admin<'_> {
    /// Makes an admin token (owners only). Its pools must exist.
    #[tracing::instrument(skip_all)]
    pub async fn create_token(&self, new: NewAdminToken) -> ServiceResult<CreatedAdminToken> {
        self.operator.owner()?;
        self.operator.writer()?;
        let name = new.name.trim();
        if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
            return Err(ServiceError::Rejected(
                "a token name has 1 to 64 characters and no control characters".to_owned(),
            ));
        }
        if !(1..=MAX_LIFETIME_DAYS).contains(&new.lifetime_days) {
            return Err(ServiceError::Rejected(format!(
                "a token lives 1 to {MAX_LIFETIME_DAYS} days"
            )));
        }
        if let AdminScope::Pools(pools) = &new.scope {
            if pools.is_empty() {
                return Err(ServiceError::Rejected(
                    "name at least one pool, or make a token of the whole deployment".to_owned(),
                ));
            }
            for pool in pools {
                self.pool(pool).await?;
            }
        }
        let now = self.clock.now();
        let secret = format!("{SECRET_PREFIX}{}", random_token(32));
        let token = AdminToken {
            id: AdminTokenId::generate(now),
            name: name.to_owned(),
            secret_hash: hash_secret(&secret),
            scope: new.scope,
            write: new.write,
            created_at: now,
            expires_at: now + TimeDelta::days(i64::from(new.lifetime_days)),
            revoked_at: None,
        };
        self.store.admin().insert_admin_token(&token).await?;
        let detail = json!({ "after": token_summary(&token) });
        self.record("admin_token.create", None, None, Some(detail))
            .await;
        tracing::info!(token_id = %token.id, "admin token created");
        Ok(CreatedAdminToken { token, secret })
    }

    /// Every admin token, newest first (owners only).
    #[tracing::instrument(skip_all)]
    pub async fn tokens(&self) -> ServiceResult<Vec<AdminToken>> {
        self.operator.owner()?;
        Ok(self.store.admin().admin_tokens().await?)
    }

    /// Revokes an admin token at once (owners only). 1002 when there is no such live token.
    #[tracing::instrument(skip_all, fields(token_id = %id))]
    pub async fn revoke_token(&self, id: &AdminTokenId) -> ServiceResult<()> {
        self.operator.owner()?;
        self.operator.writer()?;
        let revoked = self
            .store
            .admin()
            .revoke_admin_token(id, self.clock.now())
            .await?;
        if !revoked {
            return Err(ServiceError::Rejected(
                "there is no admin token with this id that is not revoked already".to_owned(),
            ));
        }
        self.record(
            "admin_token.revoke",
            None,
            None,
            Some(json!({ "tokenId": id.as_str() })),
        )
        .await;
        tracing::info!(token_id = %id, "admin token revoked");
        Ok(())
    }
}

/// A token as the audit log shows it: never its secret or hash.
fn token_summary(token: &AdminToken) -> serde_json::Value {
    json!({
        "id": token.id.as_str(),
        "name": token.name,
        "pools": scope_detail(&token.scope),
        "write": token.write,
        "expiresAt": token.expires_at.to_rfc3339(),
    })
}
