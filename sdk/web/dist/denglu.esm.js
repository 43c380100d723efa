/*! @denglu/web-sdk v0.1.0 | Apache-2.0 */

// src/dom.js
var IDS = Object.freeze({
  defaultMount: "authing__qrcode-root-node",
  style: "__authing-qrcode-style",
  spinner: "authing__spinner",
  wrapper: "authing__qrcode-wrapper",
  overlay: "authing__retry",
  successRedirectTip: "__authing_success_redirect_tip",
  successTip: "__authing_success_tip",
  retryBtn: "__authing_retry_btn",
  failedTip: "__authing_failed_tip",
  expiredTip: "__authing_expired_tip",
  scannedTip: "__authing_scanned_tip"
});
var CLASSES = Object.freeze({
  node: "__authing-qrcode-node",
  floating: "__authing-qrcode-floating",
  headingTip: "__authing__heading-tip",
  scannedTip: "__authing__scanned-tip",
  shadowWrap: "__authing-shadow-wrap",
  shadowLink: "__authing-shadow-a-wrap",
  wrapperCenter: "__authing-qrcode-wrapper-center"
});
var QR_SIZE = 240;
var CSS = `
.${CLASSES.node}{position:relative;box-sizing:border-box}
.${CLASSES.node}.${CLASSES.floating}{position:fixed;top:50%;left:50%;width:300px;min-height:300px;transform:translate(-50%,-50%);background:#fff;border:1px solid #ddd;border-radius:4px;z-index:65535}
#${IDS.wrapper}{position:relative;display:flow-root;text-align:center}
.${CLASSES.wrapperCenter}{width:${QR_SIZE}px;margin:0 auto}
#${IDS.wrapper} img{display:block;margin-left:auto;margin-right:auto}
.${CLASSES.headingTip}{display:block;margin-top:8px;font-size:14px;line-height:1.5;color:#555}
.${CLASSES.scannedTip}{display:block;margin-top:4px;font-size:12px;line-height:1.5;color:#07c160}
.${CLASSES.shadowWrap}{position:absolute;top:0;left:50%;width:${QR_SIZE}px;height:${QR_SIZE}px;margin-left:-${QR_SIZE / 2}px;background:rgba(0,0,0,.5);display:flex;align-items:center;justify-content:center}
.${CLASSES.shadowLink}{display:flex;align-items:center;justify-content:center;box-sizing:border-box;width:100%;height:100%;padding:16px;color:#fff;font-size:16px;line-height:1.5;text-align:center;text-decoration:none;cursor:pointer}
.${CLASSES.shadowLink}:hover,.${CLASSES.shadowLink}:focus{color:#fff;text-decoration:underline}
#${IDS.spinner}{position:relative;width:40px;height:40px;margin:100px auto;z-index:1}
#${IDS.spinner}.__authing-spinner-over{position:absolute;left:50%;margin:0 0 0 -20px}
#${IDS.spinner} .spinner-container{position:absolute;width:100%;height:100%}
#${IDS.spinner} .spinner-container>div{position:absolute;width:8px;height:8px;border-radius:50%;background:#07c160;animation:__authing-bouncedelay 1.2s infinite ease-in-out both}
#${IDS.spinner} .container2{transform:rotate(30deg)}
#${IDS.spinner} .container3{transform:rotate(60deg)}
#${IDS.spinner} .circle1{top:0;left:0}
#${IDS.spinner} .circle2{top:0;right:0}
#${IDS.spinner} .circle3{right:0;bottom:0}
#${IDS.spinner} .circle4{left:0;bottom:0}
${[
  ["container2", "circle1", -1.1],
  ["container3", "circle1", -1],
  ["container1", "circle2", -0.9],
  ["container2", "circle2", -0.8],
  ["container3", "circle2", -0.7],
  ["container1", "circle3", -0.6],
  ["container2", "circle3", -0.5],
  ["container3", "circle3", -0.4],
  ["container1", "circle4", -0.3],
  ["container2", "circle4", -0.2],
  ["container3", "circle4", -0.1]
].map(([c, d, s]) => `#${IDS.spinner} .${c} .${d}{animation-delay:${s}s}`).join("\n")}
@keyframes __authing-bouncedelay{0%,80%,100%{transform:scale(0)}40%{transform:scale(1)}}
`;
var FALLBACK_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="${QR_SIZE}" height="${QR_SIZE}" viewBox="0 0 240 240"><rect width="240" height="240" rx="8" fill="#f2f3f5"/><g fill="none" stroke="#c9cdd4" stroke-width="8"><rect x="44" y="44" width="56" height="56" rx="4"/><rect x="140" y="44" width="56" height="56" rx="4"/><rect x="44" y="140" width="56" height="56" rx="4"/></g><g fill="#c9cdd4"><rect x="62" y="62" width="20" height="20"/><rect x="158" y="62" width="20" height="20"/><rect x="62" y="158" width="20" height="20"/><rect x="140" y="140" width="20" height="20"/><rect x="176" y="140" width="20" height="20"/><rect x="158" y="158" width="20" height="20"/><rect x="140" y="176" width="20" height="20"/><rect x="176" y="176" width="20" height="20"/></g></svg>`;
var FALLBACK_IMAGE = `data:image/svg+xml,${encodeURIComponent(FALLBACK_SVG)}`;
function ensureStyles(doc) {
  if (doc.getElementById(IDS.style)) return;
  const style = doc.createElement("style");
  style.id = IDS.style;
  style.textContent = CSS;
  (doc.head || doc.documentElement).appendChild(style);
}
function resolveMount(doc, mount) {
  if (mount && typeof mount === "object" && mount.nodeType === 1) {
    mount.classList.add(CLASSES.node);
    return { el: mount, created: mount.classList.contains(CLASSES.floating) };
  }
  const id = typeof mount === "string" && mount ? mount : IDS.defaultMount;
  const existing = doc.getElementById(id);
  if (existing) {
    existing.classList.add(CLASSES.node);
    return { el: existing, created: existing.classList.contains(CLASSES.floating) };
  }
  const el = doc.createElement("div");
  el.id = id;
  el.className = `${CLASSES.node} ${CLASSES.floating}`;
  (doc.body || doc.documentElement).appendChild(el);
  return { el, created: true };
}
function element(doc, tag, props = {}) {
  const el = doc.createElement(tag);
  if (props.id) el.id = props.id;
  if (props.className) el.className = props.className;
  if (props.html !== void 0) el.innerHTML = String(props.html);
  if (props.text !== void 0) el.textContent = String(props.text);
  return el;
}
function createSpinner(doc) {
  const spinner = element(doc, "div", { id: IDS.spinner, className: "spinner" });
  for (let c = 1; c <= 3; c += 1) {
    const container = element(doc, "div", { className: `spinner-container container${c}` });
    for (let d = 1; d <= 4; d += 1) container.appendChild(element(doc, "div", { className: `circle${d}` }));
    spinner.appendChild(container);
  }
  return spinner;
}
function image(doc, src, marginTop) {
  const img = doc.createElement("img");
  img.width = QR_SIZE;
  img.height = QR_SIZE;
  img.alt = "";
  if (marginTop) img.style.marginTop = `${marginTop}px`;
  if (src !== void 0) img.src = src;
  return img;
}
function createQRWrapper(doc, { tipsHtml, marginTop }) {
  const wrapper = element(doc, "div", { id: IDS.wrapper });
  const img = image(doc, void 0, marginTop);
  wrapper.appendChild(img);
  wrapper.appendChild(element(doc, "span", { className: CLASSES.headingTip, html: tipsHtml }));
  return { wrapper, img };
}
function createFailureWrapper(doc, { linkId, linkHtml, tip, marginTop }) {
  const wrapper = element(doc, "div", { id: IDS.wrapper, className: CLASSES.wrapperCenter });
  wrapper.appendChild(image(doc, FALLBACK_IMAGE, marginTop));
  const { overlay, link } = createOverlay(doc, { linkId, html: linkHtml, top: marginTop });
  wrapper.appendChild(overlay);
  const tipEl = element(doc, "span", { className: CLASSES.headingTip, ...tip });
  wrapper.appendChild(tipEl);
  return { wrapper, link, tipEl };
}
function createOverlay(doc, { linkId, html, text, top }) {
  const overlay = element(doc, "div", { id: IDS.overlay, className: CLASSES.shadowWrap });
  if (top) overlay.style.top = `${top}px`;
  const link = element(doc, "a", { id: linkId, className: CLASSES.shadowLink, html, text });
  link.href = "#";
  link.setAttribute("role", "button");
  overlay.appendChild(link);
  return { overlay, link };
}

