// 7. Security: the QR code (its scene) is public: anyone who sees the screen has it. A second browser context
// that knows only the scene must not get the token: polling with random=<scene> is "unknown" (4205) and the push
// channel likewise, before the scan, while scanned and after the confirmation; the scanner API shows no token; a
// second phone cannot take over a scanned code. After the real browser logged in, its own extra poll is "used" (4204).

import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { fixture, openPage, readQr, scenario, screenshot } from '../lib/browser.js';
import { checkToken, confirm, createWechatUser, phoneScans, scan, scannerView, wxLogin } from '../lib/phone.js';

const env = fixture({ before, after });

/** In the attacker's page: the compatible poll and the push channel's first event for `random`. */
function strangerTries(page, random) {
  return page.evaluate(async (random) => {
    const poll = await fetch(`/oauth/wxapp/confirm/qr?random=${encodeURIComponent(random)}&useSelfWxapp=false`, { method: 'POST' });
    const pollBody = await poll.json();
    const event = await new Promise((resolve) => {
      const es = new EventSource(`/api/v1/qr/events?random=${encodeURIComponent(random)}`);
      const done = (value) => { es.close(); resolve(value); };
      es.addEventListener('state', (e) => done({ type: 'state', data: JSON.parse(e.data) }));
      es.addEventListener('confirmed', (e) => done({ type: 'confirmed', data: JSON.parse(e.data) }));
      es.addEventListener('error', () => done({ type: 'error' }));
      setTimeout(() => done({ type: 'timeout' }), 5000);
    });
    return { pollStatus: poll.status, pollBody, event };
  }, random);
}

function assertNothingLeaks(tried, when) {
  assert.equal(tried.pollStatus, 200, when);
  assert.equal(tried.pollBody.code, 200, when);
  assert.equal(tried.pollBody.data.code, 4205, `${when}: polling with the scene is "unknown": ${JSON.stringify(tried.pollBody)}`);
  assert.equal(tried.pollBody.data.state, 'unknown', when);
  assert.equal(tried.event.type, 'state', `${when}: the stream answers: ${JSON.stringify(tried.event)}`);
  assert.equal(tried.event.data.state, 'unknown', `${when}: the stream with the scene is "unknown"`);
  const text = JSON.stringify(tried);
  assert.ok(!/"token"|eyJ/.test(text), `${when}: no token anywhere in what the stranger got`);
  assert.ok(!text.includes('nickname":"受害者'), `${when}: not even the scanner's nickname`);
}

scenario(env, '7. a stranger with only the scene gets 4205 (poll and stream); the real browser\'s extra poll gets 4204', '07-security', async (t, victim) => {
  const { base } = env.server;
  await victim.page.goto(`${base}/demo/qr?mode=onSuccess`);
  const qr = await readQr(victim.page, env.server);
  const random = await victim.page.evaluate(() => sessionStorage.getItem('randomWord'));
  assert.notEqual(random, qr.scene, 'the poll secret is not what the QR code shows');
  assert.ok(!qr.text.includes(random) && !qr.src.includes(random), 'the poll secret is in neither the QR code nor its URL');

  // The attacker: another browser context (no shared storage), on the page the QR link opens.
  const attacker = await openPage(env.browser, env.server);
  try {
    await attacker.page.goto(qr.text);
    assert.equal(await attacker.page.evaluate(() => sessionStorage.getItem('randomWord')), null);
    assertNothingLeaks(await strangerTries(attacker.page, qr.scene), 'pending');

    const nickname = '受害者 Victim';
    const phone = await phoneScans(base, qr.scene, { nickname });
    await victim.page.locator('#__authing_scanned_tip').waitFor({ state: 'visible', timeout: 10_000 });
    assertNothingLeaks(await strangerTries(attacker.page, qr.scene), 'scanned');

    // A second phone cannot scan over the first one.
    const otherUser = await createWechatUser(base, 'Mallory');
    const hijack = await scan(base, qr.scene, await wxLogin(base, otherUser), 'Mallory');
    assert.ok(hijack.status >= 400 && hijack.status < 500, `a second scan is refused: HTTP ${hijack.status} ${JSON.stringify(hijack.body)}`);
    assert.equal(hijack.body.scanToken, undefined);
    // Nor confirm with a made-up scan token.
    const forged = await confirm(base, qr.scene, 'A'.repeat(32));
    assert.ok(forged.status >= 400 && forged.status < 500, `a forged scan token is refused: HTTP ${forged.status}`);

    const confirmed = await confirm(base, qr.scene, phone.scanToken);
    assert.equal(confirmed.status, 200);
    await victim.page.waitForFunction(() => document.body.dataset.state === 'success', null, { timeout: 10_000 });
    const user = JSON.parse(await victim.page.locator('#result').textContent());
    assert.equal((await checkToken(base, user.token)).status, true);
    assert.equal(user.nickname, nickname, 'the login is the first phone\'s, not Mallory\'s');

    assertNothingLeaks(await strangerTries(attacker.page, qr.scene), 'after the login');
    const view = await scannerView(base, qr.scene);
    assert.ok(!JSON.stringify(view.body).includes(user.token), `the scanner API never shows the token: ${JSON.stringify(view.body)}`);
    await screenshot(attacker.page, '07-security-attacker-page');

    // The real browser's own extra poll, with its own random, after it collected the login: used, no token.
    const again = await victim.page.evaluate(async (random) => {
      const res = await fetch(`/oauth/wxapp/confirm/qr?random=${random}&useSelfWxapp=false`, { method: 'POST' });
      return res.json();
    }, random);
    assert.equal(again.data.code, 4204, `a second collection is "used": ${JSON.stringify(again)}`);
    assert.equal(again.data.state, 'used');
    assert.ok(!JSON.stringify(again).includes(user.token), 'the token is given out once');
    await screenshot(victim.page, '07-security-victim');
    assert.deepEqual(victim.pageErrors, []);
  } finally {
    await attacker.context.close();
  }
});
