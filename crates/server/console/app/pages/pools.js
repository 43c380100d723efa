// The pools page: the pools the operator administers and, for owners, a form that creates one and shows its secret
// this once.

import { get, post, seg } from '../api.js';
import { card, field, fill, form, h, input, numberOf, secretBox, select, table, valueOf } from '../dom.js';
import { t, when, words } from '../i18n.js';

words({
  en: {
    poolsTitle: 'User pools', poolName: 'Name', poolId: 'Pool id', algorithm: 'Signing algorithm', created: 'Created',
    newPool: 'New pool', tokenLifetime: 'Token lifetime (seconds)', registrationPolicy: 'Registration',
    policyOpen: 'open: anyone may sign up', policyLoginOnly: 'login-only: only existing users log in',
    policyMatchPhone: 'match-verified-phone: WeChat logins join the account with the same verified phone',
    createPool: 'Create the pool', poolCreated: 'Pool {name} is made. Its secret:', openPool: 'Open the pool',
    poolSecret: 'Pool secret', noPools: 'No pools yet.', ownersOnly: 'Only owners create pools.',
    algorithmHint: 'ES256 unless your clients need RS256; HS256 signs with the pool secret.',
  },
  zh: {
    poolsTitle: '用户池', poolName: '名称', poolId: '用户池 ID', algorithm: '签名算法', created: '创建时间',
    newPool: '新建用户池', tokenLifetime: '令牌有效期（秒）', registrationPolicy: '注册策略',
    policyOpen: 'open：任何人都可以注册', policyLoginOnly: 'login-only：只有已有用户可以登录',
    policyMatchPhone: 'match-verified-phone：微信登录并入手机号相同且已验证的账号',
    createPool: '创建用户池', poolCreated: '用户池 {name} 已创建。它的密钥：', openPool: '打开用户池',
    poolSecret: '用户池密钥', noPools: '还没有用户池。', ownersOnly: '只有所有者可以创建用户池。',
    algorithmHint: '除非客户端需要 RS256，请用 ES256；HS256 用用户池密钥签名。',
  },
});

/** The algorithms a pool can sign with. */
export const ALGORITHMS = [['ES256', 'ES256'], ['RS256', 'RS256'], ['HS256', 'HS256']];

/** The registration policies, labelled. */
export const policies = () => [
  ['open', t('policyOpen')], ['login-only', t('policyLoginOnly')], ['match-verified-phone', t('policyMatchPhone')],
];

/** The pools page. */
export async function list({ whoami }) {
  const { pools } = await get('/pools');
  const rows = table([
    [t('poolName'), (pool) => h('a', { href: `#/pools/${seg(pool.id)}` }, pool.name)],
    [t('poolId'), (pool) => h('code', {}, pool.id)],
    [t('algorithm'), (pool) => pool.jwtAlgorithm],
    [t('created'), (pool) => when(pool.createdAt)],
  ], pools, { empty: t('noPools') });
  const owner = whoami.pools === null && whoami.write;
  return h('div', {},
    h('div', { class: 'page-head' }, h('h1', {}, t('poolsTitle'))),
    card(null, rows),
    card(t('newPool'), owner ? createForm() : h('p', { class: 'muted' }, t('ownersOnly'))));
}

function createForm() {
  const result = h('div', { id: 'created-pool' });
  const element = form([
    field(t('poolName'), input({ value: '' }), { name: 'name' }),
    field(t('algorithm'), select(ALGORITHMS, 'ES256'), { name: 'jwtAlgorithm', hint: t('algorithmHint') }),
    field(t('tokenLifetime'), input({ inputmode: 'numeric', value: '1296000' }), { name: 'tokenLifetimeSeconds' }),
    field(t('registrationPolicy'), select(policies(), 'open'), { name: 'registrationPolicy' }),
  ], {
    submitLabel: t('createPool'),
    submit: (f) => post('/pools', {
      name: valueOf(f, 'name'),
      jwtAlgorithm: valueOf(f, 'jwtAlgorithm'),
      tokenLifetimeSeconds: numberOf(f, 'tokenLifetimeSeconds'),
      registrationPolicy: valueOf(f, 'registrationPolicy'),
    }),
    done: ({ pool, secret }) => {
      fill(result,
        h('p', {}, t('poolCreated', { name: pool.name })),
        secretBox(t('poolSecret'), secret),
        h('a', { class: 'button', href: `#/pools/${seg(pool.id)}` }, t('openPool')));
    },
  });
  return [element, result];
}
