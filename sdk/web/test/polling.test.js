import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setup, sdk, BASE, flush, pending, showQR, randomOf, successInner } from './helpers.js';

let env;
afterEach(() => env && env.restore());

test('nothing polls before the QR image has loaded', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning();
  env.net.last.respond((await import('./helpers.js')).qrReply(randomOf(env.net.last)));
  await env.clock.tick(10000);
  assert.equal(env.net.posts.length, 0);
});

test('poll request: POST, empty body, exact URL with the same random', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning({ useSelfWxapp: true });
  const random = await showQR(env);
  await env.clock.tick(1499);
  assert.equal(env.net.posts.length, 0, 'first poll after one interval');
  await env.clock.tick(1);
  assert.equal(env.net.posts.length, 1);
  const poll = env.net.posts[0];
  assert.equal(poll.url, `${BASE}/oauth/wxapp/confirm/qr?random=${random}&useSelfWxapp=true`);
  assert.equal(poll.init.body, undefined);
  assert.equal(poll.init.headers, undefined);
});

test('polls never overlap: the next one starts an interval after the answer', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk({ timeout: 60000 });
  const ticks = [];
  authing.startWXAppScaning({ interval: 1000, onIntervalStarting: (id) => ticks.push(id) });
  await showQR(env);
  await env.clock.tick(1000);
  assert.equal(env.net.posts.length, 1);
  assert.equal(ticks.length, 1);
  await env.clock.tick(20000); // the server is slow: no second request meanwhile
  assert.equal(env.net.posts.length, 1, 'no overlapping poll');
  env.net.posts[0].respond(pending());
  await env.clock.tick(999);
  assert.equal(env.net.posts.length, 1, 'waits a full interval after the answer');
  await env.clock.tick(1);
  assert.equal(env.net.posts.length, 2);
  env.net.posts[1].respond(pending());
  await env.clock.tick(1000);
  assert.equal(env.net.posts.length, 3);
  assert.equal(ticks.length, 3, 'onIntervalStarting at every poll');
  assert.ok(ticks.every((id) => typeof id === 'number'));
  assert.equal(new Set(ticks).size, 3);
});

test('a network error or HTTP error on a poll keeps polling', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  const errors = [];
  authing.startWXAppScaning({ onError: (e) => errors.push(e) });
  await showQR(env);
  await env.clock.tick(1500);
  env.net.posts[0].fail();
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 2);
  env.net.posts[1].respond({ code: 1000, message: 'busy' }, 503);
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 3);
  env.net.posts[2].respond('{"code":200}'); // no inner data
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 4);
  assert.deepEqual(errors, []);
  assert.equal(env.doc.getElementById('authing__retry'), null);
});

test('clearInterval on the id given to onIntervalStarting stops polling, like the original', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning({
    onIntervalStarting: (id) => {
      if (env.net.posts.length >= 1) globalThis.clearInterval(id);
    },
  });
  await showQR(env);
  await env.clock.tick(1500);
  env.net.posts[0].respond(pending());
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 2);
  env.net.posts[1].respond(pending());
  await env.clock.tick(30000);
  assert.equal(env.net.posts.length, 2, 'stopped by the caller');
});

test('timeout of a poll request aborts it and polling goes on', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk({ timeout: 3000 });
  authing.startWXAppScaning();
  await showQR(env);
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 1);
  await env.clock.tick(3000);
  assert.ok(env.net.posts[0].init.signal.aborted, 'request aborted at the timeout');
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 2);
});

test('the scanned state shows the nickname as text under the QR code', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env);
  await env.clock.tick(1500);
  env.net.posts[0].respond(pending());
  await env.clock.tick(1500);
  assert.equal(env.doc.getElementById('__authing_scanned_tip'), null);
  env.net.posts[1].respond(pending({ state: 'scanned', nickname: '<b>Ivy</b>' }));
  await flush();
  const tip = env.doc.getElementById('__authing_scanned_tip');
  assert.ok(tip);
  assert.equal(tip.parentNode.id, 'authing__qrcode-wrapper');
  assert.ok(tip.textContent.includes('<b>Ivy</b>'), 'nickname shown literally');
  assert.equal(tip.querySelector('b'), null, 'never parsed as HTML');
  await env.clock.tick(1500);
  env.net.posts[2].respond(pending({ state: 'scanned' }));
  await flush();
  assert.equal(env.doc.getElementById('__authing_scanned_tip').textContent, '已扫码，请在手机上确认登录');
  await env.clock.tick(1500);
  env.net.posts[3].respond(pending({ state: 'pending' }));
  await flush();
  assert.equal(env.doc.getElementById('__authing_scanned_tip'), null, 'back to pending hides it');
});

