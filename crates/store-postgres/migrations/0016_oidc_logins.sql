-- What OpenID Connect logins leave behind. An IdP session is a browser's login at a pool's hosted login page (its
-- cookie kept only as a SHA-256 hash); a grant is what one client was given once, and every token issued from it
-- dies with it (revoked_at). A grant keeps its session's sid without a foreign key: the session ends (its row goes)
-- while the revoked grant stays until it expires. Authorization codes and refresh tokens are kept only as SHA-256
-- hashes, marked used once (a second use revokes the grant); they go with their grant. Scopes are stored as OAuth
-- writes them, space-separated. Deleting a pool, a user or an application takes its rows with it.
CREATE TABLE oidc_sessions (
    sid         TEXT PRIMARY KEY NOT NULL, -- random, public (`sid` claim)
    pool_id     TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    cookie_hash BYTEA NOT NULL UNIQUE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method      TEXT NOT NULL,             -- wechat_qr | pwd
    auth_time   TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX oidc_sessions_expiry ON oidc_sessions (expires_at);
CREATE INDEX oidc_sessions_user ON oidc_sessions (user_id);

CREATE TABLE oidc_grants (
    id         TEXT PRIMARY KEY NOT NULL, -- random (`gid` claim)
    pool_id    TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id  TEXT NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
    user_id    TEXT REFERENCES users (id) ON DELETE CASCADE, -- NULL for client_credentials
    scopes     TEXT NOT NULL,
    sid        TEXT,                      -- the IdP session it came from, if any
    method     TEXT,
    auth_time  TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,      -- absolute end of its refresh tokens
    revoked_at TIMESTAMPTZ
);
CREATE INDEX oidc_grants_session ON oidc_grants (pool_id, sid);
CREATE INDEX oidc_grants_expiry ON oidc_grants (expires_at);
CREATE INDEX oidc_grants_client ON oidc_grants (client_id);
CREATE INDEX oidc_grants_user ON oidc_grants (user_id);

CREATE TABLE oidc_codes (
    code_hash      BYTEA PRIMARY KEY NOT NULL,
    grant_id       TEXT NOT NULL REFERENCES oidc_grants (id) ON DELETE CASCADE,
    pool_id        TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    redirect_uri   TEXT NOT NULL,
    code_challenge TEXT,                  -- PKCE S256
    nonce          TEXT,
    expires_at     TIMESTAMPTZ NOT NULL,
    used_at        TIMESTAMPTZ
);
CREATE INDEX oidc_codes_expiry ON oidc_codes (expires_at);
CREATE INDEX oidc_codes_grant ON oidc_codes (grant_id);

CREATE TABLE oidc_refresh_tokens (
    token_hash BYTEA PRIMARY KEY NOT NULL,
    grant_id   TEXT NOT NULL REFERENCES oidc_grants (id) ON DELETE CASCADE,
    pool_id    TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ                -- rotated: a second use revokes the grant
);
CREATE INDEX oidc_refresh_tokens_grant ON oidc_refresh_tokens (grant_id);

CREATE TABLE oidc_consents (
    pool_id    TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  TEXT NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
    scopes     TEXT NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (pool_id, user_id, client_id)
);
CREATE INDEX oidc_consents_client ON oidc_consents (client_id);
