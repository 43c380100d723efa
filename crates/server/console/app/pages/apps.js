// The WeChat apps page: the pool's mini programs and mobile apps, each with what it serves, whether its AppSecret
// is stored, its QR code pages, a form that changes it, a test of its AppSecret with WeChat and its removal; and a
// form that adds one. AppSecrets are written, never shown back.

import { del, get, patch, post, seg } from '../api.js';
import { card, confirmAction, facts, field, fill, form, h, input, messageOf, select, valueOf } from '../dom.js';
import { t, when, words } from '../i18n.js';

words({
  en: {
    appsTitle: 'WeChat apps',
    appsIntro: 'The mini programs that log users in for this pool, and the mobile apps that launch them. '
      + 'For each login, the first mini program added with its role serves it; a pool without one uses the '
      + 'deployment\'s scanner.',
    appsNone: 'No WeChat apps yet: this pool\'s logins go through the deployment\'s scanner mini program.',
    appsAppid: 'AppID', appsKind: 'Kind', appsName: 'Name', appsRoles: 'Roles', appsSecret: 'AppSecret',
    appsLinkPrefix: 'Link prefix', appsConfirmPage: 'Confirm page', appsAdded: 'Added', appsChanged: 'Changed',
    appsMiniProgram: 'Mini program', appsMobileApp: 'Mobile app',
    appsRoleQr: 'qr_login: opens the pool\'s QR codes',
    appsRoleLaunch: 'app_launch: the mini program apps launch',
    appsRoleSdk: 'sdk: logins through the mini program SDK',
    appsNoRole: 'No role: it serves no login.', appsMobileRoles: 'None: a mobile app launches the mini program.',
    appsSecretStored: 'Stored', appsSecretMissing: 'Not stored',
    appsDeployments: 'The deployment\'s', appsAdd: 'Add a WeChat app', appsAddButton: 'Add the app',
    appsSecretHint: 'From the mini program\'s admin console, 开发管理 → 开发设置. It is kept sealed and never shown again.',
    appsNewSecret: 'New AppSecret', appsNewSecretHint: 'Leave empty to keep the stored one.',
    appsLinkPrefixHint: 'The prefix registered in WeChat for url-mode QR codes. Empty: the deployment\'s.',
    appsConfirmPageHint: 'The page wxacode-mode QR codes open, such as pages/confirm/index. Empty: the deployment\'s.',
    appsNameHint: 'For people; the AppID when empty.',
    appsCheckNow: 'Check the AppSecret with WeChat now',
    appsCheckNowHint: 'One call to WeChat; off saves the AppSecret untested.',
    appsCheck: 'Check the AppSecret', appsChecking: 'Asking WeChat…', appsCheckOk: 'WeChat accepted the AppSecret.',
    appsRemove: 'Remove', appsEdit: 'Change this app',
    appsRemoveConfirm: 'Remove {name} ({appid}) from the pool? Its users keep their accounts and WeChat identities: '
      + 'they log in again through another app of the pool with the same unionid.',
  },
  zh: {
    appsTitle: '微信应用',
    appsIntro: '为本用户池登录用户的小程序，以及拉起小程序的移动应用。每种登录由最先添加、具有该角色的小程序提供；'
      + '没有的用户池使用部署的扫码小程序。',
    appsNone: '还没有微信应用：本用户池的登录经由部署的扫码小程序。',
    appsAppid: 'AppID', appsKind: '类型', appsName: '名称', appsRoles: '角色', appsSecret: 'AppSecret',
    appsLinkPrefix: '链接前缀', appsConfirmPage: '确认页面', appsAdded: '添加时间', appsChanged: '修改时间',
    appsMiniProgram: '小程序', appsMobileApp: '移动应用',
    appsRoleQr: 'qr_login：打开用户池的二维码',
    appsRoleLaunch: 'app_launch：移动应用拉起的小程序',
    appsRoleSdk: 'sdk：通过小程序 SDK 登录',
    appsNoRole: '没有角色：不提供任何登录。', appsMobileRoles: '无：移动应用负责拉起小程序。',
    appsSecretStored: '已保存', appsSecretMissing: '未保存',
    appsDeployments: '使用部署的设置', appsAdd: '添加微信应用', appsAddButton: '添加应用',
    appsSecretHint: '在小程序管理后台的“开发管理 → 开发设置”中获取。加密保存，不会再显示。',
    appsNewSecret: '新的 AppSecret', appsNewSecretHint: '留空则保留已保存的。',
    appsLinkPrefixHint: '在微信中为 url 模式二维码登记的链接前缀。留空：使用部署的。',
    appsConfirmPageHint: 'wxacode 模式二维码打开的页面，例如 pages/confirm/index。留空：使用部署的。',
    appsNameHint: '给人看的名称；留空则为 AppID。',
    appsCheckNow: '现在向微信校验 AppSecret',
    appsCheckNowHint: '调用一次微信接口；关闭则不经校验直接保存。',
    appsCheck: '校验 AppSecret', appsChecking: '正在询问微信…', appsCheckOk: '微信接受了该 AppSecret。',
    appsRemove: '移除', appsEdit: '修改此应用',
    appsRemoveConfirm: '从用户池移除 {name}（{appid}）？其用户保留账号和微信身份：'
      + '他们可以通过用户池中 unionid 相同的其他应用再次登录。',
  },
});

