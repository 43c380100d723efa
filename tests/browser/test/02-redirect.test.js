// 2. redirect mode: after the phone confirms, the browser goes to the pool's callback (/demo/callback) with
// ?code=200&data=<user JSON>, and a nickname full of URL-special characters survives the trip.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { fixture, readQr, scenario, screenshot } from '../lib/browser.js';
import { checkToken, phoneLogsIn } from '../lib/phone.js';

const env = fixture({ before, after });

// '#' would cut the URL (fragment), '&' split the query, '%' (also as a fake escape '%E4') break or double-decode,
// '+' turn into a space in form decoding; spaces and Chinese must come back as they were.
const NICKNAME = 'A&B #1 100% +1 %E4%B8 a+b=c 中文 昵称?';

scenario(env, '2. redirect mode: lands on /demo/callback?code=200&data=…, user (nickname with # & % + 中文) round-trips', '02-redirect', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  await page.goto(`${base}/demo/qr?mode=redirect`);
  const qr = await readQr(page, env.server);

  // The redirect overlay shows for 600 ms before the navigation: note it in sessionStorage (kept across the
  // same-origin navigation) when it appears.
  await page.evaluate(() => {
    new MutationObserver(() => {
      const tip = document.getElementById('__authing_success_redirect_tip');
      if (tip) sessionStorage.setItem('test.redirectTip', tip.textContent);
    }).observe(document.body, { childList: true, subtree: true });
  });
  const navigated = page.waitForURL((url) => url.pathname === '/demo/callback', { timeout: 15_000 });
  await phoneLogsIn(base, qr.scene, { nickname: NICKNAME });
  await navigated;
  assert.equal(await page.evaluate(() => sessionStorage.getItem('test.redirectTip')), '扫码成功，即将跳转',
    'the redirect overlay was shown before leaving');

  const url = new URL(page.url());
  assert.equal(url.origin, base);
  assert.equal(url.hash, '', 'nothing of the user leaked into a URL fragment');
  assert.deepEqual([...url.searchParams.keys()], ['code', 'data'], `exactly two parameters: ${url.search}`);
  assert.equal(url.searchParams.get('code'), '200');
  const user = JSON.parse(url.searchParams.get('data'));
  assert.equal(user.nickname, NICKNAME, 'the nickname survives the URL round trip exactly');
  assert.equal(typeof user.token, 'string');

  await page.waitForFunction(() => document.body.dataset.state !== 'waiting', null, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'success', 'the callback page decoded the user');
  const shown = JSON.parse(await page.locator('#result').textContent());
  assert.equal(shown.nickname, NICKNAME, 'the callback page shows the same nickname');
  assert.equal(shown.token, user.token);
  assert.equal((await checkToken(base, user.token)).status, true, 'the token from the redirect verifies');
  await screenshot(page, '02-redirect-callback');

  // The server sees the same parameters (what a real callback handler would read).
  const asServer = new URLSearchParams(url.search);
  assert.equal(JSON.parse(asServer.get('data')).nickname, NICKNAME);
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
  t.diagnostic(`callback URL length: ${page.url().length}`);
});
