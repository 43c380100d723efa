// The simulated phone: scans a login QR link and runs the scanner mini program's real confirm page
// (miniprogram/pages/confirm/index.js with lib/confirm.js) against the wx of js/wx.js, rendering its data the way
// pages/confirm/index.wxml does.

import { createLoader } from './cjs.js';
import { createWx, phoneNumberDetail } from './wx.js';
import { h, loadConfig, logPanel, pageInstance, userPicker } from './phone-common.js';

const screen = document.getElementById('screen');
const linkInput = document.getElementById('scan-link');
const scanButton = document.getElementById('scan-button');
const scanError = document.getElementById('scan-error');
const log = logPanel(document.getElementById('log'));

let config = null;
let user = null;
let current = null; // the page instance on screen

function showScanError(text) {
  scanError.hidden = !text;
  scanError.textContent = text || '';
}

function setStatus(status) {
  document.body.dataset.status = status;
}

/** The phone's home screen, before any scan. */
function home(text) {
  current = null;
  setStatus('none');
  screen.replaceChildren(
    h('div', { className: 'mp-card', id: 'mp-home' },
      h('div', { className: 'mp-brand' }, '小登录'),
      h('div', { className: 'mp-text' }, text || '用“扫一扫”扫描电脑网页上的登录二维码。'),
      h('div', { className: 'mp-hint' }, 'Scan the login QR code shown by the web page: paste its link on the right.')),
  );
}

const button = (id, text, { primary = false, disabled = false, onclick } = {}) =>
  h('button', { id, type: 'button', className: primary ? 'mp-button primary' : 'mp-button', disabled, onclick }, text);

/** The getPhoneNumber button: WeChat's own sheet (allow / deny), then the page's bindgetphonenumber handler. */
function askPhone(page) {
  const extra = user || {};
  const sheet = h('div', { className: 'sheet', id: 'phone-sheet', role: 'dialog' },
    h('h3', {}, '小登录 申请获取你的手机号'),
    h('div', { className: 'mp-hint' }, 'The mini program asks for your phone number (WeChat’s own dialog).'),
    h('div', { className: 'phone-no' }, extra.has_phone ? (extra.phone || '微信绑定号码 · your WeChat phone') : '这个用户没有手机号 · This user has no phone'),
    button('sheet-allow', '允许 · Allow', { primary: true, onclick: () => answer(false) }),
    button('sheet-deny', '拒绝 · Deny', { onclick: () => answer(true) }));
  async function answer(deny) {
    sheet.remove();
    const detail = await phoneNumberDetail({ control: config.control, appid: config.appid, user: user.id, deny });
    log.add({ name: 'bindgetphonenumber', text: detail.errMsg }, JSON.stringify(detail, null, 2), { bad: /fail/.test(detail.errMsg) });
    await page.onGetPhoneNumber({ type: 'getphonenumber', detail });
  }
  screen.append(sheet);
}

