// The deployment's people and machines, for owners: operator accounts (made with a one-time setup link, reset,
// deleted) and admin API tokens (made with their secret shown once, revoked).

import { del, get, post, seg } from '../api.js';
import {
  card, checkbox, confirmAction, field, fill, form, h, input, messageOf, numberOf, secretBox, table, valueOf,
} from '../dom.js';
import { t, when, words } from '../i18n.js';

words({
  en: {
    'operators.title': 'Operators and tokens', 'operators.accounts': 'Operator accounts',
    'operators.accountsHint': 'People who sign in to this console. An owner administers every pool; a pool admin only the pools named.',
    'operators.name': 'Name', 'operators.scope': 'Pools', 'operators.owner': 'owner: every pool',
    'operators.state': 'State', 'operators.setUp': 'set up', 'operators.settingUp': 'setting up until {time}',
    'operators.add': 'New operator', 'operators.nameHint': '1–64 of a–z, 0–9, “.”, “_”, “-”.',
    'operators.poolsHint': 'Pool ids separated by spaces; empty: an owner.', 'operators.create': 'Make the operator',
    'operators.link': 'Setup link for {name}', 'operators.linkHint': 'It works once, for three days: send it to {name} over a channel you trust.',
    'operators.reset': 'Reset', 'operators.resetConfirm': 'Reset {name}? Their password, authenticator, recovery codes and sessions are cleared, and a new setup link is made.',
    'operators.remove': 'Delete', 'operators.removeConfirm': 'Delete operator {name}? Their sessions end at once.',
    'operators.tokens': 'Admin API tokens', 'operators.tokensHint': 'For scripts and automation: sent as “Authorization: Bearer …”.',
    'operators.write': 'May change things', 'operators.readOnly': 'read-only', 'operators.readWrite': 'read and write',
    'operators.expires': 'Expires', 'operators.revoked': 'Revoked', 'operators.days': 'Valid for (days, 1–3650)',
    'operators.newToken': 'New token', 'operators.tokenName': 'What it is for', 'operators.createToken': 'Make the token',
    'operators.tokenSecret': 'Token secret', 'operators.revoke': 'Revoke',
    'operators.revokeConfirm': 'Revoke token {name}? Requests with it are refused from now on.',
  },
  zh: {
    'operators.title': '管理员与令牌', 'operators.accounts': '管理员账号',
    'operators.accountsHint': '登录本控制台的人。所有者管理所有用户池；用户池管理员只管理指定的用户池。',
    'operators.name': '名字', 'operators.scope': '用户池', 'operators.owner': '所有者：全部用户池',
    'operators.state': '状态', 'operators.setUp': '已设置', 'operators.settingUp': '设置中，链接有效至 {time}',
    'operators.add': '新建管理员', 'operators.nameHint': '1–64 个字符：a–z、0–9、“.”、“_”、“-”。',
    'operators.poolsHint': '用户池 ID，以空格分隔；留空：所有者。', 'operators.create': '创建管理员',
    'operators.link': '{name} 的设置链接', 'operators.linkHint': '只能使用一次，三天内有效：请通过可信的渠道发给 {name}。',
    'operators.reset': '重置', 'operators.resetConfirm': '重置 {name}？其密码、身份验证器、恢复码和会话都会被清除，并生成新的设置链接。',
    'operators.remove': '删除', 'operators.removeConfirm': '删除管理员 {name}？其会话立即结束。',
    'operators.tokens': '管理 API 令牌', 'operators.tokensHint': '供脚本和自动化使用：以 “Authorization: Bearer …” 发送。',
    'operators.write': '可以修改', 'operators.readOnly': '只读', 'operators.readWrite': '读写',
    'operators.expires': '过期时间', 'operators.revoked': '已吊销', 'operators.days': '有效期（天，1–3650）',
    'operators.newToken': '新建令牌', 'operators.tokenName': '用途', 'operators.createToken': '创建令牌',
    'operators.tokenSecret': '令牌密钥', 'operators.revoke': '吊销',
    'operators.revokeConfirm': '吊销令牌 {name}？此后使用它的请求都会被拒绝。',
  },
});

/** Pool ids typed into a field: `undefined` (the whole deployment) when there are none. */
function poolsOf(element) {
  const ids = valueOf(element, 'pools').split(/[\s,]+/).filter(Boolean);
  return ids.length ? ids : undefined;
}

const scope = (pools) => (pools ? pools.map((pool) => h('code', { class: 'badge' }, pool)) : t('operators.owner'));

/** The operators and tokens page (owners). */
export async function render({ redraw }) {
  const [{ operators }, { tokens }] = await Promise.all([get('/operators'), get('/tokens')]);
  return h('div', {},
    h('div', { class: 'page-head' }, h('h1', {}, t('operators.title'))),
    accounts(operators, redraw),
    adminTokens(tokens, redraw));
}