const ROLES = [['qr_login', 'appsRoleQr'], ['app_launch', 'appsRoleLaunch'], ['sdk', 'appsRoleSdk']];

/** Where the server's messages about a WeChat app belong (they name fields in words): a pattern and the field. */
const MESSAGE_FIELDS = [
  [/AppSecret/, 'secret'], [/AppID|\(4602\)/, 'appid'], [/app name/, 'name'], [/\brole/, 'roles'],
  [/link prefix/, 'linkPrefix'], [/confirm page/, 'confirmPage'], [/app kind/, 'kind'],
];

/** Checkboxes of the roles, as one field `roles`. */
function roleChoices(chosen) {
  return h('fieldset', { class: 'field choices', dataset: { field: 'roles' } },
    h('legend', {}, t('appsRoles')),
    ROLES.map(([value, key]) => h('label', {},
      h('input', { type: 'checkbox', name: 'roles', value, checked: chosen.includes(value) }), ' ', t(key))),
    h('p', { class: 'error', role: 'alert' }));
}

const chosenRoles = (element) => [...element.querySelectorAll('input[name="roles"]:checked')].map((box) => box.value);

const kindLabel = (kind) => (kind === 'mobile_app' ? t('appsMobileApp') : t('appsMiniProgram'));

/** The WeChat apps page. */
export async function render({ pool, whoami, redraw }) {
  const base = `/pools/${seg(pool.id)}/apps`;
  const { apps } = await get(base);
  return h('div', {},
    h('div', { class: 'page-head' }, h('h1', {}, t('appsTitle'))),
    h('p', { class: 'muted' }, t('appsIntro')),
    apps.length
      ? apps.map((app) => appCard(base, app, whoami.write, redraw))
      : card(null, h('p', { class: 'muted', id: 'apps-none' }, t('appsNone'))),
    card(t('appsAdd'), whoami.write ? addForm(base, redraw) : h('p', { class: 'muted' }, t('readOnly'))));
}

/** What the page says about an app. */
function appFacts(app) {
  const mini = app.kind === 'mini_program';
  const roles = mini
    ? (app.roles.length
      ? h('span', { class: 'apps-roles' }, app.roles.map((role) => h('code', { class: 'badge' }, role)))
      : h('span', { class: 'muted' }, t('appsNoRole')))
    : h('span', { class: 'muted' }, t('appsMobileRoles'));
  const orDeployment = (value) => (value ? h('code', {}, value) : h('span', { class: 'muted' }, t('appsDeployments')));
  return facts([
    [t('appsAppid'), h('code', {}, app.appid)],
    [t('appsKind'), kindLabel(app.kind)],
    [t('appsRoles'), roles],
    [t('appsSecret'), app.secretSet
      ? h('span', { class: 'badge good' }, t('appsSecretStored'))
      : h('span', { class: mini ? 'badge bad' : 'badge' }, t('appsSecretMissing'))],
    [t('appsLinkPrefix'), orDeployment(app.linkPrefix)],
    [t('appsConfirmPage'), orDeployment(app.confirmPage)],
    [t('appsAdded'), when(app.createdAt)],
    [t('appsChanged'), when(app.updatedAt)],
  ]);
}

/** An app: its facts, the AppSecret test, removal and the form that changes it. */
function appCard(base, app, writable, redraw) {
  const path = `${base}/${seg(app.appid)}`;
  const mini = app.kind === 'mini_program';
  const title = h('h2', {}, app.name);
  const about = h('div', {}, appFacts(app));
  const result = h('p', { class: 'app-check-result', role: 'status' });
  const say = (text, good) => {
    result.textContent = text;
    result.className = `app-check-result ${good ? 'good' : 'bad'}`;
  };

  const check = mini ? h('button', {
    type: 'button',
    class: 'secondary app-check',
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      say(t('appsChecking'), true);
      try {
        await post(`${path}/check`);
        say(t('appsCheckOk'), true);
      } catch (error) {
        say(messageOf(error), false);
      } finally {
        button.disabled = false;
      }
    },
  }, t('appsCheck')) : null;

  const remove = writable ? h('button', {
    type: 'button',
    class: 'danger app-remove',
    onclick: async () => {
      const question = t('appsRemoveConfirm', { name: title.textContent, appid: app.appid });
      if (!await confirmAction(question, { okLabel: t('appsRemove') })) return;
      try {
        await del(path);
        await redraw();
      } catch (error) {
        say(messageOf(error), false);
      }
    },
  }, t('appsRemove')) : null;

  const edit = writable ? editForm(path, app, (changed) => {
    title.textContent = changed.name;
    fill(about, appFacts(changed));
  }) : null;

  return h('section', { class: 'card app', dataset: { appid: app.appid } },
    h('div', { class: 'apps-head' }, title, h('span', { class: 'badge' }, kindLabel(app.kind))),
    about,
    h('div', { class: 'actions' }, check, remove),
    result,
    edit ? h('details', { class: 'app-edit' }, h('summary', {}, t('appsEdit')), edit) : null);
}

