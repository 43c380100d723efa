// The app launch demo: an app opens the scanner mini program at routes/explore (the simulator's
// launch-mini-program, scene 1069), the mini program's real page logic (lib/explore-page.js + lib/explore.js)
// runs against js/wx.js and hands a ticket back through the launchApp button, and the app's backend exchanges the
// ticket at POST /oauth/app2wxapp/auth/{pool}.

import { createLoader } from './cjs.js';
import { createWx, phoneNumberDetail, sim } from './wx.js';
import { h, loadConfig, logPanel, pageInstance, userPicker } from './phone-common.js';

const screen = document.getElementById('screen');
const launchButton = document.getElementById('launch');
const launchError = document.getElementById('launch-error');
const extMsgBox = document.getElementById('ext-msg');
const exchangeBox = document.getElementById('exchange');
const getPhoneBox = document.getElementById('get-phone');
const pkceBox = document.getElementById('pkce');
const log = logPanel(document.getElementById('log'));

/** Entry scenes from which launchApp can go back to the app (as the mini program's README lists them). */
const RETURN_SCENES = new Set([1069, 1038, 1089, 1090, 1001, 1131, 1187]);

let config = null;
let user = null;
let current = null;
let launchScene = 0;
let verifier = null;

const pretty = (value) => JSON.stringify(value, null, 2);
const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function showLaunchError(text) {
  launchError.hidden = !text;
  launchError.textContent = text || '';
}

function launchPath(challenge) {
  const query = `userPoolId=${config.poolId}&getPhone=${getPhoneBox.checked ? 1 : 0}&fromApp=1&useSelfWxapp=0`;
  return `/routes/explore?${query}${challenge ? `&codeChallenge=${challenge}` : ''}`;
}

function home() {
  current = null;
  document.body.dataset.status = 'none';
  screen.replaceChildren(
    h('div', { className: 'mp-card', id: 'mp-home' },
      h('div', { className: 'mp-brand' }, '小登录'),
      h('div', { className: 'mp-text' }, '等待 App 拉起小程序。'),
      h('div', { className: 'mp-hint' }, 'Waiting for the app to launch the mini program: tap “Launch” on the right.')),
  );
}

const button = (id, text, { primary = false, onclick } = {}) =>
  h('button', { id, type: 'button', className: primary ? 'mp-button primary' : 'mp-button', onclick }, text);

/** A launchApp button: back to the app with `parameter` as extMsg, or binderror "invalid scene". */
function launchApp(page, parameter) {
  if (!RETURN_SCENES.has(launchScene)) {
    log.add({ name: 'launchApp binderror', text: 'invalid scene' }, `app-parameter: ${parameter}`, { bad: true });
    page.onLaunchAppError({ type: 'error', detail: { errMsg: 'invalid scene' } });
    return;
  }
  log.add({ name: 'launchApp', text: '→ App' }, `app-parameter: ${parameter}`);
  receiveExtMsg(parameter);
  home();
}

/** The getPhoneNumber button: WeChat's allow/deny sheet, then bindgetphonenumber. */
function askPhone(page) {
  const sheet = h('div', { className: 'sheet', id: 'phone-sheet', role: 'dialog' },
    h('h3', {}, '小登录 申请获取你的手机号'),
    h('div', { className: 'mp-hint' }, 'The mini program asks for your phone number (WeChat’s own dialog).'),
    h('div', { className: 'phone-no' }, user && user.has_phone ? user.phone || '微信绑定号码 · your WeChat phone' : '这个用户没有手机号 · This user has no phone'),
    button('sheet-allow', '允许 · Allow', { primary: true, onclick: () => answer(false) }),
    button('sheet-deny', '拒绝 · Deny', { onclick: () => answer(true) }));
  async function answer(deny) {
    sheet.remove();
    const detail = await phoneNumberDetail({ control: config.control, appid: config.appid, user: user.id, deny });
    log.add({ name: 'bindgetphonenumber', text: detail.errMsg }, pretty(detail), { bad: /fail/.test(detail.errMsg) });
    await page.onGetPhoneNumber({ type: 'getphonenumber', detail });
  }
  screen.append(sheet);
}

