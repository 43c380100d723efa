// The phone's side of the integration tests: JSON requests and the WeChat simulator's control API of `denglu dev`.
// (The server itself is started with the repository's scripts/lib/denglu-dev.cjs.)

const SIM = '/wechat-sim/__sim';
/** The mini program `denglu dev` registers (the demo pool's mini program). */
const APPID = 'wxd000000000000001';

/** JSON request; resolves {status, body}. */
async function call(base, method, path, body, headers = {}) {
  const init = { method, headers: Object.assign({}, headers) };
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
    // text
  }
  return { status: res.status, body: parsed };
}

async function sim(base, path, body) {
  const reply = await call(base, 'POST', `${SIM}${path}`, body);
  if (reply.status !== 200) throw new Error(`simulator ${path}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** A WeChat user in the simulator (optionally with a phone number); resolves its id. */
async function wechatUser(base, { nickname = '测试用户', avatarUrl, phone } = {}) {
  const body = { nickname };
  if (avatarUrl) body.avatar_url = avatarUrl;
  if (phone) body.phone = { number: phone };
  return (await sim(base, '/users', body)).user;
}

/** The e.detail of a tap on <button open-type="getUserInfo"> (needs an earlier wx.login). */
const tapUserInfo = (base, user, appid = APPID) => sim(base, '/user-info', { appid, user });

/** The e.detail of a tap on <button open-type="getPhoneNumber"> (needs an earlier wx.login). */
const tapPhoneNumber = (base, user, appid = APPID) => sim(base, '/phone-number', { appid, user });

/** What the server says about a token (GET /authing/token). */
async function checkToken(base, token) {
  return (await call(base, 'GET', `/authing/token?access_token=${encodeURIComponent(token)}`)).body;
}

module.exports = { APPID, call, wechatUser, tapUserInfo, tapPhoneNumber, checkToken };
