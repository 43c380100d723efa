// 13. The mini program SDK demo (/demo/sdk): the real sdk/wxapp SDK in a simulated phone runs loginWithWxapp,
// getPhone, bindPhone, changeAvatar, setMetadata and metadata against the server, each from its button, and the
// page shows every request with its response.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { fixture, scenario, screenshot } from '../lib/browser.js';
import { checkToken } from '../lib/phone.js';

const env = fixture({ before, after });

/** Clicks a method's button and waits for its row to settle; returns the status ('ok' or 'error'). */
async function run(page, method) {
  const row = page.locator(`.method[data-method="${method}"]`);
  await row.locator('button').click();
  await page.waitForFunction(
    (m) => ['ok', 'error'].includes(document.querySelector(`.method[data-method="${m}"]`).dataset.status),
    method,
    { timeout: 15_000 },
  );
  return row.getAttribute('data-status');
}

/** The details of the last SDK log entry of `method`, parsed. */
async function lastResult(page, method) {
  const text = await page.locator(`#log .entry[data-kind="sdk-${method}"] pre`).last().textContent();
  return JSON.parse(text);
}

scenario(env, '13. SDK demo: each SDK method from its button succeeds, requests and responses logged', '13-sdk-demo', async (t, w) => {
  const { page } = w;
  const { base, poolId } = env.server;
  await page.setViewportSize({ width: 1100, height: 860 }); // a phone is tall
  await page.goto(`${base}/demo/sdk`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 15_000 });
  assert.equal(await page.locator('#user-select option').count(), 1, 'a first simulator user was made');
  await screenshot(page, '13-sdk-demo-1-start');

  // A new WeChat user with a phone number, picked in the phone.
  const phone = '13580001234';
  await page.fill('#new-nickname', '小程序 Tester');
  await page.fill('#new-phone', phone);
  await page.click('#new-user');
  await page.waitForFunction(() => document.querySelectorAll('#user-select option').length === 2);
  assert.match(await page.locator('#user-select option:checked').textContent(), /小程序 Tester/);

  assert.equal(await run(page, 'loginWithWxapp'), 'ok');
  const user = await lastResult(page, 'loginWithWxapp');
  assert.equal(user.nickname, '小程序 Tester');
  assert.equal(typeof user.token, 'string');
  assert.equal((await checkToken(base, user.token)).status, true, 'the SDK login token verifies');
  assert.equal(await page.locator('#me-name').textContent(), '小程序 Tester');
  const requests = await page.locator('#log .entry[data-kind="http"] summary').allTextContents();
  assert.ok(requests.some((s) => s.includes(`POST /oauth/wechatapp/auth/${poolId} → 200`)), `logged: ${requests}`);
  const firstRequest = await page.locator('#log .entry[data-kind="http"] pre').first().textContent();
  assert.match(firstRequest, /request:[\s\S]*"encryptedData"[\s\S]*response:[\s\S]*"statusCode": 200/);

  assert.equal(await run(page, 'getPhone'), 'ok');
  const got = await lastResult(page, 'getPhone');
  assert.equal(got.purePhoneNumber, phone);

  assert.equal(await run(page, 'bindPhone'), 'ok');
  assert.equal((await lastResult(page, 'bindPhone')).phone, phone);
  assert.equal(await page.locator('#me-phone').textContent(), `手机 ${phone}`);

  assert.equal(await run(page, 'changeAvatar'), 'ok');
  const changed = await lastResult(page, 'changeAvatar');
  assert.equal(typeof changed.photo, 'string');
  await page.waitForFunction(() => {
    const img = document.querySelector('#avatar img');
    return img && img.complete && img.naturalWidth > 0;
  }, null, { timeout: 10_000 });

  await page.fill('#meta-key', 'tea');
  await page.fill('#meta-value', '茉莉花茶 jasmine');
  assert.equal(await run(page, 'setMetadata'), 'ok');
  assert.deepEqual((await lastResult(page, 'setMetadata')).list, [{ key: 'tea', value: '茉莉花茶 jasmine' }]);
  assert.equal(await run(page, 'metadata'), 'ok');
  assert.deepEqual(await lastResult(page, 'metadata'), { totalCount: 1, list: [{ key: 'tea', value: '茉莉花茶 jasmine' }] });

  const summaries = await page.locator('#log .entry summary').allTextContents();
  assert.ok(!summaries.some((s) => s.includes('rejected')), `no SDK call failed: ${summaries.join('\n')}`);
  assert.ok(summaries.some((s) => s.includes('wx.uploadFile') && s.includes('→ 200')), 'the avatar upload is logged');
  assert.ok(summaries.some((s) => s.includes('POST /graphql → 200')), 'the GraphQL calls are logged');
  // Open the last request so the screenshot shows a request and its response.
  await page.locator('#log .entry[data-kind="http"] summary').last().click();
  const screen = await page.evaluate(() => {
    const el = document.querySelector('.phone .screen');
    return { scroll: el.scrollHeight - el.clientHeight };
  });
  assert.ok(screen.scroll <= 0, `the phone's screen shows everything without scrolling: ${JSON.stringify(screen)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, 'nothing cut off on the right');
  await screenshot(page, '13-sdk-demo-2-done');
  t.diagnostic(`${summaries.length} log entries`);
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});
