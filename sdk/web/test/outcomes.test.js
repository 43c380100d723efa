import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  setup,
  sdk,
  flush,
  pending,
  showQR,
  randomOf,
  successInner,
  qrReply,
  USER,
  PAGE,
} from './helpers.js';

let env;
afterEach(() => env && env.restore());

async function pollOnceWith(reply, interval = 1500) {
  await env.clock.tick(interval);
  const poll = env.net.posts[env.net.posts.length - 1];
  assert.equal(poll.answered, false, 'a poll is waiting');
  poll.respond(reply);
  await flush();
}

test('success with redirect: overlay, redirect after 600 ms with encoded data, no onSuccess', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  const successes = [];
  authing.startWXAppScaning({ onSuccess: (r) => successes.push(r) });
  await showQR(env);
  await pollOnceWith(pending());
  await pollOnceWith({ code: 200, data: successInner('https://app.example/cb') });
  const overlay = env.doc.getElementById('authing__retry');
  assert.ok(overlay && overlay.classList.contains('__authing-shadow-wrap'));
  assert.equal(overlay.parentNode.id, 'authing__qrcode-wrapper');
  const link = env.doc.getElementById('__authing_success_redirect_tip');
  assert.equal(link.innerHTML, '扫码成功，即将跳转');
  assert.ok(link.classList.contains('__authing-shadow-a-wrap'));
  await env.clock.tick(599);
  assert.deepEqual(env.location.assigned, []);
  await env.clock.tick(1);
  assert.equal(env.location.assigned.length, 1);
  const target = env.location.assigned[0];
  assert.ok(target.startsWith('https://app.example/cb?code=200&data='));
  assert.ok(!target.includes('#'), 'a # in the data is encoded');
  assert.equal(target.split('&').length, 2, 'only the separator & is raw');
  const url = new URL(target);
  assert.equal(url.searchParams.get('code'), '200');
  assert.deepEqual(JSON.parse(url.searchParams.get('data')), USER);
  assert.equal(
    target,
    `https://app.example/cb?code=200&data=${encodeURIComponent(JSON.stringify(USER))}`,
  );
  link.click();
  await env.clock.tick(5000);
  assert.equal(env.location.assigned.length, 1, 'navigates once');
  assert.deepEqual(successes, []);
  assert.equal(authing.getToken(), USER.token);
  assert.equal(authing.token, USER.token);
  assert.equal(env.win.localStorage.length, 0, 'nothing in localStorage');
  const before = env.net.posts.length;
  await env.clock.tick(30000);
  assert.equal(env.net.posts.length, before, 'polling stopped');
});

test('redirect URL with a query gets & ; clicking the link goes at once', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env);
  await pollOnceWith({ code: 200, data: successInner('https://app.example/cb?from=qr') });
  env.doc.getElementById('__authing_success_redirect_tip').click();
  assert.equal(env.location.assigned.length, 1);
  assert.ok(env.location.assigned[0].startsWith('https://app.example/cb?from=qr&code=200&data=%7B'));
  await env.clock.tick(600);
  assert.equal(env.location.assigned.length, 1);
});

test('redirect: false → success tip and onSuccess(inner data) once; no navigation', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  const successes = [];
  authing.startWXAppScaning({ redirect: false, onSuccess: (r) => successes.push(r) });
  await showQR(env);
  const inner = successInner();
  await pollOnceWith({ code: 200, data: inner });
  assert.equal(successes.length, 1);
  assert.deepEqual(successes[0], inner);
  assert.equal(successes[0].data.token, USER.token);
  assert.equal(env.doc.getElementById('__authing_success_tip').innerHTML, '扫码成功');
  assert.equal(env.doc.getElementById('__authing_success_redirect_tip'), null);
  await env.clock.tick(5000);
  assert.deepEqual(env.location.assigned, []);
  assert.equal(authing.getToken(), USER.token);
});

test('only an own falsy redirect property turns redirecting off', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  const successes = [];
  authing.startWXAppScaning({ redirect: undefined, onSuccess: (r) => successes.push(r) });
  await showQR(env);
  await pollOnceWith({ code: 200, data: successInner() });
  assert.equal(successes.length, 1);

  const inherited = Object.create({ redirect: false });
  inherited.onSuccess = (r) => successes.push(r);
  authing.startWXAppScaning(inherited);
  await showQR(env);
  await pollOnceWith({ code: 200, data: successInner() });
  await env.clock.tick(600);
  assert.equal(successes.length, 1, 'inherited redirect:false is ignored: redirects');
  assert.equal(env.location.assigned.length, 1);
});

