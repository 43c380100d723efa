// One run of the QR login widget: QR code request, push channel or polling, expiry, success and failure UI.
// Every browser global is read from globalThis when it is used, so the same code runs in a page and in tests.

import {
  IDS,
  CLASSES,
  ensureStyles,
  resolveMount,
  createSpinner,
  createQRWrapper,
  createFailureWrapper,
  createOverlay,
} from './dom.js';
import { requestJson, RequestError } from './http.js';
import { randomWord } from './random.js';

/** Delay between the success overlay and the redirect, as in authing-js-sdk. */
export const REDIRECT_DELAY = 600;
/** Without a first message on the push channel within this time, the widget polls instead. */
export const PUSH_FIRST_MESSAGE_TIMEOUT = 5000;
/** The server's `reconnect` events the widget follows in one session before it polls instead. */
export const PUSH_RECONNECTS = 5;
/** Longest wait before reopening the push channel after a `reconnect` event, in ms. */
export const PUSH_RECONNECT_MAX_DELAY = 4000;

/**
 * The wait before the `attempt`-th reopening of the push channel (1, 2, …), in ms: up to 250 ms, doubling with each
 * attempt up to PUSH_RECONNECT_MAX_DELAY, and a random point in the upper half of that, so that the browsers of a
 * stopping server do not all arrive at once.
 */
