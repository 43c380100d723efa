//! Statements of the operator area: admin tokens, audit events, pool changes, user search and erasure.

use chrono::{DateTime, Utc};
use denglu_domain::{
    AdminToken, AdminTokenId, AuditFilter, AuditResult, NewAuditEvent, Pool, PoolId, SecretHash,
    UserFilter, UserId, UserMatch,
};

use crate::{
    Param, Statement,
    admin::rows::{
        ADMIN_TOKEN_COLUMNS, AUDIT_EVENT_COLUMNS, WECHAT_IDENTITY_COLUMNS, scope_column,
    },
    rows::USER_COLUMNS,
};

impl Statement {
    /// Appends `value` as the next parameter and returns its placeholder (`$n`), for statements built clause by
    /// clause.
    fn param(&mut self, value: impl Into<Param>) -> String {
        self.params.push(value.into());
        format!("${}", self.params.len())
    }
}

pub(crate) fn insert_token(token: &AdminToken) -> Statement {
    Statement::new(
        "INSERT INTO admin_tokens (id, name, secret_hash, pools, can_write, created_at, expires_at, revoked_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(token.id.as_str())
    .bind(token.name.as_str())
    .bind(token.secret_hash.as_bytes().as_slice())
    .bind(scope_column(&token.scope))
    .bind(token.write)
    .bind(token.created_at)
    .bind(token.expires_at)
    .bind(token.revoked_at)
}

pub(crate) fn token_by_hash(hash: &SecretHash) -> Statement {
    Statement::new(format!(
        "SELECT {ADMIN_TOKEN_COLUMNS} FROM admin_tokens WHERE secret_hash = $1"
    ))
    .bind(hash.as_bytes().as_slice())
}

pub(crate) fn tokens() -> Statement {
    Statement::new(format!(
        "SELECT {ADMIN_TOKEN_COLUMNS} FROM admin_tokens ORDER BY created_at DESC, id DESC"
    ))
}

pub(crate) fn revoke_token(id: &AdminTokenId, at: DateTime<Utc>) -> Statement {
    Statement::new("UPDATE admin_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(at)
        .bind(id.as_str())
}

pub(crate) fn insert_audit(event: &NewAuditEvent) -> Statement {
    Statement::new(
        "INSERT INTO audit_events (at, actor, kind, pool_id, user_id, code, ip, user_agent, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(event.at)
    .bind(event.actor.as_str())
    .bind(event.kind.as_str())
    .bind(event.pool_id.as_ref().map(PoolId::as_str))
    .bind(event.user_id.as_ref().map(UserId::as_str))
    .bind(event.code.map(i64::from))
    .bind(event.ip.as_deref())
    .bind(event.user_agent.as_deref())
    .bind(event.detail.as_ref().map(ToString::to_string))
}

pub(crate) fn audit_events(filter: &AuditFilter) -> Statement {
    let mut statement = Statement::new(String::new());
    let mut clauses = Vec::new();
    if let Some(pools) = &filter.pools {
        if pools.is_empty() {
            clauses.push("1 = 0".to_owned());
        } else {
            let list: Vec<String> = pools.iter().map(|p| statement.param(p.as_str())).collect();
            clauses.push(format!("pool_id IN ({})", list.join(", ")));
        }
    }
    if let Some(user) = &filter.user {
        clauses.push(format!("user_id = {}", statement.param(user.as_str())));
    }
    if let Some(actor) = &filter.actor {
        clauses.push(format!("actor = {}", statement.param(actor.as_str())));
    }
    if let Some(kind) = &filter.kind {
        let exact = statement.param(kind.as_str());
        let under = statement.param(format!("{}.%", escape_like(kind)).as_str());
        clauses.push(format!("(kind = {exact} OR kind LIKE {under} ESCAPE '\\')"));
    }
    match filter.result {
        Some(AuditResult::Ok) => clauses.push("code IS NULL".to_owned()),
        Some(AuditResult::Failed) => clauses.push("code IS NOT NULL".to_owned()),
        None => {}
    }
    if let Some(since) = filter.since {
        clauses.push(format!("at >= {}", statement.param(since)));
    }
    if let Some(until) = filter.until {
        clauses.push(format!("at < {}", statement.param(until)));
    }
    if let Some(before) = filter.before_id {
        clauses.push(format!("id < {}", statement.param(before)));
    }
    let limit = statement.param(i64::from(filter.limit));
    statement.sql = format!(
        "SELECT {AUDIT_EVENT_COLUMNS} FROM audit_events{} ORDER BY id DESC LIMIT {limit}",
        where_clause(&clauses)
    );
    statement
}

pub(crate) fn purge_audit(before: DateTime<Utc>, batch: u32, skip_locked: &str) -> Statement {
    Statement::new(format!(
        "DELETE FROM audit_events WHERE id IN \
         (SELECT id FROM audit_events WHERE at < $1 ORDER BY id LIMIT $2 {skip_locked})"
    ))
    .bind(before)
    .bind(i64::from(batch))
}

pub(crate) fn update_pool(pool: &Pool) -> Statement {
    Statement::new(
        "UPDATE pools SET name = $1, jwt_algorithm = $2, token_lifetime_seconds = $3, registration_policy = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(pool.name.as_str())
    .bind(pool.jwt_algorithm.as_str())
    .bind(i64::from(pool.token_lifetime.seconds()))
    .bind(pool.registration_policy.as_str())
    .bind(pool.updated_at)
    .bind(pool.id.as_str())
}

/// Deletes the pool's OpenID Connect signing key (the deployment key `oidc:<pool>`, if it has one), then the pool;
/// the schema's cascades take everything else of it. The second count tells whether there was a pool.
pub(crate) fn delete_pool(id: &PoolId) -> [Statement; 2] {
    [
        Statement::new("DELETE FROM server_keys WHERE name = $1")
            .bind(format!("oidc:{id}").as_str()),
        Statement::new("DELETE FROM pools WHERE id = $1").bind(id.as_str()),
    ]
}

pub(crate) fn search_users(pool: &PoolId, filter: &UserFilter) -> Statement {
    let mut statement = Statement::new(String::new());
    let pool_param = statement.param(pool.as_str());
    let mut clauses = vec![format!("pool_id = {pool_param}")];
    if let Some(term) = filter.term.as_deref() {
        let (op, folded, raw) = match filter.matching {
            UserMatch::Exact => ("=", term.to_lowercase(), term.to_owned()),
            UserMatch::Prefix => (
                "LIKE",
                format!("{}%", escape_like(&term.to_lowercase())),
                format!("{}%", escape_like(term)),
            ),
        };
        let escape = if op == "LIKE" { " ESCAPE '\\'" } else { "" };
        let folded = statement.param(folded.as_str());
        let raw = statement.param(raw.as_str());
        clauses.push(format!(
            "(username_normalized {op} {folded}{escape} OR email {op} {folded}{escape} \
             OR LOWER(nickname) {op} {folded}{escape} OR phone {op} {raw}{escape} OR openid {op} {raw}{escape} \
             OR unionid {op} {raw}{escape} OR id IN (SELECT user_id FROM wechat_identities \
             WHERE pool_id = {pool_param} AND (openid {op} {raw}{escape} OR unionid {op} {raw}{escape})))"
        ));
    }
    if let Some(blocked) = filter.blocked {
        clauses.push(format!("blocked = {}", statement.param(blocked)));
    }
    if let Some(method) = filter.register_method {
        clauses.push(format!(
            "register_method = {}",
            statement.param(method.as_str())
        ));
    }
    if let Some(after) = filter.created_after {
        clauses.push(format!("signed_up >= {}", statement.param(after)));
    }
    if let Some(before) = filter.created_before {
        clauses.push(format!("signed_up < {}", statement.param(before)));
    }
    if let Some(before) = &filter.before_id {
        clauses.push(format!("id < {}", statement.param(before.as_str())));
    }
    let limit = statement.param(i64::from(filter.limit));
    statement.sql = format!(
        "SELECT {USER_COLUMNS} FROM users{} ORDER BY id DESC LIMIT {limit}",
        where_clause(&clauses)
    );
    statement
}

pub(crate) fn wechat_identities(pool: &PoolId, user: &UserId) -> Statement {
    Statement::new(format!(
        "SELECT {WECHAT_IDENTITY_COLUMNS} FROM wechat_identities WHERE pool_id = $1 AND user_id = $2 \
         ORDER BY created_at, appid"
    ))
    .bind(pool.as_str())
    .bind(user.as_str())
}

/// Deletes the phones WeChat verified for the user's identities (they are kept per identity, not per user).
pub(crate) fn delete_verified_phones(pool: &PoolId, user: &UserId) -> Statement {
    Statement::new(
        "DELETE FROM verified_phones WHERE pool_id = $1 AND EXISTS (SELECT 1 FROM wechat_identities w \
         WHERE w.pool_id = verified_phones.pool_id AND w.appid = verified_phones.appid \
         AND w.openid = verified_phones.openid AND w.user_id = $2)",
    )
    .bind(pool.as_str())
    .bind(user.as_str())
}

/// Deletes the user; the schema's cascades take their identities, metadata, avatars, tickets and QR sessions.
pub(crate) fn delete_user(pool: &PoolId, user: &UserId) -> Statement {
    Statement::new("DELETE FROM users WHERE pool_id = $1 AND id = $2")
        .bind(pool.as_str())
        .bind(user.as_str())
}

fn where_clause(clauses: &[String]) -> String {
    if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    }
}

/// `text` with LIKE's wildcards and the escape character escaped (`ESCAPE '\'`).
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