/** templates/explore.wxml, in HTML. */
function render(page) {
  if (page !== current) return;
  const d = page.data;
  document.body.dataset.status = d.status;
  const card = h('div', { className: 'mp-card', id: 'mp-explore', 'data-status': d.status },
    h('div', { className: 'mp-brand' }, '小登录'),
    h('div', { className: 'mp-title' }, '授权登录 App · Log in to the app'));
  if (d.status === 'loading' || d.status === 'minting') card.append(h('div', { id: 'loading', className: 'mp-hint' }, '正在处理，请稍候… · Working…'));
  if (d.status === 'ready') {
    card.append(h('div', { id: 'ready-text', className: 'mp-text' }, d.message));
    if (d.needPhone) {
      card.append(
        h('div', { id: 'phone-text', className: 'mp-text' }, 'App 请求获取你的微信绑定手机号。'),
        button('phone', '授权手机号并登录 · Share phone and log in', { primary: true, onclick: () => askPhone(page) }),
      );
    } else {
      card.append(button('authorize', '授权登录 · Authorize', { primary: true, onclick: () => page.onAuthorize() }));
    }
  }
  if (d.status === 'done' || d.status === 'refused' || d.status === 'error') {
    card.append(
      h('div', { id: 'message', className: d.status === 'done' ? 'mp-text ok' : 'mp-text warn' }, d.message),
      button('return', '返回 App · Back to the app', { primary: true, onclick: () => launchApp(page, d.appParameter) }),
    );
    if (d.status === 'error' && d.canRetry) card.append(button('retry', '重试 · Retry', { onclick: () => page.onRetry() }));
  }
  if (d.status === 'ready' || d.status === 'loading') {
    card.append(button('cancel', '取消 · Cancel', { onclick: () => launchApp(page, d.cancelParameter) }));
  }
  if (d.notice) card.append(h('div', { id: 'notice', className: 'mp-notice' }, d.notice));
  if (d.notFromApp) card.append(h('div', { id: 'not-from-app', className: 'mp-hint' }, '当前不是从 App 打开的，授权后无法返回 App。'));
  screen.replaceChildren(card);
}

/** The app got extMsg: split it as apps do (on & then =, no decoding), then let its backend exchange a ticket. */
function receiveExtMsg(extMsg) {
  const fields = {};
  for (const pair of extMsg.split('&')) {
    const at = pair.indexOf('=');
    if (at > 0) fields[pair.slice(0, at)] = pair.slice(at + 1);
  }
  document.body.dataset.extCode = fields.code || '';
  extMsgBox.className = '';
  extMsgBox.replaceChildren(
    h('pre', { className: 'json', id: 'ext-msg-raw' }, extMsg),
    h('dl', { className: 'kv', id: 'ext-msg-fields' }, ...Object.entries(fields).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { id: `ext-${k}` }, v)])),
  );
  exchangeBox.className = '';
  if (fields.code === '200' && fields.ticket) {
    const go = h('button', { className: 'btn primary', id: 'exchange-button', type: 'button' }, '用 ticket 换用户 · Exchange the ticket');
    go.addEventListener('click', () => exchange(fields.ticket, go));
    exchangeBox.replaceChildren(
      h('div', { className: 'hint' }, verifier ? '带上 codeVerifier（PKCE）· with the verifier (PKCE)' : '用池密钥 · with the pool secret'),
      go,
    );
  } else {
    exchangeBox.replaceChildren(h('div', { className: 'empty' }, `没有 ticket（code=${fields.code || '?'}），App 显示登录失败 · No ticket: the app shows the failure.`));
  }
}

