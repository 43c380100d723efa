// The SDK's GraphQL methods and the avatar upload against a real `denglu dev`: password login with the server's
// login key (GET /api/v1/login-key.pem), checkLoginStatus, logout, metadata, update and changeAvatar, for password
// users (signed up with POST /api/v1/pools/{pool}/users) and for a mini program user (loginWithWxapp through the
// WeChat simulator). Each user has their own wx stand-in, i.e. their own storage.
//
// Without a denglu binary the file is skipped, unless DENGLU_REQUIRE_SERVER=1 (scripts/check.sh sets it).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { existsSync, rmSync } = require('node:fs');
const Authing = require('../authing/authing.js');
const { createWx } = require('./helpers/wx.js');
const { rejection } = require('./helpers/common.js');
const { makeKey } = require('./helpers/keys.js');
const { png, pngSize, jpeg, tempFiles } = require('./helpers/png.js');
const { dengluBinary, startDenglu } = require('../../../scripts/lib/denglu-dev.cjs');
const sim = require('./helpers/wechat-sim.js');

const required = process.env.DENGLU_REQUIRE_SERVER === '1';
const missing = existsSync(dengluBinary()) ? '' : `no denglu binary at ${dengluBinary()}`;
const AVATAR_LIMIT = 512 * 1024;
let server = null;
let loginKey = '';
let problem = '';
let files = null;

before(async () => {
  if (missing) {
    if (required) throw new Error(missing);
    return;
  }
  server = await startDenglu({ name: 'wxapp', rustLog: 'warn', postgresUrl: process.env.DENGLU_TEST_POSTGRES_URL });
  const key = await fetch(`${server.base}/api/v1/login-key.pem`);
  if (key.status === 404) problem = 'this denglu has no /api/v1/login-key.pem';
  else loginKey = await key.text();
  if (problem && required) throw new Error(problem);
  const oversized = png(440, 420, { noise: true });
  assert.ok(oversized.length > AVATAR_LIMIT && oversized.length < 1024 * 1024, `oversized PNG is ${oversized.length} bytes`);
  files = tempFiles({
    'avatar.png': png(16, 16),
    'avatar.jpg': jpeg(),
    'drawing.svg': '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>\n',
    'huge.png': oversized,
  });
});

after(async () => {
  if (files) rmSync(files.dir, { recursive: true, force: true });
  if (server) await server.stop();
});

/** Skips the test when there is nothing to run it against. */
function needServer(t) {
  const reason = missing || problem;
  if (reason) t.skip(reason);
  return !reason;
}

let serial = 0;
/** A new username, unique within this server. */
const newName = (prefix) => `${prefix}${process.pid}x${(serial += 1)}`;

/** An Authing instance on its own phone (wx stand-in) unless `wx` is given, configured with the server's login key. */
function newAuthing({ wx = createWx(), key = loginKey } = {}) {
  const host = { user: `${server.base}/graphql`, oauth: `${server.base}/graphql` };
  const options = { userPoolId: server.poolId, host, wx };
  if (key) options.passwordEncryptPublicKey = key;
  return { wx, authing: new Authing(options) };
}

/** Signs a password user up with the native API; resolves {id, username, password, email}. */
async function signUp(fields = {}) {
  const account = Object.assign({ username: newName('pw'), password: `pass-${serial}-词` }, fields);
  const reply = await sim.call(server.base, 'POST', `/api/v1/pools/${server.poolId}/users`, account);
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  return Object.assign({ id: reply.body._id }, account);
}

/** A signed-up user logged in with the SDK on their own phone: {account, user, wx, authing}. */
async function passwordUser() {
  const account = await signUp();
  const phone = newAuthing();
  const user = await phone.authing.login({ username: account.username, password: account.password });
  return Object.assign({ account, user }, phone);
}

/** The user as the native API sees them with `token` (GET /api/v1/me): {status, body}. */
const me = (token) => sim.call(server.base, 'GET', '/api/v1/me', undefined, { authorization: `Bearer ${token}` });

