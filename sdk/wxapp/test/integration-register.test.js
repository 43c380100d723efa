// The SDK's `register` against a real `denglu dev`: the password RSA-encrypted with the server's login key (GET
// /api/v1/login-key.pem), the native sign-up's rules and codes, and a login right after. Each user has their own wx
// stand-in, i.e. their own storage.
//
// Without a denglu binary the file is skipped, unless DENGLU_REQUIRE_SERVER=1 (scripts/check.sh sets it).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { existsSync } = require('node:fs');
const Authing = require('../authing/authing.js');
const { createWx } = require('./helpers/wx.js');
const { rejection } = require('./helpers/common.js');
const { makeKey } = require('./helpers/keys.js');
const { dengluBinary, startDenglu } = require('../../../scripts/lib/denglu-dev.cjs');
const sim = require('./helpers/wechat-sim.js');

const required = process.env.DENGLU_REQUIRE_SERVER === '1';
const missing = existsSync(dengluBinary()) ? '' : `no denglu binary at ${dengluBinary()}`;
let server = null;
let loginKey = '';

before(async () => {
  if (missing) {
    if (required) throw new Error(missing);
    return;
  }
  server = await startDenglu({ name: 'wxapp-register', rustLog: 'warn', postgresUrl: process.env.DENGLU_TEST_POSTGRES_URL });
  loginKey = await (await fetch(`${server.base}/api/v1/login-key.pem`)).text();
});

after(async () => {
  if (server) await server.stop();
});

/** Skips the test when there is nothing to run it against. */
function needServer(t) {
  if (missing) t.skip(missing);
  return !missing;
}

let serial = 0;
/** A new name, unique within this server. */
const newName = (prefix) => `${prefix}${process.pid}x${(serial += 1)}`;

/** An Authing instance on its own phone (wx stand-in), configured with `key` (default: the server's login key). */
function newAuthing(key = loginKey) {
  const wx = createWx();
  const host = { user: `${server.base}/graphql`, oauth: `${server.base}/graphql` };
  return { wx, authing: new Authing({ userPoolId: server.poolId, host, wx, passwordEncryptPublicKey: key }) };
}

test('register by email: resolves the new user without a token, and login with the same password logs in', async (t) => {
  if (!needServer(t)) return;
  const email = `${newName('Reg')}@Example.com`;
  const { wx, authing } = newAuthing();
  const user = await authing.register({ email, password: 'correct horse 密码' });
  assert.match(user._id, /^[0-9a-f]{24}$/);
  assert.equal(user.email, email.toLowerCase());
  assert.equal(user.emailVerified, false);
  assert.equal(user.username, null);
  assert.equal(user.token, null, 'register does not log in');
  assert.equal(user.password, null, 'the password is never sent back');
  assert.equal(user.blocked, false);
  assert.equal(authing.getToken(), null);
  assert.equal(wx.getStorageSync('_authing_token'), '');
  // The request carried ciphertext, never the password.
  const sent = wx.callsOf('request').map((call) => String(call.args.data));
  assert.equal(sent.length, 1);
  assert.ok(!sent[0].includes('correct horse'));
  assert.match(JSON.parse(sent[0]).variables.password, /^[A-Za-z0-9+/]{342}==$/, '2048-bit key: 256 bytes of ciphertext');

  const logged = await authing.login({ email: email.toUpperCase(), password: 'correct horse 密码' });
  assert.equal(logged._id, user._id);
  assert.equal(authing.getToken(), logged.token);
  const check = await sim.checkToken(server.base, logged.token);
  assert.equal(check.status, true);
  assert.equal(check.token.data.id, user._id);
  assert.equal(check.token.data.email, email.toLowerCase());
});

test('register by username with a nickname; the native login takes the same password', async (t) => {
  if (!needServer(t)) return;
  const username = newName('reg');
  const { authing } = newAuthing();
  const user = await authing.register({ username, password: 'correct horse', nickname: '注册用户' });
  assert.equal(user.username, username);
  assert.equal(user.nickname, '注册用户');
  assert.equal(user.email, null);
  const native = await sim.call(server.base, 'POST', `/api/v1/pools/${server.poolId}/login`, {
    account: username,
    password: 'correct horse',
  });
  assert.equal(native.status, 200, JSON.stringify(native.body));
  assert.equal(native.body.user._id, user._id);
});

test('register refusals: 2026 taken (naming which), 1002 too short a password or another key, 2003 a bad e-mail', async (t) => {
  if (!needServer(t)) return;
  const username = newName('taken');
  const email = `${newName('taken')}@example.com`;
  const { authing } = newAuthing();
  await authing.register({ username, email, password: 'correct horse' });
  assert.deepEqual(await rejection(authing.register({ username: username.toUpperCase(), password: 'correct horse' })), {
    code: 2026,
    message: 'the username is already taken',
  });
  assert.deepEqual(await rejection(authing.register({ email, password: 'correct horse' })), {
    code: 2026,
    message: 'the e-mail is already taken',
  });
  const fresh = newName('short');
  assert.deepEqual(await rejection(authing.register({ username: fresh, password: '12345' })), {
    code: 1002,
    message: 'a password has 6 to 128 characters',
  });
  assert.deepEqual(await rejection(authing.register({ email: 'not@mail', password: 'correct horse' })), {
    code: 2003,
    message: 'the e-mail address is not valid',
  });
  const stranger = newAuthing(makeKey(2048).publicPem).authing;
  const wrongKey = await rejection(stranger.register({ username: fresh, password: 'correct horse' }));
  assert.equal(wrongKey.code, 1002);
  assert.match(wrongKey.message, /login key/);
  // None of the refused sign-ups wrote anything: the name is still free.
  const later = await authing.register({ username: fresh, password: 'correct horse' });
  assert.equal(later.username, fresh);
});
