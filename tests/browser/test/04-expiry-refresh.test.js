// 4. expiry and refresh, with the demo pool's QR lifetime set to 30 s through the pool admin API (restored after):
//   a. fast: the first poll is answered "expired" (4202) by page.route, as the server would after 30 s;
//   b. real: nothing is scanned for 30 s, and the code expires by itself (push channel, the SDK's own deadline).
// Both times the refresh overlay appears, clicking it shows a new QR code (another scene) and that one logs in.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { fixture, readQr, scenario, screenshot, sleep } from '../lib/browser.js';
import { changeQrSettings, checkToken, phoneLogsIn, phoneScans, qrSettings, scannerView } from '../lib/phone.js';

const env = fixture({ before, after }, { setup: shortLifetime });
const POLL = '/oauth/wxapp/confirm/qr';
const EVENTS = '/api/v1/qr/events';
const LIFETIME = 30;
const EXPIRED = { code: 200, data: { code: 4202, message: '二维码已过期', state: 'expired' } };

async function shortLifetime(env) {
  const original = await qrSettings(env.server);
  env.cleanups.push(async () => {
    await changeQrSettings(env.server, { lifetimeSeconds: original.lifetimeSeconds });
    const restored = await qrSettings(env.server);
    assert.equal(restored.lifetimeSeconds, original.lifetimeSeconds, 'the lifetime was restored');
  });
  const changed = await changeQrSettings(env.server, { lifetimeSeconds: LIFETIME });
  assert.equal(changed.lifetimeSeconds, LIFETIME);
  const tooShort = await fetch(`${env.server.base}/api/v1/pools/${env.server.poolId}/qr-settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'X-Pool-Secret': env.server.poolSecret },
    body: JSON.stringify({ lifetimeSeconds: 29 }),
  });
  assert.equal(tooShort.status, 400, 'a lifetime under 30 s is refused');
}

/** Clicks the refresh overlay and checks the new code logs in. */
async function refreshAndLogIn(w, old, shot) {
  const { page } = w;
  const { base } = env.server;
  const oldRandom = await page.evaluate(() => sessionStorage.getItem('randomWord'));
  await page.locator('#__authing_expired_tip').click();
  const fresh = await readQr(page, env.server, { notSrc: old.src });
  assert.notEqual(fresh.scene, old.scene, 'the refreshed QR code is a new session');
  assert.notEqual(await page.evaluate(() => sessionStorage.getItem('randomWord')), oldRandom, 'with a new random');
  assert.equal(await page.locator('#__authing_expired_tip').count(), 0, 'the expired overlay is gone');
  await screenshot(page, `${shot}-2-refreshed`);

  await phoneLogsIn(base, fresh.scene, { nickname: '刷新后 Refreshed' });
  await page.waitForFunction(() => document.body.dataset.state === 'success', null, { timeout: 15_000 });
  assert.ok(await page.locator('#__authing_success_tip').isVisible());
  const user = JSON.parse(await page.locator('#result').textContent());
  assert.equal(user.nickname, '刷新后 Refreshed');
  assert.equal((await checkToken(base, user.token)).status, true);
  await screenshot(page, `${shot}-3-logged-in`);
}

scenario(env, '4a. expiry (server says 4202 on a poll): refresh overlay → new QR → logs in', '04a-expiry-routed', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  await page.route(`**${EVENTS}?*`, (route) => route.fulfill({ status: 404, body: '' })); // poll, don't stream
  let answered = 0;
  await page.route(`**${POLL}?*`, (route) => {
    if (answered > 0) return route.continue();
    answered += 1;
    return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(EXPIRED) });
  });
  await page.goto(`${base}/demo/qr?mode=onSuccess`);
  const old = await readQr(page, env.server);

  const overlay = page.locator('#__authing_expired_tip');
  await overlay.waitFor({ state: 'visible', timeout: 10_000 });
  const stoppedAt = Date.now();
  assert.equal(answered, 1);
  assert.equal(await overlay.textContent(), '二维码已过期，点击刷新');
  const reported = JSON.parse((await page.locator('#result').textContent()).replace(/^Error: /, ''));
  assert.equal(reported.code, 4202, 'onError got the expired reply');
  await screenshot(page, '04a-expiry-routed-1-expired');
  await sleep(2 * 1500 + 500);
  assert.equal(w.count(POLL, stoppedAt), 0, 'no poll after 4202');

  await refreshAndLogIn(w, old, '04a-expiry-routed');
  assert.deepEqual(w.pageErrors, []);
});

scenario(env, `4b. real expiry after ${LIFETIME} s (push channel): refresh overlay → new QR → logs in`, '04b-expiry-real', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  const qrReply = page.waitForResponse((res) => new URL(res.url()).pathname.startsWith('/oauth/wxapp/qrcode/'));
  await page.goto(`${base}/demo/qr?mode=onSuccess`);
  const { data } = await (await qrReply).json();
  assert.equal((Date.parse(data.expiredAt) - Date.parse(data.createdAt)) / 1000, LIFETIME, 'the QR reply carries the new lifetime');
  const old = await readQr(page, env.server);
  const shownAt = Date.now();

  const overlay = page.locator('#__authing_expired_tip');
  await overlay.waitFor({ state: 'visible', timeout: (LIFETIME + 15) * 1000 });
  const waited = (Date.now() - shownAt) / 1000;
  assert.ok(waited > LIFETIME - 3, `not expired early (after ${waited} s)`);
  assert.equal(await overlay.textContent(), '二维码已过期，点击刷新');
  await screenshot(page, '04b-expiry-real-1-expired');
  t.diagnostic(`expired overlay after ${waited.toFixed(1)} s; ${w.count(EVENTS)} stream request(s), ${w.count(POLL)} poll(s)`);

  // The server agrees: the old code can no longer be opened, scanned or shown.
  const view = await scannerView(base, old.scene);
  assert.ok(view.status >= 400, `the scanner API refuses the expired code: HTTP ${view.status} ${JSON.stringify(view.body)}`);
  await assert.rejects(phoneScans(base, old.scene), /scan of .* failed/, 'an expired code cannot be scanned');
  const image = await fetch(new URL(old.src, base));
  assert.equal(image.status, 410, 'the expired code image is gone');

  await refreshAndLogIn(w, old, '04b-expiry-real');
  assert.deepEqual(w.pageErrors, []);
}, { timeout: 180_000 });
