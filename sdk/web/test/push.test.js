import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setup, sdk, BASE, flush, pending, showQR, successInner, USER, randomOf, qrReply } from './helpers.js';

let env;
afterEach(() => env && env.restore());

const EVENTS = `${BASE}/api/v1/qr/events?random=R`;

test('the push channel is preferred: EventSource on data.events, no polling while it works', async () => {
  env = setup();
  const authing = await sdk();
  const ticks = [];
  const successes = [];
  authing.startWXAppScaning({ redirect: false, onIntervalStarting: (id) => ticks.push(id), onSuccess: (r) => successes.push(r) });
  await showQR(env, { events: EVENTS });
  assert.equal(env.ES.instances.length, 1);
  const es = env.ES.instances[0];
  assert.equal(es.url, EVENTS);
  es.open();
  es.emit('state', { state: 'pending', expiresAt: '2030-01-01T00:02:00.000Z' });
  await env.clock.tick(20000);
  assert.equal(env.net.posts.length, 0, 'no polls');
  assert.deepEqual(ticks, []);
  es.emit('state', { state: 'scanned', nickname: 'Ivy <script>x</script>' });
  const tip = env.doc.getElementById('__authing_scanned_tip');
  assert.ok(tip.textContent.startsWith('Ivy <script>x</script>'));
  assert.equal(tip.querySelector('script'), null);
  const inner = successInner();
  es.emit('confirmed', inner);
  await flush();
  assert.deepEqual(successes, [inner]);
  assert.ok(es.closed, 'stream closed after success');
  assert.equal(authing.getToken(), USER.token);
  await env.clock.tick(60000);
  assert.equal(env.net.posts.length, 0);
});

test('push channel with redirect: navigates like polling does', async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env, { events: EVENTS });
  env.ES.instances[0].emit('confirmed', successInner('https://app.example/done'));
  await env.clock.tick(600);
  assert.equal(env.location.assigned.length, 1);
  assert.ok(env.location.assigned[0].startsWith('https://app.example/done?code=200&data='));
});

test('a relative events URL is resolved against the server base', async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env, { events: '/api/v1/qr/events?random=abc' });
  assert.equal(env.ES.instances[0].url, `${BASE}/api/v1/qr/events?random=abc`);
});

test('falls back to polling when the stream errors before delivering anything (e.g. 404)', async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning();
  const random = await showQR(env, { events: EVENTS });
  const es = env.ES.instances[0];
  es.error({ closed: true });
  assert.ok(es.closed);
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 1);
  assert.equal(randomOf(env.net.posts[0]), random);
  es.emit('confirmed', successInner()); // a closed stream is no longer listened to
  assert.equal(env.doc.getElementById('__authing_success_redirect_tip'), null);
});

test('an error after messages: EventSource reconnects by itself, no polling; CLOSED → polling', async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env, { events: EVENTS });
  const es = env.ES.instances[0];
  es.emit('state', { state: 'pending' });
  es.error({ closed: false });
  await env.clock.tick(10000);
  assert.equal(env.net.posts.length, 0, 'still on the push channel');
  assert.equal(es.closed, false);
  es.error({ closed: true });
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 1, 'polling once the browser gave up');
});

test('a server-sent error event (the server cannot read the session): polling instead', async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env, { events: EVENTS });
  const es = env.ES.instances[0];
  es.emit('state', { state: 'pending' });
  es.emit('error', {}); // event: error, data: {}
  assert.ok(es.closed);
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 1);
});

test('no message on the stream within 5 s: polling instead', async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env, { events: EVENTS });
  const es = env.ES.instances[0];
  es.open();
  await env.clock.tick(4999);
  assert.equal(es.closed, false);
  await env.clock.tick(1);
  assert.ok(es.closed);
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 1);
});

test('without EventSource, or without data.events, it polls', async () => {
  env = setup({ eventSource: false });
  let authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env, { events: EVENTS });
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 1);
  env.restore();

  env = setup();
  authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env); // no events field: a server without the push channel
  await env.clock.tick(1500);
  assert.equal(env.ES.instances.length, 0);
  assert.equal(env.net.posts.length, 1);
});

test('terminal states on the stream: overlay, onError with the code, stream closed', async () => {
  for (const [state, code] of [['expired', 4202], ['cancelled', 4203], ['used', 4204], ['unknown', 4205]]) {
    env = setup();
    const authing = await sdk();
    const errors = [];
    authing.startWXAppScaning({ onError: (e) => errors.push(e) });
    await showQR(env, { events: EVENTS });
    const es = env.ES.instances[0];
    es.emit('state', { state: 'pending' });
    es.emit('state', { state });
    assert.equal(errors.length, 1, state);
    assert.equal(errors[0].code, code);
    assert.equal(errors[0].state, state);
    assert.ok(es.closed);
    assert.ok(env.doc.getElementById('__authing_expired_tip'));
    await env.clock.tick(60000);
    assert.equal(env.net.posts.length, 0);
    env.restore();
  }
  env = null;
});

