// One application's page: what a relying party needs (client id, issuer, discovery), a form that changes it, a new
// secret, deletion, and a link that tries its login in the browser.

import { del, get, patch, post, seg } from '../api.js';
import {
  card, confirmAction, facts, field, fill, form, h, input, messageOf, secretBox, snippet, valueOf,
} from '../dom.js';
import { t, when } from '../i18n.js';
import { clientFields, clientValues, clientsPath, discoveryUrl, kindLabel, shortGrant } from './client-form.js';

/** One application's page. */
export async function detail({ ids, pool, whoami, navigate }) {
  const path = `${clientsPath(pool)}/${seg(ids[1])}`;
  const client = await get(path);
  const discovery = await fetch(discoveryUrl(pool), { credentials: 'omit' })
    .then((response) => (response.ok ? response.json()
      : Promise.reject(new Error(`${response.status} ${response.statusText}`))))
    .catch((error) => ({ error }));
  const title = h('h1', {}, client.name);
  const about = h('div', {}, clientFacts(pool, client, discovery));
  const tryIt = h('div', { class: 'client-try' }, await tryLink(client, discovery));
  const listHref = `#/pools/${seg(pool.id)}/applications`;

  const edit = whoami.write ? editForm(path, client, async (changed) => {
    title.textContent = changed.name;
    fill(about, clientFacts(pool, changed, discovery));
    fill(tryIt, await tryLink(changed, discovery));
  }) : h('p', { class: 'muted' }, t('readOnly'));

  const rotated = h('div', { id: 'client-rotated' });
  const problem = h('p', { class: 'error', role: 'alert' });
  const rotate = whoami.write && client.kind === 'confidential' ? h('button', {
    type: 'button',
    id: 'client-rotate',
    class: 'secondary',
    onclick: async () => {
      problem.textContent = '';
      const question = t('clientRotateConfirm', { name: title.textContent });
      if (!await confirmAction(question, { okLabel: t('clientRotate') })) return;
      try {
        const { clientSecret } = await post(`${path}/secret`);
        fill(rotated, h('p', {}, t('clientRotated')), secretBox(t('clientRotateTitle'), clientSecret));
      } catch (error) {
        problem.textContent = messageOf(error);
      }
    },
  }, t('clientRotate')) : null;
  const remove = whoami.write ? h('button', {
    type: 'button',
    id: 'client-delete',
    class: 'danger',
    onclick: async () => {
      problem.textContent = '';
      const question = t('clientDeleteConfirm', { name: title.textContent });
      if (!await confirmAction(question, { okLabel: t('clientDelete') })) return;
      try {
        await del(path);
        navigate(`/pools/${seg(pool.id)}/applications`);
      } catch (error) {
        problem.textContent = messageOf(error);
      }
    },
  }, t('clientDelete')) : null;

  return h('div', {},
    h('p', {}, h('a', { href: listHref }, `← ${t('clientBack')}`)),
    h('div', { class: 'page-head' }, title, h('span', { class: 'badge' }, kindLabel(client.kind))),
    card(null, about),
    card(t('clientTry'), tryIt),
    card(t('clientEdit'), h('p', { class: 'hint' }, t('clientEditHint')), edit),
    whoami.write ? card(null, h('div', { class: 'actions' }, rotate, remove), problem, rotated) : null);
}

/** What a relying party needs to know, and the application's settings at a glance. */
function clientFacts(pool, client, discovery) {
  const issuer = discovery.issuer || `${window.location.origin}/oidc/${pool.id}`;
  return facts([
    [t('clientId'), h('span', {}, h('code', { id: 'client-id' }, client.clientId))],
    [t('clientKind'), client.kind === 'public' ? t('clientPublicLong') : t('clientConfidentialLong')],
    [t('clientSecretSet'), client.secretSet ? t('clientSecretStored') : t('clientSecretNone')],
    [t('clientIssuer'), h('code', {}, issuer)],
    [t('clientDiscovery'), snippet(discoveryUrl(pool))],
    [t('clientRedirects'), client.redirectUris.length
      ? h('span', { class: 'client-uris' }, client.redirectUris.map((uri) => h('code', {}, uri)))
      : h('span', { class: 'muted' }, t('none'))],
    [t('clientGrants'), h('span', { class: 'client-grants' },
      client.grantTypes.map((grant) => h('code', { class: 'badge', title: grant }, shortGrant(grant))))],
    [t('clientScopes'), h('code', {}, client.scopes.join(' '))],
    [t('clientFirstParty'), client.firstParty ? t('yes') : t('no')],
    [t('clientCreated'), when(client.createdAt)],
    [t('clientChanged'), when(client.updatedAt)],
  ]);
}

function editForm(path, client, changed) {
  const element = form([
    field(t('clientName'), input({ id: 'client-edit-name', value: client.name }), { name: 'name' }),
    clientFields(client, 'client-edit'),
  ], {
    submit: (f) => patch(path, { name: valueOf(f, 'name'), ...clientValues(f, { creating: false }) }),
    done: changed,
  });
  element.id = 'client-edit';
  return element;
}

/** Bytes as base64url without padding. */
function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/**
 * The "Try it" link: an authorization request for this application to its first redirect URI, with PKCE S256,
 * made in the browser; or why there is nothing to try.
 */
async function tryLink(client, discovery) {
  const none = (key, values) => h('p', { class: 'muted', id: 'client-try-none' }, t(key, values));
  if (!client.grantTypes.includes('authorization_code')) return none('clientTryNoCode');
  if (!client.redirectUris.length) return none('clientTryNoRedirect');
  if (!window.crypto?.subtle) return none('clientTryNoCrypto');
  if (discovery.error || !discovery.authorization_endpoint) {
    return none('clientTryNoDiscovery', { message: messageOf(discovery.error || 'authorization_endpoint') });
  }
  const verifier = randomText();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const redirect = client.redirectUris[0];
  const url = new URL(discovery.authorization_endpoint);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: redirect,
    scope: 'openid',
    state: randomText(),
    nonce: randomText(),
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  })) url.searchParams.set(name, value);
  return [
    h('p', { class: 'hint' }, t('clientTryHint', { uri: redirect })),
    h('a', { id: 'client-try', class: 'button', href: url.href, target: '_blank', rel: 'noopener noreferrer' },
      t('clientTryOpen')),
  ];
}
