// 11. The app launch demo (/demo/app): the app launches the scanner mini program at routes/explore (scene 1069),
// the mini program's real page logic (lib/explore-page.js + lib/explore.js) logs in, shares the phone and mints a
// ticket, 返回 App hands `code=200&message=授权成功&ticket=…` to the app, and the app's backend exchanges it.
//   a. getPhone=1, share the phone → ticket → exchange → the user, with the phone;
//   b. PKCE (codeChallenge), no phone → ticket → exchange with the verifier;
//   c. cancel → extMsg code=400, no exchange.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { fixture, scenario, screenshot } from '../lib/browser.js';

const env = fixture({ before, after });

const status = (page, s) => page.waitForFunction((x) => document.body.dataset.status === x, s, { timeout: 15_000 });

async function open(page) {
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(`${env.server.base}/demo/app`);
  await page.locator('#user-select option').first().waitFor({ state: 'attached' });
  assert.equal(await page.evaluate(() => document.body.dataset.status), 'none');
}

async function exchanged(page) {
  await page.click('#exchange-button');
  await page.waitForFunction(() => document.body.dataset.exchange !== 'none', null, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.exchange), 'success', await page.locator('#exchange').textContent());
  return JSON.parse(await page.locator('#exchange-user').textContent());
}

scenario(env, '11a. app launch: getPhone=1, share the phone → ticket in extMsg → the backend exchanges it', '11-app-a', async (t, w) => {
  const { page } = w;
  await open(page);
  assert.match(await page.locator('#launch-path').textContent(), /^\/routes\/explore\?userPoolId=[0-9a-f]{24}&getPhone=1&fromApp=1&useSelfWxapp=0$/);
  await screenshot(page, '11-app-1-start');

  await page.click('#launch');
  await status(page, 'ready');
  assert.ok(await page.locator('#phone').isVisible(), 'getPhone=1: a getPhoneNumber button');
  assert.equal(await page.locator('#not-from-app').count(), 0, 'scene 1069 can go back to the app');
  await screenshot(page, '11-app-2-consent');

  await page.click('#phone');
  await page.click('#sheet-allow');
  await status(page, 'done');
  assert.match(await page.locator('#log').textContent(), /POST \/api\/v1\/app-login\/tickets → 200/);
  await page.click('#return');
  const raw = await page.locator('#ext-msg-raw').textContent();
  assert.match(raw, /^code=200&message=授权成功&ticket=[A-Za-z0-9_-]+$/);
  assert.equal(await page.evaluate(() => document.body.dataset.status), 'none', 'back in the app');
  await screenshot(page, '11-app-3-ext-msg');

  const user = await exchanged(page);
  assert.equal(user.phone, '13800138000');
  assert.match(await page.locator('#exchange-result').textContent(), /获取用户信息成功/);
  await page.locator('#exchange-user').scrollIntoViewIfNeeded();
  await screenshot(page, '11-app-4-exchanged');
  assert.deepEqual(w.pageErrors, [], 'no uncaught errors in the page');
  assert.deepEqual(w.outside, [], 'nothing loaded from outside the server');
});

scenario(env, '11b. app launch with PKCE, no phone → exchange with the verifier', '11-app-b', async (t, w) => {
  const { page } = w;
  await open(page);
  await page.uncheck('#get-phone');
  await page.check('#pkce');
  await page.click('#launch');
  await status(page, 'ready');
  assert.match(await page.locator('#launch-path').textContent(), /getPhone=0&fromApp=1&useSelfWxapp=0&codeChallenge=[A-Za-z0-9_-]{43}$/);
  await page.click('#authorize');
  await status(page, 'done');
  await page.click('#return');
  assert.match(await page.locator('#ext-msg-raw').textContent(), /^code=200&message=授权成功&ticket=/);
  const user = await exchanged(page);
  assert.equal(typeof user.id === 'string' || typeof user._id === 'string', true, JSON.stringify(user));
  assert.match(await page.locator('#exchange-request').textContent(), /"codeVerifier"/);
  await screenshot(page, '11-app-5-pkce');
  assert.deepEqual(w.pageErrors, [], 'no uncaught errors in the page');
});

scenario(env, '11c. app launch: cancel → code=400, no ticket', '11-app-c', async (t, w) => {
  const { page } = w;
  await open(page);
  await page.click('#launch');
  await status(page, 'ready');
  await page.click('#cancel');
  assert.equal(await page.locator('#ext-msg-raw').textContent(), 'code=400&message=用户取消授权');
  assert.equal(await page.locator('#exchange-button').count(), 0);
  await screenshot(page, '11-app-6-cancelled');
  assert.deepEqual(w.pageErrors, [], 'no uncaught errors in the page');
});
