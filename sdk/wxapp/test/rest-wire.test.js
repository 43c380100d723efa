// Wire format of the REST methods (spec: authing-compat.md §5.2, §5.3) against a recording fake server: URL,
// headers, body bytes, what the promise resolves or rejects, and the stored token.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { wireSetup } = require('./helpers/setup.js');
const { POOL, fakeToken, rejection, sampleUser } = require('./helpers/common.js');

const ctx = wireSetup();

const userInfoDetail = {
  errMsg: 'getUserInfo:ok',
  userInfo: { nickName: '微信用户', avatarUrl: 'https://thirdwx.qlogo.cn/x/132', gender: 0, country: '', province: '', city: '', language: 'zh_CN' },
  rawData: '{"nickName":"微信用户"}',
  signature: 'a9d0b2c7f1',
  encryptedData: 'ENC+/user==',
  iv: 'IV+/user==',
};
const phoneDetail = { errMsg: 'getPhoneNumber:ok', code: 'phone-code-64hex', encryptedData: 'ENC+/phone==', iv: 'IV+/phone==' };
const phoneData = { phoneNumber: '13580006666', purePhoneNumber: '13580006666', countryCode: '86' };

const only = () => {
  assert.equal(ctx.server.requests.length, 1, 'exactly one request');
  return ctx.server.requests[0];
};
const ok = (data, message = 'ok') => () => ({ body: { code: 200, message, data } });

// --- loginWithWxapp -------------------------------------------------------------------------------------------

test('loginWithWxapp({code, detail, phone, overideProfile}): POST /oauth/wechatapp/auth/{pool}, original body, no authorization; stores the token', async () => {
  const user = sampleUser();
  ctx.server.answer = ok(user, '获取用户信息成功');
  const authing = ctx.newAuthing();
  const result = await authing.loginWithWxapp({ code: 'wx-code', detail: userInfoDetail, phone: '13580006666', overideProfile: true });
  assert.deepEqual(result, user);
  const req = only();
  assert.equal(req.method, 'POST');
  assert.equal(req.url, `/oauth/wechatapp/auth/${POOL}`);
  assert.equal(req.headers['content-type'], 'application/json');
  assert.ok(!('authorization' in req.headers), 'no authorization header');
  assert.equal(req.body, '{"iv":"IV+/user==","encryptedData":"ENC+/user==","code":"wx-code","phone":"13580006666","overideProfile":true}');
  assert.equal(ctx.wx.getStorageSync('_authing_token'), user.token);
  assert.equal(authing.getToken(), user.token);
  assert.deepEqual(authing.userAuth, { authed: true, authSuccess: true, token: user.token });
});

test('loginWithWxapp(code, detail, {phone, overideProfile}) sends the same bytes; phone and overideProfile are left out when not given', async () => {
  ctx.server.answer = ok(sampleUser());
  const authing = ctx.newAuthing();
  await authing.loginWithWxapp('wx-code', userInfoDetail, { phone: '13580006666', overideProfile: false });
  await authing.loginWithWxapp('wx-code-2', userInfoDetail);
  await authing.loginWithWxapp({ code: 'wx-code-3', detail: userInfoDetail, phone: { phoneNumber: '13580006666' }, overrideProfile: true });
  const bodies = ctx.server.requests.map((r) => r.body);
  assert.deepEqual(bodies, [
    '{"iv":"IV+/user==","encryptedData":"ENC+/user==","code":"wx-code","phone":"13580006666","overideProfile":false}',
    '{"iv":"IV+/user==","encryptedData":"ENC+/user==","code":"wx-code-2"}',
    '{"iv":"IV+/user==","encryptedData":"ENC+/user==","code":"wx-code-3","phone":"13580006666","overideProfile":true}',
  ]);
});

test('with appId, the WeChat calls add `appid` at the end of the original body; without it, nothing changes', async () => {
  ctx.server.answer = ok(sampleUser());
  const authing = ctx.newAuthing({ appId: 'wx00000000000d0002' });
  await authing.loginWithWxapp('wx-code', userInfoDetail);
  authing.setToken(fakeToken());
  ctx.server.answer = ok(phoneData);
  await authing.getPhone('wx-code-2', phoneDetail);
  ctx.server.answer = ok(sampleUser());
  await authing.bindPhone('wx-code-3', phoneDetail);
  ctx.server.answer = ok({ openId: 'o1' });
  await authing.decrypt({ code: 'wx-code-4', encryptedData: 'ENC', iv: 'IV' });
  assert.deepEqual(
    ctx.server.requests.map((r) => r.body),
    [
      '{"iv":"IV+/user==","encryptedData":"ENC+/user==","code":"wx-code","appid":"wx00000000000d0002"}',
      '{"iv":"IV+/phone==","encryptedData":"ENC+/phone==","code":"wx-code-2","phoneCode":"phone-code-64hex","appid":"wx00000000000d0002"}',
      '{"iv":"IV+/phone==","encryptedData":"ENC+/phone==","code":"wx-code-3","phoneCode":"phone-code-64hex","appid":"wx00000000000d0002"}',
      '{"iv":"IV","encryptedData":"ENC","code":"wx-code-4","appid":"wx00000000000d0002"}',
    ],
  );
});

