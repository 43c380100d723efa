import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import Authing, { randomWord, RequestError } from '../src/index.js';
import { setup, sdk, POOL, BASE, PAGE, flush, qrReply, randomOf, loadImage, showQR } from './helpers.js';

let env;
afterEach(() => env && env.restore());

test('the constructor requires userPoolId and derives the QR base from host', () => {
  env = setup();
  assert.throws(() => new Authing({}), /userPoolId is not provided/);
  assert.throws(() => new Authing(), /userPoolId is not provided/);
  assert.equal(new Authing({ userPoolId: POOL, host: { user: 'https://u.example/graphql', oauth: 'https://o.example/graphql' } }).oauthBase, 'https://o.example');
  assert.equal(new Authing({ userPoolId: POOL, host: { oauth: 'https://o.example/graphql/' } }).oauthBase, 'https://o.example');
  assert.equal(new Authing({ userPoolId: POOL, host: { oauth: 'https://o.example/base/' } }).oauthBase, 'https://o.example/base');
  assert.equal(new Authing({ userPoolId: POOL, host: { user: 'https://u.example/graphql' } }).oauthBase, 'https://u.example');
  assert.equal(new Authing({ userPoolId: POOL, host: 'https://s.example/graphql' }).oauthBase, 'https://s.example');
  assert.equal(new Authing({ userPoolId: POOL }).oauthBase, new URL(PAGE).origin);
  assert.equal(new Authing({ userPoolId: POOL }).getToken(), null);
});

test('randomWord uses crypto.getRandomValues, [0-9A-Za-z] only, without modulo bias', () => {
  env = setup();
  const word = randomWord();
  assert.match(word, /^[0-9A-Za-z]{24}$/);
  assert.notEqual(randomWord(), word);
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  let calls = 0;
  Object.defineProperty(globalThis, 'crypto', {
    configurable: true,
    value: {
      getRandomValues(bytes) {
        calls += 1;
        // 248..255 must be skipped; 0 → '0', 61 → 'z', 62 → '0', 247 → 'z'
        const pattern = [255, 248, 0, 61, 62, 247, 10, 36];
        for (let i = 0; i < bytes.length; i += 1) bytes[i] = pattern[i % pattern.length];
        return bytes;
      },
    },
  });
  try {
    assert.equal(randomWord(6), '0z0zAa');
    assert.ok(calls >= 1);
  } finally {
    Object.defineProperty(globalThis, 'crypto', saved);
  }
});

test('creates the floating default mount node with the original id and classes, and a spinner', async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning();
  const node = env.doc.getElementById('authing__qrcode-root-node');
  assert.ok(node, 'mount node created');
  assert.equal(node.parentNode, env.doc.body);
  assert.ok(node.classList.contains('__authing-qrcode-node'));
  assert.ok(node.classList.contains('__authing-qrcode-floating'));
  const spinner = env.doc.getElementById('authing__spinner');
  assert.ok(spinner && spinner.classList.contains('spinner'));
  assert.equal(spinner.querySelectorAll('.container1 .circle1, .container2 .circle4, .container3 .circle2').length, 3);
  assert.equal(spinner.querySelectorAll('[class^="circle"]').length, 12);
  const style = env.doc.head.querySelector('style#__authing-qrcode-style');
  assert.ok(style && style.textContent.includes('.__authing-shadow-wrap'));
  authing.startWXAppScaning();
  assert.equal(env.doc.querySelectorAll('style').length, 1, 'styles added once');
  assert.equal(env.doc.querySelectorAll('#authing__qrcode-root-node').length, 1, 'mount node reused');
});

test('an existing mount element gets the class, not the floating style', async () => {
  env = setup({ html: '<!doctype html><html><head></head><body><div id="qr"><p>old</p></div></body></html>' });
  const authing = await sdk();
  authing.startWXAppScaning({ mount: 'qr' });
  const mount = env.doc.getElementById('qr');
  assert.ok(mount.classList.contains('__authing-qrcode-node'));
  assert.ok(!mount.classList.contains('__authing-qrcode-floating'));
  assert.equal(mount.querySelector('p'), null, 'previous content replaced by the spinner');
  assert.ok(mount.querySelector('#authing__spinner'));
  assert.equal(env.doc.getElementById('authing__qrcode-root-node'), null);
});

