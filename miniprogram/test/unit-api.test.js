// lib/api.js and lib/wechat.js against scripted wx callbacks (no server): the request shape and the error mapping.
const test = require('node:test');
const assert = require('node:assert/strict');
const { createApi, ApiError, NETWORK } = require('../lib/api.js');
const wechat = require('../lib/wechat.js');
const { textFor, ago } = require('../lib/messages.js');

/** A wx whose request answers with `outcome` ({success: res} or {fail: err}) and remembers what was asked. */
function scriptedWx(outcome) {
  const seen = [];
  return {
    seen,
    request(options) {
      seen.push(options);
      setImmediate(() => (outcome.success ? options.success(outcome.success) : options.fail(outcome.fail)));
    },
  };
}

test('a 2xx JSON reply resolves with its body; the URL is the base (trailing slash dropped) + the encoded path', async () => {
  const wx = scriptedWx({ success: { statusCode: 200, data: { state: 'scanned', scanToken: 't' } } });
  const api = createApi({ wx, baseUrl: 'https://login.example.com/', timeout: 1234 });
  assert.deepEqual(await api.scan('a/b', { code: 'c' }), { state: 'scanned', scanToken: 't' });
  assert.equal(wx.seen[0].url, 'https://login.example.com/api/v1/scanner/sessions/a%2Fb/scan');
  assert.equal(wx.seen[0].method, 'POST');
  assert.deepEqual(wx.seen[0].data, { code: 'c' });
  assert.equal(wx.seen[0].header['content-type'], 'application/json');
  assert.equal(wx.seen[0].timeout, 1234);
});

test("an error reply rejects with the server's code and status", async () => {
  const wx = scriptedWx({ success: { statusCode: 410, data: { code: 4202, message: 'the QR code has expired' } } });
  const error = await createApi({ wx, baseUrl: 'https://x' }).scannerSession('s').catch((e) => e);
  assert.ok(error instanceof ApiError);
  assert.equal(error.code, 4202);
  assert.equal(error.status, 410);
  assert.equal(wx.seen[0].method, 'GET');
  assert.equal(wx.seen[0].data, undefined);
});

test('a reply that is not denglu JSON is a server fault (1000); no answer is NETWORK', async () => {
  const html = scriptedWx({ success: { statusCode: 502, data: '<html>Bad Gateway</html>' } });
  assert.equal((await createApi({ wx: html, baseUrl: 'https://x' }).mintTicket({}).catch((e) => e)).code, 1000);
  const offline = scriptedWx({ fail: { errMsg: 'request:fail timeout' } });
  const error = await createApi({ wx: offline, baseUrl: 'https://x' }).cancel('s', {}).catch((e) => e);
  assert.equal(error.code, NETWORK);
  assert.match(error.message, /timeout/);
  assert.match(textFor(error.code), /网络/);
});

test('getPhoneNumber details: deny in both spellings, code, legacy encryptedData/iv', () => {
  assert.equal(wechat.phoneDenied({ errMsg: 'getPhoneNumber:fail user deny' }), true);
  assert.equal(wechat.phoneDenied({ errMsg: 'getPhoneNumber:fail:user deny' }), true);
  assert.equal(wechat.phoneDenied({ errMsg: 'getPhoneNumber:ok', code: 'x' }), false);
  assert.deepEqual(wechat.phoneProof({ errMsg: 'getPhoneNumber:ok', code: 'c', encryptedData: 'e', iv: 'i' }), { phoneCode: 'c' });
  assert.deepEqual(wechat.phoneProof({ errMsg: 'getPhoneNumber:ok', encryptedData: 'e', iv: 'i' }), { encryptedData: 'e', iv: 'i' });
  assert.equal(wechat.phoneProof({ errMsg: 'getPhoneNumber:fail no permission', errno: 1400001 }), null);
});

test('texts: every QR state has its own; unknown codes name the code; "ago"', () => {
  const texts = [4202, 4203, 4204, 4205, 4206].map(textFor);
  assert.equal(new Set(texts).size, 5);
  assert.match(textFor(4202), /过期/);
  assert.match(textFor(4203), /取消/);
  assert.match(textFor(4204), /已被使用/);
  assert.match(textFor(4205), /无效或不存在/);
  assert.match(textFor(4206), /已被扫描/);
  assert.match(textFor(9999), /9999/);
  assert.equal(ago(2), '刚刚');
  assert.equal(ago(42), '42 秒前');
  assert.equal(ago(125), '2 分钟前');
  assert.equal(ago(7300), '2 小时前');
});

test('the launch query: getPhone=1 asks for the phone, anything else does not; the pool id is trimmed', () => {
  const { readLaunchQuery } = require('../lib/explore.js');
  assert.deepEqual(readLaunchQuery({ userPoolId: ' 0123456789abcdef01234567 ', getPhone: '1', fromApp: '1', useSelfWxapp: '0' }), {
    userPoolId: '0123456789abcdef01234567',
    getPhone: true,
    fromApp: true,
    useSelfWxapp: false,
    codeChallenge: '',
  });
  assert.equal(readLaunchQuery({ codeChallenge: ' abc ' }).codeChallenge, 'abc');
  for (const getPhone of ['0', '', '2', 'yes', undefined]) assert.equal(readLaunchQuery({ getPhone }).getPhone, false, String(getPhone));
  assert.equal(readLaunchQuery({ getPhone: 'true' }).getPhone, true);
  assert.equal(readLaunchQuery(undefined).userPoolId, '');
});
