// Property: whatever the server answers (random error codes and messages, HTML pages, odd tickets), the app launch
// page's "返回 App" button carries an app-parameter the app can split on & and = into clean values.
// Runs the real page (routes/explore) with a scripted wx: no server needed.
const test = require('node:test');
const assert = require('node:assert/strict');
const config = require('../config.js');
const { openPage } = require('./lib/mini-program.js');
const { parseExtMsg } = require('./lib/http.js');

/** mulberry32: deterministic, so a failure can be replayed with PROPERTY_SEED. */
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

const pick = (random, list) => list[Math.floor(random() * list.length)];

function randomText(random, max = 60) {
  const pool = ['&', '=', '%', '#', ' ', '\n', 'a', '1', '失', '败', '😀', '<', '>', '"'];
  let out = '';
  const length = Math.floor(random() * max);
  for (let i = 0; i < length; i += 1) out += pick(random, pool);
  return out;
}

/** One scripted server answer to the ticket request: {success: res} or {fail: err}. */
function randomAnswer(random) {
  switch (Math.floor(random() * 5)) {
    case 0:
      return { success: { statusCode: pick(random, [400, 403, 404, 409, 429, 500, 502, 503]), data: { code: pick(random, [1000, 1002, 2005, 2224, 4001, 4301, 4305, 9999, -5, 2.5]), message: randomText(random) } } };
    case 1:
      return { success: { statusCode: pick(random, [200, 502]), data: `<html>${randomText(random)}</html>` } };
    case 2:
      return { success: { statusCode: 200, data: { ticket: randomText(random, 20), expiresAt: 'x' } } };
    case 3:
      return { fail: { errMsg: `request:fail ${randomText(random)}` } };
    default: {
      const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
      let ticket = '';
      for (let i = 0; i < 1 + Math.floor(random() * 64); i += 1) ticket += pick(random, chars);
      return { success: { statusCode: 200, data: { ticket, expiresAt: 'x' } } };
    }
  }
}

function scriptedWx(answer) {
  return {
    calls: [],
    login: (o) => setImmediate(() => o.success({ errMsg: 'login:ok', code: 'c0de' })),
    request: (o) => setImmediate(() => (answer.success ? o.success(answer.success) : o.fail(answer.fail))),
    getEnterOptionsSync: () => ({ scene: 1069, query: {} }),
    getLaunchOptionsSync: () => ({ scene: 1069, query: {} }),
    getStorageSync: () => '',
    setStorageSync: () => {},
  };
}

test('property: the return button always carries two or three clean key=value pairs', async () => {
  config.baseUrl = 'https://login.example.com';
  const seed = Number(process.env.PROPERTY_SEED || Date.now() % 1e9);
  const random = prng(seed);
  for (let run = 0; run < 300; run += 1) {
    const answer = randomAnswer(random);
    const wx = scriptedWx(answer);
    const page = await openPage(wx, pick(random, ['routes/explore', 'routers/explore/index']), {
      userPoolId: '0123456789abcdef01234567',
      getPhone: '0',
      fromApp: '1',
    });
    await page.tap('authorize');
    const back = await page.launchApp('return');
    const where = `seed ${seed} run ${run}: ${JSON.stringify(answer)} → ${JSON.stringify(back.extMsg)}`;
    assert.equal(back.returned, true, where);
    const pairs = back.extMsg.split('&');
    for (const pair of pairs) assert.equal(pair.split('=').length, 2, where);
    const ext = parseExtMsg(back.extMsg);
    assert.match(ext.code, /^[1-9][0-9]*$/, where);
    assert.doesNotMatch(ext.message, /[&=\n]/, where);
    if (ext.code === '200') {
      assert.equal(pairs.length, 3, where);
      assert.equal(ext.ticket, answer.success.data.ticket, where);
    } else {
      assert.equal(pairs.length, 2, where);
    }
  }
});