/** Runs `call` after the question; a refusal goes into `message`. */
function acting(message, question, call) {
  return async () => {
    message.textContent = '';
    if (!(await confirmAction(question))) return;
    try {
      await call();
    } catch (error) {
      message.textContent = messageOf(error);
    }
  };
}

function accounts(operators, redraw) {
  const message = h('p', { class: 'error', role: 'alert' });
  const link = h('div', { id: 'operator-link' });
  const list = h('div', { id: 'operators' });
  const showLink = async ({ operator, setupUrl }) => {
    fill(link,
      secretBox(t('operators.link', { name: operator.name }), setupUrl),
      h('p', { class: 'hint' }, t('operators.linkHint', { name: operator.name })));
    fill(list, operatorTable((await get('/operators')).operators));
  };
  const operatorTable = (rows) => table([
    [t('operators.name'), (operator) => operator.name],
    [t('operators.scope'), (operator) => scope(operator.pools)],
    [t('operators.state'), (operator) => (operator.setUp
      ? h('span', { class: 'badge good' }, t('operators.setUp'))
      : t('operators.settingUp', { time: when(operator.setupExpiresAt) }))],
    [t('created'), (operator) => when(operator.createdAt)],
    ['', (operator) => h('span', { class: 'actions', dataset: { operator: operator.name } },
      h('button', {
        type: 'button', class: 'secondary small operator-reset',
        onclick: acting(message, t('operators.resetConfirm', { name: operator.name }), async () => {
          await showLink(await post(`/operators/${seg(operator.id)}/reset`));
        }),
      }, t('operators.reset')),
      h('button', {
        type: 'button', class: 'danger small operator-delete',
        onclick: acting(message, t('operators.removeConfirm', { name: operator.name }), async () => {
          await del(`/operators/${seg(operator.id)}`);
          await redraw();
        }),
      }, t('operators.remove')))],
  ], rows);
  fill(list, operatorTable(operators));
  const add = form([
    field(t('operators.name'), input({ id: 'operator-name', autocapitalize: 'none', spellcheck: 'false' }),
      { name: 'name', hint: t('operators.nameHint') }),
    field(t('operators.scope'), input({ id: 'operator-pools', spellcheck: 'false' }),
      { name: 'pools', hint: t('operators.poolsHint') }),
  ], {
    submitLabel: t('operators.create'),
    submit: (element) => post('/operators', { name: valueOf(element, 'name'), pools: poolsOf(element) }),
    done: showLink,
  });
  add.id = 'operator-add';
  return [
    card(t('operators.accounts'), h('p', { class: 'hint' }, t('operators.accountsHint')), list, message, link),
    card(t('operators.add'), add),
  ];
}

function adminTokens(tokens, redraw) {
  const message = h('p', { class: 'error', role: 'alert' });
  const made = h('div', { id: 'token-made' });
  const list = h('div', { id: 'tokens' });
  const tokenTable = (rows) => table([
    [t('operators.tokenName'), (token) => token.name],
    [t('operators.scope'), (token) => scope(token.pools)],
    [t('operators.write'), (token) => (token.write ? t('operators.readWrite') : t('operators.readOnly'))],
    [t('operators.expires'), (token) => when(token.expiresAt)],
    [t('operators.revoked'), (token) => (token.revokedAt ? when(token.revokedAt) : h('button', {
      type: 'button', class: 'secondary small token-revoke', dataset: { token: token.id },
      onclick: acting(message, t('operators.revokeConfirm', { name: token.name }), async () => {
        await del(`/tokens/${seg(token.id)}`);
        await redraw();
      }),
    }, t('operators.revoke')))],
  ], rows);
  fill(list, tokenTable(tokens));
  const add = form([
    field(t('operators.tokenName'), input({ id: 'token-name' }), { name: 'name' }),
    field(t('operators.scope'), input({ id: 'token-pools', spellcheck: 'false' }),
      { name: 'pools', hint: t('operators.poolsHint') }),
    checkbox(t('operators.write'), false, 'write'),
    field(t('operators.days'), input({ id: 'token-days', inputmode: 'numeric', value: '90' }), { name: 'expiresInDays' }),
  ], {
    submitLabel: t('operators.createToken'),
    submit: (element) => post('/tokens', {
      name: valueOf(element, 'name'),
      pools: poolsOf(element),
      write: valueOf(element, 'write'),
      expiresInDays: numberOf(element, 'expiresInDays'),
    }),
    done: async ({ secret }) => {
      fill(made, secretBox(t('operators.tokenSecret'), secret));
      fill(list, tokenTable((await get('/tokens')).tokens));
    },
  });
  add.id = 'token-add';
  return [
    card(t('operators.tokens'), h('p', { class: 'hint' }, t('operators.tokensHint')), list, message),
    card(t('operators.newToken'), add, made),
  ];
}