export function pushReconnectDelay(attempt, random = Math.random) {
  const ceiling = Math.min(250 * 2 ** Math.max(0, attempt - 1), PUSH_RECONNECT_MAX_DELAY);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Inner codes of the poll reply after which the session can never succeed. */
export const TERMINAL = Object.freeze({
  4202: Object.freeze({ state: 'expired', message: '二维码已过期' }),
  4203: Object.freeze({ state: 'cancelled', message: '用户取消了登录' }),
  4204: Object.freeze({ state: 'used', message: '二维码已被使用' }),
  4205: Object.freeze({ state: 'unknown', message: '二维码不存在' }),
});
const STATE_CODES = Object.freeze({ expired: 4202, cancelled: 4203, used: 4204, unknown: 4205 });

const MAX_TIMER = 2147483647;
const EVENT_SOURCE_CLOSED = 2;

function isTerminal(code) {
  return typeof code === 'number' && Object.prototype.hasOwnProperty.call(TERMINAL, code);
}

function report(error) {
  const console = globalThis.console;
  if (console && typeof console.error === 'function') console.error('[denglu]', error);
}

/** Calls a caller's callback; an exception in it is reported and does not break the widget. */
function call(fn, ...args) {
  if (typeof fn !== 'function') return;
  try {
    fn(...args);
  } catch (error) {
    report(error);
  }
}

function storeSession(key, value) {
  try {
    globalThis.sessionStorage.setItem(key, value);
  } catch {
    // storage disabled (private mode, sandboxed frame): the widget does not need it
  }
}

/**
 * How long the QR code lives, in ms: `expiredAt - createdAt` (both server times, so a wrong client clock does
 * not matter), else `expiredAt - now`; 0 when unknown.
 */
export function qrLifetime(data, now = Date.now()) {
  const expires = Date.parse(data && data.expiredAt);
  if (!Number.isFinite(expires)) return 0;
  const created = Date.parse(data.createdAt);
  if (Number.isFinite(created) && expires > created) return expires - created;
  return Math.max(0, expires - now);
}

/**
 * The URL the browser goes to after a successful scan: `redirect` + `?code=200&data=<encoded user JSON>`
 * (`&` instead of `?` when `redirect` already has a query). null unless `redirect` is an http(s) URL.
 */
export function redirectTarget(redirect, user) {
  if (typeof redirect !== 'string' || redirect.trim() === '') return null;
  let resolved;
  try {
    const location = globalThis.location;
    resolved = new URL(redirect, location && location.href ? location.href : undefined);
  } catch {
    return null;
  }
  if (resolved.protocol !== 'http:' && resolved.protocol !== 'https:') return null;
  const separator = /[?&]$/.test(redirect) ? '' : redirect.includes('?') ? '&' : '?';
  const data = encodeURIComponent(JSON.stringify(user === undefined ? null : user));
  return `${redirect}${separator}code=200&data=${data}`;
}

/** The scanner's avatar URL when it is an http(s) URL, else null. */
function avatarUrl(value) {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

export class ScanSession {
  /**
   * @param {import('./authing.js').default} sdk
   * @param {object} options normalized options (see Authing#startWXAppScaning)
   */
  constructor(sdk, options) {
    this.sdk = sdk;
    this.options = options;
    this.active = true; // network activity allowed
    this.finished = false; // success, terminal state or failure reached: nothing else may happen
    this.expiring = false; // the QR lifetime is over: one last check, then the expired overlay
    this.timers = new Set();
    this.controller = typeof globalThis.AbortController === 'function' ? new globalThis.AbortController() : null;
    this.es = null;
    this.reconnects = 0; // `reconnect` events followed so far
    this.polling = false;
    this.inflight = null;
    this.observer = null;
    this.mount = null;
    this.created = false;
    this.root = null;
    this.spinner = null;
    this.wrapper = null;
    this.imageTop = 0;
    this.random = '';
    this.failedTipEl = null;
    this.terminalCode = null;
  }

  start() {
    const doc = globalThis.document;
    if (!doc) throw new Error('startWXAppScaning needs a browser document');
    ensureStyles(doc);
    const { el, created } = resolveMount(doc, this.options.mount);
    this.mount = el;
    this.created = created;
    this.imageTop = created ? 16 : 0;
    this.spinner = createSpinner(doc);
    el.innerHTML = '';
    el.appendChild(this.spinner);
    this.root = this.spinner;
    this.watchMount(doc);
    this.random = randomWord();
    storeSession('randomWord', this.random);
    this.requestQRCode();
  }

  /** Stops all network activity and timers. The widget's current UI stays as it is. */
  stop() {
    if (!this.active) return;
    this.active = false;
    for (const id of this.timers) globalThis.clearTimeout(id);
    this.timers.clear();
    this.closePush();
    if (this.observer) {
      this.observer.disconnect();
      this.observer = null;
    }
    if (this.controller) this.controller.abort();
  }

  // ---- helpers -------------------------------------------------------------------------------------------

  later(fn, ms) {
    const id = globalThis.setTimeout(() => {
      this.timers.delete(id);
      fn();
    }, Math.min(Math.max(0, ms), MAX_TIMER));
    this.timers.add(id);
    return id;
  }

  cancel(id) {
    globalThis.clearTimeout(id);
    this.timers.delete(id);
  }

  /** Whether the widget is still in the page: its mount element and the content it rendered there. */
  attached() {
    return Boolean(this.mount && this.mount.isConnected && (!this.root || this.root.isConnected));
  }

  /** True while the session may go on; stops it when its elements have left the page. */
  usable() {
    if (!this.active) return false;
    if (!this.attached()) {
      this.stop();
      return false;
    }
    return true;
  }

  watchMount(doc) {
    const Observer = globalThis.MutationObserver;
    if (typeof Observer === 'function') {
      this.observer = new Observer(() => {
        if (this.active && !this.attached()) this.stop();
      });
      this.observer.observe(doc, { childList: true, subtree: true });
      return;
    }
    const check = () => {
      if (this.usable()) this.later(check, 1000);
    };
    this.later(check, 1000);
  }

  requestOptions(method) {
    return { method, timeout: this.sdk.timeout, signal: this.controller ? this.controller.signal : undefined };
  }

  removeSpinner() {
    if (this.spinner) {
      this.spinner.remove();
      this.spinner = null;
    }
  }

  headingTips() {
    const { tips, enableFetchPhone } = this.options;
    if (tips) return String(tips);
    return enableFetchPhone
      ? '使用 <strong>微信</strong> 或小程序 <strong>小登录</strong> 扫码登录'
      : '使用 <strong>微信</strong> 或小程序 <strong>身份管家</strong> 扫码登录';
  }

  showOverlay(overlay) {
    const host = this.wrapper || this.mount;
    const old = host.querySelector(`#${IDS.overlay}`);
    if (old) old.remove();
    host.appendChild(overlay);
  }

  // ---- QR code ---------------------------------------------------------------------------------------------

  async requestQRCode() {
    const url = this.sdk._qrcodeUrl(this.random, this.options);
    let body;
    try {
      body = await requestJson(url, this.requestOptions('GET'));
    } catch (error) {
      if (this.usable()) this.fail('failed', { error });
      return;
    }
    if (!this.usable()) return;
    const data = body && typeof body === 'object' ? body.data : undefined;
    if (!body || body.code !== 200 || !data || typeof data !== 'object' || typeof data.qrcode !== 'string' || !data.qrcode) {
      const message = body && typeof body === 'object' && typeof body.message === 'string' ? body.message : '';
      this.fail('retry', { body, message });
      return;
    }
    storeSession('qrcode', JSON.stringify(data));
    storeSession('qrcodeUrl', data.qrcode);
    const lifetime = qrLifetime(data);
    if (lifetime > 0) this.later(() => this.onDeadline(), lifetime);

    const { wrapper, img } = createQRWrapper(this.mount.ownerDocument, {
      tipsHtml: this.headingTips(),
      marginTop: this.imageTop,
    });
    this.wrapper = wrapper;
    img.addEventListener('load', () => this.onImageLoad(data), { once: true });
    img.addEventListener('error', () => this.onImageError(data), { once: true });
    img.src = data.qrcode;
    this.mount.appendChild(wrapper);
    this.root = wrapper;
    if (this.spinner) {
      // keep the spinner over the (still blank) QR image instead of above it
      this.spinner.classList.add('__authing-spinner-over');
      this.spinner.style.top = `${this.imageTop + 100}px`;
    }
    call(this.options.onQRCodeShow, data);
  }

  onImageLoad(data) {
    if (!this.usable() || this.finished || this.expiring) return;
    this.removeSpinner();
    call(this.options.onQRCodeLoad, data);
    if (!this.active || this.finished) return;
    this.startChannel(data);
  }

  onImageError(data) {
    if (!this.usable() || this.finished) return;
    this.fail('failed', {
      error: new RequestError('the QR code image could not be loaded', { kind: 'network', url: data.qrcode }),
    });
  }

  // ---- waiting for the scan: push channel, else polling ----------------------------------------------------

  startChannel(data) {
    const EventSource = globalThis.EventSource;
    const events = typeof data.events === 'string' ? data.events : '';
    if (events && typeof EventSource === 'function' && this.openPush(EventSource, events)) return;
    this.startPolling();
  }

  openPush(EventSource, events) {
    let es;
    try {
      es = new EventSource(new URL(events, `${this.sdk.oauthBase}/`).href);
    } catch {
      return false;
    }
    this.es = es;
    let delivered = false;
    const firstMessage = this.later(() => {
      if (!delivered) this.fallBack(es);
    }, PUSH_FIRST_MESSAGE_TIMEOUT);
    const listen = (type, handle) => {
      es.addEventListener(type, (event) => {
        if (this.es !== es || this.finished || !this.usable()) return;
        let payload;
        try {
          payload = JSON.parse(event.data);
        } catch {
          return;
        }
        if (!payload || typeof payload !== 'object') return;
        if (!delivered) {
          delivered = true;
          this.cancel(firstMessage);
        }
        handle(payload);
      });
    };
    listen('state', (payload) => this.handleState(payload));
    listen('confirmed', (payload) => this.handleInner(payload));
    listen('reconnect', () => this.reopenPush(EventSource, events));
    es.addEventListener('error', (event) => {
      if (this.es !== es) return;
      // A server-sent `event: error` (it has data): the server cannot serve the stream. A connection error before
      // any message: no push channel here (404, CORS, proxy). A later one: EventSource reconnects by itself,
      // unless it gave up (CLOSED). Polling takes over in the other cases.
      const fromServer = event && typeof event.data === 'string';
      if (fromServer || !delivered || es.readyState === EVENT_SOURCE_CLOSED) this.fallBack(es);
    });
    return true;
  }

  /**
   * The server is shutting down and ended the stream: open it again after a short, growing wait (another replica
   * or the restarted server answers it, for the same QR session), at most PUSH_RECONNECTS times, then poll.
   */
  reopenPush(EventSource, events) {
    this.closePush();
    this.reconnects += 1;
    if (this.reconnects > PUSH_RECONNECTS) {
      if (this.active && !this.finished && !this.expiring) this.startPolling();
      return;
    }
    this.later(() => {
      if (!this.usable() || this.finished || this.expiring || this.es || this.polling) return;
      if (!this.openPush(EventSource, events)) this.startPolling();
    }, pushReconnectDelay(this.reconnects));
  }

  fallBack(es) {
    if (this.es !== es) return;
    this.closePush();
    if (this.active && !this.finished && !this.expiring) this.startPolling();
  }

  closePush() {
    const es = this.es;
    if (!es) return;
    this.es = null;
    try {
      es.close();
    } catch {
      // already closed
    }
  }

  startPolling() {
    if (this.polling) return;
    this.polling = true;
    this.later(() => this.tick(), this.options.interval);
  }

  /**
   * One poll. The next one starts `interval` ms after this one's answer, so polls never overlap. The id given
   * to onIntervalStarting is a timer that gates the next poll: clearInterval(id) or clearTimeout(id) stops
   * polling, as with the original SDK's setInterval id.
   */
  tick() {
    if (!this.usable() || this.finished || this.expiring) return;
    const { interval } = this.options;
    const gate = { timer: false, answered: false };
    const next = () => {
      if (gate.timer && gate.answered) this.tick();
    };
    const id = this.later(() => {
      gate.timer = true;
      next();
    }, interval);
    call(this.options.onIntervalStarting, id);
    if (!this.active || this.finished) return;
    this.poll().then(() => {
      if (!this.active || this.finished || this.expiring) return;
      this.later(() => {
        gate.answered = true;
        next();
      }, interval);
    });
  }

  poll() {
    const pending = this.pollOnce();
    this.inflight = pending;
    return pending.then(() => {
      if (this.inflight === pending) this.inflight = null;
    });
  }

  async pollOnce() {
    let body;
    try {
      body = await requestJson(this.sdk._confirmUrl(this.random, this.options), this.requestOptions('POST'));
    } catch {
      return; // a network or HTTP error on a poll: try again at the next tick
    }
    if (this.finished || !this.usable()) return;
    const inner = body && typeof body === 'object' ? body.data : null;
    if (inner && typeof inner === 'object') this.handleInner(inner);
  }

  onDeadline() {
    if (!this.active || this.finished || this.expiring) return;
    this.expiring = true;
    this.closePush();
    // The user may have confirmed just now: ask once more before calling the code expired.
    Promise.resolve(this.inflight)
      .then(() => (!this.finished && this.usable() ? this.poll() : undefined))
      .then(() => {
        if (this.active && !this.finished) this.terminate({ code: 4202, message: TERMINAL[4202].message, state: 'expired' });
      });
  }

  // ---- outcomes --------------------------------------------------------------------------------------------

  handleState(payload) {
    const code = STATE_CODES[payload.state];
    if (typeof code === 'number' && Object.prototype.hasOwnProperty.call(STATE_CODES, payload.state)) {
      this.handleInner({ code, message: TERMINAL[code].message, state: payload.state });
    } else if (payload.state === 'scanned' || payload.state === 'pending') {
      this.showScanState(payload);
    }
  }

  handleInner(inner) {
    if (this.finished) return;
    if (inner.code === 200) this.succeed(inner);
    else if (isTerminal(inner.code)) this.terminate(inner);
    else if (inner.state === 'scanned' || inner.state === 'pending') this.showScanState(inner);
  }

  showScanState(payload) {
    if (!this.wrapper) return;
    let tip = this.wrapper.querySelector(`#${IDS.scannedTip}`);
    if (payload.state !== 'scanned') {
      if (tip) tip.remove();
      return;
    }
    if (!tip) {
      tip = this.mount.ownerDocument.createElement('span');
      tip.id = IDS.scannedTip;
      tip.className = CLASSES.scannedTip;
      this.wrapper.appendChild(tip);
    }
    const nickname = typeof payload.nickname === 'string' ? payload.nickname.trim() : '';
    const text = this.sdk._tips.scanned;
    tip.textContent = nickname ? `${nickname} ${text}` : text;
    const avatar = this.options.raw.scannedAvatar ? avatarUrl(payload.avatar) : null;
    if (avatar) {
      const img = this.mount.ownerDocument.createElement('img');
      img.src = avatar;
      img.alt = '';
      img.width = 20;
      img.height = 20;
      img.style.borderRadius = '50%';
      img.style.verticalAlign = 'middle';
      img.style.marginRight = '6px';
      tip.prepend(img);
    }
  }

  /** Removes the "scanned, confirm on the phone" line once the flow has ended. */
  clearScannedTip() {
    const tip = this.wrapper && this.wrapper.querySelector(`#${IDS.scannedTip}`);
    if (tip) tip.remove();
  }

  succeed(inner) {
    if (this.finished) return;
    this.finished = true;
    this.stop();
    this.clearScannedTip();
    const user = inner.data;
    if (user && typeof user === 'object' && typeof user.token === 'string' && user.token) this.sdk._setToken(user.token);
    this.removeSpinner();
    const doc = this.mount.ownerDocument;
    const tips = this.sdk._tips;
    const target = this.options.redirect ? redirectTarget(inner.redirect, user) : null;
    if (target) {
      const { overlay, link } = createOverlay(doc, {
        linkId: IDS.successRedirectTip,
        html: tips.successRedirect,
        top: this.imageTop,
      });
      let gone = false;
      const go = () => {
        if (gone) return;
        gone = true;
        globalThis.location.href = target;
      };
      link.addEventListener('click', (event) => {
        event.preventDefault();
        go();
      });
      this.showOverlay(overlay);
      globalThis.setTimeout(go, REDIRECT_DELAY);
      return;
    }
    if (this.options.redirect) {
      report(new Error('the server gave no http(s) redirect URL for this pool: calling onSuccess instead of redirecting'));
    }
    const { overlay, link } = createOverlay(doc, { linkId: IDS.successTip, html: tips.success, top: this.imageTop });
    link.addEventListener('click', (event) => event.preventDefault());
    this.showOverlay(overlay);
    call(this.options.onSuccess, inner);
  }

  terminate(inner) {
    if (this.finished) return;
    this.finished = true;
    this.stop();
    this.clearScannedTip();
    this.removeSpinner();
    this.terminalCode = inner.code;
    const message = typeof inner.message === 'string' && inner.message ? inner.message : TERMINAL[inner.code].message;
    const content = inner.code === 4202 ? { html: this.sdk._tips.expired } : { text: `${message}，点击刷新` };
    const { overlay, link } = createOverlay(this.mount.ownerDocument, {
      linkId: IDS.expiredTip,
      ...content,
      top: this.imageTop,
    });
    link.addEventListener('click', (event) => {
      event.preventDefault();
      this.sdk._restart(this);
    });
    this.showOverlay(overlay);
    call(this.options.onError, inner);
  }

  /**
   * No QR code: kind 'retry' = the server answered code ≠ 200 (its message is shown as text);
   * kind 'failed' = the request or the image failed (failedTips is shown).
   */
  fail(kind, { error, body, message }) {
    if (this.finished) return;
    this.finished = true;
    this.stop();
    this.removeSpinner();
    if (this.wrapper) this.wrapper.remove();
    const tips = this.sdk._tips;
    const { wrapper, link, tipEl } = createFailureWrapper(this.mount.ownerDocument, {
      linkId: kind === 'retry' ? IDS.retryBtn : IDS.failedTip,
      linkHtml: tips.retry,
      tip: kind === 'retry' ? { text: message || '获取二维码失败' } : { html: tips.failed },
      marginTop: this.created ? 16 : 12,
    });
    link.addEventListener('click', (event) => {
      event.preventDefault();
      this.sdk._restart(this);
    });
    this.wrapper = wrapper;
    this.root = wrapper;
    if (kind === 'failed') this.failedTipEl = tipEl;
    this.mount.appendChild(wrapper);
    call(this.options.onError, kind === 'retry' ? body : error);
  }
}
