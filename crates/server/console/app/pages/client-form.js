// What the applications pages share: their words, the grant types and lifetimes the admin API knows, the fields of
// an application (made or changed) and their values as the API takes them, and the pool's paths.

import { seg } from '../api.js';
import { field, h, input, numberOf, valueOf } from '../dom.js';
import { t, words } from '../i18n.js';

words({
  en: {
    clientsTitle: 'Applications',
    clientsIntro: 'The OpenID Connect clients that log users in through this pool: the pool is their issuer.',
    clientsNone: 'No applications yet.', clientName: 'Name', clientId: 'Client id', clientKind: 'Kind',
    clientGrants: 'Grant types', clientFirstParty: 'First party', clientCreated: 'Created', clientChanged: 'Changed',
    clientConfidential: 'Confidential', clientPublic: 'Public',
    clientConfidentialLong: 'confidential: a server that keeps a secret',
    clientPublicLong: 'public: a single-page or native app, no secret, PKCE required',
    clientKindHint: 'It never changes: make a new application instead.',
    clientNew: 'New application', clientCreate: 'Create the application',
    clientRedirects: 'Redirect URIs', clientRedirectsHint: 'One a line, exactly as the application sends them: '
      + 'https, http on 127.0.0.1, [::1] or localhost, or a private-use scheme such as com.example.app:/callback.',
    clientLogoutRedirects: 'Post-logout redirect URIs', clientLogoutRedirectsHint: 'One a line; the same rules.',
    clientGrantsHint: 'refresh_token needs a grant that logs a user in; client_credentials a confidential client; '
      + 'authorization_code a redirect URI.',
    clientGrantCode: 'authorization_code: users log in through the hosted login page',
    clientGrantRefresh: 'refresh_token: keeps them logged in',
    clientGrantCredentials: 'client_credentials: the application acts as itself',
    clientGrantDevice: 'device_code: devices without a browser (urn:ietf:params:oauth:grant-type:device_code)',
    clientScopes: 'Scopes', clientScopesHint: 'Separated by spaces, any of openid profile phone email offline_access '
      + 'wechat.',
    clientFirstPartyLong: 'First party: the deployment\'s own application; its users see no consent screen',
    clientLogo: 'Logo URI', clientLogoHint: 'An https URL, shown on the login page. Empty: none.',
    clientBackchannel: 'Back-channel logout URI',
    clientBackchannelHint: 'An https URL; stored, but no logout token is sent yet. Empty: none.',
    clientAccess: 'Access token lifetime (seconds)', clientRefresh: 'Refresh token lifetime (seconds)',
    clientIdToken: 'ID token lifetime (seconds)',
    clientDefaultLifetime: 'Empty: {value} ({words}).', clientLifetimeRange: '{from} to {to}.',
    clientHour: '1 hour', clientMonth: '30 days',
    clientMade: 'Application {name} is made.', clientSecret: 'Client secret',
    clientNoSecret: 'A public client has no secret: it proves itself with PKCE.', clientOpen: 'Open the application',
    clientIssuer: 'Issuer', clientDiscovery: 'Discovery URL', clientSecretSet: 'Client secret',
    clientSecretStored: 'Set (stored as a hash; rotate it to see a new one)', clientSecretNone: 'None (public client)',
    clientEdit: 'Change the application', clientEditHint: 'A list given replaces the list.',
    clientRotate: 'Rotate the secret', clientRotateTitle: 'Client secret',
    clientRotateConfirm: 'Give {name} a new client secret? The old one stops working at once.',
    clientRotated: 'The new client secret:', clientDelete: 'Delete the application',
    clientDeleteConfirm: 'Delete {name}? Relying parties using its client id can no longer log users in.',
    clientTry: 'Try it', clientTryOpen: 'Open the login page',
    clientTryHint: 'Opens the pool\'s hosted login page for this application, as a relying party would (response_type '
      + 'code, scope openid, a random state and nonce, PKCE S256). After the login it ends at {uri} with a code. '
      + 'The PKCE verifier is not kept: the link is for seeing the page, not for getting tokens.',
    clientTryNoCode: 'Nothing to try: the application has no authorization_code grant, so it logs no user in through '
      + 'the login page.',
    clientTryNoRedirect: 'Nothing to try: the application has no redirect URI to come back to.',
    clientTryNoCrypto: 'Nothing to try here: this browser gives the page no Web Crypto (it needs https or localhost).',
    clientTryNoDiscovery: 'The discovery document could not be read: {message}',
    clientBack: 'All applications',
  },
  zh: {
    clientsTitle: '应用',
    clientsIntro: '通过本用户池登录用户的 OpenID Connect 客户端：本用户池是它们的签发者（issuer）。',
    clientsNone: '还没有应用。', clientName: '名称', clientId: '客户端 ID', clientKind: '类型',
    clientGrants: '授权类型', clientFirstParty: '自有应用', clientCreated: '创建时间', clientChanged: '修改时间',
    clientConfidential: '机密客户端', clientPublic: '公开客户端',
    clientConfidentialLong: 'confidential：能保管密钥的服务器端应用',
    clientPublicLong: 'public：单页或原生应用，没有密钥，必须使用 PKCE',
    clientKindHint: '类型创建后不能更改：如需更改请新建应用。',
    clientNew: '新建应用', clientCreate: '创建应用',
    clientRedirects: '重定向 URI', clientRedirectsHint: '每行一个，与应用发送的完全一致：https；'
      + '127.0.0.1、[::1] 或 localhost 上的 http；或私有 scheme，例如 com.example.app:/callback。',
    clientLogoutRedirects: '退出后重定向 URI', clientLogoutRedirectsHint: '每行一个，规则相同。',
    clientGrantsHint: 'refresh_token 需要一种让用户登录的授权；client_credentials 需要机密客户端；'
      + 'authorization_code 需要重定向 URI。',
    clientGrantCode: 'authorization_code：用户通过托管登录页登录',
    clientGrantRefresh: 'refresh_token：保持登录',
    clientGrantCredentials: 'client_credentials：应用以自身身份调用',
    clientGrantDevice: 'device_code：没有浏览器的设备（urn:ietf:params:oauth:grant-type:device_code）',
    clientScopes: '权限范围（scope）', clientScopesHint: '以空格分隔，可选 openid profile phone email offline_access wechat。',
    clientFirstPartyLong: '自有应用：本部署自己的应用，用户不会看到授权同意页',
    clientLogo: 'Logo URI', clientLogoHint: 'https 地址，显示在登录页上。留空：无。',
    clientBackchannel: '后端通道退出 URI（Back-channel logout）',
    clientBackchannelHint: 'https 地址；会保存，但目前还不发送退出令牌。留空：无。',
    clientAccess: '访问令牌有效期（秒）', clientRefresh: '刷新令牌有效期（秒）', clientIdToken: 'ID 令牌有效期（秒）',
    clientDefaultLifetime: '留空：{value}（{words}）。', clientLifetimeRange: '{from} 至 {to}。',
    clientHour: '1 小时', clientMonth: '30 天',
    clientMade: '应用 {name} 已创建。', clientSecret: '客户端密钥',
    clientNoSecret: '公开客户端没有密钥：它用 PKCE 证明自己。', clientOpen: '打开应用',
    clientIssuer: '签发者（Issuer）', clientDiscovery: '发现文档地址', clientSecretSet: '客户端密钥',
    clientSecretStored: '已设置（只保存哈希；轮换后可看到新密钥）', clientSecretNone: '无（公开客户端）',
    clientEdit: '修改应用', clientEditHint: '填写的列表会替换原来的列表。',
    clientRotate: '轮换密钥', clientRotateTitle: '客户端密钥',
    clientRotateConfirm: '为 {name} 生成新的客户端密钥？旧密钥立即失效。',
    clientRotated: '新的客户端密钥：', clientDelete: '删除应用',
    clientDeleteConfirm: '删除 {name}？使用其客户端 ID 的依赖方将无法再登录用户。',
    clientTry: '试一试', clientTryOpen: '打开登录页',
    clientTryHint: '像依赖方一样为本应用打开用户池的托管登录页（response_type code、scope openid、随机的 state 和 '
      + 'nonce、PKCE S256）。登录后会带着授权码回到 {uri}。PKCE 验证码不会保留：此链接用于查看登录页，不能换取令牌。',
    clientTryNoCode: '无法试用：应用没有 authorization_code 授权，不通过登录页登录用户。',
    clientTryNoRedirect: '无法试用：应用没有可返回的重定向 URI。',
    clientTryNoCrypto: '无法在此试用：浏览器没有为本页提供 Web Crypto（需要 https 或 localhost）。',
    clientTryNoDiscovery: '无法读取发现文档：{message}',
    clientBack: '全部应用',
  },
});

