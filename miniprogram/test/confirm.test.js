// The QR confirm page (pages/confirm/index) against a real `denglu dev`: the browser's side is played over HTTP
// (GET /oauth/wxapp/qrcode, POST /oauth/wxapp/confirm/qr), the phone by the wx stand-in and the WeChat simulator.
const test = require('node:test');
const assert = require('node:assert/strict');
const config = require('../config.js');
const { startDenglu } = require('../../scripts/lib/denglu-dev.cjs');
const { openPage } = require('./lib/mini-program.js');
const { newPhone, openidOf, requestsOf } = require('./lib/phone.js');
const http = require('./lib/http.js');
const { textFor } = require('../lib/messages.js');
const { DONE_TEXT, CANCELLED_TEXT, IDLE_TEXT, PHONE_DENIED_TEXT } = require('../lib/confirm.js');

const PAGE = 'pages/confirm/index';
let server;

test.before(async () => {
  server = await startDenglu({ name: 'miniprogram' });
  config.baseUrl = server.base;
});

test.after(async () => {
  if (server) await server.stop();
});

/**
 * The page as WeChat opens it for a url-mode code: the scanned link (decoded from the QR image) in `q`. The link is
 * read once per code, as a photo of the screen would keep it after the server stops serving the image.
 */
async function openFromLink(wx, qr) {
  if (!qr.link) qr.link = await http.qrLink(qr.data.qrcode);
  return openPage(wx, PAGE, { q: encodeURIComponent(qr.link), scancode_time: String(Math.floor(Date.now() / 1000)) });
}

/** A phone with the page open and scanned (status ready). */
async function scanned(qr, options) {
  const phone = await newPhone(server, options);
  const page = await openFromLink(phone.wx, qr);
  assert.equal(page.data.status, 'ready', `ready (${page.data.message || ''})`);
  return { ...phone, page };
}

test('url mode: the scanned link (options.q) → who is asking → confirm → the browser gets this user', async (t) => {
  const qr = await http.browserAsksForQr(server);
  const link = await http.qrLink(qr.data.qrcode);
  assert.equal(link, `${server.base}/s/${qr.data.scene}`, 'the QR image holds <prefix><scene>');
  t.diagnostic(`link ${link}`);

  const { user, wx } = await newPhone(server);
  const page = await openPage(wx, PAGE, { q: encodeURIComponent(link), scancode_time: '1700000000' });
  assert.equal(page.data.status, 'ready');
  assert.equal(page.text('pool-name'), 'Demo');
  assert.match(page.text('browser'), /Chrome/);
  assert.equal(page.text('region'), '本机', 'a browser on this machine');
  assert.equal(page.text('ip'), '127.0.0.*', 'the host part is hidden');
  assert.equal(page.text('ago'), '刚刚');
  assert.deepEqual(page.buttons(), ['confirm', 'cancel'], 'no phone button when the site did not ask');

  // wx.login ran on load, and the scan went out with the code only (no nickname the user did not choose).
  assert.equal(wx.callsOf('login').length, 1);
  const sent = requestsOf(wx);
  assert.deepEqual(sent.map((r) => `${r.method} ${r.path}`), [
    `GET /api/v1/scanner/sessions/${qr.data.scene}`,
    `POST /api/v1/scanner/sessions/${qr.data.scene}/scan`,
  ]);
  assert.deepEqual(Object.keys(sent[1].body), ['code']);

  const waiting = await http.poll(server.base, qr.random);
  assert.equal(waiting.code, 500);
  assert.equal(waiting.state, 'scanned', 'the browser hears about the scan before the tap');

  await page.tap('confirm');
  assert.equal(page.data.status, 'done');
  assert.equal(page.text('result'), DONE_TEXT);
  assert.equal(wx.callsOf('showToast')[0].args.title, '登录成功');
  assert.equal(wx.callsOf('login').length, 1, 'no second wx.login');

  const final = await http.pollUntilFinal(server.base, qr.random);
  assert.equal(final.code, 200, JSON.stringify(final));
  assert.equal(final.data.openid, await openidOf(server, wx, user), "the browser's user is the scanning WeChat user");
  assert.equal(final.data.phone, null);
  const checked = await http.checkToken(server.base, final.data.token);
  assert.equal(checked.status, true, JSON.stringify(checked));

  await page.tap('close');
  assert.equal(wx.callsOf('exitMiniProgram').length, 1, 'the entry page closes the mini program');
});

test('wxacode mode: options.scene (URL-encoded) from a scanned mini program code → confirm', async () => {
  await http.changeQrSettings(server, { mode: 'wxacode' });
  try {
    const qr = await http.browserAsksForQr(server);
    const launch = await http.scanImage(server.base, await http.imageBytes(qr.data.qrcode));
    assert.equal(launch.page, PAGE, 'the code opens the confirm page');
    assert.equal(launch.launch_scene, 1047);
    assert.equal(launch.query.scene, encodeURIComponent(qr.data.scene));

    const { wx } = await newPhone(server, { scene: launch.launch_scene, path: launch.page, query: launch.query });
    const page = await openPage(wx, launch.page, launch.query);
    assert.equal(page.data.status, 'ready', page.data.message);
    await page.tap('confirm');
    assert.equal(page.data.status, 'done');
    assert.equal((await http.pollUntilFinal(server.base, qr.random)).code, 200);
  } finally {
    await http.changeQrSettings(server, { mode: 'url' });
  }
});

