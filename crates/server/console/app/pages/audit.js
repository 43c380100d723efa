// The audit log: filters (linkable: their values live in the hash query), a page of events with each one's detail
// on demand, and cursor paging.

import { ApiError, get, query as queryString, seg } from '../api.js';
import { card, facts, field, h, input, pager, select, showError, valueOf } from '../dom.js';
import { t, when, words } from '../i18n.js';
import { resultBadge } from './users.js';

words({
  en: {
    'audit.title': 'Audit log', 'audit.pool': 'Pool', 'audit.allPools': 'All pools', 'audit.allMyPools': 'All my pools',
    'audit.user': 'User id', 'audit.kind': 'Event', 'audit.kindHint': 'Exact, or the part before a dot: user, login',
    'audit.result': 'Result', 'audit.any': 'Any', 'audit.ok': 'OK', 'audit.failed': 'Failed',
    'audit.since': 'From', 'audit.until': 'Until', 'audit.filter': 'Filter', 'audit.clear': 'Clear',
    'audit.time': 'Time', 'audit.actor': 'By', 'audit.ip': 'IP address', 'audit.details': 'Details',
    'audit.hide': 'Hide', 'audit.id': 'Event number', 'audit.userAgent': 'User agent', 'audit.detail': 'Detail',
    'audit.empty': 'No events match.', 'audit.next': 'Next page', 'audit.first': 'First page',
  },
  zh: {
    'audit.title': '审计日志', 'audit.pool': '用户池', 'audit.allPools': '全部用户池', 'audit.allMyPools': '我的全部用户池',
    'audit.user': '用户 ID', 'audit.kind': '事件', 'audit.kindHint': '完整名称，或点号前的部分：user、login',
    'audit.result': '结果', 'audit.any': '全部', 'audit.ok': '成功', 'audit.failed': '失败',
    'audit.since': '开始时间', 'audit.until': '结束时间', 'audit.filter': '筛选', 'audit.clear': '清除',
    'audit.time': '时间', 'audit.actor': '操作者', 'audit.ip': 'IP 地址', 'audit.details': '详情',
    'audit.hide': '收起', 'audit.id': '事件编号', 'audit.userAgent': 'User agent', 'audit.detail': '详细内容',
    'audit.empty': '没有匹配的事件。', 'audit.next': '下一页', 'audit.first': '第一页',
  },
});

/** The filters the page knows, as the hash query and the API name them. */
const FILTERS = ['pool', 'user', 'kind', 'result', 'since', 'until'];

/** `YYYY-MM-DDTHH:MM` in local time for a datetime-local input, from an RFC 3339 time; '' when it is none. */
function localInput(value) {
  const date = new Date(value);
  if (!value || Number.isNaN(date.getTime())) return '';
  const pad = (number) => String(number).padStart(2, '0');
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** An RFC 3339 time from a datetime-local input's value (local time); '' when empty. */
function rfc3339(value) {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/** The audit log page. */
export async function render({ query, whoami, navigate }) {
  const values = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) || '']));
  const cursor = query.get('cursor') || '';
  const { pools } = await get('/pools');
  const poolNames = new Map(pools.map((pool) => [pool.id, pool.name]));
  const filters = filterForm(values, pools, whoami, navigate);
  let page = { events: [], nextCursor: null };
  try {
    page = await get(`/audit${queryString({ ...values, cursor })}`);
  } catch (error) {
    if (!(error instanceof ApiError) || ![400, 403].includes(error.status)) throw error;
    showError(filters, error);
  }
  const pages = pager('audit', {
    cursor,
    nextCursor: page.nextCursor,
    go: (next) => navigate(`/audit${queryString({ ...values, cursor: next })}`),
    firstLabel: t('audit.first'),
    nextLabel: t('audit.next'),
  });
  return h('div', {},
    h('div', { class: 'page-head' }, h('h1', {}, t('audit.title'))),
    card(null, filters),
    card(null,
      page.events.length
        ? events(page.events, poolNames)
        : h('p', { class: 'muted', id: 'audit-empty' }, t('audit.empty')),
      pages));
}

