// The peer denglu-bench compares denglu with: oidc-provider (the OpenID Connect engine inside Logto) in one Node.js
// process, on a loopback port, with its memory adapter (everything in this process) and one ES256 signing key. One
// confidential client (client_secret_basic, PKCE S256 required) may use the authorization code, refresh token and
// client credentials grants. Two routes sit in front of the provider in its Koa app:
//   GET /healthz             the ceiling: answers {"status":"ok"} and does nothing else (denglu's /healthz);
//   GET /bench/codes?count=N authorization codes made in this process, as a finished login would leave them (a
//                            grant for openid and offline_access, then a code bound to the PKCE challenge and the
//                            redirect URI), since the peer has no login page of its own to drive.
// Settings come from the environment: PEER_PORT, PEER_CLIENT_SECRET, PEER_REDIRECT_URI, PEER_CODE_CHALLENGE.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

import Provider from 'oidc-provider';
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';

import { Store } from './store.mjs';

const port = Number(process.env.PEER_PORT);
const secret = process.env.PEER_CLIENT_SECRET;
const redirectUri = process.env.PEER_REDIRECT_URI;
const challenge = process.env.PEER_CODE_CHALLENGE;
if (!port || !secret || !redirectUri || !challenge) {
  console.error('set PEER_PORT, PEER_CLIENT_SECRET, PEER_REDIRECT_URI and PEER_CODE_CHALLENGE');
  process.exit(2);
}

const CLIENT_ID = 'bench';
const SCOPE = 'openid offline_access';

// The provider's default adapter is this memory adapter over a map that keeps at most about 2,000 entries and forgets
// the oldest (codes made beforehand included); over a map without that bound it keeps everything until it expires, as
// a database would. 15 s is the provider's default clock tolerance, which the default adapter is given too.
const store = new Store();
const adapter = (model) => new MemoryAdapter(model, store, 15);

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'ES256', use: 'sig' };

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: CLIENT_ID,
    client_secret: secret,
    grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
    response_types: ['code'],
    redirect_uris: [redirectUri],
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'ES256',
  }],
  adapter,
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  findAccount: async (_ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
  scopes: ['openid', 'offline_access'],
  features: {
    devInteractions: { enabled: false },
    introspection: { enabled: true },
    clientCredentials: { enabled: true },
    userinfo: { enabled: true },
  },
  pkce: { required: () => true },
  // denglu rotates a refresh token at every use; the provider's default rotates a confidential client's only late
  // in its life.
  rotateRefreshToken: true,
  // denglu's defaults: access and ID tokens an hour, refresh tokens 30 days, codes a minute.
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 60,
    ClientCredentials: 3600,
    IdToken: 3600,
    RefreshToken: 30 * 24 * 3600,
    Grant: 30 * 24 * 3600,
    Interaction: 3600,
    Session: 15 * 24 * 3600,
  },
});

let client;
let accounts = 0;

/** One code as a finished login leaves it: a grant for the scopes, and a code of that grant. */
async function makeCode() {
  accounts += 1;
  const accountId = `user-${accounts}`;
  const grant = new provider.Grant({ accountId, clientId: CLIENT_ID });
  grant.addOIDCScope(SCOPE);
  const grantId = await grant.save();
  const code = new provider.AuthorizationCode({
    accountId,
    client,
    grantId,
    scope: SCOPE,
    redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    authTime: Math.floor(Date.now() / 1000),
  });
  return code.save();
}

provider.use(async (ctx, next) => {
  if (ctx.path === '/healthz') {
    ctx.body = { status: 'ok' };
    return;
  }
  if (ctx.path === '/bench/codes' && ctx.method === 'GET') {
    const count = Math.min(Number(ctx.query.count) || 0, 100_000);
    client ??= await provider.Client.find(CLIENT_ID);
    const codes = [];
    for (let n = 0; n < count; n += 1) codes.push(await makeCode());
    ctx.body = { codes };
    return;
  }
  await next();
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on http://127.0.0.1:${port}`);
});
