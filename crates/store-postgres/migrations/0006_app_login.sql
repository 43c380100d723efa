-- App-launched login (flow B, app2wxapp).

-- A pool's ticket rules; a pool without a row uses the defaults (120 s, the exchange needs the pool secret, PKCE
-- optional).
CREATE TABLE app_login_settings (
    pool_id                 TEXT PRIMARY KEY REFERENCES pools (id) ON DELETE CASCADE,
    require_pkce            BOOLEAN NOT NULL,
    ticket_lifetime_seconds BIGINT NOT NULL,
    require_secret          BOOLEAN NOT NULL,
    updated_at              TIMESTAMPTZ NOT NULL
);

-- One-time tickets. Only the SHA-256 of a ticket is kept; used_at is set by the one exchange that wins (a
-- conditional UPDATE), so concurrent exchanges of one ticket cannot both succeed.
CREATE TABLE app_tickets (
    ticket_hash    BYTEA PRIMARY KEY,
    pool_id        TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    user_id        TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_challenge TEXT,              -- BASE64URL(SHA-256(verifier)) when the app bound the ticket (PKCE)
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    used_at        TIMESTAMPTZ
);
CREATE INDEX app_tickets_expires_at ON app_tickets (expires_at);