const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';
const GRANTS = [
  ['authorization_code', 'clientGrantCode'], ['refresh_token', 'clientGrantRefresh'],
  ['client_credentials', 'clientGrantCredentials'], [DEVICE_CODE, 'clientGrantDevice'],
];
/** The API's defaults for a new application. */
const DEFAULT_GRANTS = ['authorization_code', 'refresh_token'];
const DEFAULT_SCOPES = 'openid profile';
/** The token lifetimes: field, label, default and allowed range (seconds), as the admin API has them. */
const LIFETIMES = [
  ['accessTokenLifetime', 'clientAccess', 3600, 'clientHour', 60, 86400],
  ['refreshTokenLifetime', 'clientRefresh', 2592000, 'clientMonth', 3600, 31536000],
  ['idTokenLifetime', 'clientIdToken', 3600, 'clientHour', 60, 86400],
];

export const shortGrant = (grant) => (grant === DEVICE_CODE ? 'device_code' : grant);
export const kindLabel = (kind) => (kind === 'public' ? t('clientPublic') : t('clientConfidential'));
export const lines = (text) => text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
export const splitWords = (text) => text.split(/\s+/).filter(Boolean);
export const clientsPath = (pool) => `/pools/${seg(pool.id)}/clients`;
export const discoveryUrl = (pool) => `${window.location.origin}/oidc/${seg(pool.id)}/.well-known/openid-configuration`;

