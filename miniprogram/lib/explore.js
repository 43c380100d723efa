// The app launch page's logic (flow B): an app opened the mini program at
// `/routes/explore?userPoolId=<id>&getPhone=1&fromApp=1&useSelfWxapp=0` (or `/routers/explore?...`). Log the user
// in, ask for the phone when `getPhone=1`, get a one-time ticket from the server, and hand it back to the app
// through the launchApp button's `app-parameter` (lib/app-parameter.js has the format).
//
// What the page shows (the object passed to `view`):
//   status           'loading' | 'ready' (waiting for the user's consent) | 'minting' | 'done' | 'refused' | 'error'
//   needPhone        getPhone=1: the consent button is a getPhoneNumber button
//   appParameter     app-parameter of the "返回 App" button (shown in done/refused/error)
//   cancelParameter  app-parameter of the "取消" button: always the refusal
//   notFromApp       not entered from an app: going back will fail with "invalid scene"
//   message, notice, errorCode, canRetry

const appParameter = require('./app-parameter.js');
const { ApiError, NETWORK } = require('./api.js');
const { textFor, shortTextFor, RETRYABLE } = require('./messages.js');
const wechat = require('./wechat.js');

/** Entry scenes that allow going back to the app: 1069 (opened by an app) and those that keep that ability. */
const RETURN_SCENES = new Set([1069, 1038, 1089, 1090, 1001, 1131, 1187]);
const POOL_ID = /^[0-9a-fA-F]{24}$/;

const READY_TEXT = '授权后将返回 App 完成登录。';
const DONE_TEXT = '授权成功，请点击“返回 App”完成登录。';
const REFUSED_TEXT = '你拒绝了授权，请点击“返回 App”。';
const LOGIN_FAILED_TEXT = '微信登录失败，请重试。';
const BAD_POOL_TEXT = '参数有误：userPoolId 无效';
const INVALID_SCENE_TEXT = '无法返回 App：请从 App 里打开这个页面再授权（直接打开或扫码进入的小程序不能返回 App）。';

/**
 * The launch query: `{userPoolId, getPhone, fromApp, useSelfWxapp, codeChallenge}`, the flags as booleans.
 * `codeChallenge` (optional, PKCE-style) binds the ticket: the app's backend must then show its verifier.
 */
function readLaunchQuery(query) {
  const options = query || {};
  const flag = (value) => value === '1' || value === 'true' || value === 1 || value === true;
  return {
    userPoolId: typeof options.userPoolId === 'string' ? options.userPoolId.trim() : '',
    getPhone: flag(options.getPhone),
    // Accepted for compatibility; the server decides which mini program's login it trusts for the pool.
    fromApp: flag(options.fromApp),
    useSelfWxapp: flag(options.useSelfWxapp),
    codeChallenge: typeof options.codeChallenge === 'string' ? options.codeChallenge.trim() : '',
  };
}

/**
 * The app launch page's controller. `wx`: the WeChat API; `api`: lib/api.js client; `view`: setData;
 * `profile`: `{nickname?, avatar?}` the user chose to share (lib/profile.js), sent with the ticket request.
 */
function createExplore({ wx, api, view, profile }) {
  let params = readLaunchQuery({});
  let loginCode = null;
  let busy = false;

  function failWith(code, message) {
    busy = false;
    loginCode = null;
    view({
      status: 'error',
      errorCode: code,
      message,
      notice: '',
      canRetry: RETRYABLE.has(code) || code === 'wxlogin',
      appParameter: appParameter.failure(typeof code === 'number' ? code : appParameter.CLIENT_FAILURE_CODE, message),
    });
  }

  function failFrom(error) {
    const code = error instanceof ApiError ? error.code : NETWORK;
    busy = false;
    loginCode = null;
    view({
      status: 'error',
      errorCode: code,
      message: textFor(code),
      notice: '',
      canRetry: RETRYABLE.has(code),
      appParameter: appParameter.failure(typeof code === 'number' ? code : appParameter.CLIENT_FAILURE_CODE, shortTextFor(code)),
    });
  }

  /** wx.login now, before any tap, so the tap only sends what the user shared. */
  async function logIn() {
    view({ status: 'loading', notice: '', canRetry: false });
    try {
      loginCode = await wechat.login(wx);
    } catch (error) {
      failWith('wxlogin', LOGIN_FAILED_TEXT);
      return;
    }
    view({ status: 'ready', message: READY_TEXT, appParameter: '' });
  }

  /** onLoad. */
  async function load(query) {
    params = readLaunchQuery(query);
    view({
      needPhone: params.getPhone,
      cancelParameter: appParameter.refused(),
      notFromApp: !RETURN_SCENES.has(wechat.enterScene(wx)),
    });
    if (!POOL_ID.test(params.userPoolId)) {
      view({
        status: 'error',
        errorCode: 1002,
        message: BAD_POOL_TEXT,
        canRetry: false,
        appParameter: appParameter.failure(1002, BAD_POOL_TEXT),
      });
      return;
    }
    await logIn();
  }

  /** Asks the server for the ticket, with the phone proof when given. */
  async function mint(phone) {
    if (busy || !loginCode) return;
    busy = true;
    const bound = params.codeChallenge ? { codeChallenge: params.codeChallenge } : {};
    const body = Object.assign({ userPoolId: params.userPoolId, code: loginCode }, bound, profile || {}, phone || {});
    loginCode = null; // single use, whatever happens next
    view({ status: 'minting', notice: '' });
    let reply;
    try {
      reply = await api.mintTicket(body);
    } catch (error) {
      failFrom(error);
      return;
    }
    let parameter;
    try {
      parameter = appParameter.success(reply.ticket);
    } catch (error) {
      failWith(1000, '服务器返回的凭证无效');
      return;
    }
    busy = false;
    view({ status: 'done', message: DONE_TEXT, appParameter: parameter });
  }

  /** The user refused: the return button now carries the refusal. */
  function refuse() {
    busy = false;
    loginCode = null;
    view({ status: 'refused', message: REFUSED_TEXT, notice: '', appParameter: appParameter.refused() });
  }

  /** The getPhoneNumber button (getPhone=1): mint with the phone, or refuse. */
  function phoneNumber(detail) {
    if (busy || !loginCode) return Promise.resolve();
    if (wechat.phoneDenied(detail)) {
      refuse();
      return Promise.resolve();
    }
    const proof = wechat.phoneProof(detail);
    if (!proof) {
      view({ notice: `获取手机号失败（${(detail && detail.errMsg) || '未知原因'}），请重试或取消。` });
      return Promise.resolve();
    }
    return mint(proof);
  }

  /** The launchApp button's binderror. */
  function launchError(detail) {
    const errMsg = (detail && detail.errMsg) || '';
    view({ notice: /invalid scene/i.test(errMsg) ? INVALID_SCENE_TEXT : `返回 App 失败（${errMsg || '未知原因'}）。` });
  }

  return {
    load,
    authorize: () => mint(null),
    phoneNumber,
    retry: logIn,
    launchError,
  };
}

module.exports = { createExplore, readLaunchQuery, DONE_TEXT, REFUSED_TEXT, INVALID_SCENE_TEXT, BAD_POOL_TEXT };