test('no usable redirect URL from the server: onSuccess instead of navigating', async () => {
  for (const redirect of ['', 'javascript:alert(1)']) {
    env = setup({ eventSource: false });
    const authing = await sdk();
    const successes = [];
    authing.startWXAppScaning({ onSuccess: (r) => successes.push(r) });
    await showQR(env);
    await pollOnceWith({ code: 200, data: successInner(redirect) });
    await env.clock.tick(1000);
    assert.deepEqual(env.location.assigned, [], `no navigation for ${JSON.stringify(redirect)}`);
    assert.equal(successes.length, 1);
    assert.ok(env.doc.getElementById('__authing_success_tip'));
    assert.equal(env.errors.length, 1, 'a console error tells the developer');
    env.restore();
  }
  env = null;
});

test('success happens once even when a duplicate reply arrives late', async () => {
  env = setup({ eventSource: true });
  const authing = await sdk();
  const successes = [];
  authing.startWXAppScaning({ redirect: false, onSuccess: (r) => successes.push(r) });
  await showQR(env, { events: 'https://id.example/api/v1/qr/events?random=x' });
  const es = env.ES.instances[0];
  es.emit('state', { state: 'pending' });
  es.emit('confirmed', successInner());
  es.emit('confirmed', successInner()); // a duplicate after the first
  await flush();
  // and a poll reply that is late as well: the final check of a deadline would be one
  await env.clock.tick(200000);
  assert.equal(successes.length, 1);
  assert.equal(env.doc.querySelectorAll('#authing__retry').length, 1, 'one overlay');
  assert.equal(env.net.posts.length, 0);
});

for (const [code, state, message] of [
  [4202, 'expired', '二维码已过期'],
  [4203, 'cancelled', '用户取消了登录'],
  [4204, 'used', '二维码已被使用'],
  [4205, 'unknown', '二维码不存在'],
]) {
  test(`terminal inner code ${code}: stops polling, refresh overlay, onError(reply), click starts again`, async () => {
    env = setup({ eventSource: false });
    const authing = await sdk();
    const errors = [];
    authing.startWXAppScaning({ onError: (e) => errors.push(e) });
    const first = await showQR(env);
    const inner = { code, message: `${message}<img src=x>`, state };
    await pollOnceWith({ code: 200, data: inner });
    assert.deepEqual(errors, [inner]);
    const link = env.doc.getElementById('__authing_expired_tip');
    assert.ok(link, 'refresh link');
    assert.equal(link.parentNode.id, 'authing__retry');
    if (code === 4202) assert.equal(link.innerHTML, '二维码已过期，点击刷新');
    else assert.equal(link.textContent, `${message}<img src=x>，点击刷新`);
    assert.equal(link.querySelector('img'), null, 'server message is text');
    const polls = env.net.posts.length;
    await env.clock.tick(60000);
    assert.equal(env.net.posts.length, polls, 'no more polls');
    const gets = env.net.gets.length;
    link.click();
    assert.equal(env.net.gets.length, gets + 1, 'a new QR request');
    assert.notEqual(randomOf(env.net.gets[gets]), first, 'with a new random');
    assert.ok(env.doc.getElementById('authing__spinner'));
  });
}

test('expiry: at expiredAt one last poll, then the expired overlay and onError', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk({ timeout: 60000 });
  const errors = [];
  authing.startWXAppScaning({ onError: (e) => errors.push(e), interval: 1000 });
  const call = env.net.last;
  call.respond(qrReply(randomOf(call), { createdAt: '2030-01-01T00:00:00.000Z', expiredAt: '2030-01-01T00:01:00.000Z' }));
  await flush();
  env.doc.querySelector('#authing__qrcode-wrapper img').dispatchEvent(new env.win.Event('load'));
  // answer every poll with pending until the deadline
  while (env.clock.now < 59000) {
    await env.clock.tick(500);
    const last = env.net.posts[env.net.posts.length - 1];
    if (last && !last.answered) last.respond(pending());
  }
  await flush();
  const before = env.net.posts.length;
  await env.clock.tick(1000);
  assert.equal(env.clock.now, 60000);
  const final = env.net.posts[env.net.posts.length - 1];
  assert.equal(env.net.posts.length, before + 1, 'one last poll at the deadline');
  assert.equal(errors.length, 0);
  final.respond(pending());
  await flush();
  assert.deepEqual(errors, [{ code: 4202, message: '二维码已过期', state: 'expired' }]);
  assert.equal(env.doc.getElementById('__authing_expired_tip').textContent, '二维码已过期，点击刷新');
  const polls = env.net.posts.length;
  await env.clock.tick(60000);
  assert.equal(env.net.posts.length, polls);
  assert.equal(env.clock.pending, 0);
});

