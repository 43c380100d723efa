// lib/app-parameter.js: the extMsg format apps parse by splitting on & and = without decoding.
const test = require('node:test');
const assert = require('node:assert/strict');
const appParameter = require('../lib/app-parameter.js');
const { parseExtMsg } = require('./lib/http.js');

test('success, refusal and failure strings', () => {
  assert.equal(appParameter.success('abc_DEF-123'), 'code=200&message=授权成功&ticket=abc_DEF-123');
  assert.equal(appParameter.refused(), 'code=400&message=用户取消授权');
  assert.equal(appParameter.failure(4301, '微信登录已失效'), 'code=4301&message=微信登录已失效');
  assert.equal(appParameter.failure('network', '网络连接失败'), 'code=500&message=网络连接失败');
  assert.equal(appParameter.failure(2224, ''), 'code=2224&message=未知错误');
});

test('& and = in messages become full-width; line breaks and control characters go', () => {
  assert.equal(appParameter.failure(1000, 'a&b=c'), 'code=1000&message=a＆b＝c');
  assert.equal(appParameter.failure(1000, ' line1\nline2\u0000 '), 'code=1000&message=line1 line2');
});

test('a ticket that could break the format is refused, not mangled', () => {
  for (const bad of ['', 'a&b', 'a=b', 'a b', 'a%26b', '票', null, undefined, 42, 'x'.repeat(513)]) {
    assert.throws(() => appParameter.success(bad), TypeError, String(bad));
  }
});

/** A random string mixing the characters that matter with ASCII, CJK and emoji. */
function randomText(random) {
  const pool = ['&', '=', '%', '?', '#', '+', ' ', '\n', '\t', '\u0000', '\u2028', 'a', 'Z', '0', '授', '权', '失', '败', '😀', '＆', '/'];
  const length = Math.floor(random() * 100);
  let out = '';
  for (let i = 0; i < length; i += 1) out += pool[Math.floor(random() * pool.length)];
  return out;
}

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('property: for any message and code, the app reads back exactly two keys, and no value holds & or =', () => {
  const seed = Number(process.env.PROPERTY_SEED || Date.now() % 1e9);
  const random = prng(seed);
  const ticketChars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.~';
  for (let run = 0; run < 2000; run += 1) {
    const message = randomText(random);
    const code = [400, 1000, 2224, 4301, 'network', -1, 3.5, '12', NaN][Math.floor(random() * 9)];
    const text = appParameter.failure(code, message);
    const parts = text.split('&');
    assert.equal(parts.length, 2, `seed ${seed}: ${JSON.stringify(text)}`);
    for (const part of parts) assert.equal(part.split('=').length, 2, `seed ${seed}: ${JSON.stringify(text)}`);
    const parsed = parseExtMsg(text);
    assert.match(parsed.code, /^[1-9][0-9]*$/, `seed ${seed}`);
    assert.ok(parsed.message.length > 0, `seed ${seed}`);
    assert.ok(Array.from(parsed.message).length <= appParameter.MAX_MESSAGE_LENGTH, `seed ${seed}`);
    assert.doesNotMatch(parsed.message, /[&=\u0000-\u001f\u2028\u2029]/, `seed ${seed}`);

    let ticket = '';
    const length = 1 + Math.floor(random() * 200);
    for (let i = 0; i < length; i += 1) ticket += ticketChars[Math.floor(random() * ticketChars.length)];
    const ok = parseExtMsg(appParameter.success(ticket));
    assert.deepEqual(ok, { code: '200', message: '授权成功', ticket }, `seed ${seed}`);
  }
});