// src/http.js
var RequestError = class extends Error {
  /**
   * @param {string} message
   * @param {{kind: 'network'|'timeout'|'http'|'parse'|'abort', url: string, status?: number, cause?: unknown}} info
   */
  constructor(message, info) {
    super(message);
    this.name = "RequestError";
    this.kind = info.kind;
    this.url = info.url;
    this.status = info.status;
    if (info.cause !== void 0) this.cause = info.cause;
  }
};
function requestJson(url, { method = "GET", timeout = 0, signal } = {}) {
  const g = globalThis;
  if (typeof g.fetch !== "function") {
    return Promise.reject(new RequestError("fetch is not available", { kind: "network", url }));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer = null;
    const controller = typeof g.AbortController === "function" ? new g.AbortController() : null;
    const finish = (fn2, value) => {
      if (settled) return;
      settled = true;
      if (timer !== null) g.clearTimeout(timer);
      if (signal) signal.removeEventListener("abort", onAbort);
      fn2(value);
    };
    const onAbort = () => {
      if (controller) controller.abort();
      finish(reject, new RequestError("request aborted", { kind: "abort", url }));
    };
    if (signal) {
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort);
    }
    if (timeout > 0) {
      timer = g.setTimeout(() => {
        timer = null;
        if (controller) controller.abort();
        finish(reject, new RequestError(`timeout of ${timeout}ms exceeded`, { kind: "timeout", url }));
      }, timeout);
    }
    const init = { method, credentials: "omit", cache: "no-store" };
    if (controller) init.signal = controller.signal;
    let pending;
    try {
      pending = Promise.resolve(g.fetch(url, init));
    } catch (cause) {
      pending = Promise.reject(cause);
    }
    pending.then(
      (response) => {
        if (settled) return;
        if (!response || !response.ok) {
          const status = response ? response.status : 0;
          finish(reject, new RequestError(`HTTP ${status}`, { kind: "http", url, status }));
          return;
        }
        Promise.resolve().then(() => response.json()).then(
          (body) => finish(resolve, body),
          (cause) => finish(reject, new RequestError("the answer is not JSON", { kind: "parse", url, status: response.status, cause }))
        );
      },
      (cause) => {
        finish(reject, new RequestError(cause && cause.message ? cause.message : "network error", { kind: "network", url, cause }));
      }
    );
  });
}

