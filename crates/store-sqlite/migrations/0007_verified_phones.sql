-- Phone numbers WeChat verified for a WeChat identity (getPhone): what loginWithWxapp({phone}) may link by. The
-- identity may not have a user yet, so this is not a column of wechat_identities.
CREATE TABLE verified_phones (
    pool_id     TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    appid       TEXT NOT NULL,
    openid      TEXT NOT NULL,
    phone       TEXT NOT NULL,
    verified_at TEXT NOT NULL,
    PRIMARY KEY (pool_id, appid, openid, phone)
);