test('removing the mount closes the stream', async () => {
  env = setup();
  const authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env, { events: EVENTS });
  const es = env.ES.instances[0];
  es.emit('state', { state: 'pending' });
  env.doc.getElementById('authing__qrcode-root-node').remove();
  await flush();
  assert.ok(es.closed);
  es.emit('confirmed', successInner());
  await env.clock.tick(60000);
  assert.deepEqual(env.location.assigned, []);
  assert.equal(env.net.posts.length, 0);
});

test('deadline while on the push channel: stream closed, one poll, expired overlay', async () => {
  env = setup();
  const authing = await sdk();
  const errors = [];
  authing.startWXAppScaning({ onError: (e) => errors.push(e) });
  const call = env.net.last;
  call.respond(qrReply(randomOf(call), { events: EVENTS, createdAt: '2030-01-01T00:00:00.000Z', expiredAt: '2030-01-01T00:01:00.000Z' }));
  await flush();
  env.doc.querySelector('#authing__qrcode-wrapper img').dispatchEvent(new env.win.Event('load'));
  const es = env.ES.instances[0];
  es.emit('state', { state: 'scanned', nickname: 'Ivy' });
  await env.clock.tick(60000);
  assert.ok(es.closed);
  assert.equal(env.net.posts.length, 1);
  env.net.posts[0].respond(pending({ state: 'scanned' }));
  await flush();
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, 4202);
  assert.ok(env.doc.getElementById('__authing_expired_tip'));
});

test('the reconnect delay grows from at most 250 ms to at most 4 s, never below half of its ceiling', async () => {
  const { pushReconnectDelay } = await import('../src/scan.js');
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => pushReconnectDelay(n, () => 1)), [250, 500, 1000, 2000, 4000, 4000]);
  assert.deepEqual([1, 2, 6].map((n) => pushReconnectDelay(n, () => 0)), [125, 250, 2000]);
});

test('a reconnect event (the server is stopping): the stream is reopened for the same session, no polling', async () => {
  env = setup();
  const authing = await sdk();
  const successes = [];
  authing.startWXAppScaning({ redirect: false, onSuccess: (r) => successes.push(r) });
  await showQR(env, { events: EVENTS });
  const first = env.ES.instances[0];
  first.emit('state', { state: 'scanned', nickname: 'Ivy' });
  first.emit('reconnect', { reason: 'the server is shutting down' });
  assert.ok(first.closed, 'the old stream is closed, so the browser does not reopen it by itself');
  assert.equal(env.ES.instances.length, 1, 'not at once: after a short random wait');
  await env.clock.tick(250);
  assert.equal(env.ES.instances.length, 2);
  const second = env.ES.instances[1];
  assert.equal(second.url, EVENTS, 'the same session');
  second.emit('state', { state: 'scanned', nickname: 'Ivy' });
  assert.ok(env.doc.getElementById('__authing_scanned_tip').textContent.startsWith('Ivy'));
  second.emit('confirmed', successInner());
  await flush();
  assert.equal(successes.length, 1);
  assert.equal(env.net.posts.length, 0, 'no polls');
  first.emit('confirmed', successInner()); // the closed stream is no longer listened to
  assert.equal(successes.length, 1);
});

test('a reopened stream that fails, or one reconnect too many: polling, as on other errors', async () => {
  env = setup();
  let authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env, { events: EVENTS });
  env.ES.instances[0].emit('state', { state: 'pending' });
  env.ES.instances[0].emit('reconnect', {});
  await env.clock.tick(250);
  env.ES.instances[1].error({ closed: false }); // nothing answers yet (a restart)
  assert.ok(env.ES.instances[1].closed);
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 1);
  env.restore();

  env = setup();
  authing = await sdk();
  authing.startWXAppScaning();
  await showQR(env, { events: EVENTS });
  for (let n = 0; n < 5; n += 1) {
    const es = env.ES.instances[n];
    es.emit('state', { state: 'pending' });
    es.emit('reconnect', {});
    await env.clock.tick(4000);
  }
  assert.equal(env.ES.instances.length, 6);
  assert.equal(env.net.posts.length, 0);
  env.ES.instances[5].emit('reconnect', {});
  assert.equal(env.ES.instances.length, 6, 'the sixth reconnect is not followed');
  await env.clock.tick(1500);
  assert.equal(env.net.posts.length, 1, 'polling instead');
});
