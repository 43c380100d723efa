// 3. cancel: the phone scans, then refuses. The page shows the terminal overlay ("用户取消了登录，点击刷新"),
// calls onError with 4203, and stops talking to the server: no poll and no push-stream reconnect afterwards.
// Run twice: with the push channel (the SDK's default on denglu) and with polling (the push channel answered 404,
// as on a server without it, so the SDK falls back to POST /oauth/wxapp/confirm/qr).

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { fixture, readQr, scenario, screenshot, sleep } from '../lib/browser.js';
import { cancel, phoneScans } from '../lib/phone.js';

const env = fixture({ before, after });

const INTERVAL = 1500; // the SDK's default poll interval, which the demo page keeps
const POLL = '/oauth/wxapp/confirm/qr';
const EVENTS = '/api/v1/qr/events';

for (const channel of ['push', 'polling']) {
  scenario(env, `3. cancel (${channel}): terminal overlay, onError 4203, no more requests`, `03-cancel-${channel}`, async (t, w) => {
    const { page } = w;
    const { base } = env.server;
    if (channel === 'polling') {
      await page.route(`**${EVENTS}?*`, (route) => route.fulfill({ status: 404, body: '' }));
    }
    await page.goto(`${base}/demo/qr?mode=onSuccess`);
    const qr = await readQr(page, env.server);
    if (channel === 'polling') {
      // polling has started, and goes on while nothing happens
      await page.waitForRequest((req) => new URL(req.url()).pathname === POLL, { timeout: 10_000 });
      await sleep(2 * INTERVAL);
      assert.ok(w.count(POLL) >= 2, `the SDK polls while waiting (${w.count(POLL)} polls)`);
    } else {
      assert.equal(w.count(EVENTS), 1, 'one push stream');
    }

    const phone = await phoneScans(base, qr.scene, { nickname: '取消者' });
    await page.locator('#__authing_scanned_tip').waitFor({ state: 'visible', timeout: 10_000 });
    const cancelled = await cancel(base, qr.scene, phone.scanToken);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.state, 'cancelled');

    const overlay = page.locator('#__authing_expired_tip');
    await overlay.waitFor({ state: 'visible', timeout: 10_000 });
    const stoppedAt = Date.now();
    assert.equal(await overlay.textContent(), '用户取消了登录，点击刷新');
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'error');
    const reported = JSON.parse((await page.locator('#result').textContent()).replace(/^Error: /, ''));
    assert.equal(reported.code, 4203, `onError got the cancel reply: ${JSON.stringify(reported)}`);
    assert.equal(reported.state, 'cancelled');
    await screenshot(page, `03-cancel-${channel}`);

    const pollsBefore = w.count(POLL);
    const streamsBefore = w.count(EVENTS);
    await sleep(3 * INTERVAL + 1000); // also longer than EventSource's reconnect delay (about 3 s)
    assert.equal(w.count(POLL, stoppedAt), 0, 'no poll after the terminal state');
    assert.equal(w.count(EVENTS, stoppedAt), 0, 'no push-stream (re)connection after the terminal state');
    assert.ok(await overlay.isVisible(), 'the overlay stays');
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'error', 'nothing else happened');
    assert.equal(await page.locator('#__authing_success_tip').count(), 0);
    t.diagnostic(`${channel}: ${pollsBefore} poll(s), ${streamsBefore} stream request(s) in all`);
    assert.deepEqual(w.pageErrors, []);
  });
}
