-- The device flow's pending authorizations (RFC 8628). A device asks for one and polls with its device code while
-- the user scans the QR code of `scene` with WeChat, or types the user code at the verification page, and confirms.
-- The device code is also the QR session's poll secret, so it is kept only as a SHA-256 hash, there as here; the
-- user code is short and typed by hand, unique while its row lasts. Scopes are stored as OAuth writes them,
-- space-separated, as in oidc_grants. Expired rows are purged; deleting a pool or an application takes its rows
-- with it.
CREATE TABLE oidc_device_codes (
    user_code        TEXT PRIMARY KEY NOT NULL, -- XXXX-XXXX
    device_code_hash BYTEA NOT NULL UNIQUE,
    pool_id          TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    client_id        TEXT NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
    scene            TEXT NOT NULL,             -- the QR session the user scans
    scopes           TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    expires_at       TIMESTAMPTZ NOT NULL       -- with its QR session
);
CREATE INDEX oidc_device_codes_expiry ON oidc_device_codes (expires_at);
CREATE INDEX oidc_device_codes_client ON oidc_device_codes (client_id);