/** pages/confirm/index.wxml, in HTML. */
function render(page) {
  if (page !== current) return;
  const d = page.data;
  setStatus(d.status);
  const card = h('div', { className: 'mp-card', id: 'mp-confirm', 'data-status': d.status }, h('div', { className: 'mp-brand' }, '小登录'));
  if (d.status === 'idle') card.append(h('div', { id: 'idle', className: 'mp-text' }, d.message));
  if (d.status === 'loading') card.append(h('div', { id: 'loading', className: 'mp-hint' }, '正在读取登录请求… · Loading the login request…'));
  if (d.status === 'ready' || d.status === 'confirming') {
    const logo = d.pool.logo ? h('img', { id: 'pool-logo', src: d.pool.logo, alt: '' }) : null;
    if (logo) logo.addEventListener('error', () => logo.remove());
    const nickname = h('input', { id: 'nickname', value: d.nickname || '', placeholder: '不填则不告诉网站 · optional' });
    const saveNickname = () => page.onNickname({ detail: { value: nickname.value } });
    nickname.addEventListener('blur', saveNickname);
    nickname.addEventListener('keydown', (e) => e.key === 'Enter' && saveNickname());
    card.append(
      h('div', { className: 'mp-asker' }, logo,
        h('div', { id: 'pool-name', className: 'mp-pool' }, d.pool.name),
        h('div', { className: 'mp-ask' }, '请求用你的微信登录电脑网页'),
        h('div', { className: 'mp-hint' }, 'asks to log in to a web page with your WeChat')),
      h('div', { className: 'mp-details' },
        h('div', { className: 'mp-row' }, h('span', { className: 'label' }, '浏览器 Browser'), h('span', { id: 'browser' }, d.requester.browser)),
        h('div', { className: 'mp-row' }, h('span', { className: 'label' }, 'IP 地址 IP'), h('span', { id: 'ip' }, d.requester.ip)),
        h('div', { className: 'mp-row' }, h('span', { className: 'label' }, '请求时间 Asked'), h('span', { id: 'ago' }, d.requester.ago))),
      h('div', { className: 'mp-warning' }, '请确认是你本人正在电脑上登录；如果不是，请点击“取消”。'),
    );
    if (d.phoneRequested) {
      card.append(
        h('div', { id: 'phone-text', className: 'mp-text' }, '网站请求获取你的微信绑定手机号。'),
        button('confirm-phone', '分享手机号并登录 · Share phone and log in', { primary: true, disabled: d.busy, onclick: () => askPhone(page) }),
      );
    } else {
      card.append(button('confirm', d.busy ? '登录中… · Logging in…' : '确认登录 · Confirm', { primary: true, disabled: d.busy, onclick: () => page.onConfirm() }));
    }
    if (d.phoneRequested && d.offerWithoutPhone) {
      card.append(button('confirm-without-phone', '不分享手机号，直接登录 · Log in without phone', { disabled: d.busy, onclick: () => page.onConfirm() }));
    }
    card.append(button('cancel', '取消 · Cancel', { disabled: d.busy, onclick: () => page.onCancel() }));
    if (d.notice) card.append(h('div', { id: 'notice', className: 'mp-notice' }, d.notice));
    card.append(h('div', { className: 'mp-profile' },
      h('div', { className: 'mp-hint' }, '向网站显示的昵称（可选）· Nickname shown to the site'),
      nickname,
      h('div', { className: 'mp-hint' }, '只保存在本机，下次扫码时告诉网站。')));
  }
  if (d.status === 'done' || d.status === 'cancelled' || d.status === 'error') {
    card.append(h('div', { id: 'result', className: d.status === 'done' ? 'mp-text ok' : 'mp-text warn' }, d.message));
    if (d.status === 'error' && d.canRetry) card.append(button('retry', '重试 · Retry', { primary: true, onclick: () => page.onRetry() }));
    card.append(button('close', '关闭 · Close', { onclick: () => page.onClose() }));
  }
  screen.replaceChildren(card);
}

/** Opens pages/confirm/index as WeChat does after scanning `link` (a 扫普通链接二维码打开小程序 rule). */
async function scan(link) {
  showScanError('');
  if (!user) {
    showScanError('请先选择或新建一个用户 · Choose or create a user first.');
    return;
  }
  const query = { q: encodeURIComponent(link), scancode_time: String(Math.floor(Date.now() / 1000)) };
  log.add({ name: 'scan', text: link }, `pages/confirm/index, scene 1011\nquery: ${JSON.stringify(query, null, 2)}`);
  let page = null;
  const wx = createWx({
    appid: config.appid,
    user: user.id,
    control: config.control,
    onCall: log.wxCall,
    launch: { path: 'pages/confirm/index', query, scene: 1011 },
    onNavigate: (name) => {
      if (page === current && (name === 'exitMiniProgram' || name === 'navigateBack')) home('小程序已关闭 · The mini program was closed.');
    },
  });
  let definition = null;
  const loader = createLoader({
    globals: { wx, Page: (object) => (definition = object), getCurrentPages: () => (page ? [page] : []) },
    modules: { '/demo/miniprogram/config.js': { baseUrl: location.origin, requestTimeout: 15000 } },
  });
  try {
    await loader.require('/demo/miniprogram/pages/confirm/index.js');
  } catch (error) {
    showScanError(`没能加载小程序页面 · Could not load the page: ${error.message}`);
    return;
  }
  page = pageInstance(definition, { route: 'pages/confirm/index', options: query, render });
  current = page;
  render(page);
  await page.onLoad(query);
}

async function main() {
  config = await loadConfig();
  const picker = userPicker(document.getElementById('user-panel'), {
    control: config.control,
    log,
    onChange: (chosen) => {
      user = chosen;
    },
  });
  await picker.start();
  home();
  scanButton.addEventListener('click', () => {
    const link = linkInput.value.trim();
    if (!link) showScanError('请粘贴二维码链接 · Paste the QR link first.');
    else scan(link);
  });
  linkInput.addEventListener('keydown', (e) => e.key === 'Enter' && scanButton.click());
  const given = new URLSearchParams(location.search).get('scan');
  if (given) {
    linkInput.value = given;
    await scan(given);
  }
}

main().catch((error) => {
  showScanError(`出错了 · Something went wrong: ${error.message}`);
});
