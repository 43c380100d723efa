// A pool's login settings: QR login (mode, lifetime, callback URL, which scanner opens the codes, the logo with a
// preview of the code it produces) and app-launched login (ticket lifetime, secret and PKCE requirements).

import { ApiError, api, del, get, patch, put, seg } from '../api.js';
import { card, checkbox, field, fill, form, h, input, messageOf, numberOf, select, valueOf } from '../dom.js';
import { t, words } from '../i18n.js';

words({
  en: {
    loginTitle: 'Login settings', qrTitle: 'QR login', qrMode: 'Code', qrModeUrl: 'url: a QR code drawn by denglu, with the logo',
    qrModeWxacode: 'wxacode: a mini program code from WeChat', qrLifetime: 'Lifetime of a code (seconds, 30–600)',
    callbackUrl: 'Callback URL', callbackHint: 'Where the browser goes after the login (?code=200&data=…). Empty: the page handles it.',
    scanner: 'Scanner', scannerDeployment: 'deployment: the deployment\'s scanner mini program',
    scannerPool: 'pool: this pool\'s own mini program (role qr_login)',
    scannerNow: 'Serving this pool now: {what}', scannerIsDeployment: 'the deployment\'s scanner mini program ([scanner] in the settings)',
    scannerIsApp: 'mini program {appid} ({name})', scannerMissing: 'no mini program of this pool has the qr_login role: its codes cannot be scanned',
    logoTitle: 'Logo', logoHint: 'A PNG or JPEG of at most 512 KiB; drawn in the middle of url-mode codes.',
    logoNone: 'No logo: codes are drawn without one.', logoUpload: 'Upload a logo', logoRemove: 'Remove the logo',
    preview: 'Preview of a code', previewHint: 'A sample code as this pool\'s url-mode codes look now.',
    appLaunchTitle: 'App launch', ticketLifetime: 'Ticket lifetime (seconds, 30–600)',
    requireSecret: 'The exchange needs the pool secret (keep this on)', requirePkce: 'Every ticket must be bound to a code challenge (PKCE)',
    logoAlt: 'The pool\'s logo', previewAlt: 'A sample QR code of this pool',
  },
  zh: {
    loginTitle: '登录设置', qrTitle: '扫码登录', qrMode: '二维码', qrModeUrl: 'url：denglu 画的二维码，带 logo',
    qrModeWxacode: 'wxacode：微信生成的小程序码', qrLifetime: '二维码有效期（秒，30–600）',
    callbackUrl: '回调地址', callbackHint: '登录后浏览器跳转的地址（?code=200&data=…）。留空：由页面自己处理。',
    scanner: '扫码小程序', scannerDeployment: 'deployment：部署的扫码小程序', scannerPool: 'pool：本用户池自己的小程序（角色 qr_login）',
    scannerNow: '现在为本用户池服务的：{what}', scannerIsDeployment: '部署的扫码小程序（设置中的 [scanner]）',
    scannerIsApp: '小程序 {appid}（{name}）', scannerMissing: '本用户池没有角色为 qr_login 的小程序：二维码无法被扫描',
    logoTitle: 'Logo', logoHint: '不超过 512 KiB 的 PNG 或 JPEG；画在 url 模式二维码的中间。',
    logoNone: '没有 logo：二维码不带 logo。', logoUpload: '上传 logo', logoRemove: '删除 logo',
    preview: '二维码预览', previewHint: '本用户池 url 模式二维码现在的样子。',
    appLaunchTitle: 'App 拉起登录', ticketLifetime: '票据有效期（秒，30–600）',
    requireSecret: '换取票据需要用户池密钥（请保持开启）', requirePkce: '每个票据必须绑定 code challenge（PKCE）',
    logoAlt: '用户池的 logo', previewAlt: '本用户池的二维码示例',
  },
});

/** The login settings page. */
export async function render({ pool, redraw }) {
  const path = `/pools/${seg(pool.id)}`;
  const [qr, appLogin, { apps }] = await Promise.all([
    get(`${path}/qr-settings`), get(`${path}/app-login-settings`), get(`${path}/apps`)]);
  return h('div', {},
    h('div', { class: 'page-head' }, h('h1', {}, t('loginTitle'))),
    qrCard(path, qr, apps, redraw),
    logoCard(path),
    appLaunchCard(path, appLogin, redraw));
}

