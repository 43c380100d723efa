// A pool's users: the search (linkable: its values live in the hash query) with cursor paging, and one user's whole
// record: profile, WeChat identities, metadata, latest events, and what an operator may do to them.

import { ApiError, del, get, patch, post, put, query as queryString, seg } from '../api.js';
import {
  card, confirmAction, facts, field, form, h, input, messageOf, pager, select, showError, table, valueOf,
} from '../dom.js';
import { t, when, words } from '../i18n.js';

words({
  en: {
    'users.title': 'Users', 'users.search': 'Search',
    'users.searchTerm': 'Username, e-mail, phone, nickname, openid or unionid', 'users.matchPrefix': 'Starts with',
    'users.matchExact': 'Exactly', 'users.matching': 'Match', 'users.blockedFilter': 'Blocked', 'users.any': 'Any',
    'users.user': 'User', 'users.nickname': 'Nickname', 'users.phone': 'Phone', 'users.email': 'E-mail',
    'users.registerMethod': 'Signed up with', 'users.status': 'Status', 'users.blocked': 'Blocked',
    'users.active': 'Active', 'users.signedUp': 'Signed up', 'users.noUsers': 'No users match.',
    'users.noUsersYet': 'No users yet.', 'users.nextPage': 'Next page', 'users.firstPage': 'First page',
    'users.methodPassword': 'Password', 'users.methodWxapp': 'Mini program', 'users.methodApp': 'App launch',
    'users.userId': 'User id', 'users.username': 'Username', 'users.unionid': 'UnionID', 'users.openid': 'OpenID',
    'users.lastLogin': 'Last login', 'users.loginsCount': 'Logins', 'users.lastIp': 'Last IP address',
    'users.registerInClient': 'Signed up in', 'users.verified': 'verified', 'users.profile': 'Profile',
    'users.changeProfile': 'Change the profile', 'users.photo': 'Photo URL',
    'users.photoHint': 'An absolute http(s) URL; empty removes it.',
    'users.nicknameHint': 'At most 100 characters; empty removes it.', 'users.identities': 'WeChat identities',
    'users.appid': 'AppID', 'users.linked': 'Linked', 'users.noIdentities': 'No WeChat identities.',
    'users.metadata': 'Metadata',
    'users.metadataHint': 'Keys of 1 to 64 characters, values of at most 1024; at most 50 keys.',
    'users.noMetadata': 'No metadata yet.', 'users.key': 'Key', 'users.value': 'Value', 'users.remove': 'Remove',
    'users.addKey': 'Add the key', 'users.recentEvents': 'Recent events', 'users.kind': 'Event',
    'users.result': 'Result', 'users.time': 'Time', 'users.ip': 'IP address', 'users.ok': 'OK',
    'users.noEvents': 'No events yet.', 'users.allUserEvents': "All of this user's events", 'users.block': 'Block',
    'users.unblock': 'Unblock', 'users.logoutEverywhere': 'Log out everywhere', 'users.deleteUser': 'Delete the user',
    'users.logoutConfirm': 'Log {name} out everywhere? Every token issued until now stops working.',
    'users.deleteConfirm':
      'Delete {name} for good: the record, WeChat identities, metadata and avatars. This cannot be undone.',
    'users.blockedNote': 'Blocked: every token is refused and logins fail.',
  },
  zh: {
    'users.title': '用户', 'users.search': '搜索', 'users.searchTerm': '用户名、邮箱、手机号、昵称、openid 或 unionid',
    'users.matchPrefix': '开头匹配', 'users.matchExact': '完全匹配', 'users.matching': '匹配方式', 'users.blockedFilter': '已封禁',
    'users.any': '全部', 'users.user': '用户', 'users.nickname': '昵称', 'users.phone': '手机号', 'users.email': '邮箱',
    'users.registerMethod': '注册方式', 'users.status': '状态', 'users.blocked': '已封禁', 'users.active': '正常',
    'users.signedUp': '注册时间', 'users.noUsers': '没有匹配的用户。', 'users.noUsersYet': '还没有用户。', 'users.nextPage': '下一页',
    'users.firstPage': '第一页', 'users.methodPassword': '密码', 'users.methodWxapp': '小程序', 'users.methodApp': 'App 拉起',
    'users.userId': '用户 ID', 'users.username': '用户名', 'users.unionid': 'UnionID', 'users.openid': 'OpenID',
    'users.lastLogin': '上次登录', 'users.loginsCount': '登录次数', 'users.lastIp': '上次登录 IP',
    'users.registerInClient': '注册于', 'users.verified': '已验证', 'users.profile': '资料', 'users.changeProfile': '修改资料',
    'users.photo': '头像 URL', 'users.photoHint': '完整的 http(s) 地址；留空则删除。', 'users.nicknameHint': '最多 100 个字符；留空则删除。',
    'users.identities': '微信身份', 'users.appid': 'AppID', 'users.linked': '绑定时间', 'users.noIdentities': '没有微信身份。',
    'users.metadata': '自定义数据', 'users.metadataHint': '键 1 到 64 个字符，值最多 1024 个字符；最多 50 个键。',
    'users.noMetadata': '还没有自定义数据。', 'users.key': '键', 'users.value': '值', 'users.remove': '删除', 'users.addKey': '添加',
    'users.recentEvents': '最近事件', 'users.kind': '事件', 'users.result': '结果', 'users.time': '时间', 'users.ip': 'IP 地址',
    'users.ok': '成功', 'users.noEvents': '还没有事件。', 'users.allUserEvents': '该用户的全部事件', 'users.block': '封禁',
    'users.unblock': '解除封禁', 'users.logoutEverywhere': '全部下线', 'users.deleteUser': '删除用户',
    'users.logoutConfirm': '让 {name} 在所有地方下线？此前签发的令牌全部失效。',
    'users.deleteConfirm': '永久删除 {name}：用户记录、微信身份、自定义数据和头像。此操作无法撤销。', 'users.blockedNote': '已封禁：所有令牌都被拒绝，无法登录。',
  },
});

