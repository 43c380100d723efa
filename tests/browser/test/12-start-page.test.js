// 12. The start page (/) and the web demo's additions: the page shows the demo pool and every link on it answers
// 200; the web demo shows its own integration code, a "scan with the simulated phone" link holding the QR link,
// and after a login the user and the decoded token (data.id = the user's id), in onSuccess and redirect modes.
// Also takes the README's screenshot of the web demo after a login; with UPDATE_README_IMAGE=1 it replaces
// docs/images/web-demo.png (otherwise it stays in screenshots/, so test runs leave the tree clean).

import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';

import { fixture, readQr, scenario, screenshot } from '../lib/browser.js';
import { checkToken, phoneLogsIn } from '../lib/phone.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const README_SHOT = resolve(HERE, '../../../docs/images/web-demo.png');

const env = fixture({ before, after });

/** Whether any two of the elements' boxes overlap (by more than a pixel). */
async function overlaps(page, selector) {
  return page.evaluate((sel) => {
    const boxes = [...document.querySelectorAll(sel)].map((el) => [el, el.getBoundingClientRect()]);
    const hits = [];
    for (let i = 0; i < boxes.length; i += 1) {
      for (let j = i + 1; j < boxes.length; j += 1) {
        const [a, ra] = boxes[i];
        const [b, rb] = boxes[j];
        if (a.contains(b) || b.contains(a)) continue;
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 1 && y > 1) hits.push(`${a.id || a.tagName} × ${b.id || b.tagName}`);
      }
    }
    return hits;
  }, selector);
}

/** Nothing wider than the page (cut off on the right). */
async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

scenario(env, '12a. start page: the demo pool, what runs, and every link answers 200', '12-start-page', async (t, w) => {
  const { page } = w;
  const { base, poolId, poolSecret } = env.server;
  await page.goto(`${base}/`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 10_000 });
  assert.equal(await page.locator('#pool-id').textContent(), poolId);
  assert.equal(await page.locator('#pool-secret').textContent(), poolSecret);
  assert.equal(await page.locator('#origin').textContent(), base);
  const text = await page.locator('body').innerText();
  for (const words of ['SQLite', 'WeChat simulator', '微信模拟器', 'wxd000000000000001', 'openapi.json']) {
    assert.ok(text.includes(words), `the start page mentions ${words}`);
  }

  const hrefs = await page.evaluate(() => [...document.querySelectorAll('a[href]')].map((a) => a.href));
  const expected = ['/demo/qr?mode=onSuccess', '/demo/qr?mode=redirect', '/demo/phone', '/demo/app', '/demo/sdk',
    '/demo/oidc', '/demo/device', '/console/dev-sign-in', '/api/v1/openapi.json', '/wechat-sim/__sim/state', `/api/v1/pools/${poolId}/jwks.json`, '/healthz'];
  for (const path of expected) assert.ok(hrefs.includes(base + path), `the start page links ${path}: ${hrefs}`);
  for (const href of hrefs) {
    assert.ok(href.startsWith(`${base}/`), `a link to this server: ${href}`);
    const res = await fetch(href);
    assert.equal(res.status, 200, `${href} answers 200`);
  }
  t.diagnostic(`${hrefs.length} links, all 200`);
  assert.deepEqual(await overlaps(page, '.card, table, h2'), [], 'no overlapping blocks');
  assert.ok((await horizontalOverflow(page)) <= 0, 'nothing cut off on the right');
  await screenshot(page, '12-start-page');
  await page.screenshot({ path: resolve(HERE, '../screenshots/12-start-page-full.png'), fullPage: true });
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});

scenario(env, '12b. web demo (onSuccess): integration code shown, phone link, user and decoded token after login', '12-web-demo', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  await page.goto(`${base}/demo/qr?mode=onSuccess`);
  const source = await page.locator('#source').textContent();
  assert.match(source, /new Authing\(\{ userPoolId: poolId, host: \{ oauth: location\.origin \} \}\)/);
  assert.match(source, /startWXAppScaning\(/);
  assert.match(source, /denglu\.min\.js/);
  assert.ok(source.split('\n').length <= 25, `the integration code is short: ${source.split('\n').length} lines`);

  const qr = await readQr(page, env.server);
  const phoneLink = page.locator('#scan-with-phone');
  await page.waitForFunction(() => document.getElementById('scan-with-phone').getAttribute('aria-disabled') === 'false');
  assert.equal(await phoneLink.getAttribute('href'), `/demo/phone?scan=${encodeURIComponent(qr.text)}`);
  assert.equal(await page.locator('#qr-link').textContent(), qr.text);
  assert.equal(await page.locator('#token-box').isVisible(), false, 'no token before the login');
  await screenshot(page, '12-web-demo-1-qr');

  const nickname = '小红 Xiaohong';
  await phoneLogsIn(base, qr.scene, { nickname });
  await page.waitForFunction(() => document.body.dataset.state === 'success', null, { timeout: 15_000 });
  const user = JSON.parse(await page.locator('#result').textContent());
  assert.equal(user.nickname, nickname);
  const payload = JSON.parse(await page.locator('#token').textContent());
  assert.equal(payload.data.id, user._id, "the decoded token's data.id is the user's id");
  assert.equal(typeof payload.exp, 'number');
  assert.equal((await checkToken(base, user.token)).status, true);
  // Let the SDK's success overlay settle, then the picture for the README.
  await page.waitForTimeout(300);
  assert.deepEqual(await overlaps(page, '.left, .right, .results > div, #qr-link'), [], 'no overlapping blocks');
  assert.ok((await horizontalOverflow(page)) <= 0, 'nothing cut off on the right');
  assert.ok(await page.evaluate(() => {
    const link = document.getElementById('qr-link').getBoundingClientRect();
    return link.right <= document.querySelector('.left').getBoundingClientRect().right + 1;
  }), 'the QR link stays in its column');
  await screenshot(page, '12-web-demo-2-done');
  // The README's picture: the whole page (QR, integration code, user, decoded token).
  const fullShot = resolve(HERE, '../screenshots/12-web-demo-2-done-full.png');
  mkdirSync(dirname(fullShot), { recursive: true });
  await page.screenshot({ path: fullShot, fullPage: true });
  if (process.env.UPDATE_README_IMAGE === '1') copyFileSync(fullShot, README_SHOT);
  t.diagnostic(`decoded token: ${JSON.stringify(payload)}`);
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});

scenario(env, '12c. web demo (redirect): the callback page shows the user and the decoded token', '12-web-demo-redirect', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  await page.goto(`${base}/demo/qr?mode=redirect`);
  const qr = await readQr(page, env.server);
  const navigated = page.waitForURL((url) => url.pathname === '/demo/callback', { timeout: 15_000 });
  await phoneLogsIn(base, qr.scene, { nickname: '跳转 Redirect' });
  await navigated;
  await page.waitForFunction(() => document.body.dataset.state !== 'waiting', null, { timeout: 10_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'success');
  const user = JSON.parse(await page.locator('#result').textContent());
  const payload = JSON.parse(await page.locator('#token').textContent());
  assert.equal(payload.data.id, user._id);
  await screenshot(page, '12-web-demo-3-callback');
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});