/** The form that changes an app; `changed(app)` shows the app as saved. */
function editForm(path, app, changed) {
  const mini = app.kind === 'mini_program';
  const id = (name) => `app-${app.appid}-${name}`;
  const element = form([
    field(t('appsName'), input({ id: id('name'), value: app.name }), { name: 'name' }),
    mini ? roleChoices(app.roles) : null,
    mini ? field(t('appsNewSecret'),
      input({ id: id('secret'), type: 'password', autocomplete: 'new-password', value: '' }),
      { name: 'secret', hint: t('appsNewSecretHint') }) : null,
    field(t('appsLinkPrefix'), input({ id: id('link'), value: app.linkPrefix || '', placeholder: 'https://' }),
      { name: 'linkPrefix', hint: t('appsLinkPrefixHint') }),
    field(t('appsConfirmPage'), input({ id: id('page'), value: app.confirmPage || '' }),
      { name: 'confirmPage', hint: t('appsConfirmPageHint') }),
  ], {
    words: MESSAGE_FIELDS,
    submit: (f) => {
      const secret = mini ? valueOf(f, 'secret', { emptyIsNull: true }) : null;
      return patch(path, {
        name: valueOf(f, 'name'),
        roles: mini ? chosenRoles(f) : undefined,
        secret: secret ?? undefined,
        linkPrefix: valueOf(f, 'linkPrefix', { emptyIsNull: true }),
        confirmPage: valueOf(f, 'confirmPage', { emptyIsNull: true }),
      });
    },
    done: (saved) => {
      if (mini) element.elements.namedItem('secret').value = '';
      changed(saved);
    },
  });
  element.classList.add('app-edit-form');
  return element;
}

/** The form that adds an app; a mobile app's form has no roles, AppSecret or test. */
function addForm(base, redraw) {
  const kind = select([['mini_program', t('appsMiniProgram')], ['mobile_app', t('appsMobileApp')]], 'mini_program',
    { id: 'app-add-kind' });
  const miniOnly = h('div', { class: 'apps-mini-only' },
    roleChoices([]),
    field(t('appsSecret'), input({ id: 'app-add-secret', type: 'password', autocomplete: 'new-password', value: '' }),
      { name: 'secret', hint: t('appsSecretHint') }),
    h('div', { class: 'field check', dataset: { field: 'check' } },
      h('label', {},
        h('input', { type: 'checkbox', name: 'check', id: 'app-add-check', checked: true }), ' ', t('appsCheckNow')),
      h('small', { class: 'hint' }, t('appsCheckNowHint')),
      h('p', { class: 'error', role: 'alert' })));
  kind.addEventListener('change', () => { miniOnly.hidden = kind.value !== 'mini_program'; });
  const element = form([
    field(t('appsKind'), kind, { name: 'kind' }),
    field(t('appsAppid'), input({ id: 'app-add-appid', value: '', placeholder: 'wx…', spellcheck: 'false' }),
      { name: 'appid' }),
    field(t('appsName'), input({ id: 'app-add-name', value: '' }), { name: 'name', hint: t('appsNameHint') }),
    miniOnly,
    field(t('appsLinkPrefix'), input({ id: 'app-add-link', value: '', placeholder: 'https://' }),
      { name: 'linkPrefix', hint: t('appsLinkPrefixHint') }),
    field(t('appsConfirmPage'), input({ id: 'app-add-page', value: '' }),
      { name: 'confirmPage', hint: t('appsConfirmPageHint') }),
  ], {
    submitLabel: t('appsAddButton'),
    words: MESSAGE_FIELDS,
    submit: (f) => {
      const mini = valueOf(f, 'kind') === 'mini_program';
      return post(base, {
        appid: valueOf(f, 'appid'),
        kind: valueOf(f, 'kind'),
        name: valueOf(f, 'name', { emptyIsNull: true }) ?? undefined,
        roles: mini ? chosenRoles(f) : [],
        secret: mini ? valueOf(f, 'secret', { emptyIsNull: true }) : null,
        linkPrefix: valueOf(f, 'linkPrefix', { emptyIsNull: true }),
        confirmPage: valueOf(f, 'confirmPage', { emptyIsNull: true }),
        check: mini ? valueOf(f, 'check') : false,
      });
    },
    done: () => redraw(),
  });
  element.id = 'app-add';
  return element;
}