test('QR request: exact URL with literal true/false, GET, random stored in sessionStorage', async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning();
  let call = env.net.last;
  assert.equal(call.method, 'GET');
  assert.equal(call.init.body, undefined);
  assert.equal(call.init.headers, undefined, 'no custom headers: a CORS simple request');
  const r1 = randomOf(call);
  assert.match(r1, /^[0-9A-Za-z]{16,}$/);
  assert.equal(call.url, `${BASE}/oauth/wxapp/qrcode/${POOL}?random=${r1}&useSelfWxapp=false&enableFetchPhone=false`);
  assert.equal(env.win.sessionStorage.getItem('randomWord'), r1);

  authing.startWXAppScaning({ enableFetchPhone: true, useSelfWxapp: true });
  call = env.net.last;
  const r2 = randomOf(call);
  assert.notEqual(r2, r1);
  assert.equal(call.url, `${BASE}/oauth/wxapp/qrcode/${POOL}?random=${r2}&useSelfWxapp=true&enableFetchPhone=true`);
  assert.equal(env.win.sessionStorage.getItem('randomWord'), r2);

  // per call, not sticky; constructor options are defaults
  authing.startWXAppScaning({ enableFetchPhone: false });
  assert.match(env.net.last.url, /useSelfWxapp=false&enableFetchPhone=false$/);
  const withDefaults = await sdk({ enableFetchPhone: true });
  withDefaults.startWXAppScaning();
  assert.match(env.net.last.url, /useSelfWxapp=false&enableFetchPhone=true$/);
});

test('QR shown: wrapper, 240×240 image, default heading tips, callbacks, spinner removed on load', async () => {
  env = setup();
  const authing = await sdk();
  const shown = [];
  const loaded = [];
  authing.startWXAppScaning({ onQRCodeShow: (d) => shown.push(d), onQRCodeLoad: (d) => loaded.push(d) });
  const reply = qrReply(randomOf(env.net.last));
  env.net.last.respond(reply);
  await flush();
  const wrapper = env.doc.getElementById('authing__qrcode-wrapper');
  assert.ok(wrapper);
  const img = wrapper.querySelector('img');
  assert.equal(img.getAttribute('src'), reply.data.qrcode);
  assert.equal(img.getAttribute('width'), '240');
  assert.equal(img.getAttribute('height'), '240');
  const tip = wrapper.querySelector('span.__authing__heading-tip');
  assert.equal(tip.innerHTML, '使用 <strong>微信</strong> 或小程序 <strong>身份管家</strong> 扫码登录');
  assert.deepEqual(shown, [reply.data]);
  assert.deepEqual(loaded, [], 'not loaded yet');
  assert.ok(env.doc.getElementById('authing__spinner'), 'spinner stays until the image loads');
  assert.equal(env.win.sessionStorage.getItem('qrcodeUrl'), reply.data.qrcode);
  assert.deepEqual(JSON.parse(env.win.sessionStorage.getItem('qrcode')), reply.data);
  loadImage(env);
  await flush();
  assert.deepEqual(loaded, [reply.data]);
  assert.equal(env.doc.getElementById('authing__spinner'), null);

  authing.startWXAppScaning({ enableFetchPhone: true });
  await showQR(env);
  assert.equal(
    env.doc.querySelector('.__authing__heading-tip').innerHTML,
    '使用 <strong>微信</strong> 或小程序 <strong>小登录</strong> 扫码登录',
  );
});

test("the caller's tips are HTML, like the original", async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning({ tips: 'Scan with <b id="mine">WeChat</b>' });
  await showQR(env);
  assert.equal(env.doc.querySelector('.__authing__heading-tip #mine').textContent, 'WeChat');
});

test('no network request or DOM access happens at import or construction', async () => {
  env = setup();
  await sdk();
  assert.equal(env.net.calls.length, 0);
  assert.equal(env.doc.body.children.length, 0);
  assert.equal(typeof RequestError, 'function');
});
