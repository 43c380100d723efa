// 15. The demo pool as an OpenID Connect provider, driven by a certified relying-party library (openid-client) and
// Chromium: two confidential applications registered through the admin API, discovery, the authorization request
// (PKCE, state, nonce), the hosted page's QR code scanned and confirmed by the simulated phone, the callback on a
// small local server, the code exchange (the library checks the ID token's signature, iss, aud, nonce), userinfo,
// refresh rotation with reuse detection, introspection and revocation; single sign-on for the second application,
// prompt=none with and without a session, the consent page of a third-party application, client_credentials, and
// the end session. Then `denglu dev`'s demo relying-party page logs in, refreshes and logs out. Screenshots of the
// hosted page (zh at 1280 and 390 px, en at 1280, on a phone), the consent page and the demo page.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before } from 'node:test';

import * as oidc from 'openid-client';

import { dengluBinary } from '../../../scripts/lib/denglu-dev.cjs';
import { fixture, readQr, scenario, screenshot } from '../lib/browser.js';
import { phoneLogsIn } from '../lib/phone.js';

const SCOPE = 'openid profile phone email wechat offline_access';

/** A tiny relying party's web server on 127.0.0.1: it records every URL the browser is sent to. */
function relyingParty() {
  const hits = [];
  const server = createServer((req, res) => {
    hits.push(req.url);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>relying party</title><p>back at the application</p>');
  });
  return new Promise((ok) => {
    server.listen(0, '127.0.0.1', () => {
      const base = `http://127.0.0.1:${server.address().port}`;
      ok({ base, hits, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

/** `denglu …` on the dev server's data folder; its standard output. */
function denglu(args) {
  const { dataDir, base } = env.server;
  return execFileSync(dengluBinary(), args, {
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DENGLU_'))),
      DENGLU_DATABASE__URL: `sqlite://${join(dataDir, 'denglu.db')}`,
      DENGLU_MASTER_KEY_FILE: join(dataDir, 'master.key'),
      DENGLU_PUBLIC_URL: base,
    },
    encoding: 'utf8',
  });
}

/** Registers an application of the demo pool through the admin API: {clientId, clientSecret, …}. */
async function registerClient(body) {
  const { base, poolId } = env.server;
  const res = await fetch(`${base}/api/v1/admin/pools/${poolId}/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${env.adminToken}` },
    body: JSON.stringify({
      kind: 'confidential',
      redirectUris: [`${env.rp.base}/callback`],
      postLogoutRedirectUris: [`${env.rp.base}/logged-out`],
      scopes: SCOPE.split(' '),
      firstParty: true,
      ...body,
    }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  return res.json();
}

/** The library's view of the provider for one application (http on 127.0.0.1, so insecure requests allowed). */
function discover(client, auth) {
  const issuer = new URL(`${env.server.base}/oidc/${env.server.poolId}`);
  return oidc.discovery(issuer, client.clientId, undefined, auth(client.clientSecret), {
    execute: [oidc.allowInsecureRequests],
  });
}

/** A fresh authorization request: {url, checks} (PKCE S256, state, nonce). */
async function authorizationRequest(config, extra = {}) {
  const pkceCodeVerifier = oidc.randomPKCECodeVerifier();
  const expectedState = oidc.randomState();
  const expectedNonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: `${env.rp.base}/callback`,
    scope: SCOPE,
    state: expectedState,
    nonce: expectedNonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(pkceCodeVerifier),
    code_challenge_method: 'S256',
    ...extra,
  });
  return { url, checks: { pkceCodeVerifier, expectedState, expectedNonce, idTokenExpected: true } };
}

/** Lets the page reach the relying party's server (the watched context aborts every other origin). */
async function allowRelyingParty(w) {
  await w.context.route(
    (url) => url.origin === env.rp.base,
    (route) => route.continue(),
  );
}

/** Waits until the browser is back at the relying party under `path`; that URL. */
async function backAt(page, path) {
  await page.waitForURL((url) => url.href.startsWith(env.rp.base + path), { timeout: 15_000 });
  return new URL(page.url());
}

/** Checks an error of the library: the provider answered `invalid_grant`. */
const refused = (error) => error.error === 'invalid_grant';

/** Console lines about a blocked script, style or image (the pages' Content-Security-Policy). */
const blocked = (w) => w.consoleLines.filter((line) => line.includes('Content Security Policy'));

/** Whether anything is wider than the page. */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const env = fixture(
  { before, after },
  {
    async setup(e) {
      e.rp = await relyingParty();
      e.cleanups.push(() => e.rp.close());
      const made = denglu(['admin', 'token', 'create', '--name', 'oidc browser test', '--pool', e.server.poolId, '--write']);
      e.adminToken = made.split('\n').find((line) => line.startsWith('secret')).slice('secret'.length).trim();
      e.first = await registerClient({
        name: '甲应用 Shop',
        grantTypes: ['authorization_code', 'refresh_token', 'client_credentials'],
      });
      e.second = await registerClient({ name: '乙应用 Blog' });
      e.third = await registerClient({ name: '丙应用 Partner', firstParty: false });
    },
  },
);

scenario(env, '15a. code flow with the QR scan, refresh, revocation, SSO, prompt=none, consent, end session', '15-oidc-flow', async (t, w) => {
  const { page } = w;
  const { base, poolId } = env.server;
  const issuer = `${base}/oidc/${poolId}`;
  await allowRelyingParty(w);
  const shop = await discover(env.first, oidc.ClientSecretBasic);
  const meta = shop.serverMetadata();
  assert.equal(meta.issuer, issuer);
  assert.deepEqual(meta.code_challenge_methods_supported, ['S256']);
  assert.equal(meta.authorization_response_iss_parameter_supported, true);

  // The hosted page: the pool, the application's name, the QR code; the phone scans and confirms.
  const first = await authorizationRequest(shop);
  await page.goto(first.url.href);
  assert.equal(await page.locator('h1 .client').innerText(), '甲应用 Shop');
  const qr = await readQr(page, env.server);
  const phone = await phoneLogsIn(base, qr.scene, { nickname: '开放 OIDC' });
  const callback = await backAt(page, '/callback');
  assert.equal(callback.searchParams.get('iss'), issuer);
  assert.equal(callback.searchParams.get('state'), first.checks.expectedState);

  const tokens = await oidc.authorizationCodeGrant(shop, callback, first.checks);
  const claims = tokens.claims();
  assert.equal(claims.iss, issuer);
  assert.equal(claims.aud, env.first.clientId);
  assert.equal(claims.nonce, first.checks.expectedNonce);
  assert.deepEqual(claims.amr, ['wechat_qr']);
  assert.equal(typeof claims.sid, 'string');
  assert.equal(typeof tokens.refresh_token, 'string', 'offline_access gives a refresh token');

  const info = await oidc.fetchUserInfo(shop, tokens.access_token, claims.sub);
  assert.equal(info.sub, claims.sub);
  assert.equal(info.nickname, '开放 OIDC');
  assert.equal(typeof info.wechat_openid, 'string');
  t.diagnostic(`WeChat user ${phone.user} is sub ${claims.sub}`);

  // Rotation: a new refresh token; the old one is refused and takes its family with it.
  const refreshed = await oidc.refreshTokenGrant(shop, tokens.refresh_token);
  assert.notEqual(refreshed.refresh_token, tokens.refresh_token);
  assert.equal(refreshed.claims().sub, claims.sub);
  assert.equal((await oidc.tokenIntrospection(shop, refreshed.access_token)).active, true);
  await assert.rejects(oidc.refreshTokenGrant(shop, tokens.refresh_token), refused, 'a used refresh token is refused');
  await assert.rejects(oidc.refreshTokenGrant(shop, refreshed.refresh_token), refused, 'reuse revoked the family');

  // Single sign-on: the second application of the pool gets its code without a scan.
  const blog = await discover(env.second, oidc.ClientSecretPost);
  const second = await authorizationRequest(blog);
  await page.goto(second.url.href);
  const blogTokens = await oidc.authorizationCodeGrant(blog, await backAt(page, '/callback'), second.checks);
  assert.equal(blogTokens.claims().sub, claims.sub, 'the same user is the same sub for every application');
  assert.equal(blogTokens.claims().sid, claims.sid, 'the same IdP session');
  assert.equal((await oidc.tokenIntrospection(blog, blogTokens.access_token)).active, true);
  await oidc.tokenRevocation(blog, blogTokens.refresh_token);
  assert.equal((await oidc.tokenIntrospection(blog, blogTokens.access_token)).active, false, 'revocation ends the grant');
  await assert.rejects(oidc.refreshTokenGrant(blog, blogTokens.refresh_token), refused);

  // prompt=none with the session: a code, no page.
  const silent = await authorizationRequest(blog, { prompt: 'none' });
  await page.goto(silent.url.href);
  const silentTokens = await oidc.authorizationCodeGrant(blog, await backAt(page, '/callback'), silent.checks);
  assert.equal(silentTokens.claims().sub, claims.sub);

  // A third-party application asks for consent.
  const partner = await discover(env.third, oidc.ClientSecretBasic);
  const third = await authorizationRequest(partner, { scope: 'openid profile phone' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(third.url.href);
  assert.equal(await page.locator('h1 .client').innerText(), '丙应用 Partner');
  assert.equal(await page.locator('.scopes li').count(), 3);
  assert.ok((await overflow(page)) <= 0);
  await screenshot(page, '15-oidc-3-consent-zh-1280');
  await page.locator('button[value="allow"]').click();
  const partnerCallback = await backAt(page, '/callback');
  const partnerTokens = await oidc.authorizationCodeGrant(partner, partnerCallback, third.checks);
  assert.equal(partnerTokens.claims().aud, env.third.clientId);
  assert.equal((await oidc.tokenIntrospection(partner, partnerTokens.access_token)).active, true);
  await assert.rejects(oidc.authorizationCodeGrant(partner, partnerCallback, third.checks), refused, 'a code works once');
  assert.equal((await oidc.tokenIntrospection(partner, partnerTokens.access_token)).active, false, 'its replay revokes its tokens');

  // The end session: back at the registered post-logout URI with the state; the IdP session is gone.
  const logoutState = oidc.randomState();
  const endSession = oidc.buildEndSessionUrl(shop, {
    id_token_hint: tokens.id_token,
    post_logout_redirect_uri: `${env.rp.base}/logged-out`,
    state: logoutState,
  });
  await page.goto(endSession.href);
  const loggedOut = await backAt(page, '/logged-out');
  assert.equal(loggedOut.searchParams.get('state'), logoutState);
  const afterLogout = await authorizationRequest(blog, { prompt: 'none' });
  await page.goto(afterLogout.url.href);
  const noSession = await backAt(page, '/callback');
  assert.equal(noSession.searchParams.get('error'), 'login_required', 'the session ended');

  // client_credentials: an access token for the application itself, no ID token, no refresh token.
  await assert.rejects(oidc.clientCredentialsGrant(shop, { scope: 'openid' }), (error) => error.error === 'invalid_scope');
  const machine = await oidc.clientCredentialsGrant(shop);
  assert.equal(typeof machine.access_token, 'string');
  assert.equal(machine.id_token, undefined);
  assert.equal(machine.refresh_token, undefined);
  const machineInfo = await oidc.tokenIntrospection(shop, machine.access_token);
  assert.equal(machineInfo.active, true);
  assert.equal(machineInfo.client_id, env.first.clientId);

  t.diagnostic(`callbacks seen by the relying party: ${env.rp.hits.length}`);
  assert.deepEqual(blocked(w), []);
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});

scenario(env, '15b. hosted page in zh (1280, 390), en, on a phone; prompt=none without a session → login_required', '15-oidc-pages', async (t, w) => {
  const { page } = w;
  await allowRelyingParty(w);
  const shop = await discover(env.first, oidc.ClientSecretBasic);

  const silent = await authorizationRequest(shop, { prompt: 'none' });
  await page.goto(silent.url.href);
  const callback = await backAt(page, '/callback');
  assert.equal(callback.searchParams.get('error'), 'login_required');
  assert.equal(callback.searchParams.get('state'), silent.checks.expectedState);
  await assert.rejects(oidc.authorizationCodeGrant(shop, callback, silent.checks), (error) => error.error === 'login_required');

  const request = await authorizationRequest(shop);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(request.url.href);
  await readQr(page, env.server);
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  assert.equal(await page.locator('.__authing__heading-tip').innerText(), '请使用微信扫一扫登录');
  assert.ok((await overflow(page)) <= 0);
  await screenshot(page, '15-oidc-1-login-zh-1280');
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok((await overflow(page)) <= 0, 'nothing cut off at 390 px');
  await screenshot(page, '15-oidc-1-login-zh-390');

  const english = await authorizationRequest(shop, { ui_locales: 'en' });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(english.url.href);
  await readQr(page, env.server);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('.__authing__heading-tip').innerText(), 'Scan the code with WeChat to log in');
  await screenshot(page, '15-oidc-2-login-en-1280');
  assert.deepEqual(blocked(w), [], "the QR widget's style sheet is allowed");

  // A phone's browser gets the advice to open the page on a computer instead of a QR code it cannot scan.
  const phone = await env.browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  });
  try {
    const onPhone = await phone.newPage();
    await onPhone.goto((await authorizationRequest(shop)).url.href);
    assert.ok(await onPhone.locator('section.phone').isVisible());
    assert.equal(await onPhone.locator('#qr-mount').count(), 0, 'no QR code on a phone');
    assert.ok((await overflow(onPhone)) <= 0);
    await screenshot(onPhone, '15-oidc-2-login-zh-phone');
  } finally {
    await phone.close();
  }
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});

scenario(env, '15c. the demo relying-party page: log in with WeChat, claims and userinfo, refresh, log out', '15-oidc-demo', async (t, w) => {
  const { page } = w;
  const { base, poolId } = env.server;
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${base}/demo/oidc`);
  await page.waitForFunction(() => document.body.dataset.state === 'signed-out', null, { timeout: 10_000 });
  await page.locator('#login').click();
  const qr = await readQr(page, env.server);
  await phoneLogsIn(base, qr.scene, { nickname: '演示 Demo' });
  await page.waitForFunction(() => document.body.dataset.state !== 'loading' && location.pathname === '/demo/oidc', null, {
    timeout: 15_000,
  });
  assert.equal(await page.evaluate(() => document.body.dataset.state), 'signed-in', await page.locator('#status').innerText());
  const claims = JSON.parse(await page.locator('#claims').innerText());
  assert.equal(claims.iss, `${base}/oidc/${poolId}`);
  const userinfo = JSON.parse(await page.locator('#userinfo').innerText());
  assert.equal(userinfo.sub, claims.sub);
  assert.equal(userinfo.nickname, '演示 Demo');
  await screenshot(page, '15-oidc-4-demo-claims');

  const earlier = JSON.parse(await page.locator('#tokens').innerText());
  await Promise.all([page.waitForEvent('load'), page.locator('#refresh').click()]);
  await page.waitForFunction(() => document.body.dataset.state === 'signed-in', null, { timeout: 10_000 });
  assert.equal(JSON.parse(await page.locator('#userinfo').innerText()).sub, claims.sub, 'the refreshed token works');
  const now = JSON.parse(await page.locator('#tokens').innerText());
  assert.notEqual(now.refresh_token, earlier.refresh_token, 'the refresh token rotated');

  await page.locator('#logout').click();
  await page.waitForFunction(() => document.body.dataset.state === 'signed-out', null, { timeout: 10_000 });
  assert.equal(await page.locator('#status').innerText(), '已退出登录 · Logged out');
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(w.outside, []);
});
