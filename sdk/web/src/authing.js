// The Authing class: a drop-in for authing-js-sdk 3.x's browser build, QR login part.

import { IDS } from './dom.js';
import { ScanSession } from './scan.js';
import { RequestError } from './http.js';

export const VERSION = '0.1.0';

const DEFAULT_INTERVAL = 1500;
const DEFAULT_TIMEOUT = 10000;

/** Default texts of the overlay links and tips (HTML, like the caller's own tips). */
export const DEFAULT_TIPS = Object.freeze({
  retry: '点击重试',
  failed: '网络出错，请重试',
  success: '扫码成功',
  successRedirect: '扫码成功，即将跳转',
  expired: '二维码已过期，点击刷新',
  scanned: '已扫码，请在手机上确认登录',
});

const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);

function positive(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

function fn(value) {
  return typeof value === 'function' ? value : undefined;
}

/**
 * The base URL of the QR endpoints: `host.oauth` (or a string `host`) without a trailing `/graphql`;
 * `host.user` when `host.oauth` is missing; the page's origin when there is no host at all.
 */
export function oauthBaseOf(host) {
  let raw = '';
  if (typeof host === 'string') raw = host;
  else if (host && typeof host === 'object') raw = host.oauth || host.user || '';
  raw = String(raw).trim();
  if (!raw) {
    const location = globalThis.location;
    const origin = location && location.origin;
    if (!origin || origin === 'null') {
      throw new Error('host is not provided, and this page has no origin to default to');
    }
    raw = origin;
  }
  return raw.replace(/\/+$/, '').replace(/\/graphql$/, '').replace(/\/+$/, '');
}

export default class Authing {
  /**
   * @param {{userPoolId: string, host?: string | {user?: string, oauth?: string}, timeout?: number,
   *          enableFetchPhone?: boolean, useSelfWxapp?: boolean}} options
   */
  constructor(options) {
    if (!options || typeof options !== 'object' || !options.userPoolId) {
      throw new Error('userPoolId is not provided');
    }
    this.opts = { ...options };
    this.userPoolId = String(options.userPoolId);
    this.oauthBase = oauthBaseOf(options.host);
    this.timeout = positive(options.timeout, DEFAULT_TIMEOUT);
    /** The user token of the last successful scan (never written to localStorage). */
    this.token = null;
    this._session = null;
    this._tips = { ...DEFAULT_TIPS };
  }

  /** The user token of the last successful scan, or null. */
  getToken() {
    return this.token;
  }

  /**
   * Shows a QR code in the mount element and logs the user in once they scanned it and confirmed on the phone.
   * A new call (or the widget's retry link) ends the previous run of this instance.
   */
  startWXAppScaning(options) {
    const opts = options && typeof options === 'object' ? options : {};
    this._tips = {
      retry: opts.retryTips ? String(opts.retryTips) : DEFAULT_TIPS.retry,
      failed: opts.failedTips ? String(opts.failedTips) : DEFAULT_TIPS.failed,
      success: opts.successTips ? String(opts.successTips) : DEFAULT_TIPS.success,
      successRedirect: opts.successRedirectTips ? String(opts.successRedirectTips) : DEFAULT_TIPS.successRedirect,
      expired: opts.expiredTips ? String(opts.expiredTips) : DEFAULT_TIPS.expired,
      scanned: opts.scannedTips ? String(opts.scannedTips) : DEFAULT_TIPS.scanned,
    };
    this._start(opts);
  }

  /** Stops the running QR login (network, timers); what it shows stays on the page. */
  stopWXAppScaning() {
    if (this._session) {
      this._session.stop();
      this._session = null;
    }
  }

  updateRetryTips(tips) {
    this._tips.retry = String(tips);
    this._setHtml(IDS.retryBtn, this._tips.retry);
    this._setHtml(IDS.failedTip, this._tips.retry);
  }

  updateFailedTips(tips) {
    this._tips.failed = String(tips);
    const el = this._session && this._session.failedTipEl;
    if (el && el.isConnected) el.innerHTML = this._tips.failed;
  }

  updateSuccessTips(tips) {
    this._tips.success = String(tips);
    this._setHtml(IDS.successTip, this._tips.success);
  }

  updateSuccessRedirectTips(tips) {
    this._tips.successRedirect = String(tips);
    this._setHtml(IDS.successRedirectTip, this._tips.successRedirect);
  }

  updateExpiredTips(tips) {
    this._tips.expired = String(tips);
    if (this._session && this._session.terminalCode === 4202) this._setHtml(IDS.expiredTip, this._tips.expired);
  }

  // ---- internals -------------------------------------------------------------------------------------------

  _start(opts) {
    this.stopWXAppScaning();
    const defaults = this.opts;
    const pick = (key) => Boolean(opts[key] !== undefined && opts[key] !== null ? opts[key] : defaults[key]);
    const session = new ScanSession(this, {
      raw: opts,
      mount: opts.mount || IDS.defaultMount,
      redirect: !(own(opts, 'redirect') && !opts.redirect),
      onSuccess: fn(opts.onSuccess),
      onError: fn(opts.onError),
      onIntervalStarting: fn(opts.onIntervalStarting),
      onQRCodeShow: fn(opts.onQRCodeShow),
      onQRCodeLoad: fn(opts.onQRCodeLoad),
      interval: positive(opts.interval, DEFAULT_INTERVAL),
      tips: opts.tips,
      enableFetchPhone: pick('enableFetchPhone'),
      useSelfWxapp: pick('useSelfWxapp'),
    });
    this._session = session;
    session.start();
  }

  _restart(session) {
    this._start(session.options.raw);
  }

  _setToken(token) {
    this.token = token;
  }

  _setHtml(id, html) {
    const doc = globalThis.document;
    const el = doc && doc.getElementById(id);
    if (el) el.innerHTML = html;
  }

  _qrcodeUrl(random, { useSelfWxapp, enableFetchPhone }) {
    return (
      `${this.oauthBase}/oauth/wxapp/qrcode/${encodeURIComponent(this.userPoolId)}` +
      `?random=${encodeURIComponent(random)}&useSelfWxapp=${useSelfWxapp}&enableFetchPhone=${enableFetchPhone}`
    );
  }

  _confirmUrl(random, { useSelfWxapp }) {
    return `${this.oauthBase}/oauth/wxapp/confirm/qr?random=${encodeURIComponent(random)}&useSelfWxapp=${useSelfWxapp}`;
  }
}

Authing.version = VERSION;
Authing.RequestError = RequestError;
