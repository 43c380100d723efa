-- QR login (flow A).

-- A pool's QR settings; a pool without a row uses the defaults (url mode, 120 s, no callback, the deployment's
-- scanner mini program). A pool's own mini program, when set, opens its codes instead.
CREATE TABLE qr_settings (
    pool_id           TEXT PRIMARY KEY REFERENCES pools (id) ON DELETE CASCADE,
    mode              TEXT NOT NULL,         -- url | wxacode
    lifetime_seconds  BIGINT NOT NULL,
    callback_url      TEXT,                  -- absolute http(s) URL
    own_appid         TEXT,                  -- the pool's own mini program
    own_secret_sealed BYTEA,                 -- its AppSecret, sealed with the master key
    own_link_prefix   TEXT,
    own_confirm_page  TEXT,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- A pool's logo, drawn in the middle of its QR codes: a PNG re-encoded by denglu (never the uploaded bytes).
CREATE TABLE pool_logos (
    pool_id    TEXT PRIMARY KEY REFERENCES pools (id) ON DELETE CASCADE,
    png        BYTEA NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- QR sessions. The scene is what the QR encodes (public); the browser collects the result with its poll secret,
-- of which only the SHA-256 is kept. State moves pending -> scanned -> confirmed -> claimed, or to cancelled;
-- expiry is expires_at. Each move is one conditional UPDATE, so concurrent requests cannot both win.
CREATE TABLE qr_sessions (
    scene                TEXT PRIMARY KEY,
    pool_id              TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    poll_secret_hash     BYTEA NOT NULL,
    state                TEXT NOT NULL,
    phone_requested      BOOLEAN NOT NULL,
    use_self_wxapp       BOOLEAN NOT NULL,
    requester_ip         TEXT,
    requester_user_agent TEXT,
    scanner_appid        TEXT,
    scanner_openid       TEXT,
    scanner_unionid      TEXT,
    scanner_session_key  BYTEA,                 -- sealed with the master key
    scan_token_hash      BYTEA,
    scanner_nickname     TEXT,
    scanner_avatar       TEXT,
    scanned_at           TIMESTAMPTZ,
    user_id              TEXT REFERENCES users (id) ON DELETE CASCADE,
    created_at           TIMESTAMPTZ NOT NULL,
    expires_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX qr_sessions_poll_secret ON qr_sessions (poll_secret_hash);
CREATE INDEX qr_sessions_expires_at ON qr_sessions (expires_at);