/** What the app's backend does: POST /oauth/app2wxapp/auth/{pool} with the ticket and the pool secret. */
async function exchange(ticket, go) {
  go.disabled = true;
  const path = `/oauth/app2wxapp/auth/${config.poolId}`;
  const body = { ticket, secret: config.poolSecret };
  if (verifier) body.codeVerifier = verifier;
  let status = 0;
  let reply = null;
  try {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    status = res.status;
    const text = await res.text();
    try {
      reply = JSON.parse(text);
    } catch {
      reply = text;
    }
  } catch (error) {
    reply = { error: error.message };
  }
  let user = null;
  if (reply && reply.code === 200 && typeof reply.data === 'string') {
    try {
      user = JSON.parse(reply.data);
    } catch {
      user = null;
    }
  }
  const ok = Boolean(user);
  document.body.dataset.exchange = ok ? 'success' : 'error';
  log.add({ name: 'app backend', text: `POST ${path} → ${status}` }, `request: ${pretty({ ...body, secret: '…' })}\nresponse: ${pretty(reply)}`, { bad: !ok });
  const shownBody = { ...body, secret: `${config.poolSecret.slice(0, 6)}…` };
  exchangeBox.replaceChildren(
    h('div', { className: 'hint' }, `POST ${path}`),
    h('pre', { className: 'json', id: 'exchange-request' }, pretty(shownBody)),
    h('div', { className: ok ? 'mp-text ok' : 'mp-text warn', id: 'exchange-result' },
      ok ? `换票成功 · Exchanged: ${reply.message}` : `换票失败 · The exchange failed (HTTP ${status}, code ${reply && reply.code}): ${reply && reply.message}`),
    h('pre', { className: 'json', id: 'exchange-user' }, pretty(ok ? user : reply)),
  );
}

async function launch() {
  showLaunchError('');
  if (!user) {
    showLaunchError('请先选择或新建一个用户 · Choose or create a user first.');
    return;
  }
  extMsgBox.className = 'empty';
  extMsgBox.textContent = '点击小程序里的“返回 App”后显示 · Shown after 返回 App is tapped in the mini program.';
  exchangeBox.className = 'empty';
  exchangeBox.textContent = '拿到 ticket 后显示 · Shown once there is a ticket.';
  document.body.dataset.exchange = 'none';
  document.body.dataset.extCode = '';
  let challenge = '';
  verifier = null;
  if (pkceBox.checked) {
    verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  }
  const path = launchPath(challenge);
  document.getElementById('launch-path').textContent = path;
  let launched;
  try {
    launched = await sim(config.control).launch(config.originalId, path);
  } catch (error) {
    showLaunchError(`没能拉起小程序 · Could not launch: ${error.message}`);
    return;
  }
  log.add({ name: 'POST /__sim/launch-mini-program', text: `→ ${launched.page} (scene ${launched.launch_scene})` }, pretty({ request: { original_id: config.originalId, path }, response: launched }));
  launchScene = launched.launch_scene;
  const query = launched.query || {};
  const wx = createWx({
    appid: config.appid,
    user: user.id,
    control: config.control,
    onCall: log.wxCall,
    launch: { path: launched.page, query, scene: launched.launch_scene },
  });
  const loader = createLoader({ modules: { '/demo/miniprogram/config.js': { baseUrl: location.origin, requestTimeout: 15000 } } });
  let explorePage;
  try {
    ({ explorePage } = await loader.require('/demo/miniprogram/lib/explore-page.js'));
  } catch (error) {
    showLaunchError(`没能加载小程序页面 · Could not load the page: ${error.message}`);
    return;
  }
  const definition = explorePage(wx);
  const page = pageInstance(definition, { route: launched.page, options: query, render });
  current = page;
  render(page);
  await page.onLoad(query);
}

async function main() {
  config = await loadConfig();
  document.getElementById('original-id').textContent = config.originalId;
  document.getElementById('launch-path').textContent = launchPath('');
  getPhoneBox.addEventListener('change', () => (document.getElementById('launch-path').textContent = launchPath('')));
  const picker = userPicker(document.getElementById('user-panel'), {
    control: config.control,
    log,
    onChange: (chosen) => {
      user = chosen;
    },
  });
  await picker.start();
  home();
  launchButton.addEventListener('click', () => {
    launchButton.disabled = true;
    launch().finally(() => (launchButton.disabled = false));
  });
}

main().catch((error) => showLaunchError(`出错了 · Something went wrong: ${error.message}`));