function filterForm(values, pools, whoami, navigate) {
  const owner = whoami.pools === null;
  const poolOptions = [['', owner ? t('audit.allPools') : t('audit.allMyPools')],
    ...pools.map((pool) => [pool.id, pool.name])];
  if (values.pool && !pools.some((pool) => pool.id === values.pool)) poolOptions.push([values.pool, values.pool]);
  const element = h('form', { id: 'audit-filters', class: 'filters', novalidate: true },
    field(t('audit.pool'), select(poolOptions, values.pool), { name: 'pool' }),
    field(t('audit.user'), input({ value: values.user, spellcheck: 'false' }), { name: 'user' }),
    field(t('audit.kind'), input({
      value: values.kind, placeholder: 'user, login.password', title: t('audit.kindHint'), spellcheck: 'false',
    }), { name: 'kind' }),
    field(t('audit.result'), select([['', t('audit.any')], ['ok', t('audit.ok')], ['failed', t('audit.failed')]],
      values.result), { name: 'result' }),
    field(t('audit.since'), input({ type: 'datetime-local', value: localInput(values.since) }), { name: 'since' }),
    field(t('audit.until'), input({ type: 'datetime-local', value: localInput(values.until) }), { name: 'until' }),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, t('audit.filter')),
      h('button', { type: 'button', class: 'secondary', id: 'audit-clear', onclick: () => navigate('/audit') },
        t('audit.clear'))),
    h('p', { class: 'error form-error', role: 'alert' }));
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    navigate(`/audit${queryString({
      pool: valueOf(element, 'pool'),
      user: valueOf(element, 'user'),
      kind: valueOf(element, 'kind'),
      result: valueOf(element, 'result'),
      since: rfc3339(valueOf(element, 'since')),
      until: rfc3339(valueOf(element, 'until')),
    })}`);
  });
  return element;
}

/** The events' table; each row's Details button shows the event's detail in a row below it. */
function events(list, poolNames) {
  const columns = [t('audit.time'), t('audit.kind'), t('audit.result'), t('audit.actor'), t('audit.pool'),
    t('audit.user'), t('audit.ip'), ''];
  const rows = list.map((event) => {
    const detailRow = h('tr', { class: 'audit-detail', id: `audit-detail-${event.id}`, hidden: true },
      h('td', { colspan: columns.length }, detailOf(event)));
    const button = h('button', {
      type: 'button', class: 'secondary small audit-details', 'aria-expanded': 'false',
      'aria-controls': detailRow.id, dataset: { id: String(event.id) },
    }, t('audit.details'));
    button.addEventListener('click', () => {
      detailRow.hidden = !detailRow.hidden;
      button.setAttribute('aria-expanded', String(!detailRow.hidden));
      button.textContent = detailRow.hidden ? t('audit.details') : t('audit.hide');
    });
    const row = h('tr', { id: `audit-row-${event.id}` },
      h('td', { class: 'nowrap' }, when(event.at)),
      h('td', {}, h('code', {}, event.kind)),
      h('td', {}, resultBadge(event)),
      h('td', { class: 'actor' }, event.actor),
      h('td', {}, event.poolId ? (poolNames.get(event.poolId) || h('code', {}, event.poolId)) : '—'),
      h('td', {}, userCell(event)),
      h('td', {}, event.ip || '—'),
      h('td', {}, button));
    return [row, detailRow];
  });
  return h('div', { class: 'table-wrap' }, h('table', { id: 'audit-table' },
    h('thead', {}, h('tr', {}, columns.map((heading) => h('th', {}, heading)))),
    h('tbody', {}, rows)));
}

function userCell(event) {
  if (!event.userId) return '—';
  if (!event.poolId) return h('code', {}, event.userId);
  return h('a', { href: `#/pools/${seg(event.poolId)}/users/${seg(event.userId)}` }, h('code', {}, event.userId));
}

function detailOf(event) {
  return facts([
    [t('audit.id'), String(event.id)],
    [t('audit.ip'), event.ip || '—'],
    [t('audit.userAgent'), event.userAgent || '—'],
    [t('audit.detail'), event.detail === null || event.detail === undefined
      ? '—'
      : h('pre', { class: 'audit-json' }, JSON.stringify(event.detail, null, 2))],
  ]);
}
