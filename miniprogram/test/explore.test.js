// The app launch pages (routes/explore, routers/explore and their /index forms) against a real `denglu dev`: an app
// opens the mini program through the simulator (WXLaunchMiniProgramReq → scene 1069), the page mints a ticket at
// POST /api/v1/app-login/tickets, the launchApp button hands `code=200&message=授权成功&ticket=…` back, and the
// app's backend exchanges the ticket at POST /oauth/app2wxapp/auth/{pool}.
const test = require('node:test');
const assert = require('node:assert/strict');
const config = require('../config.js');
const { startDenglu } = require('../../scripts/lib/denglu-dev.cjs');
const { openPage, launchApp } = require('./lib/mini-program.js');
const { newPhone, openidOf, requestsOf } = require('./lib/phone.js');
const http = require('./lib/http.js');
const { textFor, shortTextFor } = require('../lib/messages.js');
const { DONE_TEXT, REFUSED_TEXT, INVALID_SCENE_TEXT, BAD_POOL_TEXT } = require('../lib/explore.js');

let server;

test.before(async () => {
  server = await startDenglu({ name: 'miniprogram' });
  config.baseUrl = server.base;
});

test.after(async () => {
  if (server) await server.stop();
});

/** The query an app puts in WXLaunchMiniProgramReq.path. */
function launchQuery({ pool = server.poolId, getPhone = 0 } = {}) {
  return `userPoolId=${pool}&getPhone=${getPhone}&fromApp=1&useSelfWxapp=0`;
}

/** An app launches the mini program at `path`: a phone entered with the simulator's launch (scene 1069). */
async function appLaunches(path, { phone } = {}) {
  const launch = await http.launchMiniProgram(server.base, path);
  assert.equal(launch.launch_scene, 1069);
  const device = await newPhone(server, { phone, scene: launch.launch_scene, path: launch.page, query: launch.query });
  launchApp(device.wx);
  const page = await openPage(device.wx, launch.page, launch.query);
  return { ...device, page, launch };
}

/** The app's backend: exchanges the ticket; answers the user object (parsed from the `data` string). */
async function exchange(ticket) {
  const reply = await http.exchangeTicket(server, ticket);
  assert.equal(reply.code, 200, `exchange: ${JSON.stringify(reply)}`);
  assert.equal(typeof reply.data, 'string', 'data is the user as a JSON string (spec §4.2)');
  const user = JSON.parse(reply.data);
  for (const field of ['token', 'nickname', 'photo', 'unionid']) {
    assert.equal(typeof user[field], 'string', `${field} is a string (the iOS demo force-casts it)`);
  }
  return user;
}

test('/routes/explore (the path apps open), getPhone=0: consent → ticket → back to the app → exchange → a token that verifies', async () => {
  const { user, wx, page, launch } = await appLaunches(`/routes/explore?${launchQuery()}`);
  assert.equal(launch.page, 'routes/explore');
  assert.equal(page.data.status, 'ready', page.data.message);
  assert.deepEqual(page.buttons(), ['authorize', 'cancel']);
  assert.equal(page.isVisible('not-from-app'), false);
  assert.equal(wx.callsOf('login').length, 1, 'wx.login on load');

  await page.tap('authorize');
  assert.equal(page.data.status, 'done', `${page.data.errorCode} ${page.data.message}`);
  assert.equal(page.text('message'), DONE_TEXT);
  assert.deepEqual(page.buttons(), ['return']);
  assert.equal(wx.callsOf('login').length, 1, 'no wx.login after the tap');
  const mint = requestsOf(wx).find((r) => r.path === '/api/v1/app-login/tickets');
  assert.deepEqual(Object.keys(mint.body).sort(), ['code', 'userPoolId']);
  assert.equal(mint.body.userPoolId, server.poolId);

  const back = await page.launchApp('return');
  assert.equal(back.returned, true);
  const ext = http.parseExtMsg(back.extMsg);
  assert.deepEqual(Object.keys(ext), ['code', 'message', 'ticket']);
  assert.equal(ext.code, '200');
  assert.equal(ext.message, '授权成功');
  assert.match(ext.ticket, /^[A-Za-z0-9_-]+$/);
  assert.equal(back.extMsg, `code=200&message=授权成功&ticket=${ext.ticket}`);

  const exchanged = await exchange(ext.ticket);
  assert.equal(exchanged.openid, await openidOf(server, wx, user));
  assert.equal(exchanged.registerMethod, 'oauth:app2wxapp');
  assert.equal(exchanged.phone, null, 'getPhone=0 gives no phone');
  const checked = await http.checkToken(server.base, exchanged.token);
  assert.equal(checked.status, true, JSON.stringify(checked));
  const replay = await http.exchangeTicket(server, ext.ticket);
  assert.notEqual(replay.code, 200, 'a ticket exchanges once');
});