/** GET of a served avatar URL (one of this server's): {status, type, bytes}. */
async function download(url) {
  assert.ok(url.startsWith(`${server.base}/uploads/avatars/`), url);
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

const AVATAR_URL = () => new RegExp(`^${server.base.replace(/[.]/g, '\\.')}/uploads/avatars/[A-Za-z0-9_-]{22}\\.png$`);

test('login: the password encrypted with the key from /api/v1/login-key.pem logs in; the token is stored and the server accepts it', async (t) => {
  if (!needServer(t)) return;
  assert.match(loginKey, /^-----BEGIN PUBLIC KEY-----\n/);
  const account = await signUp();
  const { wx, authing } = newAuthing();
  const user = await authing.login({ username: account.username, password: account.password });
  assert.equal(user._id, account.id);
  assert.equal(user.username, account.username);
  assert.equal(user.loginsCount, 1);
  assert.equal(typeof user.token, 'string');
  assert.equal(authing.getToken(), user.token);
  assert.equal(wx.getStorageSync('_authing_token'), user.token);
  const check = await sim.checkToken(server.base, user.token);
  assert.equal(check.status, true);
  assert.equal(check.token.data.id, account.id);
  assert.equal(check.token.data.clientId, server.poolId);
  // The request carried ciphertext, never the password.
  const sent = wx.callsOf('request').map((call) => String(call.args.data));
  assert.equal(sent.length, 1);
  assert.ok(!sent[0].includes(account.password));
  assert.match(JSON.parse(sent[0]).variables.password, /^[A-Za-z0-9+/]{342}==$/, '2048-bit key: 256 bytes of ciphertext');

  const byEmail = await signUp({ username: undefined, email: `${newName('mail')}@example.com` });
  const other = newAuthing();
  const mailUser = await other.authing.login({ email: byEmail.email, password: byEmail.password });
  assert.equal(mailUser._id, byEmail.id);
  assert.equal(other.authing.getToken(), mailUser.token);
});

test('login refusals: 2006 wrong password, 2004 unknown user, 1002 a password encrypted with another key; nothing is stored', async (t) => {
  if (!needServer(t)) return;
  const account = await signUp();
  const { authing } = newAuthing();
  const wrong = await rejection(authing.login({ username: account.username, password: `${account.password}!` }));
  assert.equal(wrong.code, 2006);
  assert.equal(typeof wrong.message, 'string');
  const unknown = await rejection(authing.login({ username: newName('nobody'), password: account.password }));
  assert.equal(unknown.code, 2004);
  // docs/graphql.md: "1002 for a password that is not encrypted with this key".
  const stranger = newAuthing({ key: makeKey(2048).publicPem }).authing;
  const otherKey = await rejection(stranger.login({ username: account.username, password: account.password }));
  assert.equal(otherKey.code, 1002);
  assert.equal(authing.getToken(), null);
  assert.equal(stranger.getToken(), null);
  assert.deepEqual(await authing.checkLoginStatus(), { code: 2020, status: false, message: '未登录' });
});

test('checkLoginStatus: 200 已登录 with the stored token, on every instance sharing the storage; 2207 for a forged token', async (t) => {
  if (!needServer(t)) return;
  const { wx, authing } = await passwordUser();
  assert.deepEqual(await authing.checkLoginStatus(), { status: true, code: 200, message: '已登录' });
  const [request] = wx.callsOf('request').slice(-1);
  assert.match(request.args.header.authorization, /^Bearer ey/);
  const otherPage = newAuthing({ wx }).authing;
  assert.deepEqual(await otherPage.checkLoginStatus(), { status: true, code: 200, message: '已登录' });

  const forged = newAuthing().authing;
  forged.setToken(`${authing.getToken().slice(0, -4)}AAAA`);
  assert.deepEqual(await forged.checkLoginStatus(), { status: false, code: 2207, message: '登录信息有误' });
});

test('logout(userId): forgets the token at once and revokes it on the server: checkLoginStatus answers 2206 登录信息已过期', async (t) => {
  if (!needServer(t)) return;
  const { account, user, wx, authing } = await passwordUser();
  const token = authing.getToken();
  const loggedOut = authing.logout(user._id);
  assert.equal(authing.getToken(), null, 'forgotten before the server answers');
  assert.equal(wx.getStorageSync('_authing_token'), '');
  const answer = await loggedOut;
  assert.equal(answer._id, account.id);
  assert.equal(answer.token, null);
  assert.deepEqual(await authing.checkLoginStatus(), { code: 2020, status: false, message: '未登录' });

  // The old token, had someone kept it, no longer works anywhere.
  authing.setToken(token);
  assert.deepEqual(await authing.checkLoginStatus(), { status: false, code: 2206, message: '登录信息已过期' });
  assert.equal((await sim.checkToken(server.base, token)).status, false);
  assert.equal((await rejection(authing.metadata(user._id))).code, 2206);
  assert.equal((await rejection(authing.logout(user._id))).code, 2206, 'a revoked token cannot log out again');
  assert.equal(authing.getToken(), null);

  // A login after the logout gets a token that works.
  const again = await authing.login({ username: account.username, password: account.password });
  assert.notEqual(again.token, token);
  assert.deepEqual(await authing.checkLoginStatus(), { status: true, code: 200, message: '已登录' });
  assert.equal((await rejection(newAuthing().authing.logout())).code, 2020, 'logged out: refused locally');
});

test('metadata: empty at first; setMetadata adds and changes pairs; removeMetadata removes them; each answers the whole list', async (t) => {
  if (!needServer(t)) return;
  const { user, authing } = await passwordUser();
  assert.deepEqual(await authing.metadata(user._id), { totalCount: 0, list: [] });
  assert.deepEqual(await authing.setMetadata({ _id: user._id, key: 'theme', value: 'dark' }), {
    totalCount: 1,
    list: [{ key: 'theme', value: 'dark' }],
  });
  const two = await authing.setMetadata({ _id: user._id, key: 'city', value: '深圳' });
  assert.equal(two.totalCount, 2);
  assert.deepEqual(two.list.map((pair) => [pair.key, pair.value]).sort(), [
    ['city', '深圳'],
    ['theme', 'dark'],
  ]);
  const changed = await authing.setMetadata({ _id: user._id, key: 'theme', value: 'light' });
  assert.equal(changed.totalCount, 2);
  assert.deepEqual(changed.list.find((pair) => pair.key === 'theme'), { key: 'theme', value: 'light' });
  assert.deepEqual(await authing.metadata(), changed, 'the id defaults to the logged-in user');

  assert.deepEqual(await authing.removeMetadata({ _id: user._id, key: 'theme' }), {
    totalCount: 1,
    list: [{ key: 'city', value: '深圳' }],
  });
  assert.deepEqual(await authing.removeMetadata({ key: 'absent' }), { totalCount: 1, list: [{ key: 'city', value: '深圳' }] });
  assert.deepEqual(await authing.removeMetadata({ _id: user._id, key: 'city' }), { totalCount: 0, list: [] });
  assert.deepEqual(await authing.metadata(user._id), { totalCount: 0, list: [] });

  const tooLong = await rejection(authing.setMetadata({ _id: user._id, key: 'k'.repeat(65), value: 'v' }));
  assert.equal(tooLong.code, 1002);
});

test("metadata: another user's fields are refused with 1001 (read, set and remove) and stay unchanged", async (t) => {
  if (!needServer(t)) return;
  const a = await passwordUser();
  const b = await passwordUser();
  await b.authing.setMetadata({ _id: b.user._id, key: 'secret', value: 'B' });
  const read = await rejection(a.authing.metadata(b.user._id));
  assert.equal(read.code, 1001);
  assert.equal(typeof read.message, 'string');
  assert.equal((await rejection(a.authing.setMetadata({ _id: b.user._id, key: 'secret', value: 'A' }))).code, 1001);
  assert.equal((await rejection(a.authing.setMetadata({ _id: b.user._id, key: 'planted', value: 'A' }))).code, 1001);
  assert.equal((await rejection(a.authing.removeMetadata({ _id: b.user._id, key: 'secret' }))).code, 1001);
  assert.deepEqual(await b.authing.metadata(), { totalCount: 1, list: [{ key: 'secret', value: 'B' }] });
  assert.deepEqual(await a.authing.metadata(), { totalCount: 0, list: [] });
});

test("update({_id, nickname, photo}) changes them (also updateUser); other fields, a bad photo and another user's id are refused", async (t) => {
  if (!needServer(t)) return;
  const { user, authing } = await passwordUser();
  const updated = await authing.update({ _id: user._id, nickname: 'Ivy 艾薇', photo: 'https://example.com/ivy.png' });
  assert.equal(updated._id, user._id);
  assert.equal(updated.nickname, 'Ivy 艾薇');
  assert.equal(updated.photo, 'https://example.com/ivy.png');
  const seen = await me(authing.getToken());
  assert.equal(seen.status, 200);
  assert.equal(seen.body.nickname, 'Ivy 艾薇');
  assert.equal(seen.body.photo, 'https://example.com/ivy.png');

  const alias = await authing.updateUser({ nickname: 'Ivy' });
  assert.equal(alias.nickname, 'Ivy');
  assert.equal(alias.photo, 'https://example.com/ivy.png', 'a field not given stays');

  const company = await rejection(authing.update({ _id: user._id, company: 'ACME' }));
  assert.equal(company.code, 1002);
  assert.match(company.message, /company/);
  assert.equal((await rejection(authing.update({ photo: 'javascript:alert(1)' }))).code, 1002);
  const other = await passwordUser();
  assert.equal((await rejection(authing.update({ _id: other.user._id, nickname: 'hijacked' }))).code, 1001);
  assert.equal((await me(other.authing.getToken())).body.nickname, other.account.username);
  assert.equal((await me(authing.getToken())).body.nickname, 'Ivy');
});

test('changeAvatar(userId): the PNG from wx.chooseMedia is uploaded; the user comes back with photo under /uploads/avatars/, served as a PNG', async (t) => {
  if (!needServer(t)) return;
  const { user, wx, authing } = await passwordUser();
  wx.queueChoice(files.path('avatar.png'));
  const changed = await authing.changeAvatar(user._id);
  assert.equal(wx.callsOf('chooseMedia').length, 1);
  assert.equal(changed._id, user._id);
  assert.match(changed.photo, AVATAR_URL());
  assert.equal((await me(authing.getToken())).body.photo, changed.photo);
  const served = await download(changed.photo);
  assert.equal(served.status, 200);
  assert.equal(served.type, 'image/png');
  assert.deepEqual(pngSize(served.bytes), { width: 16, height: 16 });

  // Each upload gets a new name; the id defaults to the logged-in user.
  wx.queueChoice(files.path('avatar.png'));
  const again = await authing.changeAvatar();
  assert.match(again.photo, AVATAR_URL());
  assert.notEqual(again.photo, changed.photo);
});

test('changeAvatar with wx.chooseImage (old base library): a JPEG is accepted and served re-encoded as a PNG', async (t) => {
  if (!needServer(t)) return;
  const account = await signUp();
  const { wx, authing } = newAuthing({ wx: createWx({ chooseMedia: false }) });
  const user = await authing.login({ username: account.username, password: account.password });
  wx.queueChoice(files.path('avatar.jpg'));
  const changed = await authing.changeAvatar(user._id);
  assert.equal(wx.callsOf('chooseImage').length, 1);
  assert.match(changed.photo, AVATAR_URL());
  const served = await download(changed.photo);
  assert.equal(served.status, 200);
  assert.equal(served.type, 'image/png');
  assert.deepEqual(pngSize(served.bytes), { width: 8, height: 8 });
});

test("changeAvatar refusals: 1002 for an SVG and for a PNG over 512 KiB, 1001 for another user, 2020 logged out; the photo stays", async (t) => {
  if (!needServer(t)) return;
  const { user, wx, authing } = await passwordUser();
  wx.queueChoice(files.path('avatar.png'));
  const { photo } = await authing.changeAvatar(user._id);

  wx.queueChoice(files.path('drawing.svg'));
  const svg = await rejection(authing.changeAvatar(user._id));
  assert.equal(svg.code, 1002);
  assert.equal(typeof svg.message, 'string');
  wx.queueChoice(files.path('huge.png'));
  const huge = await rejection(authing.changeAvatar(user._id));
  assert.equal(huge.code, 1002);
  assert.match(huge.message, /524288/);

  const other = await passwordUser();
  wx.queueChoice(files.path('avatar.png'));
  assert.equal((await rejection(authing.changeAvatar(other.user._id))).code, 1001);
  assert.equal((await me(other.authing.getToken())).body.photo, null);
  assert.equal((await me(authing.getToken())).body.photo, photo);

  await authing.logout();
  const uploadsBefore = wx.callsOf('uploadFile').length;
  assert.equal((await rejection(authing.changeAvatar(user._id))).code, 2020, 'logged out: refused locally');
  assert.equal(wx.callsOf('uploadFile').length, uploadsBefore, 'nothing uploaded');
  assert.equal(wx.callsOf('chooseMedia').length, 4, 'and no chooser opened');
});

test('a mini program user (loginWithWxapp) uses the stored token for checkLoginStatus, metadata, update, changeAvatar and logout', async (t) => {
  if (!needServer(t)) return;
  const simUser = await sim.wechatUser(server.base, { nickname: 'Mini 小程序' });
  const wx = createWx({ simBase: server.base, user: simUser });
  const { authing } = newAuthing({ wx, key: '' });
  const code = await new Promise((resolve, reject) =>
    wx.login({ success: (res) => resolve(res.code), fail: (res) => reject(new Error(res.errMsg)) }),
  );
  const detail = await sim.tapUserInfo(server.base, simUser);
  const user = await authing.loginWithWxapp({ code, detail });
  assert.equal(user.nickname, 'Mini 小程序');
  assert.equal(authing.getToken(), user.token);

  // Another page's instance: same storage, so the same login.
  const page = newAuthing({ wx, key: '' }).authing;
  assert.deepEqual(await page.checkLoginStatus(), { status: true, code: 200, message: '已登录' });
  assert.deepEqual(await page.setMetadata({ key: 'openedAt', value: 'launch' }), {
    totalCount: 1,
    list: [{ key: 'openedAt', value: 'launch' }],
  });
  assert.deepEqual(await authing.metadata(user._id), { totalCount: 1, list: [{ key: 'openedAt', value: 'launch' }] });
  assert.equal((await page.update({ nickname: '改名' })).nickname, '改名');
  wx.queueChoice(files.path('avatar.png'));
  assert.match((await page.changeAvatar()).photo, AVATAR_URL());

  const token = authing.getToken();
  assert.equal((await page.logout())._id, user._id);
  assert.deepEqual(await authing.checkLoginStatus(), { code: 2020, status: false, message: '未登录' });
  authing.setToken(token);
  assert.deepEqual(await authing.checkLoginStatus(), { status: false, code: 2206, message: '登录信息已过期' });
  assert.equal((await rejection(authing.setMetadata({ key: 'late', value: 'x' }))).code, 2206);
});

// The server reads the whole multipart body before it checks the token: answering early would close the connection
// on a client still sending the file (Node's fetch sends headers and body in separate writes), which would then see
// EPIPE instead of 2206/2207. Repeated because the failure this guards against was intermittent.
test("changeAvatar with a revoked or forged token rejects with the server's 2206 / 2207, every time", async (t) => {
  if (!needServer(t)) return;
  const { user, wx, authing } = await passwordUser();
  const token = authing.getToken();
  await authing.logout();
  const outcomes = [];
  for (const [stored, expected] of [[token, 2206], ['not.a.token', 2207]]) {
    for (let i = 0; i < 15; i += 1) {
      authing.setToken(stored);
      wx.queueChoice(files.path('avatar.png'));
      const error = await rejection(authing.changeAvatar(user._id));
      outcomes.push(error.code === expected ? expected : `${error.code} ${error.errMsg || error.message}`);
    }
  }
  assert.deepEqual(outcomes, [...Array(15).fill(2206), ...Array(15).fill(2207)]);
});
