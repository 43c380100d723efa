// The OpenID Connect demo: a relying party in plain JavaScript. Discovery, then the authorization request with PKCE
// (S256), state and nonce; on the callback the code exchange at the token endpoint (a public client: no secret),
// state and nonce checked, the ID token's claims and the UserInfo answer shown; refresh, and log out through the end
// session endpoint. A real app verifies the ID token's signature against the JWKS (a library does it); this page
// only decodes it, and keeps its tokens in sessionStorage for the demo's sake.

const $ = (id) => document.getElementById(id);
const KEY = 'denglu-oidc-demo';
const pretty = (value) => JSON.stringify(value, null, 2);
const base64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

/** What this tab remembers: {pending: {state, nonce, verifier}, tokens, logoutState}. */
const saved = () => JSON.parse(sessionStorage.getItem(KEY) || '{}');
const save = (value) => sessionStorage.setItem(KEY, JSON.stringify(value));

/** The JWT's payload, base64url-decoded. */
function claimsOf(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(part + '='.repeat((4 - (part.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

function say(text, error = false) {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
  if (error) document.body.dataset.state = 'error';
}

async function tokenRequest(provider, fields) {
  const response = await fetch(provider.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`${body.error}: ${body.error_description || ''}`);
  return body;
}

async function login(client, provider) {
  const pending = { state: random(), nonce: random(), verifier: random() };
  save({ pending });
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(pending.verifier)));
  const url = new URL(provider.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: client.clientId,
    redirect_uri: client.redirectUri,
    scope: 'openid profile phone email wechat offline_access',
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(url);
}

/** The callback: checks state and iss, exchanges the code, checks the nonce. */
async function callback(client, provider, params) {
  const { pending } = saved();
  if (!pending || params.get('state') !== pending.state) throw new Error('state does not match this tab’s request');
  if (params.get('iss') !== provider.issuer) throw new Error(`unexpected iss ${params.get('iss')}`);
  if (params.has('error')) throw new Error(`${params.get('error')}: ${params.get('error_description') || ''}`);
  const tokens = await tokenRequest(provider, {
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: client.redirectUri,
    client_id: client.clientId,
    code_verifier: pending.verifier,
  });
  if (claimsOf(tokens.id_token).nonce !== pending.nonce) throw new Error('the ID token’s nonce does not match');
  save({ tokens });
  history.replaceState(null, '', '/demo/oidc');
}

async function showSignedIn(provider, tokens) {
  const userinfo = await fetch(provider.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  const claims = claimsOf(tokens.id_token);
  say(`已登录 · Logged in: ${claims.name || claims.sub}`);
  $('claims').textContent = pretty(claims);
  $('userinfo').textContent = userinfo.ok ? pretty(await userinfo.json()) : `HTTP ${userinfo.status}`;
  $('tokens').textContent = pretty({ ...tokens, access_token: `${tokens.access_token.slice(0, 24)}…` });
  $('signed-out').hidden = true;
  $('signed-in').hidden = false;
  document.body.dataset.state = 'signed-in';
}

async function main() {
  const config = await (await fetch('/demo/config.json')).json();
  const client = config.oidc;
  if (!client) return say('No demo application: see the server log.', true);
  const provider = await (await fetch(`${client.issuer}/.well-known/openid-configuration`)).json();
  $('issuer').textContent = provider.issuer;
  $('client-id').textContent = client.clientId;
  $('login').onclick = () => login(client, provider).catch((e) => say(e.message, true));
  const params = new URLSearchParams(location.search);
  if (location.pathname.endsWith('/callback')) await callback(client, provider, params);
  const { tokens, logoutState } = saved();
  if (tokens) {
    $('refresh').onclick = async () => {
      try {
        const fresh = await tokenRequest(provider, {
          grant_type: 'refresh_token',
          refresh_token: tokens.refresh_token,
          client_id: client.clientId,
        });
        save({ tokens: { ...fresh, id_token: fresh.id_token || tokens.id_token } });
        location.reload();
      } catch (e) {
        say(e.message, true);
      }
    };
    $('logout').onclick = () => {
      const state = random();
      save({ logoutState: state });
      const url = new URL(provider.end_session_endpoint);
      url.search = new URLSearchParams({
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: client.postLogoutRedirectUri,
        state,
      });
      location.assign(url);
    };
    return showSignedIn(provider, tokens);
  }
  if (logoutState && params.get('state') === logoutState) {
    save({});
    say('已退出登录 · Logged out');
  }
  $('signed-out').hidden = false;
  document.body.dataset.state = 'signed-out';
}

main().catch((error) => say(error.message, true));