test('a codeChallenge in the launch path binds the ticket: the exchange needs its verifier', async () => {
  const crypto = require('node:crypto');
  const verifier = crypto.randomBytes(32).toString('base64url');
  const challenge = crypto.createHash('sha256').update(verifier).digest('base64url');
  const { page, wx } = await appLaunches(`/routes/explore?${launchQuery()}&codeChallenge=${challenge}`);
  await page.tap('authorize');
  assert.equal(page.data.status, 'done', `${page.data.errorCode} ${page.data.message}`);
  const mint = requestsOf(wx).find((r) => r.path === '/api/v1/app-login/tickets');
  assert.equal(mint.body.codeChallenge, challenge);
  const ext = http.parseExtMsg((await page.launchApp('return')).extMsg);

  const without = await http.exchangeTicket(server, ext.ticket);
  assert.equal(without.code, 4404, JSON.stringify(without));
  const wrong = await http.exchangeTicket(server, ext.ticket, server.poolSecret, { codeVerifier: 'x'.repeat(43) });
  assert.equal(wrong.code, 4404, JSON.stringify(wrong));
  const right = await http.exchangeTicket(server, ext.ticket, server.poolSecret, { codeVerifier: verifier });
  assert.equal(right.code, 200, 'a wrong verifier did not use up the ticket');
});

test('/routers/explore (the docs’ spelling), getPhone=1: phone code → the exchanged user has the phone', async () => {
  const { user, wx, page, launch } = await appLaunches(`/routers/explore?${launchQuery({ getPhone: 1 })}`, { phone: '13580006666' });
  assert.equal(launch.page, 'routers/explore');
  assert.equal(page.data.status, 'ready', page.data.message);
  assert.deepEqual(page.buttons(), ['phone', 'cancel']);
  const logins = wx.callsOf('login').length;
  const detail = await http.phoneNumberDetail(server.base, user);
  await page.getPhoneNumber('phone', detail);
  assert.equal(page.data.status, 'done', `${page.data.errorCode} ${page.data.message}`);
  assert.equal(wx.callsOf('login').length, logins, 'no wx.login inside the phone callback');
  const mint = requestsOf(wx).find((r) => r.path === '/api/v1/app-login/tickets');
  assert.equal(mint.body.phoneCode, detail.code);

  const ext = http.parseExtMsg((await page.launchApp('return')).extMsg);
  assert.equal(ext.code, '200');
  const exchanged = await exchange(ext.ticket);
  assert.equal(exchanged.phone, '13580006666');
});

for (const [path, getPhone] of [['/routes/explore/index', 1], ['/routers/explore/index', 0]]) {
  test(`${path}, getPhone=${getPhone}${getPhone ? ' (old base library: encryptedData/iv)' : ''} → ticket → exchange`, async () => {
    const { user, page, launch } = await appLaunches(`${path}?${launchQuery({ getPhone })}`, { phone: '13600004444' });
    assert.equal(launch.page, path.slice(1));
    if (getPhone) {
      const full = await http.phoneNumberDetail(server.base, user);
      await page.getPhoneNumber('phone', { errMsg: full.errMsg, encryptedData: full.encryptedData, iv: full.iv });
    } else {
      await page.tap('authorize');
    }
    assert.equal(page.data.status, 'done', `${page.data.errorCode} ${page.data.message}`);
    const ext = http.parseExtMsg((await page.launchApp('return')).extMsg);
    const exchanged = await exchange(ext.ticket);
    assert.equal(exchanged.phone, getPhone ? '13600004444' : null);
  });
}

