-- Rate limits that every replica shares (the password guessing limits per account and per client address): one row
-- per limited key, counting the attempts of its current window. The first attempt after a window ended opens a new
-- one (attempts 1, expires_at = that attempt + the window). One conditional upsert counts an attempt and answers
-- whether it is allowed, so concurrent attempts on any replica are counted exactly. Rows whose window ended are
-- deleted by the housekeeping purge.
CREATE TABLE rate_limit_windows (
    key_hash   BLOB PRIMARY KEY,      -- SHA-256 of the limit's name and key (e.g. the pool and account), never the key
    attempts   INTEGER NOT NULL,
    expires_at TEXT NOT NULL          -- when the window ends
);
CREATE INDEX rate_limit_windows_expires_at ON rate_limit_windows (expires_at);
