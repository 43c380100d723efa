-- A pool's applications: the OpenID Connect clients of the pool as issuer. A confidential client's secret is kept
-- only as its SHA-256 hash (shown once when made or rotated); a public client has none. The lists are stored as
-- text, space-separated, as OAuth writes scopes: redirect URIs may hold commas but never spaces (they are refused).
-- Redirect URIs are kept exactly as registered, for exact matching. The token lifetimes are in seconds.
CREATE TABLE oidc_clients (
    client_id                 TEXT PRIMARY KEY NOT NULL, -- random, base64url
    pool_id                   TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    name                      TEXT NOT NULL,
    logo_uri                  TEXT,
    kind                      TEXT NOT NULL,             -- confidential | public
    secret_hash               BYTEA,                     -- NULL for a public client
    redirect_uris             TEXT NOT NULL,
    post_logout_redirect_uris TEXT NOT NULL,
    grant_types               TEXT NOT NULL,
    scopes                    TEXT NOT NULL,
    access_token_seconds      BIGINT NOT NULL,
    refresh_token_seconds     BIGINT NOT NULL,          -- absolute: from the login, not extended by rotation
    id_token_seconds          BIGINT NOT NULL,
    first_party               BOOLEAN NOT NULL DEFAULT FALSE, -- no consent screen
    backchannel_logout_uri    TEXT,
    created_at                TIMESTAMPTZ NOT NULL,
    updated_at                TIMESTAMPTZ NOT NULL
);
CREATE INDEX oidc_clients_pool ON oidc_clients (pool_id, created_at);
