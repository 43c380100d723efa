-- Uploaded avatars, served at /uploads/avatars/<name> by every replica: PNGs re-encoded by denglu (never the
-- uploaded bytes). A user's upload replaces their earlier one, which stays served until it is deleted by the
-- housekeeping purge retention.expired_grace_seconds after expires_at (the moment it was replaced), so that pages
-- still showing the old URL keep their picture for a while. expires_at is NULL for the current avatar.
CREATE TABLE avatars (
    name       TEXT PRIMARY KEY,      -- <22 random URL-safe characters>.png
    pool_id    TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    png        BLOB NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT                   -- when it was replaced; NULL while it is the user's avatar
);
CREATE INDEX avatars_user ON avatars (pool_id, user_id);
CREATE INDEX avatars_expires_at ON avatars (expires_at);