test('phone asked: getPhoneNumber code → the user has the phone; wx.login only before the tap', async () => {
  const qr = await http.browserAsksForQr(server, { phone: true });
  const { user, wx, page } = await scanned(qr, { phone: '13580006666' });
  assert.equal(page.data.phoneRequested, true);
  assert.deepEqual(page.buttons(), ['confirm-phone', 'cancel']);

  const logins = wx.callsOf('login').length;
  const detail = await http.phoneNumberDetail(server.base, user);
  await page.getPhoneNumber('confirm-phone', detail);
  assert.equal(page.data.status, 'done', page.data.notice);
  assert.equal(wx.callsOf('login').length, logins, 'no wx.login inside the phone callback');
  const confirmCall = requestsOf(wx).find((r) => r.path.endsWith('/confirm'));
  assert.deepEqual(Object.keys(confirmCall.body).sort(), ['phoneCode', 'scanToken']);
  assert.equal(confirmCall.body.phoneCode, detail.code);

  const final = await http.pollUntilFinal(server.base, qr.random);
  assert.equal(final.code, 200);
  assert.equal(final.data.phone, '13580006666');
  assert.equal(final.data.phoneVerified, true);
});

test('phone asked, old base library: encryptedData/iv → the user has the phone', async () => {
  const qr = await http.browserAsksForQr(server, { phone: true });
  const { user, wx, page } = await scanned(qr, { phone: '13700001111' });
  const full = await http.phoneNumberDetail(server.base, user);
  await page.getPhoneNumber('confirm-phone', { errMsg: full.errMsg, encryptedData: full.encryptedData, iv: full.iv });
  assert.equal(page.data.status, 'done', page.data.notice);
  const confirmCall = requestsOf(wx).find((r) => r.path.endsWith('/confirm'));
  assert.deepEqual(Object.keys(confirmCall.body).sort(), ['encryptedData', 'iv', 'scanToken']);
  const final = await http.pollUntilFinal(server.base, qr.random);
  assert.equal(final.data.phone, '13700001111');
});

test('phone denied (Android spelling) → offered to go on without it → the user has no phone', async () => {
  const qr = await http.browserAsksForQr(server, { phone: true });
  const { wx, page } = await scanned(qr, { phone: '13800002222' });
  await page.getPhoneNumber('confirm-phone', { errMsg: 'getPhoneNumber:fail:user deny' });
  assert.equal(page.data.status, 'ready');
  assert.equal(page.text('notice'), PHONE_DENIED_TEXT);
  assert.deepEqual(page.buttons(), ['confirm-phone', 'confirm-without-phone', 'cancel']);
  assert.equal(requestsOf(wx).filter((r) => r.path.endsWith('/confirm')).length, 0, 'nothing sent on a refusal');

  await page.tap('confirm-without-phone');
  assert.equal(page.data.status, 'done');
  const confirmCall = requestsOf(wx).find((r) => r.path.endsWith('/confirm'));
  assert.deepEqual(Object.keys(confirmCall.body), ['scanToken']);
  const final = await http.pollUntilFinal(server.base, qr.random);
  assert.equal(final.code, 200);
  assert.equal(final.data.phone, null);
});

test('phone denied (iOS spelling) → cancel → the browser gets 4203', async () => {
  const qr = await http.browserAsksForQr(server, { phone: true });
  const { page } = await scanned(qr, { phone: '13800003333' });
  await page.getPhoneNumber('confirm-phone', { errMsg: 'getPhoneNumber:fail user deny' });
  await page.tap('cancel');
  assert.equal(page.data.status, 'cancelled');
  assert.equal((await http.pollUntilFinal(server.base, qr.random)).code, 4203);
});

test('cancel → the browser gets 4203; opening the code again says it was cancelled', async () => {
  const qr = await http.browserAsksForQr(server);
  const { wx, page } = await scanned(qr);
  await page.tap('cancel');
  assert.equal(page.data.status, 'cancelled');
  assert.equal(page.text('result'), CANCELLED_TEXT);
  assert.ok(requestsOf(wx).some((r) => r.method === 'POST' && r.path.endsWith('/cancel')));
  const final = await http.pollUntilFinal(server.base, qr.random);
  assert.equal(final.code, 4203);
  assert.equal(final.state, 'cancelled');

  const again = await openFromLink((await newPhone(server)).wx, qr);
  assert.equal(again.data.status, 'error');
  assert.equal(again.text('result'), textFor(4203));
  assert.equal(again.isVisible('retry'), false, 'nothing to retry');
});

