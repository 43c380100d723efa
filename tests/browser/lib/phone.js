// The phone's side of a QR login, played over HTTP: the WeChat simulator's control API stands in for WeChat
// (users, wx.login codes), denglu's scanner API for the scanner mini program. Plus the server checks the tests use.

/** The demo mini program that `denglu dev` registers as the deployment's scanner. */
export const SCANNER_APPID = 'wxd000000000000001';

/** Sends JSON, returns {status, body} (body parsed when it is JSON, else the text). */
export async function request(base, method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed };
}

/** Like request(), but a non-2xx status throws with the reply in the message. */
export async function ok(base, method, path, body, headers) {
  const reply = await request(base, method, path, body, headers);
  if (reply.status < 200 || reply.status > 299) {
    throw new Error(`${method} ${path} → HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  }
  return reply.body;
}

/** A WeChat user in the simulator; returns its id. */
export async function createWechatUser(base, nickname) {
  const { user } = await ok(base, 'POST', '/wechat-sim/__sim/users', { nickname });
  return user;
}

/** wx.login in the scanner mini program: a one-time code. */
export async function wxLogin(base, user, appid = SCANNER_APPID) {
  const { code } = await ok(base, 'POST', '/wechat-sim/__sim/login', { appid, user });
  if (typeof code !== 'string' || !code) throw new Error(`no code from the simulator's login: ${code}`);
  return code;
}

const scannerPath = (scene, action) =>
  `/api/v1/scanner/sessions/${encodeURIComponent(scene)}${action ? `/${action}` : ''}`;

/** What the confirm page shows about a scanned code (anyone holding the scene can read it). */
export function scannerView(base, scene) {
  return request(base, 'GET', scannerPath(scene));
}

/** The scan: {status, body}; body.scanToken on success. */
export function scan(base, scene, code, nickname) {
  const body = { code };
  if (nickname !== undefined) body.nickname = nickname;
  return request(base, 'POST', scannerPath(scene, 'scan'), body);
}

export function confirm(base, scene, scanToken) {
  return request(base, 'POST', scannerPath(scene, 'confirm'), { scanToken });
}

export function cancel(base, scene, scanToken) {
  return request(base, 'POST', scannerPath(scene, 'cancel'), { scanToken });
}

/**
 * A phone that scans `scene`: a new WeChat user, wx.login, scan. Returns {user, scanToken}. Throws when a step
 * fails.
 */
export async function phoneScans(base, scene, { nickname = '扫码测试 Tester' } = {}) {
  const user = await createWechatUser(base, nickname);
  const code = await wxLogin(base, user);
  const scanned = await scan(base, scene, code, nickname);
  if (scanned.status !== 200 || typeof scanned.body.scanToken !== 'string') {
    throw new Error(`scan of ${scene} failed: HTTP ${scanned.status} ${JSON.stringify(scanned.body)}`);
  }
  return { user, scanToken: scanned.body.scanToken };
}

/** The whole phone side: scan, then confirm. Returns {user, scanToken}. */
export async function phoneLogsIn(base, scene, options) {
  const phone = await phoneScans(base, scene, options);
  const confirmed = await confirm(base, scene, phone.scanToken);
  if (confirmed.status !== 200 || confirmed.body.state !== 'confirmed') {
    throw new Error(`confirm of ${scene} failed: HTTP ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
  }
  return phone;
}

/** GET /authing/token: {status: true, ...} for a valid token. */
export async function checkToken(base, token) {
  return ok(base, 'GET', `/authing/token?access_token=${encodeURIComponent(token)}`);
}

/** The compatible poll, from outside any browser: the whole reply. */
export async function pollAsStranger(base, random) {
  return ok(base, 'POST', `/oauth/wxapp/confirm/qr?random=${encodeURIComponent(random)}&useSelfWxapp=false`);
}

/** The pool admin API: read and change the QR settings of the pool. */
export function qrSettings(server) {
  return ok(server.base, 'GET', `/api/v1/pools/${server.poolId}/qr-settings`, undefined, {
    'X-Pool-Secret': server.poolSecret,
  });
}

export function changeQrSettings(server, change) {
  return ok(server.base, 'PUT', `/api/v1/pools/${server.poolId}/qr-settings`, change, {
    'X-Pool-Secret': server.poolSecret,
  });
}