test('expiry: a confirmation found by the last poll still logs in', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk({ timeout: 60000 });
  const successes = [];
  const errors = [];
  authing.startWXAppScaning({ redirect: false, onSuccess: (r) => successes.push(r), onError: (e) => errors.push(e), interval: 60000 });
  const call = env.net.last;
  call.respond(qrReply(randomOf(call), { createdAt: '2030-01-01T00:00:00.000Z', expiredAt: '2030-01-01T00:00:30.000Z' }));
  await flush();
  env.doc.querySelector('#authing__qrcode-wrapper img').dispatchEvent(new env.win.Event('load'));
  await env.clock.tick(30000);
  assert.equal(env.net.posts.length, 1, 'the last check');
  env.net.posts[0].respond({ code: 200, data: successInner() });
  await flush();
  assert.equal(successes.length, 1);
  assert.deepEqual(errors, []);
  assert.equal(env.doc.getElementById('__authing_expired_tip'), null);
});

test('QR endpoint code ≠ 200: fallback picture, retry link, server message as text, onError(body)', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  const errors = [];
  authing.startWXAppScaning({ onError: (e) => errors.push(e) });
  const first = randomOf(env.net.last);
  const body = { code: 2224, message: '用户池不存在 <img src=x onerror=alert(1)>' };
  env.net.last.respond(body);
  await flush();
  assert.deepEqual(errors, [body]);
  assert.equal(env.doc.getElementById('authing__spinner'), null, 'no spinner over the retry UI');
  const wrapper = env.doc.getElementById('authing__qrcode-wrapper');
  assert.ok(wrapper.classList.contains('__authing-qrcode-wrapper-center'));
  const img = wrapper.querySelector('img');
  assert.ok(img.getAttribute('src').startsWith('data:image/svg+xml,'), 'inline fallback picture');
  assert.equal(img.getAttribute('width'), '240');
  const link = env.doc.getElementById('__authing_retry_btn');
  assert.equal(link.innerHTML, '点击重试');
  assert.equal(link.parentNode.id, 'authing__retry');
  const tip = wrapper.querySelector('.__authing__heading-tip');
  assert.equal(tip.textContent, body.message);
  assert.equal(wrapper.querySelectorAll('img').length, 1, 'message not parsed as HTML');
  assert.equal(env.doc.getElementById('__authing_failed_tip'), null);
  link.click();
  assert.equal(env.net.gets.length, 2);
  assert.notEqual(randomOf(env.net.last), first);
  await showQR(env);
  assert.equal(env.doc.getElementById('__authing_retry_btn'), null);
  assert.ok(env.doc.querySelector('#authing__qrcode-wrapper img').src.endsWith('/qrcode/scene123.png'));
});

test('QR request network error, HTTP error or bad JSON: failed tip, onError(error)', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  const errors = [];
  authing.startWXAppScaning({ onError: (e) => errors.push(e) });
  env.net.last.fail(new TypeError('Failed to fetch'));
  await flush();
  assert.equal(errors.length, 1);
  assert.equal(errors[0].name, 'RequestError');
  assert.equal(errors[0].kind, 'network');
  const link = env.doc.getElementById('__authing_failed_tip');
  assert.equal(link.innerHTML, '点击重试');
  assert.equal(env.doc.querySelector('#authing__qrcode-wrapper .__authing__heading-tip').innerHTML, '网络出错，请重试');
  assert.equal(env.doc.getElementById('__authing_retry_btn'), null);

  link.click();
  env.net.last.respond({ code: 500, message: 'oops' }, 500);
  await flush();
  assert.equal(errors[1].kind, 'http');
  assert.equal(errors[1].status, 500);
  assert.ok(env.doc.getElementById('__authing_failed_tip'));

  env.doc.getElementById('__authing_failed_tip').click();
  env.net.last.respond('not json');
  await flush();
  assert.equal(errors[2].kind, 'parse');
  assert.equal(env.net.gets.length, 3);
});

