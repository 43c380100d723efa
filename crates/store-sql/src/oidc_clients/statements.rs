//! Statements of the `oidc_clients` table.

use denglu_domain::{ClientId, HttpsUrl, OidcClient, PoolId};

use crate::{
    Statement,
    oidc_clients::rows::{OIDC_CLIENT_COLUMNS, joined},
};

pub(crate) fn of_pool(pool: &PoolId) -> Statement {
    Statement::new(format!(
        "SELECT {OIDC_CLIENT_COLUMNS} FROM oidc_clients WHERE pool_id = $1 ORDER BY created_at, client_id"
    ))
    .bind(pool.as_str())
}

pub(crate) fn by_id(pool: &PoolId, id: &ClientId) -> Statement {
    Statement::new(format!(
        "SELECT {OIDC_CLIENT_COLUMNS} FROM oidc_clients WHERE pool_id = $1 AND client_id = $2"
    ))
    .bind(pool.as_str())
    .bind(id.as_str())
}

/// Binds every column but the kind and the creation time, from `$3` on, after the pool (`$1`) and id (`$2`).
fn bind_fields(statement: Statement, client: &OidcClient) -> Statement {
    statement
        .bind(client.pool_id.as_str())
        .bind(client.client_id.as_str())
        .bind(client.name.as_str())
        .bind(client.logo_uri.as_ref().map(HttpsUrl::as_str))
        .bind(client.secret_hash.as_ref().map(|h| &h.as_bytes()[..]))
        .bind(joined(client.redirect_uris.iter().map(|u| u.as_str())).as_str())
        .bind(joined(client.post_logout_redirect_uris.iter().map(|u| u.as_str())).as_str())
        .bind(joined(client.grant_types.iter().map(|g| g.as_str())).as_str())
        .bind(joined(client.scopes.iter().map(|s| s.as_str())).as_str())
        .bind(i64::from(client.access_token_lifetime.seconds()))
        .bind(i64::from(client.refresh_token_lifetime.seconds()))
        .bind(i64::from(client.id_token_lifetime.seconds()))
        .bind(client.first_party)
        .bind(client.backchannel_logout_uri.as_ref().map(HttpsUrl::as_str))
        .bind(client.updated_at)
}

pub(crate) fn insert(client: &OidcClient) -> Statement {
    let statement = Statement::new(
        "INSERT INTO oidc_clients (pool_id, client_id, name, logo_uri, secret_hash, redirect_uris, \
         post_logout_redirect_uris, grant_types, scopes, access_token_seconds, refresh_token_seconds, \
         id_token_seconds, first_party, backchannel_logout_uri, updated_at, kind, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    );
    bind_fields(statement, client)
        .bind(client.kind.as_str())
        .bind(client.created_at)
}

pub(crate) fn update(client: &OidcClient) -> Statement {
    let statement = Statement::new(
        "UPDATE oidc_clients SET name = $3, logo_uri = $4, secret_hash = $5, redirect_uris = $6, \
         post_logout_redirect_uris = $7, grant_types = $8, scopes = $9, access_token_seconds = $10, \
         refresh_token_seconds = $11, id_token_seconds = $12, first_party = $13, backchannel_logout_uri = $14, \
         updated_at = $15 WHERE pool_id = $1 AND client_id = $2",
    );
    bind_fields(statement, client)
}

pub(crate) fn delete(pool: &PoolId, id: &ClientId) -> Statement {
    Statement::new("DELETE FROM oidc_clients WHERE pool_id = $1 AND client_id = $2")
        .bind(pool.as_str())
        .bind(id.as_str())
}
