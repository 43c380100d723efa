-- Users: the fields of the documented Authing user object. Username (ignoring case), e-mail and phone are each
-- unique within a pool; NULLs do not collide.
CREATE TABLE users (
    id                  TEXT PRIMARY KEY NOT NULL,
    pool_id             TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    username            TEXT,
    username_normalized TEXT,                 -- lowercase username, for uniqueness and lookup
    nickname            TEXT,
    photo               TEXT,
    email               TEXT,                 -- lowercase
    email_verified      INTEGER NOT NULL DEFAULT 0,
    phone               TEXT,
    phone_verified      INTEGER NOT NULL DEFAULT 0,
    unionid             TEXT,
    openid              TEXT,
    oauth               TEXT,                 -- raw social profile, JSON text
    register_method     TEXT NOT NULL,
    password_hash       TEXT,                 -- Argon2id PHC string
    logins_count        INTEGER NOT NULL DEFAULT 0,
    last_login          TEXT,
    last_ip             TEXT,
    signed_up           TEXT NOT NULL,
    blocked             INTEGER NOT NULL DEFAULT 0,
    tokens_valid_after  TEXT,                 -- tokens issued before this are rejected (logout, block)
    token_expired_at    TEXT,
    updated_at          TEXT NOT NULL
);
CREATE UNIQUE INDEX users_pool_username_normalized ON users (pool_id, username_normalized);
CREATE UNIQUE INDEX users_pool_email ON users (pool_id, email);
CREATE UNIQUE INDEX users_pool_phone ON users (pool_id, phone);
CREATE INDEX users_pool_signed_up ON users (pool_id, signed_up);
