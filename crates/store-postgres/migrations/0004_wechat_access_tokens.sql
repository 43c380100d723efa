-- The WeChat access token of each mini program, shared by every replica so that they do not fetch competing tokens.
-- The token is sealed with the master key; token_hash (SHA-256) lets a replica discard it only if it is still the
-- token it saw rejected.
CREATE TABLE wechat_access_tokens (
    appid        TEXT PRIMARY KEY,
    token_sealed BYTEA NOT NULL,
    token_hash   BYTEA NOT NULL,
    refresh_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