function qrCard(path, qr, apps, redraw) {
  const own = apps.find((app) => app.kind === 'mini_program' && app.roles.includes('qr_login'));
  const serving = qr.scanner === 'pool'
    ? (own ? t('scannerIsApp', { appid: own.appid, name: own.name || '—' }) : t('scannerMissing'))
    : t('scannerIsDeployment');
  return card(t('qrTitle'), form([
    field(t('qrMode'), select([['url', t('qrModeUrl')], ['wxacode', t('qrModeWxacode')]], qr.mode), { name: 'mode' }),
    field(t('qrLifetime'), input({ inputmode: 'numeric', value: String(qr.lifetimeSeconds) }), { name: 'lifetimeSeconds' }),
    field(t('callbackUrl'), input({ type: 'url', value: qr.callbackUrl || '', placeholder: 'https://www.example.com/callback' }),
      { name: 'callbackUrl', hint: t('callbackHint') }),
    field(t('scanner'), select([['deployment', t('scannerDeployment')], ['pool', t('scannerPool')]], qr.scanner),
      { name: 'scanner' }),
    h('p', { class: 'hint', id: 'scanner-serving' }, t('scannerNow', { what: serving })),
  ], {
    submit: (f) => patch(`${path}/qr-settings`, {
      mode: valueOf(f, 'mode'),
      lifetimeSeconds: numberOf(f, 'lifetimeSeconds'),
      callbackUrl: valueOf(f, 'callbackUrl', { emptyIsNull: true }),
      scanner: valueOf(f, 'scanner'),
    }),
    done: redraw,
  }));
}

function logoCard(path) {
  const logo = h('img', { id: 'logo', class: 'logo', alt: t('logoAlt'), width: '96', height: '96' });
  const noLogo = h('p', { class: 'muted', id: 'logo-none' }, t('logoNone'));
  const preview = h('img', { id: 'qr-preview', alt: t('previewAlt'), width: '200', height: '200' });
  const error = h('p', { class: 'error', role: 'alert', id: 'logo-error' });
  const file = h('input', { type: 'file', id: 'logo-file', accept: 'image/png,image/jpeg' });
  let shown = null;
  let version = 0;
  const refresh = async () => {
    version += 1;
    preview.src = `/api/v1/admin${path}/qr-preview?v=${version}`;
    try {
      const blob = await api('GET', `${path}/logo`, undefined, { blob: true });
      if (shown) URL.revokeObjectURL(shown);
      shown = URL.createObjectURL(blob);
      logo.src = shown;
      logo.hidden = false;
      noLogo.hidden = true;
    } catch (failure) {
      if (!(failure instanceof ApiError && failure.status === 404)) error.textContent = messageOf(failure);
      logo.hidden = true;
      noLogo.hidden = false;
    }
  };
  const change = async (call) => {
    error.textContent = '';
    try {
      await call();
    } catch (failure) {
      error.textContent = messageOf(failure);
    }
    file.value = '';
    await refresh();
  };
  file.addEventListener('change', () => {
    if (file.files.length) change(() => put(`${path}/logo`, file.files[0]));
  });
  refresh();
  return card(t('logoTitle'),
    h('div', { class: 'preview' },
      h('div', {}, logo, noLogo,
        h('div', { class: 'field' }, h('label', { for: 'logo-file' }, t('logoUpload')), file,
          h('small', { class: 'hint' }, t('logoHint'))),
        error,
        h('button', { type: 'button', class: 'secondary', id: 'logo-remove', onclick: () => change(() => del(`${path}/logo`)) },
          t('logoRemove'))),
      h('figure', {}, preview, h('figcaption', { class: 'hint' }, t('previewHint')))));
}

function appLaunchCard(path, settings, redraw) {
  return card(t('appLaunchTitle'), form([
    field(t('ticketLifetime'), input({ inputmode: 'numeric', value: String(settings.ticketLifetimeSeconds) }),
      { name: 'ticketLifetimeSeconds' }),
    checkbox(t('requireSecret'), settings.requireSecret, 'requireSecret'),
    checkbox(t('requirePkce'), settings.requirePkce, 'requirePkce'),
  ], {
    submit: (f) => patch(`${path}/app-login-settings`, {
      ticketLifetimeSeconds: numberOf(f, 'ticketLifetimeSeconds'),
      requireSecret: valueOf(f, 'requireSecret'),
      requirePkce: valueOf(f, 'requirePkce'),
    }),
    done: redraw,
  }));
}