/** The users list's path with these search values. */
const listPath = (pool, values = {}) => `/pools/${seg(pool)}/users${queryString(values)}`;

/** A user's page. */
const userPath = (pool, id) => `/pools/${seg(pool)}/users/${seg(id)}`;

/** The name a user is shown by. */
export const displayName = (user) => user.username || user.nickname || user.email || user.phone || user._id;

/** A register method as operators read it. */
function methodLabel(method) {
  const known = {
    'default:username-password': 'users.methodPassword',
    'oauth:wxapp': 'users.methodWxapp',
    'oauth:app2wxapp': 'users.methodApp',
  };
  return known[method] ? t(known[method]) : method;
}

const blockedBadge = (user) => (user.blocked
  ? h('span', { class: 'badge bad' }, t('users.blocked'))
  : h('span', { class: 'badge good' }, t('users.active')));

/** The users page: the search form, a page of users, and the pager. */
export async function list({ ids: [pool], query, navigate }) {
  const values = {
    q: query.get('q') || '',
    match: query.get('match') === 'exact' ? 'exact' : 'prefix',
    blocked: ['true', 'false'].includes(query.get('blocked')) ? query.get('blocked') : '',
  };
  const cursor = query.get('cursor') || '';
  // The search as the hash query has it: `match` only when it is not the default.
  const link = { q: values.q, match: values.q && values.match === 'exact' ? 'exact' : '', blocked: values.blocked };
  const search = searchForm(pool, values, navigate);
  let page = { users: [], nextCursor: null };
  try {
    page = await get(`/pools/${seg(pool)}/users${queryString({
      q: values.q, match: values.q ? values.match : '', blocked: values.blocked, cursor,
    })}`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) throw error;
    showError(search, error);
  }
  const filtered = Boolean(values.q || values.blocked);
  let results;
  if (page.users.length) {
    results = table([
      [t('users.user'), (user) => h('a', { href: `#${userPath(pool, user._id)}` }, displayName(user))],
      [t('users.nickname'), (user) => user.nickname || '—'],
      [t('users.phone'), (user) => user.phone || '—'],
      [t('users.email'), (user) => user.email || '—'],
      [t('users.registerMethod'), (user) => methodLabel(user.registerMethod)],
      [t('users.status'), blockedBadge],
      [t('users.signedUp'), (user) => when(user.signedUp)],
    ], page.users);
    results.querySelector('table').id = 'users-table';
  } else {
    results = h('p', { class: 'muted', id: 'users-empty' },
      filtered || cursor ? t('users.noUsers') : t('users.noUsersYet'));
  }
  const pages = pager('users', {
    cursor,
    nextCursor: page.nextCursor,
    go: (next) => navigate(listPath(pool, { ...link, cursor: next })),
    firstLabel: t('users.firstPage'),
    nextLabel: t('users.nextPage'),
  });
  return h('div', {},
    h('div', { class: 'page-head' }, h('h1', {}, t('users.title'))),
    card(null, search),
    card(null, results, pages));
}

