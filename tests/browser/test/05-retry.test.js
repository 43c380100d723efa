// 5. retry after a failed QR request:
//   a. the first GET /oauth/wxapp/qrcode/… fails at the network level → "网络出错，请重试" with the retry link
//      #__authing_failed_tip; clicking it asks again, a QR code appears, and it logs in;
//   b. the server answers a business error (code ≠ 200) → #__authing_retry_btn with the server's message shown as
//      text (never as HTML); clicking it retries;
//   c. the QR image itself fails to load → the failed UI too (the original SDK showed nothing and never polled).

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { fixture, readQr, scenario, screenshot } from '../lib/browser.js';
import { checkToken, phoneLogsIn } from '../lib/phone.js';

const env = fixture({ before, after });
const QRCODE = '/oauth/wxapp/qrcode/';

/** Routes the first request matching `glob` to `fail(route)`; later ones go through. Returns a counter. */
async function failFirst(page, glob, fail) {
  const seen = { count: 0 };
  await page.route(glob, (route) => {
    seen.count += 1;
    return seen.count === 1 ? fail(route) : route.continue();
  });
  return seen;
}

scenario(env, '5a. QR request network error → #__authing_failed_tip → retry → QR appears and logs in', '05a-retry-network', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  const seen = await failFirst(page, `**${QRCODE}*`, (route) => route.abort('failed'));
  await page.goto(`${base}/demo/qr?mode=onSuccess`);

  const link = page.locator('#__authing_failed_tip');
  await link.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await link.textContent(), '点击重试');
  assert.equal(await page.locator('.__authing__heading-tip').textContent(), '网络出错，请重试');
  assert.equal(await page.locator('#authing__spinner').count(), 0, 'no spinner left over the retry UI');
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'error', 'onError was called');
  assert.equal(await page.locator('#authing__qrcode-wrapper img[src*="/qrcode/"]').count(), 0, 'no QR code');
  await screenshot(page, '05a-retry-network-1-failed');

  await link.click();
  const qr = await readQr(page, env.server);
  assert.equal(seen.count, 2, 'the retry asked for a QR code again');
  assert.equal(await page.locator('#__authing_failed_tip').count(), 0, 'the failure UI is gone');
  await screenshot(page, '05a-retry-network-2-qr');

  await phoneLogsIn(base, qr.scene);
  await page.waitForFunction(() => document.body.dataset.state === 'success', null, { timeout: 10_000 });
  const user = JSON.parse(await page.locator('#result').textContent());
  assert.equal((await checkToken(base, user.token)).status, true);
  assert.deepEqual(w.pageErrors, []);
});

scenario(env, '5b. QR request business error → #__authing_retry_btn, message as text → retry → QR appears', '05b-retry-business', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  const message = '<img src=x onerror="document.body.dataset.xss=1">二维码服务暂不可用';
  await failFirst(page, `**${QRCODE}*`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ code: 4201, message }) }));
  await page.goto(`${base}/demo/qr?mode=onSuccess`);

  const link = page.locator('#__authing_retry_btn');
  await link.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await link.textContent(), '点击重试');
  assert.equal(await page.locator('.__authing__heading-tip').textContent(), message, 'the message is shown as text');
  assert.equal(await page.locator('.__authing__heading-tip img').count(), 0, 'no HTML from the server');
  assert.equal(await page.evaluate(() => document.body.dataset.xss), undefined);
  const reported = JSON.parse((await page.locator('#result').textContent()).replace(/^Error: /, ''));
  assert.equal(reported.code, 4201, 'onError got the reply');
  await screenshot(page, '05b-retry-business-1-failed');

  await link.click();
  await readQr(page, env.server);
  assert.equal(await page.locator('#__authing_retry_btn').count(), 0);
});

scenario(env, '5c. QR image fails to load → failed UI → retry → QR appears', '05c-retry-image', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  const seen = await failFirst(page, '**/qrcode/*.png', (route) => route.abort('failed'));
  await page.goto(`${base}/demo/qr?mode=onSuccess`);
  const link = page.locator('#__authing_failed_tip');
  await link.waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
  await screenshot(page, '05c-retry-image-1-failed');
  await link.click();
  const qr = await readQr(page, env.server);
  assert.equal(seen.count, 2);
  assert.ok(qr.scene);
});
