// The SDK against a real `denglu dev` and its WeChat simulator: each "phone" is a simulator WeChat user with its
// own wx stand-in (its own storage), in the demo pool's mini program. Covers what the server serves today: the
// REST endpoints /oauth/wechatapp/{auth,getphone,phone,decrypt}/{pool}. GraphQL (login, checkLoginStatus, metadata,
// update, logout) and the avatar upload are in integration-user.test.js.
//
// Without a denglu binary the file is skipped, unless DENGLU_REQUIRE_SERVER=1 (scripts/check.sh sets it).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { existsSync } = require('node:fs');
const Authing = require('../authing/authing.js');
const { createWx } = require('./helpers/wx.js');
const { rejection } = require('./helpers/common.js');
const { dengluBinary, startDenglu } = require('../../../scripts/lib/denglu-dev.cjs');
const sim = require('./helpers/wechat-sim.js');

const required = process.env.DENGLU_REQUIRE_SERVER === '1';
const missing = existsSync(dengluBinary()) ? '' : `no denglu binary at ${dengluBinary()}`;
let server = null;
let restProblem = '';

before(async () => {
  if (missing) {
    if (required) throw new Error(missing);
    return;
  }
  server = await startDenglu({ name: 'wxapp', rustLog: 'warn', postgresUrl: process.env.DENGLU_TEST_POSTGRES_URL });
  const probe = await sim.call(server.base, 'POST', `/oauth/wechatapp/auth/${server.poolId}`, {});
  if (probe.status === 404) restProblem = 'this denglu has no /oauth/wechatapp endpoints';
  if (restProblem && required) throw new Error(restProblem);
});

after(async () => {
  if (server) await server.stop();
});

/** Skips the test when there is nothing to run it against. */
function needServer(t) {
  const reason = missing || restProblem;
  if (reason) t.skip(reason);
  return !reason;
}

/** A WeChat user with their own phone: {user, wx, authing, wxLogin()}. */
async function newPhone(options = {}) {
  const user = await sim.wechatUser(server.base, options);
  const wx = createWx({ simBase: server.base, user });
  const authing = new Authing({ userPoolId: server.poolId, host: { user: `${server.base}/graphql`, oauth: `${server.base}/graphql` }, wx });
  const wxLogin = () =>
    new Promise((resolve, reject) => wx.login({ success: (res) => resolve(res.code), fail: (res) => reject(new Error(res.errMsg)) }));
  return { user, wx, authing, wxLogin };
}

/** The README's practice: a fresh wx.login code, then the user taps the getUserInfo button. */
async function loginWithProfile(phone, extra = {}) {
  const code = await phone.wxLogin();
  const detail = await sim.tapUserInfo(server.base, phone.user);
  return phone.authing.loginWithWxapp(Object.assign({ code, detail }, extra));
}

/** wx.login, then the getPhoneNumber button: {code, detail}. */
async function phoneTap(phone) {
  const code = await phone.wxLogin();
  const detail = await sim.tapPhoneNumber(server.base, phone.user);
  return { code, detail };
}

test('loginWithWxapp: a new user with the WeChat profile, a token the server accepts, stored; the same user next time', async (t) => {
  if (!needServer(t)) return;
  const phone = await newPhone({ nickname: 'Ivy 艾薇', avatarUrl: 'https://example.com/ivy.png' });
  const user = await loginWithProfile(phone);
  assert.match(user._id, /^[0-9a-f]{24}$/);
  assert.equal(user.nickname, 'Ivy 艾薇');
  assert.equal(typeof user.token, 'string');
  assert.equal(phone.wx.getStorageSync('_authing_token'), user.token);
  assert.equal(phone.authing.getToken(), user.token);
  const check = await sim.checkToken(server.base, user.token);
  assert.equal(check.status, true);
  assert.equal(check.token.data.id, user._id);
  assert.equal(check.token.data.clientId, server.poolId);

  const again = await loginWithProfile(phone);
  assert.equal(again._id, user._id);
  assert.notEqual(again.token, undefined);
});

test('loginWithWxapp(code, detail) and the code-only form reach the same user; the SDK calls wx.login when given no code', async (t) => {
  if (!needServer(t)) return;
  const phone = await newPhone({ nickname: 'Positional' });
  const code = await phone.wxLogin();
  const detail = await sim.tapUserInfo(server.base, phone.user);
  const first = await phone.authing.loginWithWxapp(code, detail, { overideProfile: false });
  const codeOnly = await phone.authing.loginWithWxapp({ code: await phone.wxLogin() });
  const automatic = await phone.authing.loginWithWxapp();
  assert.equal(codeOnly._id, first._id);
  assert.equal(automatic._id, first._id);
  assert.equal(phone.wx.callsOf('login').length, 3);
});

test('a wx.login code works once: reusing it rejects with 4301 and keeps the stored token', async (t) => {
  if (!needServer(t)) return;
  const phone = await newPhone();
  const code = await phone.wxLogin();
  const detail = await sim.tapUserInfo(server.base, phone.user);
  const user = await phone.authing.loginWithWxapp({ code, detail });
  const error = await rejection(phone.authing.loginWithWxapp({ code, detail }));
  assert.equal(error.code, 4301);
  assert.equal(typeof error.message, 'string');
  assert.equal(phone.authing.getToken(), user.token);
});