// src/random.js
var ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
var RANDOM_LENGTH = 24;
function randomWord(length = RANDOM_LENGTH) {
  const crypto = globalThis.crypto;
  if (!crypto || typeof crypto.getRandomValues !== "function") {
    throw new Error("crypto.getRandomValues is not available");
  }
  if (!Number.isInteger(length) || length < 1) throw new RangeError("length must be a positive integer");
  let word = "";
  const bytes = new Uint8Array(length + 8);
  while (word.length < length) {
    crypto.getRandomValues(bytes);
    for (let i = 0; i < bytes.length && word.length < length; i += 1) {
      if (bytes[i] < 248) word += ALPHABET[bytes[i] % 62];
    }
  }
  return word;
}

// src/scan.js
var REDIRECT_DELAY = 600;
var PUSH_FIRST_MESSAGE_TIMEOUT = 5e3;
var PUSH_RECONNECTS = 5;
var PUSH_RECONNECT_MAX_DELAY = 4e3;
function pushReconnectDelay(attempt, random = Math.random) {
  const ceiling = Math.min(250 * 2 ** Math.max(0, attempt - 1), PUSH_RECONNECT_MAX_DELAY);
  return Math.round(ceiling / 2 + random() * ceiling / 2);
}
var TERMINAL = Object.freeze({
  4202: Object.freeze({ state: "expired", message: "二维码已过期" }),
  4203: Object.freeze({ state: "cancelled", message: "用户取消了登录" }),
  4204: Object.freeze({ state: "used", message: "二维码已被使用" }),
  4205: Object.freeze({ state: "unknown", message: "二维码不存在" })
});
var STATE_CODES = Object.freeze({ expired: 4202, cancelled: 4203, used: 4204, unknown: 4205 });
var MAX_TIMER = 2147483647;
var EVENT_SOURCE_CLOSED = 2;
function isTerminal(code) {
  return typeof code === "number" && Object.prototype.hasOwnProperty.call(TERMINAL, code);
}
function report(error) {
  const console = globalThis.console;
  if (console && typeof console.error === "function") console.error("[denglu]", error);
}
function call(fn2, ...args) {
  if (typeof fn2 !== "function") return;
  try {
    fn2(...args);
  } catch (error) {
    report(error);
  }
}
function storeSession(key, value) {
  try {
    globalThis.sessionStorage.setItem(key, value);
  } catch (e) {
  }
}
function qrLifetime(data, now = Date.now()) {
  const expires = Date.parse(data && data.expiredAt);
  if (!Number.isFinite(expires)) return 0;
  const created = Date.parse(data.createdAt);
  if (Number.isFinite(created) && expires > created) return expires - created;
  return Math.max(0, expires - now);
}
function redirectTarget(redirect, user) {
  if (typeof redirect !== "string" || redirect.trim() === "") return null;
  let resolved;
  try {
    const location = globalThis.location;
    resolved = new URL(redirect, location && location.href ? location.href : void 0);
  } catch (e) {
    return null;
  }
  if (resolved.protocol !== "http:" && resolved.protocol !== "https:") return null;
  const separator = /[?&]$/.test(redirect) ? "" : redirect.includes("?") ? "&" : "?";
  const data = encodeURIComponent(JSON.stringify(user === void 0 ? null : user));
  return `${redirect}${separator}code=200&data=${data}`;
}
function avatarUrl(value) {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch (e) {
    return null;
  }
}
var ScanSession = class {
  /**
   * @param {import('./authing.js').default} sdk
   * @param {object} options normalized options (see Authing#startWXAppScaning)
   */
  constructor(sdk, options) {
    this.sdk = sdk;
    this.options = options;
    this.active = true;
    this.finished = false;
    this.expiring = false;
    this.timers = /* @__PURE__ */ new Set();
    this.controller = typeof globalThis.AbortController === "function" ? new globalThis.AbortController() : null;
    this.es = null;
    this.reconnects = 0;
    this.polling = false;
    this.inflight = null;
    this.observer = null;
    this.mount = null;
    this.created = false;
    this.root = null;
    this.spinner = null;
    this.wrapper = null;
    this.imageTop = 0;
    this.random = "";
    this.failedTipEl = null;
    this.terminalCode = null;
  }
  start() {
    const doc = globalThis.document;
    if (!doc) throw new Error("startWXAppScaning needs a browser document");
    ensureStyles(doc);
    const { el, created } = resolveMount(doc, this.options.mount);
    this.mount = el;
    this.created = created;
    this.imageTop = created ? 16 : 0;
    this.spinner = createSpinner(doc);
    el.innerHTML = "";
    el.appendChild(this.spinner);
    this.root = this.spinner;
    this.watchMount(doc);
    this.random = randomWord();
    storeSession("randomWord", this.random);
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
  later(fn2, ms) {
    const id = globalThis.setTimeout(() => {
      this.timers.delete(id);
      fn2();
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
    if (typeof Observer === "function") {
      this.observer = new Observer(() => {
        if (this.active && !this.attached()) this.stop();
      });
      this.observer.observe(doc, { childList: true, subtree: true });
      return;
    }
    const check = () => {
      if (this.usable()) this.later(check, 1e3);
    };
    this.later(check, 1e3);
  }
  requestOptions(method) {
    return { method, timeout: this.sdk.timeout, signal: this.controller ? this.controller.signal : void 0 };
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
    return enableFetchPhone ? "使用 <strong>微信</strong> 或小程序 <strong>小登录</strong> 扫码登录" : "使用 <strong>微信</strong> 或小程序 <strong>身份管家</strong> 扫码登录";
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
      body = await requestJson(url, this.requestOptions("GET"));
    } catch (error) {
      if (this.usable()) this.fail("failed", { error });
      return;
    }
    if (!this.usable()) return;
    const data = body && typeof body === "object" ? body.data : void 0;
    if (!body || body.code !== 200 || !data || typeof data !== "object" || typeof data.qrcode !== "string" || !data.qrcode) {
      const message = body && typeof body === "object" && typeof body.message === "string" ? body.message : "";
      this.fail("retry", { body, message });
      return;
    }
    storeSession("qrcode", JSON.stringify(data));
    storeSession("qrcodeUrl", data.qrcode);
    const lifetime = qrLifetime(data);
    if (lifetime > 0) this.later(() => this.onDeadline(), lifetime);
    const { wrapper, img } = createQRWrapper(this.mount.ownerDocument, {
      tipsHtml: this.headingTips(),
      marginTop: this.imageTop
    });
    this.wrapper = wrapper;
    img.addEventListener("load", () => this.onImageLoad(data), { once: true });
    img.addEventListener("error", () => this.onImageError(data), { once: true });
    img.src = data.qrcode;
    this.mount.appendChild(wrapper);
    this.root = wrapper;
    if (this.spinner) {
      this.spinner.classList.add("__authing-spinner-over");
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
    this.fail("failed", {
      error: new RequestError("the QR code image could not be loaded", { kind: "network", url: data.qrcode })
    });
  }
  // ---- waiting for the scan: push channel, else polling ----------------------------------------------------
  startChannel(data) {
    const EventSource = globalThis.EventSource;
    const events = typeof data.events === "string" ? data.events : "";
    if (events && typeof EventSource === "function" && this.openPush(EventSource, events)) return;
    this.startPolling();
  }
  openPush(EventSource, events) {
    let es;
    try {
      es = new EventSource(new URL(events, `${this.sdk.oauthBase}/`).href);
    } catch (e) {
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
        } catch (e) {
          return;
        }
        if (!payload || typeof payload !== "object") return;
        if (!delivered) {
          delivered = true;
          this.cancel(firstMessage);
        }
        handle(payload);
      });
    };
    listen("state", (payload) => this.handleState(payload));
    listen("confirmed", (payload) => this.handleInner(payload));
    listen("reconnect", () => this.reopenPush(EventSource, events));
    es.addEventListener("error", (event) => {
      if (this.es !== es) return;
      const fromServer = event && typeof event.data === "string";
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
    } catch (e) {
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
      body = await requestJson(this.sdk._confirmUrl(this.random, this.options), this.requestOptions("POST"));
    } catch (e) {
      return;
    }
    if (this.finished || !this.usable()) return;
    const inner = body && typeof body === "object" ? body.data : null;
    if (inner && typeof inner === "object") this.handleInner(inner);
  }
  onDeadline() {
    if (!this.active || this.finished || this.expiring) return;
    this.expiring = true;
    this.closePush();
    Promise.resolve(this.inflight).then(() => !this.finished && this.usable() ? this.poll() : void 0).then(() => {
      if (this.active && !this.finished) this.terminate({ code: 4202, message: TERMINAL[4202].message, state: "expired" });
    });
  }
  // ---- outcomes --------------------------------------------------------------------------------------------
  handleState(payload) {
    const code = STATE_CODES[payload.state];
    if (typeof code === "number" && Object.prototype.hasOwnProperty.call(STATE_CODES, payload.state)) {
      this.handleInner({ code, message: TERMINAL[code].message, state: payload.state });
    } else if (payload.state === "scanned" || payload.state === "pending") {
      this.showScanState(payload);
    }
  }
  handleInner(inner) {
    if (this.finished) return;
    if (inner.code === 200) this.succeed(inner);
    else if (isTerminal(inner.code)) this.terminate(inner);
    else if (inner.state === "scanned" || inner.state === "pending") this.showScanState(inner);
  }
  showScanState(payload) {
    if (!this.wrapper) return;
    let tip = this.wrapper.querySelector(`#${IDS.scannedTip}`);
    if (payload.state !== "scanned") {
      if (tip) tip.remove();
      return;
    }
    if (!tip) {
      tip = this.mount.ownerDocument.createElement("span");
      tip.id = IDS.scannedTip;
      tip.className = CLASSES.scannedTip;
      this.wrapper.appendChild(tip);
    }
    const nickname = typeof payload.nickname === "string" ? payload.nickname.trim() : "";
    const text = this.sdk._tips.scanned;
    tip.textContent = nickname ? `${nickname} ${text}` : text;
    const avatar = this.options.raw.scannedAvatar ? avatarUrl(payload.avatar) : null;
    if (avatar) {
      const img = this.mount.ownerDocument.createElement("img");
      img.src = avatar;
      img.alt = "";
      img.width = 20;
      img.height = 20;
      img.style.borderRadius = "50%";
      img.style.verticalAlign = "middle";
      img.style.marginRight = "6px";
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
    if (user && typeof user === "object" && typeof user.token === "string" && user.token) this.sdk._setToken(user.token);
    this.removeSpinner();
    const doc = this.mount.ownerDocument;
    const tips = this.sdk._tips;
    const target = this.options.redirect ? redirectTarget(inner.redirect, user) : null;
    if (target) {
      const { overlay: overlay2, link: link2 } = createOverlay(doc, {
        linkId: IDS.successRedirectTip,
        html: tips.successRedirect,
        top: this.imageTop
      });
      let gone = false;
      const go = () => {
        if (gone) return;
        gone = true;
        globalThis.location.href = target;
      };
      link2.addEventListener("click", (event) => {
        event.preventDefault();
        go();
      });
      this.showOverlay(overlay2);
      globalThis.setTimeout(go, REDIRECT_DELAY);
      return;
    }
    if (this.options.redirect) {
      report(new Error("the server gave no http(s) redirect URL for this pool: calling onSuccess instead of redirecting"));
    }
    const { overlay, link } = createOverlay(doc, { linkId: IDS.successTip, html: tips.success, top: this.imageTop });
    link.addEventListener("click", (event) => event.preventDefault());
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
    const message = typeof inner.message === "string" && inner.message ? inner.message : TERMINAL[inner.code].message;
    const content = inner.code === 4202 ? { html: this.sdk._tips.expired } : { text: `${message}，点击刷新` };
    const { overlay, link } = createOverlay(this.mount.ownerDocument, {
      linkId: IDS.expiredTip,
      ...content,
      top: this.imageTop
    });
    link.addEventListener("click", (event) => {
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
      linkId: kind === "retry" ? IDS.retryBtn : IDS.failedTip,
      linkHtml: tips.retry,
      tip: kind === "retry" ? { text: message || "获取二维码失败" } : { html: tips.failed },
      marginTop: this.created ? 16 : 12
    });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      this.sdk._restart(this);
    });
    this.wrapper = wrapper;
    this.root = wrapper;
    if (kind === "failed") this.failedTipEl = tipEl;
    this.mount.appendChild(wrapper);
    call(this.options.onError, kind === "retry" ? body : error);
  }
};