test('already scanned: a second phone sees 4206 and cannot confirm; the first still can', async () => {
  const qr = await http.browserAsksForQr(server);
  const first = await scanned(qr);
  const second = await newPhone(server);
  const page = await openFromLink(second.wx, qr);
  assert.equal(page.data.status, 'error');
  assert.equal(page.text('result'), textFor(4206));
  assert.deepEqual(page.buttons(), ['close']);
  assert.deepEqual(requestsOf(second.wx).map((r) => r.method), ['GET'], 'the second phone never tries to scan');

  await first.page.tap('confirm');
  assert.equal(first.page.data.status, 'done');
  assert.equal((await http.pollUntilFinal(server.base, qr.random)).code, 200);
});

test('used: after the browser collected the login, the code says used (4204)', async () => {
  const qr = await http.browserAsksForQr(server);
  const { page } = await scanned(qr);
  await page.tap('confirm');
  assert.equal((await http.pollUntilFinal(server.base, qr.random)).code, 200);
  const again = await openFromLink((await newPhone(server)).wx, qr);
  assert.equal(again.data.status, 'error');
  assert.equal(again.text('result'), textFor(4204));
});

test('unknown or unreadable scene → 4205 text; no code at all → the idle text and no request', async () => {
  for (const query of [{ scene: 'NoSuchScene0123456789' }, { q: encodeURIComponent(`${server.base}/s/NoSuchScene0123456789`) }, { scene: '%E0%A4%A' }]) {
    const { wx } = await newPhone(server);
    const page = await openPage(wx, PAGE, query);
    assert.equal(page.data.status, 'error', JSON.stringify(query));
    assert.equal(page.text('result'), textFor(4205));
  }
  const { wx } = await newPhone(server);
  const page = await openPage(wx, PAGE, {});
  assert.equal(page.data.status, 'idle');
  assert.equal(page.text('idle'), IDLE_TEXT);
  assert.equal(wx.calls.length, 0);
});

test('a second tap while confirming finds the button disabled; one confirm request', async () => {
  const qr = await http.browserAsksForQr(server);
  const { wx, page } = await scanned(qr);
  const first = page.tap('confirm');
  await assert.rejects(page.tap('confirm'), /disabled/);
  await first;
  assert.equal(page.data.status, 'done');
  assert.equal(requestsOf(wx).filter((r) => r.path.endsWith('/confirm')).length, 1);
});

test('network: server unreachable → network text and retry; offline → retry after the network is back → login', async () => {
  const saved = config.baseUrl;
  config.baseUrl = 'http://127.0.0.1:9'; // discard port: nothing listens
  try {
    const { wx } = await newPhone(server);
    const page = await openPage(wx, PAGE, { scene: 'AnyScene0123456789' });
    assert.equal(page.data.status, 'error');
    assert.equal(page.text('result'), textFor('network'));
    assert.ok(page.isVisible('retry'));
  } finally {
    config.baseUrl = saved;
  }

  const qr = await http.browserAsksForQr(server);
  const { wx } = await newPhone(server);
  wx.offline = true;
  const page = await openFromLink(wx, qr);
  assert.equal(page.data.status, 'error');
  assert.equal(page.text('result'), textFor('network'));
  wx.offline = false;
  await page.tap('retry');
  assert.equal(page.data.status, 'ready', page.data.message);
  wx.offline = true;
  await page.tap('confirm');
  assert.equal(page.data.status, 'ready', 'still scanned after a failed confirm');
  assert.equal(page.text('notice'), textFor('network'));
  wx.offline = false;
  await page.tap('confirm');
  assert.equal(page.data.status, 'done');
  assert.equal((await http.pollUntilFinal(server.base, qr.random)).code, 200);
});

test('wx.login fails → a clear text and a retry that works', async () => {
  const qr = await http.browserAsksForQr(server);
  const { wx } = await newPhone(server);
  wx.loginFails = true;
  const page = await openFromLink(wx, qr);
  assert.equal(page.data.status, 'error');
  assert.match(page.text('result'), /微信登录失败/);
  wx.loginFails = false;
  await page.tap('retry');
  assert.equal(page.data.status, 'ready');
});

test('a nickname the user chose is remembered and sent with the next scan; the browser sees it', async () => {
  const first = await http.browserAsksForQr(server);
  const { wx, page } = await scanned(first);
  await page.input('nickname', '  阿达 Ada  ');
  assert.equal(page.data.nickname, '阿达 Ada');
  await page.tap('cancel');

  const second = await http.browserAsksForQr(server);
  const again = await openFromLink(wx, second);
  assert.equal(again.data.status, 'ready');
  const scan = requestsOf(wx).filter((r) => r.path.endsWith('/scan')).pop();
  assert.deepEqual(scan.body.nickname, '阿达 Ada');
  const waiting = await http.poll(server.base, second.random);
  assert.equal(waiting.nickname, '阿达 Ada');
  await again.tap('confirm');
  const final = await http.pollUntilFinal(server.base, second.random);
  assert.equal(final.data.nickname, '阿达 Ada');
});
