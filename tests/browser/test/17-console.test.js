// 17. The operators' console (/console): an operator's day, walked in Chromium against `denglu dev`.
//   a. sign in with password and TOTP; create a pool (its secret shown once); add a mini program (a wrong AppSecret
//      refused next to its field, then the right one, checked with WeChat); upload a logo and see the QR preview
//      change; set the callback URL (a bad one refused next to its field); create an OpenID Connect application and
//      follow its "try it" link to the hosted login page; a user logs in by QR on the simulated phone, sharing their
//      phone number; find them by that number; see the login in the audit log; block them (their token stops
//      working), unblock; rotate a key; delete the user.
//   b. an owner makes a pool admin (setup link) and a read-only token (used, then revoked) on the operators page;
//      the pool admin sees only their pools; a request without the CSRF token changes nothing.
//   c. every page in Chinese and in English, at 1280 and 390 px, signed in through `denglu dev`'s link.
// Screenshots of every page at both widths.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

import { PNG } from 'pngjs';

import { decodePng, fixture, scenario, screenshot } from '../lib/browser.js';
import { admin, completeSetup, field, setUpOperator, totp } from '../lib/operator.js';
import { checkToken, ok, request } from '../lib/phone.js';

// The development owner `dev` is made first (by its sign-in link), so that any scenario may make pool admins.
const env = fixture({ before, after }, {
  setup: async ({ server }) => {
    const response = await fetch(`${server.base}/console/dev-sign-in`, { redirect: 'manual' });
    assert.equal(response.status, 303);
  },
});
const PASSWORD = 'console walk passphrase';
const PHONE = '13700137000';
const MINI_PROGRAM = { appid: 'wx5a0e000000000017', secret: 'shop-mini-program-secret' };

/** An owner's admin API token, made with the command line once (for setting up what a test needs). */
let adminToken = null;
function ownerToken() {
  adminToken ??= field(admin(env.server, ['token', 'create', '--name', 'console-test', '--write']), 'secret');
  return adminToken;
}

/** Waits until the console has drawn a page (or the sign-in form, or an error). */
const drawn = (page, state = 'ready') =>
  page.waitForFunction((s) => document.body.dataset.state === s, state, { timeout: 15_000 });

/** Opens a console page by its hash path and waits for it. */
async function open(page, path, state = 'ready') {
  await page.goto(`${env.server.base}/console/#${path}`);
  await drawn(page, state);
}

