// The SDK over real HTTP: Node's own fetch and timers against a small stand-in of the server's compat
// endpoints, with a jsdom document. Checks what the fakes cannot: real Response objects, real abort, CORS-simple
// requests (no preflight: no OPTIONS ever arrives, no content-type on the empty POST).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { JSDOM } from 'jsdom';
import Authing from '../src/index.js';

const POOL = '5c344f102e450b000170190a';
const KEYS = ['document', 'MutationObserver', 'sessionStorage', 'location'];
let cleanup = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

function installPage() {
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', { url: 'https://app.example/' });
  const saved = KEYS.map((k) => [k, Object.getOwnPropertyDescriptor(globalThis, k)]);
  const values = {
    document: dom.window.document,
    MutationObserver: dom.window.MutationObserver,
    sessionStorage: dom.window.sessionStorage,
    location: { href: 'https://app.example/', origin: 'https://app.example' },
  };
  for (const k of KEYS) Object.defineProperty(globalThis, k, { value: values[k], configurable: true, writable: true });
  cleanup.push(() => {
    for (const [k, d] of saved) {
      if (d) Object.defineProperty(globalThis, k, d);
      else delete globalThis[k];
    }
    dom.window.close();
  });
  return dom;
}

async function startServer(handler) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const entry = { method: req.method, url: req.url, headers: req.headers, body };
      requests.push(entry);
      handler(entry, (status, json) => {
        res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
        res.end(typeof json === 'string' ? json : JSON.stringify(json));
      });
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  server.closeAllConnections && cleanup.push(() => server.closeAllConnections());
  return { base: `http://127.0.0.1:${server.address().port}`, requests };
}

const waitFor = async (predicate, ms = 3000) => {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('a full login over real HTTP: QR request, polls, success with onSuccess', async () => {
  const dom = installPage();
  let polls = 0;
  const user = { _id: 'u1', username: 'ivy', token: 'tok' };
  const { base, requests } = await startServer((req, reply) => {
    if (req.method === 'GET' && req.url.startsWith(`/oauth/wxapp/qrcode/${POOL}?`)) {
      reply(200, { code: 200, data: { qrcode: `${base}/qrcode/s.png`, createdAt: '2030-01-01T00:00:00Z', expiredAt: '2030-01-01T00:01:00Z' } });
    } else if (req.method === 'POST' && req.url.startsWith('/oauth/wxapp/confirm/qr?')) {
      polls += 1;
      reply(200, polls < 3 ? { code: 200, data: { code: 500, message: 'have not been authed', state: 'pending' } } : { code: 200, data: { code: 200, message: '扫码登录成功', data: user, redirect: '' } });
    } else reply(404, { code: 404 });
  });
  const authing = new Authing({ userPoolId: POOL, host: { user: `${base}/graphql`, oauth: `${base}/graphql` } });
  let result = null;
  authing.startWXAppScaning({ redirect: false, interval: 20, onSuccess: (r) => (result = r) });
  cleanup.push(() => authing.stopWXAppScaning());
  await waitFor(() => dom.window.document.querySelector('#authing__qrcode-wrapper img'));
  dom.window.document.querySelector('#authing__qrcode-wrapper img').dispatchEvent(new dom.window.Event('load'));
  await waitFor(() => result);
  assert.equal(result.data.token, 'tok');
  assert.equal(authing.getToken(), 'tok');
  assert.equal(dom.window.document.getElementById('__authing_success_tip').textContent, '扫码成功');
  assert.equal(polls, 3);
  assert.ok(requests.every((r) => r.method !== 'OPTIONS'));
  const posts = requests.filter((r) => r.method === 'POST');
  assert.ok(posts.every((r) => r.body === '' && !r.headers['content-type'] && !r.headers.authorization));
  const random = new URL(requests[0].url, base).searchParams.get('random');
  assert.ok(posts.every((r) => r.url === `/oauth/wxapp/confirm/qr?random=${random}&useSelfWxapp=false`));
});

test('over real HTTP: a business error shows the message; a 5xx is a failed request', async () => {
  const dom = installPage();
  let n = 0;
  const { base } = await startServer((req, reply) => {
    n += 1;
    if (n === 1) reply(200, { code: 2224, message: '用户池不存在' });
    else reply(502, 'Bad Gateway');
  });
  const authing = new Authing({ userPoolId: POOL, host: base });
  const errors = [];
  authing.startWXAppScaning({ onError: (e) => errors.push(e) });
  await waitFor(() => errors.length === 1);
  assert.equal(dom.window.document.querySelector('#authing__qrcode-wrapper .__authing__heading-tip').textContent, '用户池不存在');
  dom.window.document.getElementById('__authing_retry_btn').click();
  await waitFor(() => errors.length === 2);
  assert.equal(errors[1].kind, 'http');
  assert.equal(errors[1].status, 502);
  assert.ok(dom.window.document.getElementById('__authing_failed_tip'));
});

test('over real HTTP: the request timeout aborts a hanging QR request', async () => {
  installPage();
  const { base } = await startServer(() => {
    /* never answers */
  });
  const authing = new Authing({ userPoolId: POOL, host: base, timeout: 100 });
  const errors = [];
  authing.startWXAppScaning({ onError: (e) => errors.push(e) });
  await waitFor(() => errors.length === 1);
  assert.equal(errors[0].kind, 'timeout');
});
