// 16. The device flow demo (`/demo/device`): the page plays a TV, asks for codes with the demo application and shows
// the QR image, the user code and the verification page; the simulated phone scans the QR code read back from the
// page and confirms, and the page shows the ID token's claims; a second run where the phone cancels ends
// "cancelled". From Node: two polls of one device code at once, one of them answered slow_down. Screenshots of the
// waiting and the logged-in page at 1280 and 390 px (the whole page), and of the cancelled one.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { fixture, readQr, scenario, screenshot } from '../lib/browser.js';
import { cancel, phoneLogsIn, phoneScans } from '../lib/phone.js';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

const env = fixture({ before, after });

/** Whether anything is wider than the page. */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** A form POST from Node: {status, body}. */
async function post(url, fields) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  return { status: res.status, body: await res.json() };
}

/** The demo application, as the pages get it. */
async function demoClient() {
  const config = await (await fetch(`${env.server.base}/demo/config.json`)).json();
  assert.ok(config.oidc, 'dev made the demo application');
  return config.oidc;
}

/** Opens the device page, starts, and reads the QR image it shows: {qr, userCode}. */
async function startDevice(page) {
  await page.goto(`${env.server.base}/demo/device`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 10_000 });
  await page.locator('#start').click();
  const qr = await readQr(page, env.server, { selector: '#qr' });
  await page.waitForFunction(() => document.body.dataset.state === 'waiting', null, { timeout: 10_000 });
  return { qr, userCode: await page.locator('#user-code').innerText() };
}

scenario(env, '16a. device page: QR and user code, the phone scans and confirms, the ID token claims shown', '16-device', async (t, w) => {
  const { page } = w;
  const { base, poolId } = env.server;
  const client = await demoClient();
  const issuer = `${base}/oidc/${poolId}`;
  await page.setViewportSize({ width: 1280, height: 800 });
  const { qr, userCode } = await startDevice(page);
  assert.match(userCode, /^[B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4}$/);
  assert.equal(await page.locator('#verification-uri').getAttribute('href'), `${issuer}/device`);
  assert.equal(await page.locator('#verification-uri').innerText(), `${issuer}/device`);
  assert.equal(await page.locator('#scan-with-phone').getAttribute('href'), `/demo/phone?scan=${encodeURIComponent(qr.text)}`);
  const verification = await (await fetch(`${issuer}/device?user_code=${encodeURIComponent(userCode)}`)).text();
  assert.ok(verification.includes(`/qrcode/${qr.scene}.png`), 'the verification page shows the same QR session for the user code');

  // One poll answered authorization_pending, after the interval.
  await page.waitForFunction(() => document.getElementById('polls').textContent === '1', null, { timeout: 10_000 });
  assert.equal(await page.locator('#answer').innerText(), 'authorization_pending');
  assert.equal(await page.locator('#interval').innerText(), '5');
  assert.ok((await overflow(page)) <= 0);
  await screenshot(page, '16-device-1-waiting-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok((await overflow(page)) <= 0, 'nothing cut off at 390 px');
  await screenshot(page, '16-device-1-waiting-390', { fullPage: true });

  const nickname = '电视 TV';
  await phoneLogsIn(base, qr.scene, { nickname });
  await page.waitForFunction(() => document.body.dataset.state !== 'waiting', null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'confirmed', await page.locator('#status').innerText());
  const claims = JSON.parse(await page.locator('#claims').innerText());
  assert.equal(claims.iss, issuer);
  assert.equal(claims.aud, client.clientId);
  assert.equal(claims.nickname, nickname);
  assert.deepEqual(claims.amr, ['wechat_qr']);
  assert.equal(claims.sid, undefined, 'no browser session behind a device');
  assert.equal(await page.locator('#status').innerText(), `已登录 · Logged in: ${nickname} (sub ${claims.sub})`);
  assert.equal(await page.locator('#device').isVisible(), false);
  assert.ok((await overflow(page)) <= 0);
  await screenshot(page, '16-device-2-confirmed-390', { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, '16-device-2-confirmed-1280');
  t.diagnostic(`user code ${userCode}, sub ${claims.sub}`);
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});

scenario(env, '16b. device page: the phone cancels, the page shows cancelled', '16-device-cancel', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  await page.setViewportSize({ width: 1280, height: 800 });
  const { qr } = await startDevice(page);
  const phone = await phoneScans(base, qr.scene, { nickname: '取消 Cancel' });
  const cancelled = await cancel(base, qr.scene, phone.scanToken);
  assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
  await page.waitForFunction(() => document.body.dataset.state !== 'waiting', null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'cancelled');
  assert.equal(await page.locator('#status').innerText(), '已取消 · Cancelled on the phone');
  assert.equal(await page.locator('#answer').innerText(), 'access_denied');
  assert.equal(await page.locator('.tv').evaluate((el) => getComputedStyle(el).opacity), '0.4', 'the dead codes dimmed');
  await screenshot(page, '16-device-3-cancelled-1280');
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});

scenario(env, '16c. two polls of one device code at once: one of them is slow_down', '16-device-slow-down', async () => {
  const client = await demoClient();
  const started = await post(`${client.issuer}/device/authorize`, { client_id: client.clientId });
  assert.equal(started.status, 200, JSON.stringify(started.body));
  assert.equal(started.body.interval, 5);
  const poll = () => post(`${client.issuer}/token`, {
    grant_type: GRANT,
    device_code: started.body.device_code,
    client_id: client.clientId,
  });
  const answers = await Promise.all([poll(), poll()]);
  assert.deepEqual(answers.map((a) => a.status), [400, 400]);
  assert.deepEqual(answers.map((a) => a.body.error).sort(), ['authorization_pending', 'slow_down']);
});