test('scannedTips replaces the words after the nickname', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning({ scannedTips: 'scanned: confirm on your phone' });
  await showQR(env);
  await env.clock.tick(1500);
  env.net.posts[0].respond(pending({ state: 'scanned', nickname: 'Ivy' }));
  await flush();
  assert.equal(env.doc.getElementById('__authing_scanned_tip').textContent, 'Ivy scanned: confirm on your phone');
  assert.equal(env.doc.querySelector('#__authing_scanned_tip img'), null, 'no avatar unless asked');
});

test('scannedAvatar shows the scanner\'s avatar, and only an http(s) one', async () => {
  for (const [avatar, shown] of [['https://thirdwx.qlogo.cn/a/132', 'https://thirdwx.qlogo.cn/a/132'], ['javascript:alert(1)', null]]) {
    env = setup({ eventSource: false });
    const authing = await sdk();
    authing.startWXAppScaning({ scannedAvatar: true });
    await showQR(env);
    await env.clock.tick(1500);
    env.net.posts[0].respond(pending({ state: 'scanned', nickname: 'Ivy', avatar }));
    await flush();
    const img = env.doc.querySelector('#__authing_scanned_tip img');
    assert.equal(img ? img.src : null, shown, avatar);
    assert.ok(env.doc.getElementById('__authing_scanned_tip').textContent.startsWith('Ivy'));
  }
});

test('the scanned line goes away when the flow ends', async () => {
  for (const end of [{ code: 200, message: '扫码登录成功', data: { token: 't' }, redirect: '' }, { code: 4203, message: '用户取消了登录', state: 'cancelled' }]) {
    env = setup({ eventSource: false });
    const authing = await sdk();
    authing.startWXAppScaning({ redirect: false });
    await showQR(env);
    await env.clock.tick(1500);
    env.net.posts[0].respond(pending({ state: 'scanned', nickname: 'Ivy' }));
    await flush();
    assert.ok(env.doc.getElementById('__authing_scanned_tip'));
    await env.clock.tick(1500);
    env.net.posts[1].respond({ code: 200, data: end });
    await flush();
    assert.equal(env.doc.getElementById('__authing_scanned_tip'), null, `gone after ${end.code}`);
    env.restore();
    env = null;
  }
});

test('removing the mount element stops polling', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env);
  await env.clock.tick(1500);
  env.net.posts[0].respond(pending());
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 2);
  env.doc.getElementById('authing__qrcode-root-node').remove();
  await flush();
  assert.ok(env.net.posts[1].init.signal.aborted, 'the poll in flight is aborted');
  await env.clock.tick(60000);
  assert.equal(env.net.posts.length, 2);
  assert.equal(env.clock.pending, 0, 'no timer left');
});

test('removing the mount element stops polling without MutationObserver too (watchdog)', async () => {
  env = setup({ eventSource: false, mutationObserver: false });
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env);
  await env.clock.tick(1500);
  env.net.posts[0].respond(pending());
  env.doc.getElementById('authing__qrcode-root-node').remove();
  await env.clock.tick(60000);
  assert.equal(env.net.posts.length, 1);
  assert.equal(env.clock.pending, 0);
});

test('replacing the widget in the mount element (another render) stops the old run', async () => {
  env = setup({ eventSource: false, html: '<!doctype html><html><head></head><body><div id="m"></div></body></html>' });
  const authing = await sdk();
  authing.startWXAppScaning({ mount: 'm' });
  await showQR(env);
  env.doc.getElementById('m').innerHTML = '<p>something else</p>';
  await env.clock.tick(60000);
  assert.equal(env.net.posts.length, 0);
});

test('a new start ends the previous run: only the new random is polled', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning();
  const first = await showQR(env);
  await env.clock.tick(1500);
  authing.startWXAppScaning();
  const second = await showQR(env);
  env.net.posts[0].respond({ code: 200, data: successInner() }); // a late answer for the old run
  await env.clock.tick(6000);
  assert.equal(env.doc.getElementById('__authing_success_redirect_tip'), null, 'late answer of the old run ignored');
  const randoms = env.net.posts.map(randomOf);
  assert.equal(randoms[0], first);
  assert.ok(randoms.slice(1).length >= 1);
  assert.ok(randoms.slice(1).every((r) => r === second));
});

test('stopWXAppScaning stops everything', async () => {
  env = setup({ eventSource: false });
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env);
  authing.stopWXAppScaning();
  await env.clock.tick(60000);
  assert.equal(env.net.posts.length, 0);
  assert.equal(env.clock.pending, 0);
});
