-- WeChat identities: a user's (pool, appid, openid); unionid links identities across a pool's mini programs.
CREATE TABLE wechat_identities (
    pool_id    TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    appid      TEXT NOT NULL,
    openid     TEXT NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    unionid    TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (pool_id, appid, openid)
);
CREATE INDEX wechat_identities_unionid ON wechat_identities (pool_id, unionid);
CREATE INDEX wechat_identities_user ON wechat_identities (user_id);

-- Per-user key/value metadata (the SDKs' metadata / setMetadata / removeMetadata).
CREATE TABLE user_metadata (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
