// The QR confirm page's logic: read the scene, show who is asking, scan, then confirm or cancel.
//
// Everything the page shows is in the object passed to `view` (the page's setData):
//   status         'idle' (opened without a QR code) | 'loading' | 'ready' | 'confirming' | 'done' | 'cancelled'
//                  | 'error'
//   pool           {name, logo} of the site asking; requester {browser, region, ip, ago}
//   phoneRequested the site asks for the phone number: the confirm button is a getPhoneNumber button
//   offerWithoutPhone  the phone was refused (or failed): also offer confirming without it
//   notice         a non-fatal message under the buttons; message: the text of done/cancelled/error
//   errorCode, canRetry, busy
//
// wx.login runs when the page loads, before any tap: calling it inside the getPhoneNumber callback may rotate the
// session key and break the legacy encryptedData decryption on the server.

const { readScene, hasSceneQuery } = require('./scene.js');
const { ApiError, NETWORK } = require('./api.js');
const { textFor, ago, RETRYABLE } = require('./messages.js');
const wechat = require('./wechat.js');

const DONE_TEXT = '登录成功，请回到电脑上继续。';
const CANCELLED_TEXT = '已取消登录，电脑上不会登录。';
const IDLE_TEXT = '请用微信“扫一扫”扫描电脑网页上的登录二维码。';
const LOGIN_FAILED_TEXT = '微信登录失败，请重试。';
const PHONE_DENIED_TEXT = '你没有分享手机号。可以不分享手机号继续登录，或取消登录。';

/** The states in which a session can no longer be scanned, with the code that explains why. */
const STATE_CODES = { scanned: 4206, confirmed: 4204, cancelled: 4203, expired: 4202, used: 4204 };

/**
 * The confirm page's controller. `wx`: the WeChat API; `api`: lib/api.js client; `view`: setData;
 * `profile`: `{nickname?, avatar?}` the user chose to share (lib/profile.js), sent with the scan.
 */
function createConfirm({ wx, api, view, profile }) {
  let query = null;
  let scene = null;
  let scanToken = null;
  let busy = false;

  function fail(error) {
    const code = error instanceof ApiError ? error.code : NETWORK;
    scanToken = RETRYABLE.has(code) ? scanToken : null;
    view({ status: 'error', errorCode: code, message: textFor(code), canRetry: RETRYABLE.has(code), busy: false });
  }

  function showSession(session) {
    const requester = session.requester || {};
    view({
      pool: { name: (session.pool && session.pool.name) || '未知网站', logo: (session.pool && session.pool.logo) || '' },
      requester: {
        browser: requester.browser || '未知浏览器',
        region: requester.region || '未知地区',
        ip: requester.ip || '未知',
        ago: ago(requester.secondsAgo),
      },
      phoneRequested: Boolean(session.phoneRequested),
    });
  }

  /** onLoad: everything up to the point where the user decides. */
  async function load(pageQuery) {
    query = pageQuery || {};
    scanToken = null;
    busy = false;
    const found = readScene(query);
    if (!found) {
      if (hasSceneQuery(query)) fail(new ApiError(4205, 'unreadable scene', 0));
      else view({ status: 'idle', message: IDLE_TEXT });
      return;
    }
    scene = found.scene;
    view({ status: 'loading', notice: '', offerWithoutPhone: false, canRetry: false, busy: false });
    const login = wechat.login(wx).then(
      (code) => ({ code }),
      (error) => ({ error }),
    );
    let session;
    try {
      session = await api.scannerSession(scene);
    } catch (error) {
      await login;
      fail(error);
      return;
    }
    showSession(session);
    if (session.state !== 'pending') {
      await login;
      fail(new ApiError(STATE_CODES[session.state] || 4206, `state ${session.state}`, 0));
      return;
    }
    const logged = await login;
    if (logged.error) {
      view({ status: 'error', errorCode: 'wxlogin', message: LOGIN_FAILED_TEXT, canRetry: true });
      return;
    }
    try {
      const scanned = await api.scan(scene, Object.assign({ code: logged.code }, profile || {}));
      scanToken = scanned.scanToken;
    } catch (error) {
      fail(error);
      return;
    }
    view({ status: 'ready' });
  }

  /** Sends the confirmation, with `phone` ({phoneCode} or {encryptedData, iv}) when the user shared it. */
  async function confirm(phone) {
    if (busy || !scanToken) return;
    busy = true;
    view({ status: 'confirming', busy: true, notice: '' });
    try {
      await api.confirm(scene, Object.assign({ scanToken }, phone || {}));
    } catch (error) {
      busy = false;
      const code = error instanceof ApiError ? error.code : NETWORK;
      if (RETRYABLE.has(code)) {
        // Still scanned: the user can tap again (or, for a phone that failed, go on without it).
        view({ status: 'ready', busy: false, notice: textFor(code), offerWithoutPhone: Boolean(phone) });
      } else {
        fail(error);
      }
      return;
    }
    busy = false;
    scanToken = null;
    view({ status: 'done', busy: false, message: DONE_TEXT });
    wx.showToast({ title: '登录成功', icon: 'success' });
  }

  /** The getPhoneNumber button's event: confirm with the phone, or offer to go on without it. */
  function phoneNumber(detail) {
    if (busy || !scanToken) return Promise.resolve();
    if (wechat.phoneDenied(detail)) {
      view({ offerWithoutPhone: true, notice: PHONE_DENIED_TEXT });
      return Promise.resolve();
    }
    const proof = wechat.phoneProof(detail);
    if (!proof) {
      const reason = (detail && detail.errMsg) || '未知原因';
      view({ offerWithoutPhone: true, notice: `获取手机号失败（${reason}）。可以不分享手机号继续登录，或取消登录。` });
      return Promise.resolve();
    }
    return confirm(proof);
  }

  /** The user refuses the login. */
  async function cancel() {
    if (busy) return;
    if (!scanToken) {
      view({ status: 'cancelled', message: CANCELLED_TEXT });
      return;
    }
    busy = true;
    view({ busy: true, notice: '' });
    try {
      await api.cancel(scene, { scanToken });
    } catch (error) {
      busy = false;
      const code = error instanceof ApiError ? error.code : NETWORK;
      if (RETRYABLE.has(code)) view({ busy: false, notice: textFor(code) });
      else fail(error);
      return;
    }
    busy = false;
    scanToken = null;
    view({ status: 'cancelled', busy: false, message: CANCELLED_TEXT });
  }

  /** After a retryable failure while loading: start again (a new wx.login, a new scan). */
  function retry() {
    return load(query);
  }

  return { load, confirm: () => confirm(null), phoneNumber, cancel, retry };
}

module.exports = { createConfirm, DONE_TEXT, CANCELLED_TEXT, IDLE_TEXT, PHONE_DENIED_TEXT };
