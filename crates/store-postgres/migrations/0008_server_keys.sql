-- Deployment-wide keys made on first use and shared by every replica: today the login key, the RSA key whose public
-- half the SDKs encrypt passwords with. The private half is sealed with the master key.
CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    sealed     BYTEA NOT NULL,
    public_pem TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
