// 10. The simulated phone (/demo/phone): it scans the web demo's QR code and runs the scanner mini program's real
// confirm page (pages/confirm/index.js + lib/confirm.js, in the browser through /demo/js/cjs.js and wx.js).
//   a. the link decoded from the QR image, pasted into the phone; confirm → the web demo logs in;
//   b. the web demo's "scan with the simulated phone" link (/demo/phone?scan=<link>) → the web demo logs in;
//   c. cancel → the session is cancelled;
//   d. a session that asks for the phone: a new user with a phone denies, then shares it → the user has it.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { fixture, readQr, scenario, screenshot } from '../lib/browser.js';
import { scannerView } from '../lib/phone.js';

const env = fixture({ before, after });

/** Opens the web demo in onSuccess mode and reads its QR code. */
async function webDemo(page, server, mode = 'onSuccess') {
  await page.goto(`${server.base}/demo/qr?mode=${mode}`);
  return readQr(page, server);
}

/** Waits until the phone's confirm page reaches `status`. */
const phoneStatus = (phone, status) =>
  phone.waitForFunction((s) => document.body.dataset.status === s, status, { timeout: 15_000 });

scenario(env, '10a. phone: paste the QR link, confirm → the web demo logs in', '10-phone-a', async (t, w) => {
  const { page, context } = w;
  const qr = await webDemo(page, env.server);

  const phone = await context.newPage();
  await phone.setViewportSize({ width: 1100, height: 900 });
  phone.on('pageerror', (error) => w.pageErrors.push(String(error)));
  await phone.goto(`${env.server.base}/demo/phone`);
  await phone.locator('#user-select option').first().waitFor({ state: 'attached' });
  assert.match(await phone.locator('#user-name').textContent(), /小明/, 'a first demo user is created');
  assert.equal(await phone.evaluate(() => document.body.dataset.status), 'none');
  await screenshot(phone, '10-phone-1-home');

  await phone.fill('#scan-link', qr.text);
  await phone.click('#scan-button');
  await phoneStatus(phone, 'ready');
  assert.ok((await phone.locator('#pool-name').textContent()).length > 0, 'the pool name is shown');
  assert.ok(await phone.locator('#browser').textContent(), 'the browser is shown');
  assert.ok(await phone.locator('#ip').textContent(), 'the IP is shown');
  assert.ok(await phone.locator('#confirm').isVisible(), 'onSuccess mode asks no phone: a plain confirm button');
  const view = await scannerView(env.server.base, qr.scene);
  assert.equal(view.body.state, 'scanned', 'the phone scanned the session');
  const log = await phone.locator('#log').textContent();
  assert.match(log, /wx\.login/);
  assert.match(log, /GET \/api\/v1\/scanner\/sessions\/[^ ]+ → 200/);
  assert.match(log, /POST \/api\/v1\/scanner\/sessions\/[^ ]+\/scan → 200/);
  await screenshot(phone, '10-phone-2-confirm');

  await phone.click('#confirm');
  await phoneStatus(phone, 'done');
  assert.match(await phone.locator('#result').textContent(), /登录成功/);
  await page.waitForFunction(() => document.body.dataset.state === 'success', null, { timeout: 10_000 });
  const user = JSON.parse(await page.locator('#result').textContent());
  assert.equal(typeof user.token, 'string');
  await phone.waitForTimeout(1600); // the success toast goes away
  await screenshot(phone, '10-phone-3-done');
  await screenshot(page, '10-phone-4-web-demo-success');

  await phone.click('#close');
  await phoneStatus(phone, 'none');
  assert.deepEqual(w.pageErrors, [], 'no uncaught errors in the pages');
  assert.deepEqual(w.outside, [], 'nothing loaded from outside the server');
});

scenario(env, '10e. phone: redirect mode → the web demo lands on the callback page with the user', '10-phone-e', async (t, w) => {
  const { page, context } = w;
  await webDemo(page, env.server, 'redirect');
  const href = await page.locator('#scan-with-phone').getAttribute('href');

  const phone = await context.newPage();
  await phone.setViewportSize({ width: 1100, height: 900 });
  phone.on('pageerror', (error) => w.pageErrors.push(String(error)));
  await phone.goto(new URL(href, env.server.base).href);
  await phoneStatus(phone, 'ready');
  await phone.click('#confirm');
  await phoneStatus(phone, 'done');

  await page.waitForURL(/\/demo\/callback\?code=200&data=/, { timeout: 15_000 });
  await page.waitForFunction(() => document.body.dataset.state === 'success', null, { timeout: 10_000 });
  await screenshot(page, '10-phone-9-redirect-callback');
  assert.deepEqual(w.pageErrors, [], 'no uncaught errors in the pages');
});

