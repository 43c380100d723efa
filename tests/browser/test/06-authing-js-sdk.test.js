// 6. The unmodified authing-js-sdk@3.22.3 browser bundle against denglu: injected into a denglu-served page,
// `new Authing({userPoolId, host: {user, oauth: BASE + '/graphql'}})` and `startWXAppScaning(...)`.
//   a. onSuccess (redirect: false): the user arrives with a token that verifies; every request the SDK makes is
//      recorded, and none may go to an endpoint denglu lacks (GraphQL, Authing's hosts);
//   b. redirect (the original default): the browser lands on the pool's callback with ?code=200&data=<JSON>,
//      which the demo callback page reads (a nickname without URL-special characters: the original SDK does not
//      encode the data, see authing-compat.md §3.5).

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before } from 'node:test';

import { fixture, readQr, scenario, screenshot, sleep } from '../lib/browser.js';
import { checkToken, phoneLogsIn } from '../lib/phone.js';

const require = createRequire(import.meta.url);
const BUNDLE = require.resolve('authing-js-sdk/dist/authing-js-sdk-browser.min.js');
const VERSION = require('authing-js-sdk/package.json').version;
const env = fixture({ before, after });

/** Opens a denglu page that has nothing of its own (/s/<x>: "scan with WeChat"), and injects the 3.22.3 bundle. */
async function pageWithOriginalSdk(page, base) {
  await page.goto(`${base}/s/browser-test-host-page`);
  await page.addScriptTag({ path: BUNDLE });
  assert.equal(await page.evaluate(() => typeof window.Authing), 'function', 'the bundle defines window.Authing');
}

/** The requests the page made, as "METHOD /path" (query dropped), deduplicated, in order. */
function endpoints(w) {
  return [...new Set(w.requests.map((r) => `${r.method} ${new URL(r.url).pathname.replace(/\/qrcode\/[^/]+\.png$/, '/qrcode/<scene>.png')}`))];
}

scenario(env, '6a. authing-js-sdk 3.22.3 (unmodified) startWXAppScaning({redirect: false}) → onSuccess user, token verifies', '06a-authing-sdk', async (t, w) => {
  assert.equal(VERSION, '3.22.3');
  const { page } = w;
  const { base, poolId } = env.server;
  await pageWithOriginalSdk(page, base);
  const beforeSdk = w.requests.length;

  // The constructor alone: in a browser, 3.22.3 makes no request (no GraphQL, no preflight by default).
  await page.evaluate(({ base, poolId }) => {
    window.authing = new Authing({ userPoolId: poolId, host: { user: `${base}/graphql`, oauth: `${base}/graphql` } });
  }, { base, poolId });
  await sleep(1000);
  assert.deepEqual(endpoints({ requests: w.requests.slice(beforeSdk) }), [], 'new Authing() sends nothing');

  await page.evaluate(() => {
    window.__calls = { success: [], error: [], intervals: 0 };
    window.authing.startWXAppScaning({
      redirect: false,
      onSuccess: (result) => window.__calls.success.push(result),
      onError: (error) => window.__calls.error.push(JSON.parse(JSON.stringify(error))),
      onIntervalStarting: () => { window.__calls.intervals += 1; },
    });
  });
  const qr = await readQr(page, env.server);
  await page.waitForFunction(() => window.__calls.intervals >= 1, null, { timeout: 10_000 });
  await screenshot(page, '06a-authing-sdk-1-qr');
  await phoneLogsIn(base, qr.scene, { nickname: 'Authing 3.22.3 用户' });

  await page.waitForFunction(() => window.__calls.success.length > 0, null, { timeout: 15_000 });
  const successAt = Date.now();
  const result = (await page.evaluate(() => window.__calls.success))[0];
  assert.equal(result.code, 200);
  assert.equal(result.message, '扫码登录成功');
  assert.equal(result.data.nickname, 'Authing 3.22.3 用户');
  assert.equal((await checkToken(base, result.data.token)).status, true, 'the token from onSuccess verifies');
  assert.ok(await page.locator('#__authing_success_tip').isVisible(), 'the original success overlay shows');
  assert.equal(await page.locator('#__authing_success_tip').textContent(), '扫码成功');
  assert.equal(await page.evaluate(() => sessionStorage.randomWord.length >= 12), true);
  await screenshot(page, '06a-authing-sdk-2-success');

  await sleep(3 * 1500 + 500);
  const calls = await page.evaluate(() => window.__calls);
  assert.equal(calls.success.length, 1, 'onSuccess ran once');
  assert.deepEqual(calls.error, [], 'no onError');
  assert.equal(w.count('/oauth/wxapp/confirm/qr', successAt + 200), 0, 'polling stopped after success');

  const all = endpoints(w);
  t.diagnostic(`every request of the page: ${JSON.stringify(all)}`);
  t.diagnostic(`polls: ${w.count('/oauth/wxapp/confirm/qr')}; console: ${JSON.stringify(w.consoleLines)}`);
  assert.deepEqual(w.outside, [], 'nothing went to Authing hosts or anywhere else outside denglu');
  assert.deepEqual(all.filter((e) => e.includes('/graphql')), [], 'no GraphQL calls in the QR flow');
  assert.deepEqual(
    all.filter((e) => !['GET /s/browser-test-host-page', `GET /oauth/wxapp/qrcode/${poolId}`, 'GET /qrcode/<scene>.png', 'POST /oauth/wxapp/confirm/qr'].includes(e)),
    [],
    'the original SDK uses only the compatible endpoints',
  );
  assert.deepEqual(w.pageErrors, [], 'no uncaught errors');
});

scenario(env, '6b. authing-js-sdk 3.22.3 (unmodified) redirect mode → /demo/callback?code=200&data=… read by the callback page', '06b-authing-sdk-redirect', async (t, w) => {
  const { page } = w;
  const { base, poolId } = env.server;
  await pageWithOriginalSdk(page, base);
  await page.evaluate(({ base, poolId }) => {
    const authing = new Authing({ userPoolId: poolId, host: { user: `${base}/graphql`, oauth: `${base}/graphql` } });
    authing.startWXAppScaning({});
  }, { base, poolId });
  const qr = await readQr(page, env.server);
  const navigated = page.waitForURL((url) => url.pathname === '/demo/callback', { timeout: 15_000 });
  const nickname = 'Ada Lovelace 中文';
  await phoneLogsIn(base, qr.scene, { nickname });
  await navigated;
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('code'), '200');
  await page.waitForFunction(() => document.body.dataset.state !== 'waiting', null, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'success');
  const user = JSON.parse(await page.locator('#result').textContent());
  assert.equal(user.nickname, nickname);
  assert.equal((await checkToken(base, user.token)).status, true);
  await screenshot(page, '06b-authing-sdk-redirect-callback');
  assert.deepEqual(w.outside, []);
});
