-- User pools: the tenants. The pool secret is kept only as its SHA-256 hash; it is shown once when made.
CREATE TABLE pools (
    id                     TEXT PRIMARY KEY NOT NULL, -- 24 hex characters
    name                   TEXT NOT NULL,
    secret_hash            BLOB NOT NULL,             -- SHA-256 of the pool secret
    jwt_algorithm          TEXT NOT NULL,             -- HS256 | RS256 | ES256
    token_lifetime_seconds INTEGER NOT NULL,
    registration_policy    TEXT NOT NULL,             -- open | login-only | match-verified-phone
    created_at             TEXT NOT NULL,             -- RFC 3339, UTC
    updated_at             TEXT NOT NULL
);

-- Token signing keys. `secret` (HS256 secret or PKCS#8 private key) is sealed with the master key (AES-256-GCM,
-- bound to the kid); `public_jwk` is what the JWKS publishes.
CREATE TABLE signing_keys (
    kid        TEXT PRIMARY KEY NOT NULL,
    pool_id    TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    algorithm  TEXT NOT NULL,
    secret     BLOB NOT NULL,
    public_jwk TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX signing_keys_pool ON signing_keys (pool_id, created_at);