scenario(env, '10b. phone: ?scan= link from the web demo, a new user, confirm → the web demo logs in', '10-phone-b', async (t, w) => {
  const { page, context } = w;
  const qr = await webDemo(page, env.server);
  const href = await page.locator('#scan-with-phone').getAttribute('href');
  assert.equal(href, `/demo/phone?scan=${encodeURIComponent(qr.text)}`);

  // A new user first, on a phone page with no scan yet.
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 1100, height: 900 });
  phone.on('pageerror', (error) => w.pageErrors.push(String(error)));
  await phone.goto(`${env.server.base}/demo/phone`);
  await phone.locator('#user-select option').first().waitFor({ state: 'attached' });
  await phone.fill('#new-nickname', '小红 Xiaohong');
  await phone.fill('#new-phone', '13900139000');
  await phone.click('#new-user');
  await phone.waitForFunction(() => /小红/.test(document.querySelector('#user-name')?.textContent || ''));

  await phone.goto(new URL(href, env.server.base).href);
  await phoneStatus(phone, 'ready');
  assert.match(await phone.locator('#user-name').textContent(), /小红/, 'the chosen user is remembered');
  await phone.click('#confirm');
  await phoneStatus(phone, 'done');
  await page.waitForFunction(() => document.body.dataset.state === 'success', null, { timeout: 10_000 });
  const user = JSON.parse(await page.locator('#result').textContent());
  assert.equal(typeof user.token, 'string');
  assert.deepEqual(w.pageErrors, [], 'no uncaught errors in the pages');
});

scenario(env, '10c. phone: cancel → the session is cancelled', '10-phone-c', async (t, w) => {
  const { page, context } = w;
  const qr = await webDemo(page, env.server);
  const phone = await context.newPage();
  await phone.setViewportSize({ width: 1100, height: 900 });
  phone.on('pageerror', (error) => w.pageErrors.push(String(error)));
  await phone.goto(`${env.server.base}/demo/phone?scan=${encodeURIComponent(qr.text)}`);
  await phoneStatus(phone, 'ready');
  await phone.click('#cancel');
  await phoneStatus(phone, 'cancelled');
  assert.match(await phone.locator('#result').textContent(), /已取消登录/);
  const view = await scannerView(env.server.base, qr.scene);
  assert.equal(view.body.code, 4203, `the session is cancelled: ${JSON.stringify(view)}`);
  await screenshot(phone, '10-phone-6-cancelled');
  await page.waitForTimeout(1500);
  assert.notEqual(await page.evaluate(() => document.body.dataset.state), 'success');
  await screenshot(page, '10-phone-7-web-demo-cancelled');
  assert.deepEqual(w.pageErrors, [], 'no uncaught errors in the pages');
});

scenario(env, '10d. phone: a site that asks for the phone: deny, then share → the user has the phone', '10-phone-d', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  const { poolId } = await (await fetch(`${base}/demo/config.json`)).json();
  // A QR session asking for the phone, started over HTTP as a site would (the web demo does not ask).
  const random = `phone-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const started = await (await fetch(`${base}/oauth/wxapp/qrcode/${poolId}?random=${random}&enableFetchPhone=true`)).json();
  assert.equal(started.code, 200, JSON.stringify(started));
  const link = `${base}/s/${started.data.scene}`;

  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(`${base}/demo/phone`);
  await page.locator('#user-select option').first().waitFor({ state: 'attached' });
  await page.fill('#new-nickname', '小红 Xiaohong');
  await page.fill('#new-phone', '13900139000');
  await page.click('#new-user');
  await page.waitForFunction(() => /小红/.test(document.querySelector('#user-name')?.textContent || ''));
  await page.goto(`${base}/demo/phone?scan=${encodeURIComponent(link)}`);
  await phoneStatus(page, 'ready');
  assert.match(await page.locator('#user-name').textContent(), /小红/, 'the chosen user is remembered');
  assert.ok(await page.locator('#confirm-phone').isVisible(), 'the confirm button asks for the phone');

  await page.click('#confirm-phone');
  await page.locator('#phone-sheet').waitFor();
  await screenshot(page, '10-phone-5-phone-sheet');
  await page.click('#sheet-deny');
  await page.locator('#confirm-without-phone').waitFor();
  assert.match(await page.locator('#notice').textContent(), /没有分享手机号/);
  await screenshot(page, '10-phone-8-phone-denied');

  await page.click('#confirm-phone');
  await page.click('#sheet-allow');
  await phoneStatus(page, 'done');
  const reply = await (await fetch(`${base}/oauth/wxapp/confirm/qr?random=${random}`, { method: 'POST' })).json();
  assert.equal(reply.data.code, 200, JSON.stringify(reply));
  assert.equal(reply.data.data.phone, '13900139000');
  assert.match(await page.locator('#log').textContent(), /bindgetphonenumber getPhoneNumber:ok/);
  assert.deepEqual(w.pageErrors, [], 'no uncaught errors in the page');
});
