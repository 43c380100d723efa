-- Administration. Admin API tokens: the secret is kept only as its SHA-256 hash (shown once when made); `pools` is
-- NULL for a token of the whole deployment (an owner's), else the ids of the pools it administers, comma-separated.
CREATE TABLE admin_tokens (
    id          TEXT PRIMARY KEY NOT NULL, -- 24 hex characters
    name        TEXT NOT NULL,
    secret_hash BYTEA NOT NULL UNIQUE,
    pools       TEXT,
    can_write   BOOLEAN NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);

-- The audit log: every admin change. Pool and user are plain ids, not references: the log outlives what it
-- names (a deleted pool's events stay until the retention deletes them). `code` is NULL for a success.
CREATE TABLE audit_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    pool_id    TEXT,
    user_id    TEXT,
    code       BIGINT,
    ip         TEXT,
    user_agent TEXT,
    detail     TEXT -- JSON
);
CREATE INDEX audit_events_pool ON audit_events (pool_id, id);
CREATE INDEX audit_events_user ON audit_events (user_id, id);
CREATE INDEX audit_events_at ON audit_events (at);
