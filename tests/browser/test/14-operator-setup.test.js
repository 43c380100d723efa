// 14. An operator's setup page (/console/setup#<token>): `denglu admin create` makes the link against the running
// server's database; the page (Chinese for a Chinese browser, English on a click) shows the authenticator's QR code,
// which decodes to the otpauth URI whose key the page prints; bad input is refused next to its field and nothing
// typed is lost; the right password and current code finish the setup and show ten recovery codes, one of which
// then signs in through the admin API. A used or unknown link shows what to do. Screenshots at 1280 and 390 px.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { decodePng, fixture, scenario, screenshot } from '../lib/browser.js';
import { admin as adminOn, field, totp } from '../lib/operator.js';

const env = fixture({ before, after });
const PASSWORD = 'a long enough passphrase';
const admin = (args) => adminOn(env.server, args);

/** Whether anything is wider than the page. */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

scenario(env, '14a. operator setup: QR, refusals next to the field, recovery codes that sign in', '14-operator-setup', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  const made = admin(['create', '--name', 'alice']);
  const link = field(made, 'setup link');
  assert.equal(link, `${base}/console/setup#${field(made, 'setup token')}`);

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(link);
  await page.waitForFunction(() => document.body.dataset.state === 'form', null, { timeout: 10_000 });
  assert.equal(await page.locator('#form h1').innerText(), '欢迎， alice');
  const secret = (await page.locator('#secret').innerText()).replace(/\s/g, '');
  const src = await page.locator('#qr').getAttribute('src');
  assert.ok(src.startsWith('data:image/png;base64,'));
  const uri = decodePng(Buffer.from(src.split(',')[1], 'base64'));
  assert.ok(uri.startsWith('otpauth://totp/denglu%20127.0.0.1:alice?'), uri);
  assert.equal(new URL(uri).searchParams.get('secret'), secret, 'the QR code holds the key the page prints');
  assert.ok((await overflow(page)) <= 0);
  await screenshot(page, '14-operator-setup-1-zh-1280');

  await page.locator('#language').click();
  assert.equal(await page.locator('#form h2').first().innerText(), 'Add denglu to your authenticator app');
  await page.fill('#password', 'too short');
  await page.fill('#repeat', 'too short');
  await page.fill('#code', totp(secret));
  await page.click('#submit');
  assert.equal(await page.locator('#form-error').innerText(), 'The password needs 12 to 128 characters.');
  assert.equal(await page.locator('#password').getAttribute('aria-invalid'), 'true');

  await page.fill('#password', PASSWORD);
  await page.fill('#repeat', `${PASSWORD}!`);
  await page.click('#submit');
  assert.equal(await page.locator('#form-error').innerText(), 'The two passwords differ.');

  await page.fill('#repeat', PASSWORD);
  const wrong = totp(secret) === '000000' ? '111111' : '000000';
  await page.fill('#code', wrong);
  await page.click('#submit');
  await page.waitForFunction(() => document.getElementById('form-error').textContent.includes('does not match'));
  assert.equal(await page.locator('#code').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.inputValue('#password'), PASSWORD, 'what was typed stays');
  await screenshot(page, '14-operator-setup-2-wrong-code');

  await page.fill('#code', totp(secret));
  await page.click('#submit');
  await page.waitForFunction(() => document.body.dataset.state === 'done', null, { timeout: 10_000 });
  const codes = (await page.locator('#recovery li').allInnerTexts()).map((c) => c.trim());
  assert.equal(codes.length, 10);
  assert.equal(new Set(codes).size, 10);
  assert.ok(codes.every((c) => /^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/.test(c)), codes.join(' '));
  assert.equal(new URL(page.url()).hash, '', 'the token leaves the address bar');
  await screenshot(page, '14-operator-setup-3-done-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok((await overflow(page)) <= 0, 'nothing cut off on a phone');
  await screenshot(page, '14-operator-setup-4-done-390');

  const signIn = await fetch(`${base}/api/v1/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'alice', password: PASSWORD, code: codes[3] }),
  });
  assert.equal(signIn.status, 200, await signIn.clone().text());
  assert.match(signIn.headers.get('set-cookie'), /^denglu_admin=[^;]+;.*HttpOnly/);
  assert.equal((await signIn.json()).operator.name, 'alice');

  // The link is used: opening it again says so and what to do.
  await page.goto('about:blank');
  await page.goto(link);
  await page.waitForFunction(() => document.body.dataset.state === 'invalid', null, { timeout: 10_000 });
  assert.equal(await page.locator('#invalid h1').innerText(), '此设置链接无效');
  assert.equal(await page.locator('#invalid-detail').innerText(), '', 'no English server words on a Chinese page');
  assert.match(await page.locator('#invalid pre').innerText(), /denglu admin reset/);
  await screenshot(page, '14-operator-setup-5-used-390');
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});

scenario(env, '14b. operator setup on a phone, in Chinese, without a link', '14-operator-setup-phone', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  const made = admin(['create', '--name', 'bob.li']);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(field(made, 'setup link'));
  await page.waitForFunction(() => document.body.dataset.state === 'form', null, { timeout: 10_000 });
  assert.ok((await overflow(page)) <= 0, 'nothing cut off on a phone');
  assert.equal(await page.locator('#submit').innerText(), '完成设置');
  await screenshot(page, '14-operator-setup-6-zh-390');

  await page.goto(`${base}/console/setup`);
  await page.waitForFunction(() => document.body.dataset.state === 'invalid', null, { timeout: 10_000 });
  assert.equal(await page.locator('#invalid h1').innerText(), '此设置链接无效');
  const response = await fetch(`${base}/console/setup`);
  assert.match(response.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});
