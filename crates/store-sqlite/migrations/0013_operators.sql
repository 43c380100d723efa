-- Operators: the deployment's admin accounts. `pools` is NULL for an owner, else the ids of the pools administered,
-- comma-separated (as for admin tokens). Password and authenticator stay NULL until the one-time setup link is used;
-- the authenticator secret is sealed with the master key. `totp_last_step` keeps a code from being accepted twice.
CREATE TABLE operators (
    id               TEXT PRIMARY KEY NOT NULL, -- 24 hex characters
    name             TEXT NOT NULL UNIQUE,
    pools            TEXT,
    password_hash    TEXT,
    totp             BLOB,
    pending_totp     BLOB,
    totp_last_step   INTEGER NOT NULL DEFAULT 0,
    setup_hash       BLOB UNIQUE,
    setup_expires_at TEXT,
    created_at       TEXT NOT NULL
);

-- Single-use recovery codes, kept as SHA-256 hashes.
CREATE TABLE operator_recovery_codes (
    operator_id TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    code_hash   BLOB NOT NULL,
    PRIMARY KEY (operator_id, code_hash)
);

-- Signed-in browsers. The cookie holds a secret; only its hash is kept. `expires_at` is the absolute timeout; the
-- idle timeout is counted from `last_seen_at`.
CREATE TABLE operator_sessions (
    id_hash      BLOB PRIMARY KEY NOT NULL,
    operator_id  TEXT NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);
CREATE INDEX operator_sessions_expires_at ON operator_sessions (expires_at);