/** The search form: its values go into the hash query, so that a search is a link. */
function searchForm(pool, values, navigate) {
  const element = h('form', { id: 'user-search', class: 'filters', novalidate: true, role: 'search' },
    field(t('users.search'), input({ type: 'search', value: values.q, placeholder: t('users.searchTerm') }),
      { name: 'q' }),
    field(t('users.matching'),
      select([['prefix', t('users.matchPrefix')], ['exact', t('users.matchExact')]], values.match),
      { name: 'match' }),
    field(t('users.blockedFilter'),
      select([['', t('users.any')], ['true', t('yes')], ['false', t('no')]], values.blocked),
      { name: 'blocked' }),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('users.search'))),
    h('p', { class: 'error form-error', role: 'alert' }));
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = valueOf(element, 'q');
    navigate(listPath(pool, {
      q, match: q && valueOf(element, 'match') === 'exact' ? 'exact' : '', blocked: valueOf(element, 'blocked'),
    }));
  });
  return element;
}

/** One user's page. */
export async function detail({ ids: [pool, id], whoami, navigate, redraw }) {
  const record = await get(userPath(pool, id));
  const { user } = record;
  const name = displayName(user);
  const base = userPath(pool, user._id);
  const writable = whoami.write;
  return h('div', {},
    h('div', { class: 'page-head' },
      h('h1', {}, name),
      user.blocked ? h('span', { class: 'badge bad', id: 'user-blocked' }, t('users.blocked')) : null),
    writable ? actions(pool, user, base, navigate, redraw) : h('p', { class: 'muted' }, t('readOnly')),
    card(t('users.profile'), profileFacts(user)),
    writable ? card(t('users.changeProfile'), profileForm(user, base, redraw)) : null,
    card(t('users.identities'), table([
      [t('users.appid'), (identity) => h('code', {}, identity.appid)],
      [t('users.openid'), (identity) => h('code', {}, identity.openid)],
      [t('users.unionid'), (identity) => (identity.unionid ? h('code', {}, identity.unionid) : '—')],
      [t('users.linked'), (identity) => when(identity.createdAt)],
    ], record.identities, { empty: t('users.noIdentities') })),
    metadataEditor(record.metadata, base, writable, redraw),
    card(t('users.recentEvents'),
      table([
        [t('users.kind'), (event) => event.kind],
        [t('users.result'), resultBadge],
        [t('users.time'), (event) => when(event.at)],
        [t('users.ip'), (event) => event.ip || '—'],
      ], record.recentEvents, { empty: t('users.noEvents') }),
      h('p', {}, h('a', {
        id: 'user-events', href: `#/audit${queryString({ pool, user: user._id })}`,
      }, t('users.allUserEvents')))));
}

/** An audit event's result: ok, or its error code. */
export const resultBadge = (event) => (event.code === null || event.code === undefined
  ? h('span', { class: 'badge good' }, t('users.ok'))
  : h('span', { class: 'badge bad' }, String(event.code)));

function profileFacts(user) {
  const verified = (yes) => (yes ? [' ', h('span', { class: 'badge good' }, t('users.verified'))] : null);
  const code = (value) => (value ? h('code', {}, value) : '—');
  return facts([
    [t('users.userId'), code(user._id)],
    [t('users.username'), user.username || '—'],
    [t('users.nickname'), user.nickname || '—'],
    [t('users.phone'), user.phone ? [user.phone, verified(user.phoneVerified)] : '—'],
    [t('users.email'), user.email ? [user.email, verified(user.emailVerified)] : '—'],
    [t('users.unionid'), code(user.unionid)],
    [t('users.openid'), code(user.openid)],
    [t('users.registerMethod'), methodLabel(user.registerMethod)],
    [t('users.signedUp'), when(user.signedUp)],
    [t('users.lastLogin'), when(user.lastLogin)],
    [t('users.loginsCount'), String(user.loginsCount)],
    [t('users.lastIp'), user.lastIP || '—'],
    [t('users.blocked'), user.blocked ? h('span', { class: 'badge bad' }, t('yes')) : t('no')],
  ]);
}