test('refusal before consent: the cancel button returns code=400&message=用户取消授权, no ticket is minted', async () => {
  const { wx, page } = await appLaunches(`/routes/explore?${launchQuery()}`);
  const back = await page.launchApp('cancel');
  assert.deepEqual(back, { returned: true, extMsg: 'code=400&message=用户取消授权' });
  assert.equal(requestsOf(wx).length, 0);
});

test('phone refused (getPhone=1): the return button carries the refusal, no ticket is minted', async () => {
  const { wx, page } = await appLaunches(`/routes/explore?${launchQuery({ getPhone: 1 })}`, { phone: '13500005555' });
  await page.getPhoneNumber('phone', { errMsg: 'getPhoneNumber:fail user deny' });
  assert.equal(page.data.status, 'refused');
  assert.equal(page.text('message'), REFUSED_TEXT);
  assert.deepEqual(page.buttons(), ['return']);
  assert.equal((await page.launchApp('return')).extMsg, 'code=400&message=用户取消授权');
  assert.equal(requestsOf(wx).length, 0);
});

test('binderror: not opened from an app (scene 1047) → "invalid scene" → a clear text', async () => {
  const { wx } = await newPhone(server, { scene: 1047 });
  const query = { userPoolId: server.poolId, getPhone: '0', fromApp: '1', useSelfWxapp: '0' };
  const page = await openPage(wx, 'routes/explore', query);
  assert.ok(page.isVisible('not-from-app'), 'warns before the user tries');
  const back = await page.launchApp('cancel');
  assert.equal(back.returned, false);
  assert.equal(page.text('notice'), INVALID_SCENE_TEXT);
});

test('binderror after a ticket was minted: still a clear text, the ticket stays unused', async () => {
  const { wx } = await newPhone(server, { scene: 1047 });
  const page = await openPage(wx, 'routers/explore', { userPoolId: server.poolId, getPhone: '0', fromApp: '1' });
  await page.tap('authorize');
  assert.equal(page.data.status, 'done', `${page.data.errorCode} ${page.data.message}`);
  assert.equal((await page.launchApp('return')).returned, false);
  assert.equal(page.text('notice'), INVALID_SCENE_TEXT);
});

test('server error (unknown pool) → code=2224&message=<text>; a bad userPoolId → code=1002 without a request', async () => {
  const { page } = await appLaunches(`/routes/explore?${launchQuery({ pool: '0123456789abcdef01234567' })}`);
  await page.tap('authorize');
  assert.equal(page.data.status, 'error');
  assert.equal(page.data.errorCode, 2224, `got ${page.data.errorCode}: ${page.data.message}`);
  assert.equal(page.text('message'), textFor(2224));
  assert.equal((await page.launchApp('return')).extMsg, `code=2224&message=${shortTextFor(2224)}`);

  const bad = await appLaunches('/routes/explore?userPoolId=not-a-pool&getPhone=0&fromApp=1');
  assert.equal(bad.page.data.status, 'error');
  assert.equal(bad.page.text('message'), BAD_POOL_TEXT);
  assert.equal((await bad.page.launchApp('return')).extMsg, `code=1002&message=${BAD_POOL_TEXT}`);
  assert.equal(requestsOf(bad.wx).length, 0);
});

test('network error → code=500&message=网络连接失败; retry logs in again and succeeds', async () => {
  const { wx, page } = await appLaunches(`/routes/explore?${launchQuery()}`);
  wx.offline = true;
  await page.tap('authorize');
  assert.equal(page.data.status, 'error');
  assert.equal(page.text('message'), textFor('network'));
  assert.equal((await page.launchApp('return')).extMsg, 'code=500&message=网络连接失败，请检查网络后重试');
  wx.offline = false;
  await page.tap('retry');
  assert.equal(wx.callsOf('login').length, 2, 'a fresh wx.login for the retry');
  await page.tap('authorize');
  assert.equal(page.data.status, 'done', `${page.data.errorCode} ${page.data.message}`);
  const ext = http.parseExtMsg((await page.launchApp('return')).extMsg);
  assert.equal(ext.code, '200');
  await exchange(ext.ticket);
});