test('the QR image failing to load shows the failed UI', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  const errors = [];
  authing.startWXAppScaning({ onError: (e) => errors.push(e) });
  env.net.last.respond(qrReply(randomOf(env.net.last)));
  await flush();
  env.doc.querySelector('#authing__qrcode-wrapper img').dispatchEvent(new env.win.Event('error'));
  await flush();
  assert.equal(errors.length, 1);
  assert.ok(env.doc.getElementById('__authing_failed_tip'));
  assert.equal(env.doc.querySelectorAll('#authing__qrcode-wrapper').length, 1);
  await env.clock.tick(30000);
  assert.equal(env.net.posts.length, 0);
});

test('custom tips options are used (as HTML)', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning({ retryTips: '<i>again</i>', failedTips: '<u>offline</u>' });
  env.net.last.fail();
  await flush();
  assert.equal(env.doc.querySelector('#__authing_failed_tip i').textContent, 'again');
  assert.equal(env.doc.querySelector('#authing__qrcode-wrapper .__authing__heading-tip u').textContent, 'offline');

  authing.startWXAppScaning({ successRedirectTips: '<i>going</i>' });
  await showQR(env);
  await pollOnceWith({ code: 200, data: successInner() });
  assert.equal(env.doc.querySelector('#__authing_success_redirect_tip i').textContent, 'going');

  authing.startWXAppScaning({ redirect: false, successTips: '<i>done</i>' });
  await showQR(env);
  await pollOnceWith({ code: 200, data: successInner() });
  assert.equal(env.doc.querySelector('#__authing_success_tip i').textContent, 'done');
});

test('update*Tips change the shown texts and the later ones', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning({ redirect: false });
  // no such element yet: no exception (the original threw); the text is used when it is shown
  authing.updateSuccessTips('S1');
  env.net.last.respond({ code: 1000, message: 'busy' });
  await flush();
  authing.updateRetryTips('<b>R</b>');
  assert.equal(env.doc.getElementById('__authing_retry_btn').innerHTML, '<b>R</b>');
  env.doc.getElementById('__authing_retry_btn').click();
  env.net.last.fail();
  await flush();
  assert.equal(env.doc.getElementById('__authing_failed_tip').innerHTML, '<b>R</b>', 'kept for the next render');
  authing.updateFailedTips('F2');
  assert.equal(env.doc.querySelector('#authing__qrcode-wrapper .__authing__heading-tip').innerHTML, 'F2');
  assert.equal(env.doc.getElementById('__authing_failed_tip').innerHTML, '<b>R</b>', 'the link keeps the retry text');
  env.doc.getElementById('__authing_failed_tip').click();
  await showQR(env);
  await pollOnceWith({ code: 200, data: successInner() });
  assert.equal(env.doc.getElementById('__authing_success_tip').innerHTML, 'S1');
  authing.updateSuccessTips('S2');
  assert.equal(env.doc.getElementById('__authing_success_tip').innerHTML, 'S2');

  authing.startWXAppScaning();
  await showQR(env);
  await pollOnceWith({ code: 200, data: successInner() });
  authing.updateSuccessRedirectTips('<em>bye</em>');
  assert.equal(env.doc.getElementById('__authing_success_redirect_tip').innerHTML, '<em>bye</em>');

  authing.startWXAppScaning();
  await showQR(env);
  await pollOnceWith({ code: 200, data: { code: 4202, message: '二维码已过期', state: 'expired' } });
  authing.updateExpiredTips('Expired, click');
  assert.equal(env.doc.getElementById('__authing_expired_tip').innerHTML, 'Expired, click');
});

test('an exception in a callback does not break the widget', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning({
    redirect: false,
    onQRCodeShow() {
      throw new Error('boom');
    },
    onIntervalStarting() {
      throw new Error('boom');
    },
  });
  await showQR(env);
  await pollOnceWith({ code: 200, data: successInner() });
  assert.ok(env.doc.getElementById('__authing_success_tip'));
  assert.ok(env.errors.length >= 2);
  assert.equal(String(env.location.href), PAGE);
});
