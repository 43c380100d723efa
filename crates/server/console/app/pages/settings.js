// A pool's settings and keys: name, token lifetime, registration policy and signing algorithm; the signing keys
// (rotate, retire); a new pool secret; deleting the pool.

import { del, get, patch, post, seg } from '../api.js';
import { card, confirmAction, field, fill, form, h, input, messageOf, numberOf, secretBox, select, table, valueOf } from '../dom.js';
import { t, when, words } from '../i18n.js';
import { ALGORITHMS, policies } from './pools.js';

words({
  en: {
    settingsTitle: 'Settings & keys', poolSettings: 'Pool settings',
    algorithmChange: 'A new algorithm brings a new active key of it; tokens signed by the old keys verify until those are retired.',
    keys: 'Signing keys', keysHint: 'The active key signs every new token; previous keys keep verifying, and stay in the JWKS, until retired.',
    kid: 'Key id', keyState: 'State', retiredAt: 'Retired', rotate: 'Rotate: make a new active key', retire: 'Retire',
    rotateConfirm: 'Make a new signing key? Tokens signed until now keep verifying.', keyActive: 'active',
    keyPrevious: 'previous', keyRetired: 'retired',
    retireConfirm: 'Retire key {kid}? Every token it signed is refused from now on (2207), and the JWKS drops it.',
    secretTitle: 'Pool secret', secretHint: 'Your backends send it to exchange app tickets and to change settings. A new one replaces the old one at once (within 5 s on every replica).',
    newSecret: 'Make a new secret', newSecretConfirm: 'Make a new pool secret? The old one stops working at once.',
    deleteTitle: 'Delete the pool', deleteHint: 'Deletes the pool and everything in it: users, WeChat identities, metadata, avatars, keys, settings, applications. Its audit events stay.',
    deletePool: 'Delete this pool', deleteConfirm: 'Delete pool {name} and all its users? This cannot be undone.',
  },
  zh: {
    settingsTitle: '设置与密钥', poolSettings: '用户池设置',
    algorithmChange: '更换算法会生成一个该算法的新密钥；旧密钥签发的令牌在旧密钥停用前仍然有效。',
    keys: '签名密钥', keysHint: '当前密钥签发所有新令牌；之前的密钥在停用前仍可验证，并保留在 JWKS 中。',
    kid: '密钥 ID', keyState: '状态', retiredAt: '停用时间', rotate: '轮换：生成新的当前密钥', retire: '停用',
    rotateConfirm: '生成新的签名密钥？之前签发的令牌仍然有效。', keyActive: '当前',
    keyPrevious: '之前', keyRetired: '已停用',
    retireConfirm: '停用密钥 {kid}？它签发的令牌从现在起全部被拒绝（2207），JWKS 也不再包含它。',
    secretTitle: '用户池密钥', secretHint: '你的后端用它换取 App 票据和修改设置。新密钥立即取代旧密钥（所有副本在 5 秒内生效）。',
    newSecret: '生成新密钥', newSecretConfirm: '生成新的用户池密钥？旧密钥立即失效。',
    deleteTitle: '删除用户池', deleteHint: '删除用户池及其全部内容：用户、微信身份、元数据、头像、密钥、设置、应用。审计日志保留。',
    deletePool: '删除此用户池', deleteConfirm: '删除用户池 {name} 及其全部用户？此操作无法撤销。',
  },
});

/** The settings and keys page. */
export async function render({ pool, navigate, redraw }) {
  const path = `/pools/${seg(pool.id)}`;
  const { keys } = await get(`${path}/keys`);
  return h('div', {},
    h('div', { class: 'page-head' }, h('h1', {}, t('settingsTitle'))),
    card(t('poolSettings'), form([
      field(t('poolName'), input({ value: pool.name }), { name: 'name' }),
      field(t('tokenLifetime'), input({ inputmode: 'numeric', value: String(pool.tokenLifetimeSeconds) }),
        { name: 'tokenLifetimeSeconds' }),
      field(t('registrationPolicy'), select(policies(), pool.registrationPolicy), { name: 'registrationPolicy' }),
      field(t('algorithm'), select(ALGORITHMS, pool.jwtAlgorithm), { name: 'jwtAlgorithm', hint: t('algorithmChange') }),
    ], {
      submit: (f) => patch(path, {
        name: valueOf(f, 'name'),
        tokenLifetimeSeconds: numberOf(f, 'tokenLifetimeSeconds'),
        registrationPolicy: valueOf(f, 'registrationPolicy'),
        jwtAlgorithm: valueOf(f, 'jwtAlgorithm'),
      }),
      done: redraw,
    })),
    keysCard(path, keys, redraw),
    secretCard(path),
    deleteCard(path, pool, navigate));
}

function keysCard(path, keys, redraw) {
  const error = h('p', { class: 'error', role: 'alert' });
  const act = async (question, call) => {
    if (!(await confirmAction(question))) return;
    try {
      await call();
      await redraw();
    } catch (failure) {
      error.textContent = messageOf(failure);
    }
  };
  const stateLabel = { active: t('keyActive'), previous: t('keyPrevious'), retired: t('keyRetired') };
  return card(t('keys'),
    h('p', { class: 'hint' }, t('keysHint')),
    h('div', { id: 'keys' }, table([
      [t('kid'), (key) => h('code', {}, key.kid)],
      [t('algorithm'), (key) => key.algorithm],
      [t('keyState'), (key) => h('span', { class: `badge ${key.state === 'active' ? 'good' : ''}` }, stateLabel[key.state] || key.state)],
      [t('created'), (key) => when(key.createdAt)],
      [t('retiredAt'), (key) => when(key.retiredAt)],
      ['', (key) => (key.state === 'previous'
        ? h('button', {
          type: 'button', class: 'secondary small key-retire', dataset: { kid: key.kid },
          onclick: () => act(t('retireConfirm', { kid: key.kid }), () => post(`${path}/keys/${seg(key.kid)}/retire`)),
        }, t('retire'))
        : '')],
    ], keys)),
    error,
    h('div', { class: 'actions' }, h('button', {
      type: 'button', id: 'key-rotate', onclick: () => act(t('rotateConfirm'), () => post(`${path}/keys`)),
    }, t('rotate'))));
}

function secretCard(path) {
  const result = h('div', { id: 'pool-secret' });
  const error = h('p', { class: 'error', role: 'alert' });
  return card(t('secretTitle'),
    h('p', { class: 'hint' }, t('secretHint')),
    h('button', {
      type: 'button', id: 'secret-rotate', class: 'secondary',
      onclick: async () => {
        if (!(await confirmAction(t('newSecretConfirm')))) return;
        error.textContent = '';
        try {
          const { secret } = await post(`${path}/secret`);
          fill(result, secretBox(t('poolSecret'), secret));
        } catch (failure) {
          error.textContent = messageOf(failure);
        }
      },
    }, t('newSecret')),
    error, result);
}

function deleteCard(path, pool, navigate) {
  const error = h('p', { class: 'error', role: 'alert' });
  return card(t('deleteTitle'),
    h('p', { class: 'hint' }, t('deleteHint')),
    h('button', {
      type: 'button', id: 'pool-delete', class: 'danger',
      onclick: async () => {
        if (!(await confirmAction(t('deleteConfirm', { name: pool.name }), { typed: pool.id, okLabel: t('delete') }))) return;
        try {
          await del(path, { confirm: pool.id });
          navigate('/');
        } catch (failure) {
          error.textContent = messageOf(failure);
        }
      },
    }, t('deletePool')),
    error);
}