/** Whether anything is wider than the page. */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Screenshots of the page at 1280 and at 390 px, checking that nothing is cut off on the phone. */
async function shots(page, name) {
  await screenshot(page, `${name}-1280`, { fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(100);
  assert.ok((await overflow(page)) <= 0, `${name}: nothing wider than a phone`);
  await screenshot(page, `${name}-390`, { fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** Submits the form holding `selector` and waits until it is saved or shows an error. */
async function submit(page, formSelector) {
  const form = page.locator(formSelector);
  await form.locator('button[type=submit]').click();
  await page.waitForFunction(
    (sel) => {
      const f = document.querySelector(sel);
      if (!f) return true;
      const saved = f.querySelector('.status')?.textContent;
      const errors = [...f.querySelectorAll('.error')].some((e) => e.textContent.trim());
      return Boolean(saved) || errors;
    },
    formSelector,
    { timeout: 15_000 },
  );
}

/** Answers the confirmation dialog (typing `typed` when it asks for it). */
async function confirmDialog(page, typed) {
  await page.locator('#confirm[open]').waitFor();
  if (typed) await page.fill('#confirm-typed', typed);
  await page.click('#confirm-ok');
}

/** The admin API called from the signed-in page, as the console does (cookie and CSRF token). */
function adminFetch(page, method, path, { csrf = true } = {}) {
  return page.evaluate(async ([m, p, withCsrf]) => {
    const headers = {};
    if (withCsrf) headers['X-CSRF-Token'] = (await (await fetch('/api/v1/admin/whoami')).json()).csrfToken;
    const response = await fetch(`/api/v1/admin${p}`, { method: m, headers });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, bytes: Array.from(bytes) };
  }, [method, path, csrf]);
}

/** A 96×96 PNG logo of one colour. */
function logoFile() {
  const png = new PNG({ width: 96, height: 96 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([220, 40, 60, 255], i);
  const path = join(mkdtempSync(join(tmpdir(), 'denglu-logo-')), 'logo.png');
  writeFileSync(path, PNG.sync.write(png));
  return path;
}

/** Signs in on the console's form; `code` defaults to the authenticator's next code (this one was used at setup). */
async function signIn(page, name, secret) {
  await page.goto(`${env.server.base}/console/`);
  await drawn(page, 'sign-in');
  await page.fill('#f-name', name);
  await page.fill('#f-password', PASSWORD);
  await page.fill('#f-code', totp(secret, Date.now() + 30_000));
  await page.locator('main form button[type=submit]').click();
  await drawn(page);
}

scenario(env, "17a. an operator's day: pool, mini program, logo, callback, application, a user found, blocked, deleted", '17-console-walk', async (t, w) => {
  const { page } = w;
  const { base } = env.server;
  await page.setViewportSize({ width: 1280, height: 900 });
  const secret = await setUpOperator(env.server, 'olivia', PASSWORD);

  // Sign in: a wrong code is refused without saying which part was wrong; what was typed stays.
  await page.goto(`${base}/console/`);
  await drawn(page, 'sign-in');
  assert.equal(await page.locator('h1').innerText(), '登录 denglu');
  await page.fill('#f-name', 'olivia');
  await page.fill('#f-password', PASSWORD);
  await page.fill('#f-code', totp(secret, Date.now() + 30_000) === '000000' ? '111111' : '000000');
  await submit(page, 'main form');
  assert.equal(await page.locator('main form .form-error').innerText(), '名字、密码或验证码不正确。 (4503)');
  assert.equal(await page.locator('main [aria-invalid]').count(), 0, 'no field is blamed');
  assert.equal(await page.inputValue('#f-password'), PASSWORD, 'what was typed stays');
  await shots(page, '17-console-01-sign-in');
  await page.fill('#f-code', totp(secret, Date.now() + 30_000));
  await page.locator('main form button[type=submit]').click();
  await drawn(page);
  assert.equal(await page.locator('#who').innerText(), 'olivia');

  // A pool: an empty name is refused next to the name; the made pool's secret is shown once and works.
  await page.fill('#f-name', '');
  await submit(page, 'main form');
  assert.match(await page.locator('.field[data-field="name"] .error').innerText(), /name/);
  await page.fill('#f-name', 'Shop 商城');
  await submit(page, 'main form');
  const poolSecret = (await page.locator('#created-pool code.secret').innerText()).trim();
  await shots(page, '17-console-02-pool-created');
  await page.click('#created-pool a.button');
  await drawn(page);
  const poolId = (await page.locator('#pool-id').innerText()).trim();
  assert.match(poolId, /^[0-9a-f]{24}$/);
  assert.equal(await page.locator('h1').innerText(), 'Shop 商城');
  const withSecret = { 'X-Pool-Secret': poolSecret };
  await ok(base, 'GET', `/api/v1/pools/${poolId}/qr-settings`, undefined, withSecret);
  assert.match(await page.locator('main').innerText(), new RegExp(`userPoolId: '${poolId}'`), 'snippets carry the pool id');
  await shots(page, '17-console-03-overview');

  // A mini program: WeChat (the simulator) knows it; a wrong AppSecret is refused next to the secret.
  await ok(base, 'POST', '/wechat-sim/__sim/apps', MINI_PROGRAM);
  await open(page, `/pools/${poolId}/apps`);
  const add = page.locator('#app-add');
  await add.locator('[name=appid]').fill(MINI_PROGRAM.appid);
  await add.locator('[name=name]').fill('Shop mini program');
  await add.locator('input[name=roles][value=qr_login]').check();
  await add.locator('input[name=roles][value=sdk]').check();
  await add.locator('[name=secret]').fill('not-the-secret');
  await submit(page, '#app-add');
  assert.match(await add.locator('.field[data-field="secret"] .error').innerText(), /4306/);
  assert.equal(await add.locator('[name=appid]').inputValue(), MINI_PROGRAM.appid, 'what was typed stays');
  await add.locator('[name=secret]').fill(MINI_PROGRAM.secret);
  await submit(page, '#app-add');
  await drawn(page);
  const app = page.locator(`[data-appid="${MINI_PROGRAM.appid}"]`);
  await app.waitFor();
  await app.locator('.app-check').click();
  await app.locator('.app-check-result.good').waitFor({ timeout: 15_000 });
  assert.match(await app.innerText(), /qr_login/);
  await shots(page, '17-console-04-wechat-apps');

  // The logo: the preview is a readable code before and after, and it changes.
  await open(page, `/pools/${poolId}/login`);
  const before = await adminFetch(page, 'GET', `/pools/${poolId}/qr-preview`);
  assert.equal(before.status, 200);
  const link = decodePng(Buffer.from(before.bytes));
  assert.ok(link, 'the preview is a readable QR code');
  await page.waitForFunction(() => document.getElementById('qr-preview').complete);
  const previewSrc = await page.locator('#qr-preview').getAttribute('src');
  await page.setInputFiles('#logo-file', logoFile());
  await page.waitForFunction((src) => {
    const img = document.getElementById('qr-preview');
    return img.src !== new URL(src, window.location.href).href && img.complete && img.naturalWidth > 0
      && !document.getElementById('logo').hidden;
  }, previewSrc, { timeout: 15_000 });
  const afterLogo = await adminFetch(page, 'GET', `/pools/${poolId}/qr-preview`);
  assert.notDeepEqual(afterLogo.bytes, before.bytes, 'the preview changed with the logo');
  assert.equal(decodePng(Buffer.from(afterLogo.bytes)), link, 'and still reads as the same link');
  const logoBack = await adminFetch(page, 'GET', `/pools/${poolId}/logo`);
  assert.equal(logoBack.status, 200, 'the logo is stored');

  // The callback URL: a bad one is refused next to its field, a good one is kept.
  await page.fill('#f-callbackUrl', 'ftp://shop.example.com/callback');
  await submit(page, 'main form:has(#f-callbackUrl)');
  assert.match(await page.locator('.field[data-field="callbackUrl"] .error').innerText(), /callbackUrl/);
  assert.equal(await page.locator('#f-callbackUrl').getAttribute('aria-invalid'), 'true');
  await page.fill('#f-callbackUrl', 'https://shop.example.com/callback');
  await submit(page, 'main form:has(#f-callbackUrl)');
  await drawn(page);
  assert.equal(await page.inputValue('#f-callbackUrl'), 'https://shop.example.com/callback');
  const qrSettings = await ok(base, 'GET', `/api/v1/pools/${poolId}/qr-settings`, undefined, withSecret);
  assert.equal(qrSettings.callbackUrl, 'https://shop.example.com/callback');
  await shots(page, '17-console-05-login-settings');

  // An OpenID Connect application; its secret shown once; "try it" opens the hosted login page.
  await open(page, `/pools/${poolId}/applications`);
  const create = page.locator('#client-create');
  await create.locator('[name=name]').fill('Shop web');
  await create.locator('[name=redirectUris]').fill('https://shop.example.com/oidc/callback');
  await submit(page, '#client-create');
  const clientSecret = (await page.locator('#client-created code.secret').innerText()).trim();
  assert.ok(clientSecret.length >= 20, 'the client secret is shown');
  await shots(page, '17-console-06-application-created');
  await page.locator('#clients-table a', { hasText: 'Shop web' }).click();
  await drawn(page);
  const tryIt = await page.locator('#client-try').getAttribute('href');
  const authorize = new URL(tryIt);
  assert.equal(authorize.pathname, `/oidc/${poolId}/authorize`);
  assert.equal(authorize.searchParams.get('redirect_uri'), 'https://shop.example.com/oidc/callback');
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
  await page.fill('#client-edit-name', 'Shop web (staging)');
  await submit(page, '#client-edit');
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('staging'), null, { timeout: 15_000 });
  await page.click('#client-rotate');
  await confirmDialog(page);
  const rotated = (await page.locator('#client-rotated code.secret').innerText()).trim();
  assert.ok(rotated.length >= 20 && rotated !== clientSecret, 'a new secret, shown once');
  await shots(page, '17-console-07-application');
  const hosted = await page.context().newPage();
  await hosted.goto(tryIt);
  assert.match(await hosted.locator('body').innerText(), /Shop web \(staging\)/, 'the hosted login page names the application');
  await hosted.close();

  // A user logs in by QR in the new pool on the simulated phone and shares their phone number.
  const random = `console-${Date.now()}`;
  const started = await ok(base, 'GET', `/oauth/wxapp/qrcode/${poolId}?random=${random}&enableFetchPhone=true`);
  const phone = await page.context().newPage();
  await phone.goto(`${base}/demo/phone`);
  await phone.locator('#user-select option').first().waitFor({ state: 'attached' });
  await phone.fill('#new-nickname', '控制台 Walker');
  await phone.fill('#new-phone', PHONE);
  await phone.click('#new-user');
  await phone.waitForFunction(() => /Walker/.test(document.querySelector('#user-name')?.textContent || ''));
  await phone.goto(`${base}/demo/phone?scan=${encodeURIComponent(`${base}/s/${started.data.scene}`)}`);
  await phone.waitForFunction(() => document.body.dataset.status === 'ready', null, { timeout: 15_000 });
  await phone.click('#confirm-phone');
  await phone.click('#sheet-allow');
  await phone.waitForFunction(() => document.body.dataset.status === 'done', null, { timeout: 15_000 });
  await phone.close();
  const login = await ok(base, 'POST', `/oauth/wxapp/confirm/qr?random=${random}`);
  assert.equal(login.data.code, 200, JSON.stringify(login));
  const { token } = login.data.data;
  assert.equal((await checkToken(base, token)).status, true);

  // Found by phone number; the user's page; their login in the audit log.
  await open(page, `/pools/${poolId}/users`);
  await page.locator('#user-search [name=q]').fill(PHONE);
  await page.locator('#user-search button[type=submit]').click();
  await page.waitForFunction((p) => document.querySelector('#users-table')?.textContent.includes(p), PHONE, { timeout: 15_000 });
  assert.equal(await page.locator('#users-table tbody tr').count(), 1);
  await shots(page, '17-console-08-users');
  await page.locator('#users-table tbody a').first().click();
  await drawn(page);
  assert.match(await page.locator('main').innerText(), new RegExp(PHONE));
  const userPath = new URL(page.url()).hash.slice(1);
  const userId = userPath.split('/').pop();
  await page.fill('#meta-new-key', 'plan');
  await page.fill('#meta-new-value', 'gold');
  await page.locator('#metadata-add button[type=submit]').click();
  await page.locator('form.meta-row[data-key="plan"]').waitFor({ timeout: 15_000 });
  assert.equal(await page.inputValue('form.meta-row[data-key="plan"] input'), 'gold');
  await shots(page, '17-console-09-user');

  await open(page, `/audit?pool=${poolId}&user=${userId}`);
  await page.waitForFunction(() => document.querySelector('#audit-table')?.textContent.includes('login.qr'), null, { timeout: 15_000 });
  await shots(page, '17-console-10-audit');
  await open(page, `/audit?pool=${poolId}&user=${userId}&result=failed`);
  await page.locator('#audit-empty').waitFor();
  assert.equal(await page.locator('#f-result').inputValue(), 'failed');

  // Block: the token stops working at once; unblock: new logins may come, the old token stays revoked.
  await open(page, userPath);
  await page.click('#user-block');
  await page.locator('#user-unblock').waitFor({ timeout: 15_000 });
  assert.ok(await page.locator('#user-blocked').isVisible(), 'the page says the user is blocked');
  const blocked = await checkToken(base, token);
  assert.equal(blocked.status, false);
  assert.equal(blocked.code, 2005);
  await shots(page, '17-console-11-user-blocked');
  await open(page, `/pools/${poolId}/users?blocked=true`);
  assert.match(await page.locator('#users-table').innerText(), new RegExp(PHONE), 'found among the blocked');
  assert.equal(await page.locator('#f-blocked').inputValue(), 'true', 'the filter shows what it holds');
  await open(page, `/pools/${poolId}/users?blocked=false`);
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(PHONE), 'not among the others');
  await open(page, userPath);
  await page.click('#user-unblock');
  await page.locator('#user-block').waitFor({ timeout: 15_000 });
  assert.equal((await checkToken(base, token)).status, false, 'tokens revoked by the block stay revoked');

  // Rotate a key: the old one becomes "previous", a new one is active.
  await open(page, `/pools/${poolId}/settings`);
  assert.equal(await page.locator('#keys tbody tr').count(), 1);
  await page.click('#key-rotate');
  await confirmDialog(page);
  await page.waitForFunction(() => document.querySelectorAll('#keys tbody tr').length === 2, null, { timeout: 15_000 });
  assert.equal(await page.locator('#keys .key-retire').count(), 1, 'the previous key can be retired');
  await shots(page, '17-console-12-keys');

  // Delete the user, confirmed by typing; they are gone from the search.
  await open(page, userPath);
  await page.click('#user-delete');
  assert.equal(await page.locator('#confirm-ok').isDisabled(), true, 'nothing is deleted before the id is typed');
  await confirmDialog(page, userId);
  await drawn(page);
  await open(page, `/pools/${poolId}/users?q=${PHONE}`);
  assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(PHONE));
  const erased = await checkToken(base, token);
  assert.equal(erased.status, false);

  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
  assert.deepEqual(w.consoleLines.filter((line) => line.includes('no text for')), [], 'every text is translated');
});

scenario(env, '17b. an owner makes a pool admin and a token; the pool admin sees only their pools; no change without the CSRF token', '17-console-scope', async (t, w) => {
  const { page } = w;
  const { base, poolId } = env.server;
  await page.setViewportSize({ width: 1280, height: 900 });
  const other = (await ok(base, 'POST', '/api/v1/admin/pools', { name: 'Not yours' }, {
    Authorization: `Bearer ${ownerToken()}`,
  })).pool.id;

  // The owner makes the pool admin (a setup link shown once) and a read-only token of one pool (its secret shown once).
  await page.goto(`${base}/console/dev-sign-in`);
  await drawn(page);
  await page.click('nav a[href="#/operators"]');
  await drawn(page);
  await page.fill('#operator-name', 'Bad Name');
  await submit(page, '#operator-add');
  assert.match(await page.locator('#operator-add .field[data-field="name"] .error').innerText(), /1002/);
  await page.fill('#operator-name', 'paula');
  await page.fill('#operator-pools', poolId);
  await submit(page, '#operator-add');
  const link = (await page.locator('#operator-link code.secret').innerText()).trim();
  assert.ok(link.startsWith(`${base}/console/setup#`), link);
  await page.fill('#token-name', 'nightly export');
  await page.fill('#token-pools', poolId);
  await submit(page, '#token-add');
  const tokenSecret = (await page.locator('#token-made code.secret').innerText()).trim();
  const reading = await request(base, 'GET', `/api/v1/admin/pools/${poolId}/users`, undefined, { Authorization: `Bearer ${tokenSecret}` });
  assert.equal(reading.status, 200, 'the token reads its pool');
  const writing = await request(base, 'POST', `/api/v1/admin/pools/${poolId}/keys`, undefined, { Authorization: `Bearer ${tokenSecret}` });
  assert.equal(writing.body.code, 1001, 'and only reads');
  assert.match(await page.locator('#operators tr', { hasText: 'paula' }).innerText(), new RegExp(poolId), 'listed at once');
  assert.match(await page.locator('#tokens tr', { hasText: 'nightly export' }).innerText(), /只读/);
  await shots(page, '17-console-14-operators');
  await page.locator('tr', { hasText: 'nightly export' }).locator('.token-revoke').click();
  await confirmDialog(page);
  await page.locator('tr', { hasText: 'nightly export' }).locator('.token-revoke').waitFor({ state: 'detached', timeout: 15_000 });
  const revoked = await request(base, 'GET', `/api/v1/admin/pools/${poolId}/users`, undefined, { Authorization: `Bearer ${tokenSecret}` });
  assert.equal(revoked.status, 401, 'a revoked token is refused');
  await page.click('#sign-out');
  await drawn(page, 'sign-in');

  const secret = await completeSetup(env.server, decodeURIComponent(new URL(link).hash.slice(1)), PASSWORD);
  await signIn(page, 'paula', secret);
  assert.equal(await page.locator('nav a[href="#/operators"]').count(), 0, 'no operators page for a pool admin');

  const rows = await page.locator('main table tbody tr').allInnerTexts();
  assert.equal(rows.length, 1, rows.join(' | '));
  assert.match(rows[0], new RegExp(poolId));
  assert.equal(await page.locator('#f-name').count(), 0, 'no pool creation for a pool admin');
  await shots(page, '17-console-13-pool-admin');

  await open(page, `/pools/${other}`, 'error');
  assert.match(await page.locator('main').innerText(), /1001/);

  const before = await ok(base, 'GET', `/api/v1/pools/${poolId}/qr-settings`, undefined, {
    'X-Pool-Secret': env.server.poolSecret,
  });
  const refused = await page.evaluate(async (id) => {
    const response = await fetch(`/api/v1/admin/pools/${id}/qr-settings`, {
      method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lifetimeSeconds: 300 }),
    });
    return { status: response.status, body: await response.json() };
  }, poolId);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, 4504);
  const after = await ok(base, 'GET', `/api/v1/pools/${poolId}/qr-settings`, undefined, {
    'X-Pool-Secret': env.server.poolSecret,
  });
  assert.deepEqual(after, before, 'nothing changed');
  assert.deepEqual(w.pageErrors, []);
});