// src/authing.js
var VERSION = "0.1.0";
var DEFAULT_INTERVAL = 1500;
var DEFAULT_TIMEOUT = 1e4;
var DEFAULT_TIPS = Object.freeze({
  retry: "点击重试",
  failed: "网络出错，请重试",
  success: "扫码成功",
  successRedirect: "扫码成功，即将跳转",
  expired: "二维码已过期，点击刷新",
  scanned: "已扫码，请在手机上确认登录"
});
var own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
function positive(value, fallback) {
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}
function fn(value) {
  return typeof value === "function" ? value : void 0;
}
function oauthBaseOf(host) {
  let raw = "";
  if (typeof host === "string") raw = host;
  else if (host && typeof host === "object") raw = host.oauth || host.user || "";
  raw = String(raw).trim();
  if (!raw) {
    const location = globalThis.location;
    const origin = location && location.origin;
    if (!origin || origin === "null") {
      throw new Error("host is not provided, and this page has no origin to default to");
    }
    raw = origin;
  }
  return raw.replace(/\/+$/, "").replace(/\/graphql$/, "").replace(/\/+$/, "");
}
var Authing = class {
  /**
   * @param {{userPoolId: string, host?: string | {user?: string, oauth?: string}, timeout?: number,
   *          enableFetchPhone?: boolean, useSelfWxapp?: boolean}} options
   */
  constructor(options) {
    if (!options || typeof options !== "object" || !options.userPoolId) {
      throw new Error("userPoolId is not provided");
    }
    this.opts = { ...options };
    this.userPoolId = String(options.userPoolId);
    this.oauthBase = oauthBaseOf(options.host);
    this.timeout = positive(options.timeout, DEFAULT_TIMEOUT);
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
    const opts = options && typeof options === "object" ? options : {};
    this._tips = {
      retry: opts.retryTips ? String(opts.retryTips) : DEFAULT_TIPS.retry,
      failed: opts.failedTips ? String(opts.failedTips) : DEFAULT_TIPS.failed,
      success: opts.successTips ? String(opts.successTips) : DEFAULT_TIPS.success,
      successRedirect: opts.successRedirectTips ? String(opts.successRedirectTips) : DEFAULT_TIPS.successRedirect,
      expired: opts.expiredTips ? String(opts.expiredTips) : DEFAULT_TIPS.expired,
      scanned: opts.scannedTips ? String(opts.scannedTips) : DEFAULT_TIPS.scanned
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
    const pick = (key) => Boolean(opts[key] !== void 0 && opts[key] !== null ? opts[key] : defaults[key]);
    const session = new ScanSession(this, {
      raw: opts,
      mount: opts.mount || IDS.defaultMount,
      redirect: !(own(opts, "redirect") && !opts.redirect),
      onSuccess: fn(opts.onSuccess),
      onError: fn(opts.onError),
      onIntervalStarting: fn(opts.onIntervalStarting),
      onQRCodeShow: fn(opts.onQRCodeShow),
      onQRCodeLoad: fn(opts.onQRCodeLoad),
      interval: positive(opts.interval, DEFAULT_INTERVAL),
      tips: opts.tips,
      enableFetchPhone: pick("enableFetchPhone"),
      useSelfWxapp: pick("useSelfWxapp")
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
    return `${this.oauthBase}/oauth/wxapp/qrcode/${encodeURIComponent(this.userPoolId)}?random=${encodeURIComponent(random)}&useSelfWxapp=${useSelfWxapp}&enableFetchPhone=${enableFetchPhone}`;
  }
  _confirmUrl(random, { useSelfWxapp }) {
    return `${this.oauthBase}/oauth/wxapp/confirm/qr?random=${encodeURIComponent(random)}&useSelfWxapp=${useSelfWxapp}`;
  }
};
Authing.version = VERSION;
Authing.RequestError = RequestError;

// src/index.js
var index_default = Authing;
export {
  Authing,
  DEFAULT_TIPS,
  RequestError,
  VERSION,
  index_default as default,
  randomWord
};
