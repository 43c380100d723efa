// 1. onSuccess mode: the demo page shows a QR code that a real decoder reads as <base>/s/<scene>; the phone
// scans and confirms; the page shows the scanned tip, then the success overlay, and hands over a working token.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { decodePng, fixture, readQr, scenario, screenshot } from '../lib/browser.js';
import { checkToken, confirm, phoneScans } from '../lib/phone.js';

const env = fixture({ before, after });

scenario(env, '1. onSuccess mode: scan + confirm → success overlay, onSuccess user, token verifies', '01-on-success', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  await page.goto(`${base}/demo/qr?mode=onSuccess`);
  assert.equal(await page.locator('#mode').textContent(), 'onSuccess');

  const qr = await readQr(page, env.server);
  assert.match(qr.scene, /^[0-9A-Za-z_-]{16,32}$/, 'scene looks like a URL-safe token');
  assert.ok(qr.src.endsWith(`/qrcode/${qr.scene}.png`), `the image URL names the scene it encodes: ${qr.src}`);
  // What the person sees must scan too: decode the rendered 240×240 image from a screenshot of the element.
  const rendered = decodePng(await page.locator('#authing__qrcode-wrapper img').screenshot());
  assert.equal(rendered, qr.text, 'the QR code as rendered in the page decodes to the same link');
  assert.equal(await page.locator('.__authing__heading-tip').textContent(), '使用 微信 或小程序 身份管家 扫码登录');
  await screenshot(page, '01-on-success-1-qr');

  const nickname = '小明 Xiaoming';
  const phone = await phoneScans(base, qr.scene, { nickname });
  const scannedTip = page.locator('#__authing_scanned_tip');
  await scannedTip.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await scannedTip.textContent(), `${nickname} 已扫码，请在手机上确认登录`);
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'waiting', 'not logged in before confirming');

  const confirmed = await confirm(base, qr.scene, phone.scanToken);
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));

  await page.waitForFunction(() => document.body.dataset.state === 'success', null, { timeout: 10_000 });
  const tip = page.locator('#__authing_success_tip');
  assert.ok(await tip.isVisible(), 'the success overlay is visible');
  assert.equal(await tip.textContent(), '扫码成功');
  const user = JSON.parse(await page.locator('#result').textContent());
  assert.equal(user.nickname, nickname);
  assert.equal(user.registerMethod, 'oauth:wxapp');
  assert.equal(typeof user.token, 'string');
  assert.equal(await page.evaluate(() => authing.getToken()), user.token, 'authing.getToken() returns the token');

  const checked = await checkToken(base, user.token);
  assert.equal(checked.status, true, `token check: ${JSON.stringify(checked)}`);
  await screenshot(page, '01-on-success-2-done');

  assert.deepEqual(w.pageErrors, [], 'no uncaught errors in the page');
  assert.deepEqual(w.outside, [], 'the page loads nothing from outside the server');
  t.diagnostic(`channel: ${w.count('/api/v1/qr/events')} push stream request(s), ${w.count('/oauth/wxapp/confirm/qr')} poll(s)`);
});
