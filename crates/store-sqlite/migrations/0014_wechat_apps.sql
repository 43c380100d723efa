-- A pool's WeChat apps, several: mini programs, each serving QR login (flow A), app launch (flow B) and/or the
-- mini program SDK (flow C), and mobile apps of the Open Platform (the apps that launch a mini program). AppSecrets
-- are sealed with the master key (context "pool-app-secret:<pool id>", as the own app's was). One WeChat app may
-- belong to several pools. Among several apps with a role, the one added first serves requests that name none.
CREATE TABLE wechat_apps (
    pool_id       TEXT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    appid         TEXT NOT NULL,
    kind          TEXT NOT NULL,       -- mini_program | mobile_app
    name          TEXT NOT NULL,
    qr_login      INTEGER NOT NULL DEFAULT 0,
    app_launch    INTEGER NOT NULL DEFAULT 0,
    sdk           INTEGER NOT NULL DEFAULT 0,
    secret_sealed BLOB,                 -- NULL only for a mobile app given none
    link_prefix   TEXT,                 -- the deployment scanner's when NULL
    confirm_page  TEXT,                 -- the deployment scanner's when NULL
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (pool_id, appid)
);

-- Which mini program opens a pool's QR codes when the browser does not ask for the pool's own (useSelfWxapp):
-- the deployment's scanner, or the pool's own QR-login app.
ALTER TABLE qr_settings ADD COLUMN scanner TEXT NOT NULL DEFAULT 'deployment'; -- deployment | pool

-- The single own mini program of earlier versions becomes the pool's first app, serving every flow, and keeps
-- opening the pool's codes. The own_* columns of qr_settings are no longer read; they go in a later release, so
-- that replicas of the previous version keep working during a rolling upgrade.
INSERT INTO wechat_apps (pool_id, appid, kind, name, qr_login, app_launch, sdk, secret_sealed, link_prefix,
                         confirm_page, created_at, updated_at)
SELECT pool_id, own_appid, 'mini_program', 'Own mini program', 1, 1, 1, own_secret_sealed, own_link_prefix,
       own_confirm_page, updated_at, updated_at
FROM qr_settings
WHERE own_appid IS NOT NULL AND own_secret_sealed IS NOT NULL;
UPDATE qr_settings SET scanner = 'pool' WHERE own_appid IS NOT NULL AND own_secret_sealed IS NOT NULL;