test('loginWithWxapp accepts a getUserProfile detail', async () => {
  ctx.server.answer = ok(sampleUser());
  await ctx.newAuthing().loginWithWxapp({ code: 'c', detail: Object.assign({}, userInfoDetail, { errMsg: 'getUserProfile:ok' }) });
  assert.equal(only().json.code, 'c');
});

test('loginWithWxapp without detail logs in with the code alone; without a code it calls wx.login first', async () => {
  ctx.server.answer = ok(sampleUser());
  const authing = ctx.newAuthing();
  await authing.loginWithWxapp({ code: 'only-code' });
  await authing.loginWithWxapp();
  assert.deepEqual(ctx.server.requests.map((r) => r.body), ['{"code":"only-code"}', '{"code":"wx-code-1"}']);
  assert.equal(ctx.wx.callsOf('login').length, 1);
});

test('loginWithWxapp: a denied getUserInfo rejects with its errMsg and sends nothing', async () => {
  const authing = ctx.newAuthing();
  const denied = await rejection(authing.loginWithWxapp({ code: 'c', detail: { errMsg: 'getUserInfo:fail auth deny' } }));
  assert.equal(denied, 'getUserInfo:fail auth deny');
  const noCode = await rejection(authing.loginWithWxapp({ detail: userInfoDetail }));
  assert.equal(noCode.code, -5);
  assert.match(noCode.message, /code is not provided/);
  assert.equal((await rejection(authing.loginWithWxapp(undefined, userInfoDetail))).code, -5, 'positional, code missing');
  const notEvent = await rejection(authing.loginWithWxapp({ code: 'c', detail: { encryptedData: 'x' } }));
  assert.equal(notEvent.code, -5);
  assert.equal(ctx.server.requests.length, 0);
  assert.equal(ctx.wx.callsOf('login').length, 0);
});

test('loginWithWxapp: a business error rejects with the body (or its non-null data) and stores nothing', async () => {
  const authing = ctx.newAuthing();
  ctx.server.answer = () => ({ body: { code: 2224, message: '用户池不存在', data: null } });
  assert.deepEqual(await rejection(authing.loginWithWxapp({ code: 'c', detail: userInfoDetail })), { code: 2224, message: '用户池不存在', data: null });
  ctx.server.answer = () => ({ body: { code: 500, message: 'x', data: { reason: 'code used' } } });
  assert.deepEqual(await rejection(authing.loginWithWxapp({ code: 'c', detail: userInfoDetail })), { reason: 'code used' });
  ctx.server.answer = () => ({ status: 400, body: { code: 200, message: 'looks fine', data: sampleUser() } });
  assert.equal((await rejection(authing.loginWithWxapp({ code: 'c', detail: userInfoDetail })))._id, sampleUser()._id, 'HTTP 400 fails even with code 200');
  ctx.server.answer = () => ({ body: { code: '200', message: 'loose', data: sampleUser({ token: 'string-code' }) } });
  assert.equal((await authing.loginWithWxapp({ code: 'c', detail: userInfoDetail })).token, 'string-code', '"200" counts, as with the original ==');
  ctx.wx.removeStorageSync('_authing_token');
  ctx.server.answer = () => ({ status: 502, body: '<html>Bad Gateway</html>', headers: { 'content-type': 'text/html' } });
  const bad = await rejection(authing.loginWithWxapp({ code: 'c', detail: userInfoDetail }));
  assert.equal(bad.code, -2);
  assert.equal(bad.statusCode, 502);
  assert.equal(authing.getToken(), null);
  assert.equal(ctx.wx.getStorageSync('_authing_token'), '');
});

test('a request that gets no answer rejects with code -1 and the wx errMsg', async () => {
  const Authing = require('../authing/authing.js');
  const authing = new Authing({ userPoolId: POOL, host: 'http://127.0.0.1:9/graphql' });
  const error = await rejection(authing.loginWithWxapp({ code: 'c', detail: userInfoDetail }));
  assert.equal(error.code, -1);
  assert.match(error.errMsg, /^request:fail/);
  assert.equal(error.message, error.errMsg);
});

// --- getPhone -------------------------------------------------------------------------------------------------

test('getPhone({code, detail}) logged out: POST /oauth/wechatapp/getphone/{pool}, authorization "", phoneCode added; resolves data', async () => {
  ctx.server.answer = ok(phoneData);
  const phone = await ctx.newAuthing().getPhone({ code: 'wx-code', detail: phoneDetail });
  assert.deepEqual(phone, phoneData);
  const req = only();
  assert.equal(req.method, 'POST');
  assert.equal(req.url, `/oauth/wechatapp/getphone/${POOL}`);
  assert.equal(req.headers.authorization, '', 'an empty authorization header, as the original sends');
  assert.equal(req.body, '{"iv":"IV+/phone==","encryptedData":"ENC+/phone==","code":"wx-code","phoneCode":"phone-code-64hex"}');
});

