// A phone for the tests: a WeChat user in the simulator and the wx stand-in that plays their WeChat client.

const { createWechatUser, request } = require('./http.js');
const { createWx } = require('./wx-stub.js');

/** A new user (optionally with a phone number) and their wx; `scene` is how the mini program was entered. */
async function newPhone(server, { nickname = '测试用户', phone, scene = 1047, path = '', query = {} } = {}) {
  const user = await createWechatUser(server.base, { nickname, phone });
  const wx = createWx({ base: server.base, user, scene, path, query });
  return { user, wx };
}

/** The openid this user has in the scanner mini program. */
async function openidOf(server, wx, user) {
  const reply = await request(server.base, 'POST', '/wechat-sim/__sim/identity', { appid: wx.appid, user });
  if (reply.status !== 200) throw new Error(`identity: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.openid;
}

/** The wx.request calls of a phone, as {method, path, body}. */
function requestsOf(wx) {
  return wx.callsOf('request').map((call) => ({
    method: call.args.method,
    path: new URL(call.args.url).pathname,
    body: call.args.body,
    seq: call.seq,
  }));
}

module.exports = { newPhone, openidOf, requestsOf };
