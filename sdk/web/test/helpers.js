// Test environment: a jsdom document, a fake clock, a fake fetch and a fake EventSource, installed on globalThis
// (the SDK reads every browser global from globalThis when it uses it).
import { JSDOM } from 'jsdom';

export const POOL = '5c344f102e450b000170190a';
export const BASE = 'https://id.example';
export const PAGE = 'https://app.example/login';

const realSetImmediate = setImmediate;

/** Lets pending promise callbacks run (the real setImmediate is never faked). */
export async function flush(rounds = 10) {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => realSetImmediate(resolve));
}

export class FakeClock {
  constructor() {
    this.now = 0;
    this.nextId = 1;
    this.timers = new Map();
    this.setTimeout = (fn, ms = 0, ...args) => this.add(fn, ms, args, false);
    this.setInterval = (fn, ms = 0, ...args) => this.add(fn, ms, args, true);
    this.clearTimeout = (id) => {
      this.timers.delete(id);
    };
    this.clearInterval = this.clearTimeout;
  }

  add(fn, ms, args, repeat) {
    const id = this.nextId++;
    const delay = Math.max(0, Number(ms) || 0);
    this.timers.set(id, { at: this.now + delay, fn, args, repeat, delay });
    return id;
  }

  /** Number of timers waiting. */
  get pending() {
    return this.timers.size;
  }

  /** Advances the clock by `ms`, running due timers in order and letting promises settle in between. */
  async tick(ms) {
    const end = this.now + ms;
    for (;;) {
      await flush();
      let dueId = null;
      let due = null;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (!due || timer.at < due.at || (timer.at === due.at && id < dueId))) {
          dueId = id;
          due = timer;
        }
      }
      if (!due) break;
      this.now = due.at;
      if (due.repeat) due.at += Math.max(1, due.delay);
      else this.timers.delete(dueId);
      due.fn(...due.args);
    }
    this.now = end;
    await flush();
  }
}

function response(body, status = 200) {
  return {
    ok: status >= 200 && status < 300,
    status,
    json: async () => (typeof body === 'string' ? JSON.parse(body) : body),
  };
}

/** A fetch whose calls wait until the test answers them. */
export class FakeFetch {
  constructor() {
    this.calls = [];
    this.fetch = (url, init = {}) =>
      new Promise((resolve, reject) => {
        const call = {
          url: String(url),
          method: init.method || 'GET',
          init,
          answered: false,
          respond: (body, status = 200) => {
            call.answered = true;
            resolve(response(body, status));
          },
          fail: (error = new TypeError('Failed to fetch')) => {
            call.answered = true;
            reject(error);
          },
        };
        if (init.signal) init.signal.addEventListener('abort', () => reject(new Error('aborted')));
        this.calls.push(call);
      });
  }

  get gets() {
    return this.calls.filter((c) => c.method === 'GET');
  }

  get posts() {
    return this.calls.filter((c) => c.method === 'POST');
  }

  get last() {
    return this.calls[this.calls.length - 1];
  }
}

export class FakeEventSource {
  static instances = [];

  constructor(url) {
    this.url = String(url);
    this.readyState = 0;
    this.closed = false;
    this.listeners = new Map();
    FakeEventSource.instances.push(this);
  }

  addEventListener(type, fn) {
    if (!this.listeners.has(type)) this.listeners.set(type, []);
    this.listeners.get(type).push(fn);
  }

  removeEventListener(type, fn) {
    const list = this.listeners.get(type) || [];
    this.listeners.set(type, list.filter((f) => f !== fn));
  }

  dispatch(type, event) {
    for (const fn of [...(this.listeners.get(type) || [])]) fn(event);
  }

  open() {
    this.readyState = 1;
    this.dispatch('open', { type: 'open' });
  }

  /** A server-sent message: `event: type`, `data: JSON`. */
  emit(type, data) {
    this.readyState = 1;
    this.dispatch(type, { type, data: typeof data === 'string' ? data : JSON.stringify(data) });
  }

  /** A connection error; `closed` = the browser gave up (readyState CLOSED). */
  error({ closed = false } = {}) {
    this.readyState = closed ? 2 : 0;
    this.dispatch('error', { type: 'error' });
  }

  close() {
    this.readyState = 2;
    this.closed = true;
  }
}