/** Checkboxes of the grant types, as one field `grantTypes`. */
export function grantChoices(chosen, prefix) {
  return h('fieldset', { class: 'field choices', dataset: { field: 'grantTypes' } },
    h('legend', {}, t('clientGrants')),
    GRANTS.map(([value, key]) => h('label', {},
      h('input', { type: 'checkbox', name: 'grantTypes', value, id: `${prefix}-grant-${shortGrant(value)}`,
        checked: chosen.includes(value) }), ' ', t(key))),
    h('small', { class: 'hint' }, t('clientGrantsHint')),
    h('p', { class: 'error', role: 'alert' }));
}

const chosenGrants = (element) => [...element.querySelectorAll('input[name="grantTypes"]:checked')]
  .map((box) => box.value);

const textarea = (attrs) => h('textarea', { rows: 3, spellcheck: 'false', autocomplete: 'off', ...attrs });

/**
 * The fields an application shares between the create and edit forms, filled from `client` (or the API's defaults
 * when it is null); `prefix` keeps the ids apart.
 */
export function clientFields(client, prefix) {
  const id = (name) => `${prefix}-${name}`;
  return [
    field(t('clientRedirects'), textarea({ id: id('redirects'), value: (client?.redirectUris || []).join('\n') }),
      { name: 'redirectUris', hint: t('clientRedirectsHint') }),
    field(t('clientLogoutRedirects'),
      textarea({ id: id('logout-redirects'), value: (client?.postLogoutRedirectUris || []).join('\n') }),
      { name: 'postLogoutRedirectUris', hint: t('clientLogoutRedirectsHint') }),
    grantChoices(client ? client.grantTypes : DEFAULT_GRANTS, prefix),
    field(t('clientScopes'), input({ id: id('scopes'), value: client ? client.scopes.join(' ') : DEFAULT_SCOPES,
      spellcheck: 'false' }), { name: 'scopes', hint: t('clientScopesHint') }),
    h('div', { class: 'field check', dataset: { field: 'firstParty' } },
      h('label', {}, h('input', { type: 'checkbox', name: 'firstParty', id: id('first-party'),
        checked: Boolean(client?.firstParty) }), ' ', t('clientFirstPartyLong')),
      h('p', { class: 'error', role: 'alert' })),
    field(t('clientLogo'), input({ id: id('logo'), value: client?.logoUri || '', placeholder: 'https://' }),
      { name: 'logoUri', hint: t('clientLogoHint') }),
    field(t('clientBackchannel'),
      input({ id: id('backchannel'), value: client?.backchannelLogoutUri || '', placeholder: 'https://' }),
      { name: 'backchannelLogoutUri', hint: t('clientBackchannelHint') }),
    LIFETIMES.map(([name, label, fallback, span, from, to]) => field(t(label),
      input({ id: id(name), inputmode: 'numeric', value: client ? String(client[name]) : '',
        placeholder: client ? '' : String(fallback) }),
      { name, hint: client ? t('clientLifetimeRange', { from, to })
        : t('clientDefaultLifetime', { value: fallback, words: t(span) }) })),
  ];
}

/** A lifetime from the form: absent when empty (the API's default), else the number or the text itself. */
const lifetime = (element, name) => (valueOf(element, name) === '' ? undefined : numberOf(element, name));

/** The shared fields' values, as the API takes them. */
export function clientValues(element, { creating }) {
  const scopes = splitWords(valueOf(element, 'scopes'));
  const values = {
    redirectUris: lines(valueOf(element, 'redirectUris')),
    postLogoutRedirectUris: lines(valueOf(element, 'postLogoutRedirectUris')),
    grantTypes: chosenGrants(element),
    scopes: creating && !scopes.length ? undefined : scopes,
    firstParty: valueOf(element, 'firstParty'),
    logoUri: valueOf(element, 'logoUri', { emptyIsNull: true }),
    backchannelLogoutUri: valueOf(element, 'backchannelLogoutUri', { emptyIsNull: true }),
  };
  for (const [name] of LIFETIMES) values[name] = lifetime(element, name);
  return values;
}