test('an unknown pool rejects with 2224', async (t) => {
  if (!needServer(t)) return;
  const phone = await newPhone();
  const stranger = new Authing({ userPoolId: 'ffffffffffffffffffffffff', host: server.base, wx: phone.wx });
  const error = await rejection(stranger.loginWithWxapp({ code: await phone.wxLogin() }));
  assert.equal(error.code, 2224);
});

test('getPhone: the number WeChat verifies, by the new phone code or by encryptedData alone, object or positional form', async (t) => {
  if (!needServer(t)) return;
  const phone = await newPhone({ phone: '13580006601' });
  const expected = { phoneNumber: '13580006601', purePhoneNumber: '13580006601', countryCode: '86' };
  const both = await phoneTap(phone);
  assert.deepEqual(await phone.authing.getPhone(both), expected);
  const legacy = await phoneTap(phone);
  delete legacy.detail.code;
  assert.deepEqual(await phone.authing.getPhone(legacy.code, legacy.detail), expected);
  assert.equal(phone.authing.getToken(), null, 'getPhone does not log in');
});

test('a phone links to its owner only when WeChat verified it for this WeChat user; overideProfile takes the WeChat profile', async (t) => {
  if (!needServer(t)) return;
  const number = '13580006602';
  const owner = await newPhone({ nickname: 'Owner', phone: number });
  const ownerUser = await loginWithProfile(owner);
  const bound = await owner.authing.bindPhone(await phoneTap(owner));
  assert.equal(bound._id, ownerUser._id);
  assert.equal(bound.phone, number);

  const claimer = await newPhone({ nickname: 'Claimer', phone: '13580006699' });
  const claimed = await loginWithProfile(claimer, { phone: number });
  assert.notEqual(claimed._id, ownerUser._id, 'a phone the client merely asserts links nothing');

  const second = await newPhone({ nickname: 'Second', phone: number });
  assert.equal((await second.authing.getPhone(await phoneTap(second))).purePhoneNumber, number);
  const linked = await loginWithProfile(second, { phone: number, overideProfile: true });
  assert.equal(linked._id, ownerUser._id);
  assert.equal(linked.nickname, 'Second');

  const third = await newPhone({ nickname: 'Third', phone: number });
  await third.authing.getPhone(await phoneTap(third));
  const kept = await loginWithProfile(third, { phone: { phoneNumber: number } });
  assert.equal(kept._id, ownerUser._id);
  assert.equal(kept.nickname, 'Second', 'without overideProfile the nickname stays');
});

test('bindPhone: refused locally when logged out, bound when logged in, refused with 2026 when another user has the number', async (t) => {
  if (!needServer(t)) return;
  const number = '13580006603';
  const binder = await newPhone({ nickname: 'Binder', phone: number });
  assert.equal(await rejection(binder.authing.bindPhone(await phoneTap(binder))), '绑定手机号之前请先登录！');
  const user = await loginWithProfile(binder);
  const bound = await binder.authing.bindPhone(await phoneTap(binder));
  assert.equal(bound._id, user._id);
  assert.equal(bound.phone, number);
  assert.equal(bound.phoneVerified, true);

  const other = await newPhone({ nickname: 'Other', phone: number });
  await loginWithProfile(other);
  const taken = await rejection(other.authing.bindPhone(await phoneTap(other)));
  assert.equal(taken.code, 2026);
  assert.equal(typeof taken.message, 'string');

  const forged = await newPhone({ phone: '13580006604' });
  forged.authing.setToken('not-a-token');
  const refused = await rejection(forged.authing.bindPhone(await phoneTap(forged)));
  assert.equal(typeof refused.code, 'number');
  assert.notEqual(refused.code, 200);
});

test('decrypt: the open data of the getUserInfo tap, without the session key; garbage rejects with 4305', async (t) => {
  if (!needServer(t)) return;
  const phone = await newPhone({ nickname: 'Decrypter' });
  await loginWithProfile(phone);
  const code = await phone.wxLogin();
  const detail = await sim.tapUserInfo(server.base, phone.user);
  const data = await phone.authing.decrypt({ code, encryptedData: detail.encryptedData, iv: detail.iv });
  assert.equal(data.nickName, 'Decrypter');
  assert.equal(typeof data.openId, 'string');
  assert.equal(data.watermark.appid, sim.APPID);
  assert.ok(!JSON.stringify(data).includes('session_key'));
  const code2 = await phone.wxLogin();
  const garbage = await rejection(phone.authing.decrypt({ code: code2, encryptedData: 'AAAA', iv: detail.iv }));
  assert.equal(garbage.code, 4305);
});

test('phone lookups are limited per WeChat user: the eleventh in a minute rejects with 4290', async (t) => {
  if (!needServer(t)) return;
  const phone = await newPhone({ phone: '13580006605' });
  const outcomes = [];
  for (let i = 0; i < 11; i += 1) {
    outcomes.push(await phone.authing.getPhone(await phoneTap(phone)).then(() => 200, (error) => error.code));
  }
  assert.deepEqual(outcomes, [...Array(10).fill(200), 4290]);
});
