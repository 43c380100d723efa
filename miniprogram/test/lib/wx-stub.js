// A stand-in for the WeChat client's `wx` object, for one simulated phone. It implements what the pages call:
//   wx.login          → the WeChat simulator's control API (POST /wechat-sim/__sim/login) for this phone's user;
//   wx.request        → real HTTP (Node's fetch) with WeChat's callback shape: success({statusCode, data, header,
//                       errMsg}) for any HTTP answer, fail({errMsg: 'request:fail …'}) when none came back;
//   wx.getLaunchOptionsSync / getEnterOptionsSync → the entry scene (1047 scan, 1069 from an app, …);
//   storage (getStorageSync / setStorageSync), and recorders for showToast, showModal, navigateBack, exitMiniProgram.
// Every call is appended to `wx.calls` ({api, seq}), so a test can tell what happened before a tap.

const { SCANNER_APPID } = require('./http.js');

function jsonOrText(body) {
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body);
  } catch (error) {
    return body;
  }
}

/**
 * A phone: `base` (the denglu server, whose /wechat-sim is the simulator), `user` (the simulator's user number),
 * `scene` (entry scene), `appid` (the mini program). Switches a test may flip at any time: `wx.offline` (every
 * wx.request fails as without a network) and `wx.loginFails` (wx.login fails).
 */
function createWx({ base, user, scene = 1047, appid = SCANNER_APPID, path = '', query = {} }) {
  const calls = [];
  const storage = new Map();
  let seq = 0;
  const record = (api, args) => {
    seq += 1;
    calls.push({ api, seq, args });
    return seq;
  };
  const later = (fn) => setImmediate(fn);

  function finish(options, ok, result) {
    later(() => {
      if (ok && typeof options.success === 'function') options.success(result);
      if (!ok && typeof options.fail === 'function') options.fail(result);
      if (typeof options.complete === 'function') options.complete(result);
    });
  }

  const wx = {
    calls,
    appid,
    offline: false,
    loginFails: false,

    login(options = {}) {
      record('login', {});
      if (wx.loginFails) {
        finish(options, false, { errMsg: 'login:fail simulated', errno: 1 });
        return;
      }
      fetch(`${base}/wechat-sim/__sim/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ appid, user }),
      })
        .then(async (res) => {
          const body = await res.json();
          if (res.ok && body.code) finish(options, true, { errMsg: 'login:ok', code: body.code });
          else finish(options, false, { errMsg: `login:fail ${JSON.stringify(body)}` });
        })
        .catch((error) => finish(options, false, { errMsg: `login:fail ${error.message}` }));
    },

    request(options = {}) {
      const method = String(options.method || 'GET').toUpperCase();
      const header = Object.assign({}, options.header);
      let url = options.url;
      let body;
      if (options.data !== undefined && options.data !== null) {
        if (method === 'GET') {
          const params = new URLSearchParams(options.data).toString();
          if (params) url += (url.includes('?') ? '&' : '?') + params;
        } else if (typeof options.data === 'string') {
          body = options.data;
        } else {
          body = JSON.stringify(options.data);
          if (!Object.keys(header).some((k) => k.toLowerCase() === 'content-type')) {
            header['content-type'] = 'application/json';
          }
        }
      }
      record('request', { method, url, body: jsonOrText(body) });
      if (wx.offline) {
        finish(options, false, { errMsg: 'request:fail net::ERR_INTERNET_DISCONNECTED', errno: 600001 });
        return { abort() {} };
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.timeout || 60000);
      fetch(url, { method, headers: header, body, signal: controller.signal })
        .then(async (res) => {
          const text = await res.text();
          let data = text;
          if ((options.dataType || 'json') === 'json') {
            try {
              data = JSON.parse(text);
            } catch (error) {
              // WeChat leaves a non-JSON body as the string
            }
          }
          const headers = {};
          res.headers.forEach((v, k) => {
            headers[k] = v;
          });
          finish(options, true, { statusCode: res.status, data, header: headers, cookies: [], errMsg: 'request:ok' });
        })
        .catch((error) => {
          const reason = error.name === 'AbortError' ? 'timeout' : (error.cause && error.cause.code) || error.message;
          finish(options, false, { errMsg: `request:fail ${reason}`, errno: 600001 });
        })
        .finally(() => clearTimeout(timer));
      return { abort: () => controller.abort() };
    },

    getLaunchOptionsSync() {
      return { scene, path, query, referrerInfo: {} };
    },
    getEnterOptionsSync() {
      return { scene, path, query, referrerInfo: {} };
    },

    getStorageSync(key) {
      return storage.has(key) ? storage.get(key) : '';
    },
    setStorageSync(key, value) {
      record('setStorageSync', { key, value });
      storage.set(key, JSON.parse(JSON.stringify(value)));
    },

    showToast(options = {}) {
      record('showToast', { title: options.title, icon: options.icon });
      finish(options, true, { errMsg: 'showToast:ok' });
    },
    showModal(options = {}) {
      record('showModal', { title: options.title, content: options.content });
      finish(options, true, { errMsg: 'showModal:ok', confirm: true, cancel: false });
    },
    navigateBack(options = {}) {
      record('navigateBack', { delta: options.delta });
      finish(options, true, { errMsg: 'navigateBack:ok' });
    },
    exitMiniProgram(options = {}) {
      record('exitMiniProgram', {});
      finish(options, true, { errMsg: 'exitMiniProgram:ok' });
    },
    canIUse() {
      return true;
    },

    /** The calls made so far of one API. */
    callsOf(api) {
      return calls.filter((call) => call.api === api);
    },
  };
  return wx;
}

module.exports = { createWx };
