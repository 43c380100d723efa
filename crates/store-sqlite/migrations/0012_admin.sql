-- Administration. Admin API tokens: the secret is kept only as its SHA-256 hash (shown once when made); `pools` is
-- NULL for a token of the whole deployment (an owner's), else the ids of the pools it administers, comma-separated.
CREATE TABLE admin_tokens (
    id          TEXT PRIMARY KEY NOT NULL, -- 24 hex characters
    name        TEXT NOT NULL,
    secret_hash BLOB NOT NULL UNIQUE,
    pools       TEXT,
    can_write   INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);

-- The audit log: every admin change. Pool and user are plain ids, not references: the log outlives what it
-- names (a deleted pool's events stay until the retention deletes them). `code` is NULL for a success.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    pool_id    TEXT,
    user_id    TEXT,
    code       INTEGER,
    ip         TEXT,
    user_agent TEXT,
    detail     TEXT -- JSON
);
CREATE INDEX audit_events_pool ON audit_events (pool_id, id);
CREATE INDEX audit_events_user ON audit_events (user_id, id);
CREATE INDEX audit_events_at ON audit_events (at);
