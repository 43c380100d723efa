//! Statements of the operator tables: accounts, recovery codes, sessions.

use chrono::{DateTime, Utc};
use denglu_domain::{
    OperatorAccount, OperatorId, OperatorName, OperatorSession, PasswordHash, Sealed, SecretHash,
    SetupLink,
};
use denglu_store::CompletedSetup;

use crate::{
    Statement,
    admin::rows::scope_column,
    operators::rows::{OPERATOR_COLUMNS, OPERATOR_SESSION_COLUMNS},
};

pub(crate) fn insert_operator(operator: &OperatorAccount) -> Statement {
    Statement::new(
        "INSERT INTO operators (id, name, pools, password_hash, totp, pending_totp, totp_last_step, setup_hash, \
         setup_expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(operator.id.as_str())
    .bind(operator.name.as_str())
    .bind(scope_column(&operator.scope))
    .bind(operator.password_hash.as_ref().map(PasswordHash::as_phc))
    .bind(operator.totp.as_ref().map(Sealed::as_bytes))
    .bind(operator.pending_totp.as_ref().map(Sealed::as_bytes))
    .bind(operator.totp_last_step)
    .bind(operator.setup.as_ref().map(|link| link.hash.as_bytes().as_slice()))
    .bind(operator.setup.as_ref().map(|link| link.expires_at))
    .bind(operator.created_at)
}

pub(crate) fn operators() -> Statement {
    Statement::new(format!(
        "SELECT {OPERATOR_COLUMNS} FROM operators ORDER BY created_at, id"
    ))
}

pub(crate) fn operator(id: &OperatorId) -> Statement {
    Statement::new(format!(
        "SELECT {OPERATOR_COLUMNS} FROM operators WHERE id = $1"
    ))
    .bind(id.as_str())
}

pub(crate) fn operator_by_name(name: &OperatorName) -> Statement {
    Statement::new(format!(
        "SELECT {OPERATOR_COLUMNS} FROM operators WHERE name = $1"
    ))
    .bind(name.as_str())
}

pub(crate) fn operator_by_setup(link: &SecretHash) -> Statement {
    Statement::new(format!(
        "SELECT {OPERATOR_COLUMNS} FROM operators WHERE setup_hash = $1"
    ))
    .bind(link.as_bytes().as_slice())
}

pub(crate) fn offer_totp(id: &OperatorId, link: &SecretHash, totp: &Sealed) -> Statement {
    Statement::new("UPDATE operators SET pending_totp = $3 WHERE id = $1 AND setup_hash = $2")
        .bind(id.as_str())
        .bind(link.as_bytes().as_slice())
        .bind(totp.as_bytes())
}

/// Completing a setup: the account's update, guarded by the setup link, then the recovery codes, written only when
/// the account now has this setup's password hash (which is salted, so no other setup has it); a concurrent second
/// completion of the same link thus writes nothing.
pub(crate) fn complete_setup(id: &OperatorId, setup: &CompletedSetup<'_>) -> Vec<Statement> {
    let this_setup = "EXISTS (SELECT 1 FROM operators WHERE id = $1 AND password_hash = $2)";
    let mut statements = vec![
        Statement::new(
            "UPDATE operators SET password_hash = $3, totp = $4, pending_totp = NULL, totp_last_step = $5, \
             setup_hash = NULL, setup_expires_at = NULL WHERE id = $1 AND setup_hash = $2",
        )
        .bind(id.as_str())
        .bind(setup.link.as_bytes().as_slice())
        .bind(setup.password_hash.as_phc())
        .bind(setup.totp.as_bytes())
        .bind(setup.totp_step),
        Statement::new(format!(
            "DELETE FROM operator_recovery_codes WHERE operator_id = $1 AND {this_setup}"
        ))
        .bind(id.as_str())
        .bind(setup.password_hash.as_phc()),
    ];
    statements.extend(setup.recovery_codes.iter().map(|code| {
        Statement::new(format!(
            "INSERT INTO operator_recovery_codes (operator_id, code_hash) SELECT $1, $3 WHERE {this_setup}"
        ))
        .bind(id.as_str())
        .bind(setup.password_hash.as_phc())
        .bind(code.as_bytes().as_slice())
    }));
    statements
}

pub(crate) fn reset_operator(id: &OperatorId, link: &SetupLink) -> Vec<Statement> {
    vec![
        Statement::new(
            "UPDATE operators SET password_hash = NULL, totp = NULL, pending_totp = NULL, setup_hash = $2, \
             setup_expires_at = $3 WHERE id = $1",
        )
        .bind(id.as_str())
        .bind(link.hash.as_bytes().as_slice())
        .bind(link.expires_at),
        Statement::new("DELETE FROM operator_recovery_codes WHERE operator_id = $1").bind(id.as_str()),
        Statement::new("DELETE FROM operator_sessions WHERE operator_id = $1").bind(id.as_str()),
    ]
}

pub(crate) fn use_totp_step(id: &OperatorId, step: i64) -> Statement {
    Statement::new("UPDATE operators SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2")
        .bind(id.as_str())
        .bind(step)
}

pub(crate) fn use_recovery_code(id: &OperatorId, code: &SecretHash) -> Statement {
    Statement::new("DELETE FROM operator_recovery_codes WHERE operator_id = $1 AND code_hash = $2")
        .bind(id.as_str())
        .bind(code.as_bytes().as_slice())
}

pub(crate) fn recovery_codes_left(id: &OperatorId) -> Statement {
    Statement::new("SELECT COUNT(*) AS count FROM operator_recovery_codes WHERE operator_id = $1")
        .bind(id.as_str())
}

pub(crate) fn delete_operator(id: &OperatorId) -> Statement {
    Statement::new("DELETE FROM operators WHERE id = $1").bind(id.as_str())
}

pub(crate) fn insert_session(session: &OperatorSession) -> Statement {
    Statement::new(
        "INSERT INTO operator_sessions (id_hash, operator_id, csrf_token, created_at, last_seen_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(session.id_hash.as_bytes().as_slice())
    .bind(session.operator_id.as_str())
    .bind(session.csrf_token.as_str())
    .bind(session.created_at)
    .bind(session.last_seen_at)
    .bind(session.expires_at)
}

pub(crate) fn session(id_hash: &SecretHash) -> Statement {
    Statement::new(format!(
        "SELECT {OPERATOR_SESSION_COLUMNS} FROM operator_sessions WHERE id_hash = $1"
    ))
    .bind(id_hash.as_bytes().as_slice())
}

pub(crate) fn touch_session(id_hash: &SecretHash, at: DateTime<Utc>) -> Statement {
    Statement::new("UPDATE operator_sessions SET last_seen_at = $2 WHERE id_hash = $1")
        .bind(id_hash.as_bytes().as_slice())
        .bind(at)
}

pub(crate) fn delete_session(id_hash: &SecretHash) -> Statement {
    Statement::new("DELETE FROM operator_sessions WHERE id_hash = $1")
        .bind(id_hash.as_bytes().as_slice())
}