test('getPhone(code, detail) logged in: the raw token, without Bearer', async () => {
  ctx.server.answer = ok(phoneData);
  const token = fakeToken();
  ctx.wx.setStorageSync('_authing_token', token);
  await ctx.newAuthing().getPhone('wx-code', phoneDetail);
  assert.equal(only().headers.authorization, token);
  assert.equal(only().json.code, 'wx-code');
});

test('getPhone with only the new phone code (getRealtimePhoneNumber too)', async () => {
  ctx.server.answer = ok(phoneData);
  const authing = ctx.newAuthing();
  await authing.getPhone({ detail: { errMsg: 'getPhoneNumber:ok', code: 'pc1' } });
  await authing.getPhone({ code: 'c', detail: { errMsg: 'getRealtimePhoneNumber:ok', code: 'pc2', errno: 0 } });
  assert.deepEqual(ctx.server.requests.map((r) => r.body), ['{"phoneCode":"pc1"}', '{"code":"c","phoneCode":"pc2"}']);
});

test('getPhone: a denied button rejects with its errMsg (iOS and Android forms) and sends nothing', async () => {
  const authing = ctx.newAuthing();
  assert.equal(await rejection(authing.getPhone({ code: 'c', detail: { errMsg: 'getPhoneNumber:fail user deny' } })), 'getPhoneNumber:fail user deny');
  assert.equal(await rejection(authing.getPhone('c', { errMsg: 'getPhoneNumber:fail:user deny' })), 'getPhoneNumber:fail:user deny');
  assert.equal((await rejection(authing.getPhone({ code: 'c' }))).code, -5);
  assert.equal((await rejection(authing.getPhone())).code, -5);
  assert.equal(ctx.server.requests.length, 0);
});

test('getPhone: an error reply rejects with it', async () => {
  ctx.server.answer = () => ({ body: { code: 2020, message: '尚未登录，无权限访问此请求', data: null } });
  assert.deepEqual(await rejection(ctx.newAuthing().getPhone({ code: 'c', detail: phoneDetail })), {
    code: 2020,
    message: '尚未登录，无权限访问此请求',
    data: null,
  });
});

// --- bindPhone ------------------------------------------------------------------------------------------------

test('bindPhone({code, detail}): POST /oauth/wechatapp/phone/{pool} with the raw token; resolves the user', async () => {
  const user = sampleUser({ phone: '13580006666' });
  ctx.server.answer = ok(user);
  const token = fakeToken();
  ctx.wx.setStorageSync('_authing_token', token);
  assert.deepEqual(await ctx.newAuthing().bindPhone({ code: 'wx-code', detail: phoneDetail }), user);
  const req = only();
  assert.equal(req.url, `/oauth/wechatapp/phone/${POOL}`);
  assert.equal(req.headers.authorization, token);
  assert.equal(req.body, '{"iv":"IV+/phone==","encryptedData":"ENC+/phone==","code":"wx-code","phoneCode":"phone-code-64hex"}');
});

test('bindPhone logged out rejects with the original message and sends nothing; a denied button rejects with errMsg', async () => {
  const authing = ctx.newAuthing();
  assert.equal(await rejection(authing.bindPhone({ code: 'c', detail: phoneDetail })), '绑定手机号之前请先登录！');
  authing.setToken(fakeToken());
  assert.equal(await rejection(authing.bindPhone('c', { errMsg: 'getPhoneNumber:fail user deny' })), 'getPhoneNumber:fail user deny');
  assert.equal(ctx.server.requests.length, 0);
});

test('bindPhone: a refusal (phone owned by another user) rejects with the server error', async () => {
  ctx.server.answer = () => ({ body: { code: 2028, message: '该手机号已被其他用户绑定', data: null } });
  const authing = ctx.newAuthing();
  authing.setToken(fakeToken());
  const error = await rejection(authing.bindPhone({ code: 'c', detail: phoneDetail }));
  assert.equal(error.code, 2028);
});

// --- decrypt --------------------------------------------------------------------------------------------------

test('decrypt({code, encryptedData, iv}): POST /oauth/wechatapp/decrypt/{pool}, {iv, encryptedData, code}, raw token or ""', async () => {
  const decrypted = { nickName: '微信用户', openId: 'o1', unionId: 'u1', watermark: { appid: 'wxd000000000000001', timestamp: 1 } };
  ctx.server.answer = ok(decrypted);
  const authing = ctx.newAuthing();
  assert.deepEqual(await authing.decrypt({ code: 'c', encryptedData: 'E', iv: 'I' }), decrypted);
  authing.setToken('raw.token.value');
  await authing.decrypt({ code: 'c2', encryptedData: 'E2', iv: 'I2' });
  const [first, second] = ctx.server.requests;
  assert.equal(first.url, `/oauth/wechatapp/decrypt/${POOL}`);
  assert.equal(first.body, '{"iv":"I","encryptedData":"E","code":"c"}');
  assert.equal(first.headers.authorization, '');
  assert.equal(second.headers.authorization, 'raw.token.value');
  assert.equal((await rejection(authing.decrypt())).code, -5);
});