/** A location whose href assignments are recorded instead of navigating. */
export function fakeLocation(href) {
  const url = new URL(href);
  return {
    assigned: [],
    origin: url.origin,
    get href() {
      return url.href;
    },
    set href(value) {
      this.assigned.push(String(value));
    },
  };
}

const INSTALLED = [
  'window',
  'document',
  'MutationObserver',
  'sessionStorage',
  'localStorage',
  'location',
  'fetch',
  'EventSource',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'console',
];

/**
 * Installs the fake browser. Options: `html` (the page), `eventSource` (false = no EventSource),
 * `mutationObserver` (false = none). Returns handles and `restore()`.
 */
export function setup({ html = '<!doctype html><html><head></head><body></body></html>', eventSource = true, mutationObserver = true } = {}) {
  const dom = new JSDOM(html, { url: PAGE });
  const win = dom.window;
  const clock = new FakeClock();
  const net = new FakeFetch();
  const location = fakeLocation(PAGE);
  const errors = [];
  FakeEventSource.instances = [];
  const values = {
    window: win,
    document: win.document,
    MutationObserver: mutationObserver ? win.MutationObserver : undefined,
    sessionStorage: win.sessionStorage,
    localStorage: win.localStorage,
    location,
    fetch: net.fetch,
    EventSource: eventSource ? FakeEventSource : undefined,
    setTimeout: clock.setTimeout,
    clearTimeout: clock.clearTimeout,
    setInterval: clock.setInterval,
    clearInterval: clock.clearInterval,
    console: { ...console, error: (...args) => errors.push(args) },
  };
  const saved = new Map();
  for (const key of INSTALLED) {
    saved.set(key, Object.getOwnPropertyDescriptor(globalThis, key));
    Object.defineProperty(globalThis, key, { value: values[key], configurable: true, writable: true });
  }
  return {
    dom,
    win,
    doc: win.document,
    clock,
    net,
    location,
    errors,
    ES: FakeEventSource,
    restore() {
      for (const [key, descriptor] of saved) {
        if (descriptor) Object.defineProperty(globalThis, key, descriptor);
        else delete globalThis[key];
      }
      win.close();
    },
  };
}

export function qrReply(random, overrides = {}) {
  return {
    code: 200,
    data: {
      _id: '65f0c0ffee65f0c0ffee65f0',
      client: POOL,
      qrcode: `${BASE}/qrcode/scene123.png`,
      expiredAt: '2030-01-01T00:02:00.000Z',
      createdAt: '2030-01-01T00:00:00.000Z',
      redirect: 'https://app.example/cb',
      success: false,
      used: false,
      __v: 0,
      scene: 'scene123',
      ...overrides,
    },
  };
}

export const pending = (extra = {}) => ({ code: 200, data: { code: 500, message: 'have not been authed', state: 'pending', ...extra } });

export const USER = Object.freeze({
  _id: '5e57540f84622ae263294a42',
  username: 'A&B #1 100% 中文 +ok',
  nickname: '<img src=x onerror=alert(1)>',
  email: null,
  token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJkYXRhIjp7fX0.sig',
});

export const successInner = (redirect = 'https://app.example/cb') => ({
  code: 200,
  message: '扫码登录成功',
  data: { ...USER },
  redirect,
});

/** The random word of a QR or poll request URL. */
export function randomOf(call) {
  return new URL(call.url).searchParams.get('random');
}

/** Fires the load event of the QR <img>. */
export function loadImage(env) {
  const img = env.doc.querySelector('#authing__qrcode-wrapper img');
  if (!img) throw new Error('no QR image in the page');
  img.dispatchEvent(new env.win.Event('load'));
  return img;
}

/** Answers the QR request and loads the image: the widget then waits for the scan. */
export async function showQR(env, overrides = {}) {
  const call = env.net.gets[env.net.gets.length - 1];
  call.respond(qrReply(randomOf(call), overrides));
  await flush();
  loadImage(env);
  await flush();
  return randomOf(call);
}

/** A new SDK instance for the test server. */
export async function sdk(options = {}) {
  const { default: Authing } = await import('../src/index.js');
  return new Authing({ userPoolId: POOL, host: { user: `${BASE}/graphql`, oauth: `${BASE}/graphql` }, ...options });
}
