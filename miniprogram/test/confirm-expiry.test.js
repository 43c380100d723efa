// The QR confirm page when the code expires (its own file: it waits for the server's real clock, 30 s, the
// shortest QR lifetime a pool can have, while the other files run).
const test = require('node:test');
const assert = require('node:assert/strict');
const config = require('../config.js');
const { startDenglu } = require('../../scripts/lib/denglu-dev.cjs');
const { openPage } = require('./lib/mini-program.js');
const { newPhone } = require('./lib/phone.js');
const http = require('./lib/http.js');
const { textFor } = require('../lib/messages.js');

const PAGE = 'pages/confirm/index';
const LIFETIME = 30;
let server;

test.before(async () => {
  server = await startDenglu({ name: 'miniprogram' });
  config.baseUrl = server.base;
  await http.changeQrSettings(server, { lifetimeSeconds: LIFETIME });
});

test.after(async () => {
  if (server) await server.stop();
});

test(`expired (${LIFETIME} s): a page left open says so on confirm; a late scan says so on load; the browser gets 4202`, async () => {
  const waited = await http.browserAsksForQr(server);
  const late = await http.browserAsksForQr(server);
  const lateLink = await http.qrLink(late.data.qrcode);
  const expiresAt = Date.parse(waited.data.expiredAt);
  assert.equal((expiresAt - Date.parse(waited.data.createdAt)) / 1000, LIFETIME);

  const { wx } = await newPhone(server);
  const link = await http.qrLink(waited.data.qrcode);
  const page = await openPage(wx, PAGE, { q: encodeURIComponent(link) });
  assert.equal(page.data.status, 'ready');

  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(late.data.expiredAt) - Date.now()) + 1500));

  await page.tap('confirm');
  assert.equal(page.data.status, 'error');
  assert.equal(page.text('result'), textFor(4202));
  assert.equal(page.isVisible('retry'), false);

  const latePage = await openPage((await newPhone(server)).wx, PAGE, { q: encodeURIComponent(lateLink) });
  assert.equal(latePage.data.status, 'error');
  assert.equal(latePage.text('result'), textFor(4202));

  assert.equal((await http.poll(server.base, waited.random)).code, 4202);
  assert.equal((await http.poll(server.base, late.random)).code, 4202);
});