function profileForm(user, base, redraw) {
  return form([
    field(t('users.nickname'), input({ value: user.nickname || '' }),
      { name: 'nickname', hint: t('users.nicknameHint') }),
    field(t('users.photo'), input({ type: 'url', value: user.photo || '' }),
      { name: 'photo', hint: t('users.photoHint') }),
  ], {
    submit: (element) => patch(base, { nickname: valueOf(element, 'nickname'), photo: valueOf(element, 'photo') }),
    done: () => redraw(),
  });
}

/** The metadata: each key's value editable and removable, and a row that adds a key. */
function metadataEditor(metadata, base, writable, redraw) {
  const entries = Object.entries(metadata);
  const keyPath = (key) => `${base}/metadata/${seg(key)}`;
  if (!writable) {
    return h('section', { class: 'card', id: 'metadata' }, h('h2', {}, t('users.metadata')),
      entries.length
        ? facts(entries.map(([key, value]) => [h('code', {}, key), value]))
        : h('p', { class: 'muted' }, t('users.noMetadata')));
  }
  const rows = entries.map(([key, value], index) => {
    const row = form([
      field(key, input({ id: `meta-value-${index}`, value }), { name: 'value' }),
    ], {
      submit: (element) => put(keyPath(key), { value: element.elements.namedItem('value').value }),
      done: () => redraw(),
    });
    row.classList.add('meta-row');
    row.dataset.key = key;
    const remove = h('button', { type: 'button', class: 'secondary meta-remove' }, t('users.remove'));
    remove.addEventListener('click', async () => {
      remove.disabled = true;
      try {
        await del(keyPath(key));
        await redraw();
      } catch (error) {
        showError(row, error);
        remove.disabled = false;
      }
    });
    row.querySelector('.actions').append(remove);
    return row;
  });
  const add = form([
    field(t('users.key'), input({ id: 'meta-new-key' }), { name: 'key' }),
    field(t('users.value'), input({ id: 'meta-new-value' }), { name: 'value' }),
  ], {
    submitLabel: t('users.addKey'),
    submit: (element) => put(keyPath(element.elements.namedItem('key').value),
      { value: element.elements.namedItem('value').value }),
    done: () => redraw(),
  });
  add.classList.add('meta-row', 'meta-add');
  add.id = 'metadata-add';
  return h('section', { class: 'card', id: 'metadata' },
    h('h2', {}, t('users.metadata')),
    h('p', { class: 'hint' }, t('users.metadataHint')),
    rows.length ? rows : h('p', { class: 'muted' }, t('users.noMetadata')),
    add);
}

/** Block or unblock, log out everywhere, delete: each says what went wrong next to the buttons. */
function actions(pool, user, base, navigate, redraw) {
  const message = h('p', { class: 'error', role: 'alert', id: 'user-action-error' });
  const run = (button, work) => async () => {
    message.textContent = '';
    button.disabled = true;
    try {
      await work();
    } catch (error) {
      message.textContent = messageOf(error);
    } finally {
      button.disabled = false;
    }
  };
  const name = displayName(user);
  const blockButton = user.blocked
    ? h('button', { type: 'button', class: 'secondary', id: 'user-unblock' }, t('users.unblock'))
    : h('button', { type: 'button', class: 'secondary', id: 'user-block' }, t('users.block'));
  blockButton.addEventListener('click', run(blockButton, async () => {
    await post(`${base}/${user.blocked ? 'unblock' : 'block'}`);
    await redraw();
  }));
  const logout = h('button', { type: 'button', class: 'secondary', id: 'user-logout' }, t('users.logoutEverywhere'));
  logout.addEventListener('click', run(logout, async () => {
    if (!(await confirmAction(t('users.logoutConfirm', { name }), { okLabel: t('users.logoutEverywhere') }))) return;
    await post(`${base}/logout`);
    await redraw();
  }));
  const remove = h('button', { type: 'button', class: 'danger', id: 'user-delete' }, t('users.deleteUser'));
  remove.addEventListener('click', run(remove, async () => {
    const typed = user.username || user._id;
    if (!(await confirmAction(t('users.deleteConfirm', { name }), { typed, okLabel: t('users.deleteUser') }))) return;
    await del(base);
    navigate(listPath(pool));
  }));
  return h('section', { class: 'card user-actions' },
    user.blocked ? h('p', { class: 'muted' }, t('users.blockedNote')) : null,
    h('div', { class: 'actions' }, blockButton, logout, remove),
    message);
}