scenario(env, '17c. every page in Chinese and English at 1280 and 390 px, through the dev sign-in link', '17-console-pages', async (t, w) => {
  const { page } = w;
  const { base, poolId } = env.server;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/console/dev-sign-in`);
  await drawn(page);
  assert.equal(new URL(page.url()).pathname, '/console/');
  assert.equal(await page.locator('#who').innerText(), 'dev');

  const user = await ok(base, 'POST', `/api/v1/pools/${poolId}/users`, { username: 'pages-walker', password: 'correct horse battery' });
  const { clients } = await ok(base, 'GET', `/api/v1/admin/pools/${poolId}/clients`, undefined, {
    Authorization: `Bearer ${ownerToken()}`,
  });
  const pages = [
    ['pools', '/'], ['overview', `/pools/${poolId}`], ['settings', `/pools/${poolId}/settings`],
    ['apps', `/pools/${poolId}/apps`], ['login', `/pools/${poolId}/login`],
    ['applications', `/pools/${poolId}/applications`], ['application', `/pools/${poolId}/applications/${clients[0].clientId}`],
    ['users', `/pools/${poolId}/users`], ['user', `/pools/${poolId}/users/${user._id}`], ['audit', '/audit'],
    ['operators', '/operators'],
  ];
  for (const language of ['zh', 'en']) {
    for (const [name, path] of pages) {
      await open(page, path);
      const heading = await page.locator('main h1').first().innerText();
      assert.ok(heading.trim(), `${name} has a heading`);
      if (language === 'zh') assert.match(await page.locator('nav').innerText(), /用户池/);
      else assert.match(await page.locator('nav').innerText(), /Pools/);
      await shots(page, `17-console-page-${name}-${language}`);
    }
    if (language === 'zh') {
      await page.click('#language');
      await drawn(page);
    }
  }
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
  assert.deepEqual(w.consoleLines.filter((line) => line.includes('no text for')), [], 'every text is translated');
});
