// Construction (spec: authing-compat.md §1, §5.1): required pool id, hosts, no network call, the token from
// storage; the wx object; the package's shape and the syntax limits of mini program runtimes.
const { test, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const { readFileSync, readdirSync } = require('node:fs');
const { join } = require('node:path');
const Authing = require('../authing/authing.js');
const { createWx } = require('./helpers/wx.js');
const { POOL, fakeToken, rejection } = require('./helpers/common.js');

afterEach(() => {
  delete globalThis.wx;
});

test('throws like the original when neither userPoolId nor clientId is given', () => {
  globalThis.wx = createWx();
  for (const options of [undefined, null, {}, { host: 'https://id.example' }, { userPoolId: '' }]) {
    assert.throws(() => new Authing(options), { message: 'clientId/userPoolId is not provided' });
  }
  assert.equal(new Authing({ clientId: POOL, host: 'https://id.example' }).userPoolId, POOL);
  assert.equal(new Authing({ userPoolId: POOL, clientId: 'x', host: 'https://id.example' }).userPoolId, POOL);
});

test('REST bases are the hosts without a trailing /graphql; GraphQL goes to <user base>/graphql', () => {
  globalThis.wx = createWx();
  const cases = [
    [{ user: 'https://id.example/graphql', oauth: 'https://id.example/graphql' }, 'https://id.example', 'https://id.example'],
    [{ user: 'https://u.example/graphql/', oauth: 'https://o.example/' }, 'https://u.example', 'https://o.example'],
    [{ user: 'https://id.example/auth/graphql', oauth: 'https://id.example/auth/graphql' }, 'https://id.example/auth', 'https://id.example/auth'],
    ['https://id.example', 'https://id.example', 'https://id.example'],
    [{ user: 'https://id.example/graphql' }, 'https://id.example', 'https://id.example'],
    [{ oauth: 'https://id.example/graphql' }, 'https://id.example', 'https://id.example'],
  ];
  for (const [host, userHost, oauthHost] of cases) {
    const authing = new Authing({ userPoolId: POOL, host });
    assert.equal(authing.userHost, userHost, JSON.stringify(host));
    assert.equal(authing.oauthHost, oauthHost, JSON.stringify(host));
    assert.equal(authing.graphqlUrl, `${userHost}/graphql`);
  }
  assert.throws(() => new Authing({ userPoolId: POOL }), /host is not provided/);
  assert.throws(() => new Authing({ userPoolId: POOL, host: { user: '' } }), /host is not provided/);
});

test('construction reads _authing_token from storage and sends nothing', () => {
  const wx = (globalThis.wx = createWx());
  const token = fakeToken();
  wx.setStorageSync('_authing_token', token);
  const authing = new Authing({ userPoolId: POOL, host: 'https://id.example', timeout: 5000 });
  assert.deepEqual(
    wx.calls.map((c) => c.api),
    ['setStorageSync', 'getStorageSync'],
  );
  assert.equal(wx.calls[1].args.key, '_authing_token');
  assert.equal(authing.getToken(), token);
  assert.equal(authing.timeout, 5000);
});

test('setToken / getToken go through storage; every instance sees the same login', () => {
  const wx = (globalThis.wx = createWx());
  const a = new Authing({ userPoolId: POOL, host: 'https://id.example' });
  const b = new Authing({ userPoolId: POOL, host: 'https://id.example' });
  a.setToken('t1');
  assert.equal(wx.getStorageSync('_authing_token'), 't1');
  assert.equal(b.getToken(), 't1');
  b.setToken(null);
  assert.equal(a.getToken(), null);
  assert.equal(wx.storage.has('_authing_token'), false);
  assert.equal(Authing.TOKEN_KEY, '_authing_token');
});

test('options.wx replaces the global wx (frameworks that name it otherwise)', async () => {
  const wx = createWx();
  wx.setStorageSync('_authing_token', 'from-option');
  const authing = new Authing({ userPoolId: POOL, host: 'https://id.example', wx });
  assert.equal(authing.getToken(), 'from-option');
  assert.equal(typeof globalThis.wx, 'undefined');
});

test('without any wx: construction works, methods reject with a clear error', async () => {
  const authing = new Authing({ userPoolId: POOL, host: 'https://id.example' });
  assert.equal(authing.getToken(), null);
  authing.setToken('kept in memory');
  assert.equal(authing.getToken(), 'kept in memory');
  const error = await rejection(authing.decrypt({ code: 'c', encryptedData: 'e', iv: 'i' }));
  assert.match(error.message, /wx is not available/);
  assert.match((await rejection(authing.metadata('x'))).message, /wx is not available/);
  assert.match((await rejection(authing.loginWithWxapp())).message, /wx is not available/);
});

test('storage that throws: the token lives in memory', () => {
  const wx = createWx();
  wx.getStorageSync = () => {
    throw new Error('getStorageSync:fail');
  };
  wx.setStorageSync = () => {
    throw new Error('setStorageSync:fail exceed storage max size 10Mb');
  };
  const authing = new Authing({ userPoolId: POOL, host: 'https://id.example', wx });
  authing.setToken('t');
  assert.equal(authing.getToken(), 't');
});

test('exports: the class (also as .default), version, codes', () => {
  assert.equal(Authing.default, Authing);
  assert.match(Authing.version, /^\d+\.\d+\.\d+$/);
  assert.equal(Authing.CODES.NOT_LOGGED_IN, 2020);
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  assert.equal(pkg.version, Authing.version);
  assert.equal(require(join(__dirname, '..', pkg.main)), Authing);
  for (const method of ['login', 'loginWithWxapp', 'getPhone', 'bindPhone', 'decrypt', 'changeAvatar', 'metadata', 'setMetadata', 'removeMetadata', 'checkLoginStatus', 'logout', 'update', 'updateUser', 'getToken', 'setToken']) {
    assert.equal(typeof Authing.prototype[method], 'function', method);
  }
});

test('the sources avoid syntax that mini program runtimes or the devtools ES5 transform break on', () => {
  const dir = join(__dirname, '..', 'authing');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const code = readFileSync(join(dir, name), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '')
      .replace(/'(?:[^'\\\n]|\\.)*'/g, "''");
    assert.doesNotMatch(code, /\*\*/, `${name}: ** (Math.pow after transform: breaks BigInt)`);
    assert.doesNotMatch(code, /\b\d+n\b/, `${name}: BigInt literal`);
    assert.doesNotMatch(code, /\?\.|\?\?/, `${name}: optional chaining / nullish coalescing`);
    assert.doesNotMatch(code, /\basync\b|\bawait\b/, `${name}: async/await (needs regenerator in ES5 mode)`);
    assert.doesNotMatch(code, /^\s*(import|export)\s/m, `${name}: ES module syntax`);
    assert.doesNotMatch(code, /\bwindow\b|\bdocument\b|\bTextEncoder\b|\batob\b|\bbtoa\b/, `${name}: browser-only global`);
  }
});

test('without BigInt (iOS before 14) the SDK loads and works; only password encryption rejects (-4)', () => {
  const { execFileSync } = require('node:child_process');
  const { makeKey } = require('./helpers/keys.js');
  const script = `
    delete globalThis.BigInt;
    const Authing = require(${JSON.stringify(join(__dirname, '..', 'authing', 'authing.js'))});
    const wx = { getStorageSync: () => '', setStorageSync() {}, removeStorageSync() {}, request() { throw new Error('no network here'); } };
    const authing = new Authing({ userPoolId: 'p', host: 'https://id.example', wx, passwordEncryptPublicKey: process.env.PEM });
    authing.login({ email: 'a@b.c', password: 'pw' }).catch((e) => console.log(JSON.stringify(e)));
  `;
  const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, PEM: makeKey(1024).publicPem } }).toString();
  const error = JSON.parse(out);
  assert.equal(error.code, -4);
  assert.match(error.message, /BigInt/);
});
