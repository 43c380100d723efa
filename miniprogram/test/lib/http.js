// Plain HTTP helpers for the tests: the WeChat simulator's control API (playing WeChat itself), the browser's side
// of a QR login, and the app backend's ticket exchange.

const { createHash } = require('node:crypto');
const { PNG } = require('pngjs');
const jsQR = require('jsqr');

/** The demo mini program `denglu dev` registers as the deployment's scanner. */
const SCANNER_APPID = 'wxd000000000000001';
const SIM = '/wechat-sim/__sim';

/** Sends JSON (or raw bytes) and answers {status, body} (body parsed when JSON, else text). */
async function request(base, method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (Buffer.isBuffer(body)) {
    init.body = body;
  } else if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

/** Like request(), but a non-2xx status throws. */
async function ok(base, method, path, body, headers) {
  const reply = await request(base, method, path, body, headers);
  if (reply.status < 200 || reply.status > 299) {
    throw new Error(`${method} ${path} → HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}

// --- WeChat (the simulator's control API) ---------------------------------------------------------------------

/** A new WeChat user; returns its number. `phone` like '13580006666'. */
async function createWechatUser(base, { nickname = '测试用户', phone } = {}) {
  const body = { nickname };
  if (phone) body.phone = { number: phone };
  const { user } = await ok(base, 'POST', `${SIM}/users`, body);
  return user;
}

/** What `<button open-type="getPhoneNumber">` gives the page after the user allows it. */
function phoneNumberDetail(base, user, appid = SCANNER_APPID) {
  return ok(base, 'POST', `${SIM}/phone-number`, { appid, user });
}

/** The original id (gh_…) the simulator derives for an app without one: gh_ + first 12 hex of sha256(appid). */
function originalIdOf(appid) {
  return `gh_${createHash('sha256').update(appid).digest('hex').slice(0, 12)}`;
}

/** An app opens the mini program (WXLaunchMiniProgramReq): {appid, page, query, launch_scene: 1069}. */
function launchMiniProgram(base, path, appid = SCANNER_APPID) {
  return ok(base, 'POST', `${SIM}/launch-mini-program`, { original_id: originalIdOf(appid), path });
}

/** WeChat scans a mini program code image: {appid, page, scene, query, launch_scene: 1047}. */
function scanImage(base, bytes) {
  return ok(base, 'POST', `${SIM}/scan`, bytes);
}

// --- The browser (QR login over HTTP) ---------------------------------------------------------------------------

const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** A fresh poll secret, as the web SDK makes them. */
function newRandom() {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  let out = '';
  for (let i = 0; i < 20; i += 1) out += chars[Math.floor(Math.random() * chars.length)];
  return out;
}

/** The browser asks for a QR code: {random, data} (data.scene, data.qrcode). */
async function browserAsksForQr(server, { phone = false } = {}) {
  const random = newRandom();
  const reply = await ok(
    server.base,
    'GET',
    `/oauth/wxapp/qrcode/${server.poolId}?random=${random}&useSelfWxapp=false&enableFetchPhone=${phone}`,
    undefined,
    { 'user-agent': BROWSER_UA },
  );
  if (reply.code !== 200) throw new Error(`QR request refused: ${JSON.stringify(reply)}`);
  return { random, data: reply.data };
}

/** One poll: the inner data object. */
async function poll(base, random) {
  const reply = await ok(base, 'POST', `/oauth/wxapp/confirm/qr?random=${encodeURIComponent(random)}&useSelfWxapp=false`);
  return reply.data;
}

/** Polls until the inner code is no longer 500 (pending): the final inner data object. */
async function pollUntilFinal(base, random, { timeoutMs = 10000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const data = await poll(base, random);
    if (data.code !== 500) return data;
    if (Date.now() > deadline) throw new Error(`still pending after ${timeoutMs} ms: ${JSON.stringify(data)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The text inside the url-mode QR image (the link WeChat would open). */
async function qrLink(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → HTTP ${res.status}`);
  const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
  const found = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!found) throw new Error(`no QR code found in ${url}`);
  return found.data;
}

/** The bytes of an image. */
async function imageBytes(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** Changes the pool's QR settings (mode, lifetimeSeconds, …) with the pool secret. */
function changeQrSettings(server, change) {
  return ok(server.base, 'PUT', `/api/v1/pools/${server.poolId}/qr-settings`, change, {
    'X-Pool-Secret': server.poolSecret,
  });
}

// --- The app's backend -------------------------------------------------------------------------------------------

/** POST /oauth/app2wxapp/auth/{pool} with {ticket, secret}: the whole reply (HTTP 200 always). */
function exchangeTicket(server, ticket, secret = server.poolSecret, extra = {}) {
  return ok(server.base, 'POST', `/oauth/app2wxapp/auth/${server.poolId}`, { ticket, secret, ...extra });
}

/** GET /authing/token: {status: true, ...} for a valid token. */
function checkToken(base, token) {
  return ok(base, 'GET', `/authing/token?access_token=${encodeURIComponent(token)}`);
}

/** Splits an extMsg the way the apps do (iOS demo: split on &, then =, no percent-decoding). */
function parseExtMsg(extMsg) {
  const out = {};
  for (const pair of extMsg.split('&')) {
    const parts = pair.split('=');
    out[parts[0]] = parts[1];
  }
  return out;
}

module.exports = {
  SCANNER_APPID,
  request,
  ok,
  createWechatUser,
  phoneNumberDetail,
  originalIdOf,
  launchMiniProgram,
  scanImage,
  browserAsksForQr,
  poll,
  pollUntilFinal,
  qrLink,
  imageBytes,
  changeQrSettings,
  exchangeTicket,
  checkToken,
  parseExtMsg,
};
