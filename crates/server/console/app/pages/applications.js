// The applications page: the pool's OpenID Connect clients in a table, and a form that makes one (its secret shown
// once).

import { get, post, seg } from '../api.js';
import { card, field, fill, form, h, input, secretBox, select, table, valueOf } from '../dom.js';
import { t } from '../i18n.js';
import { clientFields, clientValues, clientsPath, kindLabel, shortGrant } from './client-form.js';

/** The applications page. */
export async function list({ pool, whoami }) {
  const holder = h('div', {}, await clientsTable(pool));
  return h('div', {},
    h('div', { class: 'page-head' }, h('h1', {}, t('clientsTitle'))),
    h('p', { class: 'muted' }, t('clientsIntro')),
    card(null, holder),
    card(t('clientNew'), whoami.write ? createForm(pool, holder) : h('p', { class: 'muted' }, t('readOnly'))));
}

async function clientsTable(pool) {
  const { clients } = await get(clientsPath(pool));
  const rows = table([
    [t('clientName'), (client) => h('a', { href: `#/pools/${seg(pool.id)}/applications/${seg(client.clientId)}` },
      client.name)],
    [t('clientId'), (client) => h('code', {}, client.clientId)],
    [t('clientKind'), (client) => kindLabel(client.kind)],
    [t('clientGrants'), (client) => h('span', { class: 'client-grants' },
      client.grantTypes.map((grant) => h('code', { class: 'badge', title: grant }, shortGrant(grant))))],
    [t('clientFirstParty'), (client) => (client.firstParty ? t('yes') : t('no'))],
  ], clients, { empty: t('clientsNone') });
  rows.querySelector('table')?.setAttribute('id', 'clients-table');
  if (!clients.length) rows.id = 'clients-none';
  return rows;
}

function createForm(pool, holder) {
  const result = h('div', { id: 'client-created' });
  const element = form([
    field(t('clientName'), input({ id: 'client-create-name', value: '' }), { name: 'name' }),
    field(t('clientKind'), select([['confidential', t('clientConfidentialLong')], ['public', t('clientPublicLong')]],
      'confidential', { id: 'client-create-kind' }), { name: 'kind', hint: t('clientKindHint') }),
    clientFields(null, 'client-create'),
  ], {
    submitLabel: t('clientCreate'),
    submit: (f) => {
      fill(result);
      return post(clientsPath(pool), {
        name: valueOf(f, 'name'),
        kind: valueOf(f, 'kind'),
        ...clientValues(f, { creating: true }),
      });
    },
    done: async (client) => {
      fill(result,
        h('p', {}, t('clientMade', { name: client.name })),
        client.clientSecret
          ? secretBox(t('clientSecret'), client.clientSecret)
          : h('p', { class: 'muted client-no-secret' }, t('clientNoSecret')),
        h('a', { class: 'button', href: `#/pools/${seg(pool.id)}/applications/${seg(client.clientId)}` },
          t('clientOpen')));
      fill(holder, await clientsTable(pool));
    },
  });
  element.id = 'client-create';
  return [element, result];
}
