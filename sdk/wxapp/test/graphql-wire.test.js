// Wire format of the GraphQL methods (spec: authing-compat.md §5.2, §5.4, §6.2) against a recording fake server:
// documents verbatim, no operationName, variables, `authorization: Bearer <token>` only when logged in, and the
// resolve/reject rule.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { wireSetup } = require('./helpers/setup.js');
const { POOL, USER_ID, fakeToken, rejection, sampleUser } = require('./helpers/common.js');
const { makeKey, decrypt } = require('./helpers/keys.js');

const ctx = wireSetup();
const key = makeKey(1024);

// The documents of spec §5.4, written out again here (whitespace collapsed, as the spec gives them).
const FIELDS = '_id email emailVerified username nickname company photo phone browser registerInClient registerMethod oauth token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted';
const DOCS = {
  login:
    'mutation login( $unionid: String, $email: String, $username: String, $password: String, $lastIP: String, $registerInClient: String!, $verifyCode: String ) { login( unionid: $unionid, email: $email, username: $username, password: $password, lastIP: $lastIP, registerInClient: $registerInClient, verifyCode: $verifyCode ) { _id email emailVerified username nickname company photo browser token tokenExpiredAt loginsCount lastLogin lastIP signedUp blocked isDeleted } }',
  register:
    'mutation register( $unionid: String, $email: String, $password: String, $lastIP: String, $forceLogin: Boolean, $registerInClient: String!, $oauth: String, $username: String, $nickname: String, $registerMethod: String, $photo: String ) { register(userInfo: { unionid: $unionid, email: $email, password: $password, lastIP: $lastIP, forceLogin: $forceLogin, registerInClient: $registerInClient, oauth: $oauth, registerMethod: $registerMethod, photo: $photo, username: $username, nickname: $nickname }) { _id, email, emailVerified, username, nickname, company, photo, browser, password, token, group { name }, blocked } }',
  checkLoginStatus: 'query checkLoginStatus { checkLoginStatus { status code message } }',
  metadata: 'query userMetadata($_id: String!) { userMetadata(_id: $_id) { totalCount list { key value } } }',
  setMetadata: 'mutation setUserMetadata($input: SetUserMetadataInput!) { setUserMetadata(input: $input) { totalCount list { key value } } }',
  removeMetadata: 'mutation removeUserMetadata($input: RemoveUserMetadataInput!){ removeUserMetadata(input: $input){ totalCount list { key value } } }',
  updatePhoto: `mutation UpdateUser($_id: String!, $photo: String, $registerInClient: String!){ updateUser(options: { _id: $_id, photo: $photo, registerInClient: $registerInClient }) { ${FIELDS} } }`,
  logout: `mutation UpdateUser($_id: String!, $tokenExpiredAt: String, $registerInClient: String!){ updateUser(options: { _id: $_id, tokenExpiredAt: $tokenExpiredAt, registerInClient: $registerInClient }) { ${FIELDS} } }`,
};

const data = (field, value) => () => ({ body: { data: { [field]: value } } });
const authingError = (code, message) => ({
  body: { errors: [{ message: { code, message }, locations: [{ line: 1, column: 10 }], path: ['x'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }], data: null },
});
const only = () => {
  assert.equal(ctx.server.requests.length, 1, 'exactly one request');
  return ctx.server.requests[0];
};
const metadataList = { totalCount: 1, list: [{ key: 'KEY', value: 'VALUE' }] };

// --- login ----------------------------------------------------------------------------------------------------

test('login({email, password}): POST host.user, the original document, no operationName, encrypted password; stores the token', async () => {
  const user = sampleUser({ email: 'ivy@example.com' });
  ctx.server.answer = data('login', user);
  const authing = ctx.newAuthing({ passwordEncryptPublicKey: key.publicPem });
  assert.deepEqual(await authing.login({ email: 'ivy@example.com', password: 'correct horse 密码' }), user);
  const req = only();
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/graphql');
  assert.equal(req.headers['content-type'], 'application/json');
  assert.ok(!('authorization' in req.headers), 'no authorization header when logged out');
  assert.deepEqual(Object.keys(req.json), ['query', 'variables']);
  assert.equal(req.json.query, DOCS.login);
  assert.deepEqual(Object.keys(req.json.variables), ['email', 'password', 'registerInClient']);
  assert.equal(req.json.variables.email, 'ivy@example.com');
  assert.equal(req.json.variables.registerInClient, POOL);
  assert.equal(req.json.variables.password.length, 172, '1024-bit key: 128 bytes, base64');
  assert.equal(decrypt(key, req.json.variables.password).message.toString('utf8'), 'correct horse 密码');
  assert.ok(ctx.wx.callsOf('getRandomValues').length >= 1, 'padding from wx.getRandomValues');
  assert.equal(ctx.wx.getStorageSync('_authing_token'), user.token);
});

test('login: variables keep the caller order, unknown keys are dropped, the constructor alias passwordEncPublicKey works', async () => {
  ctx.server.answer = data('login', sampleUser());
  const authing = ctx.newAuthing({ passwordEncPublicKey: key.pkcs1Pem });
  const options = { password: 'pw', username: 'ivy', color: 'blue', registerInClient: 'other', lastIP: undefined };
  await authing.login(options);
  const vars = only().json.variables;
  assert.deepEqual(Object.keys(vars), ['password', 'username', 'registerInClient']);
  assert.equal(vars.registerInClient, POOL);
  assert.equal(decrypt(key, vars.password).message.toString(), 'pw');
  assert.equal(options.password, 'pw', "the caller's object is not changed");
});

test('login: an Authing error rejects with errors[0].message and stores nothing', async () => {
  ctx.server.answer = () => authingError(2006, '密码错误');
  const authing = ctx.newAuthing({ passwordEncryptPublicKey: key.publicPem });
  assert.deepEqual(await rejection(authing.login({ email: 'a@b.c', password: 'x' })), { code: 2006, message: '密码错误' });
  assert.equal(authing.getToken(), null);
});

test('login without a configured public key rejects (code -4) and sends nothing; too long a password too', async () => {
  const error = await rejection(ctx.newAuthing().login({ email: 'a@b.c', password: 'x' }));
  assert.equal(error.code, -4);
  assert.match(error.message, /passwordEncryptPublicKey/);
  const long = await rejection(ctx.newAuthing({ passwordEncryptPublicKey: key.publicPem }).login({ email: 'a@b.c', password: 'x'.repeat(200) }));
  assert.equal(long.code, -4);
  assert.equal(ctx.server.requests.length, 0);
  assert.throws(() => ctx.newAuthing({ passwordEncryptPublicKey: 'not a key' }), /base64|PEM|DER|public key/);
});

test('login without wx.getRandomValues (old base library) uses crypto.getRandomValues', async () => {
  delete ctx.wx.getRandomValues;
  ctx.server.answer = data('login', sampleUser());
  await ctx.newAuthing({ passwordEncryptPublicKey: key.publicPem }).login({ unionid: 'u1', password: 'pw' });
  assert.equal(decrypt(key, only().json.variables.password).message.toString(), 'pw');
});

// --- register -------------------------------------------------------------------------------------------------

test('register({email, password, nickname}): the original document, encrypted password, registerInClient last; resolves the user, stores no token', async () => {
  const user = { _id: USER_ID, email: 'ivy@example.com', emailVerified: false, username: null, nickname: 'Ivy', company: null, photo: null, browser: null, password: null, token: null, group: null, blocked: false };
  ctx.server.answer = data('register', user);
  const authing = ctx.newAuthing({ passwordEncryptPublicKey: key.publicPem });
  const options = { email: 'ivy@example.com', password: 'correct horse 密码', nickname: 'Ivy' };
  assert.deepEqual(await authing.register(options), user);
  const req = only();
  assert.equal(req.method, 'POST');
  assert.equal(req.url, '/graphql');
  assert.ok(!('authorization' in req.headers), 'no authorization header when logged out');
  assert.deepEqual(Object.keys(req.json), ['query', 'variables']);
  assert.equal(req.json.query, DOCS.register);
  assert.deepEqual(Object.keys(req.json.variables), ['email', 'password', 'nickname', 'registerInClient']);
  assert.equal(req.json.variables.registerInClient, POOL);
  assert.equal(req.json.variables.password.length, 172, '1024-bit key: 128 bytes, base64');
  assert.equal(decrypt(key, req.json.variables.password).message.toString('utf8'), 'correct horse 密码');
  assert.equal(options.password, 'correct horse 密码', "the caller's object is not changed");
  assert.equal(authing.getToken(), null, 'register does not log in');
  assert.equal(ctx.wx.getStorageSync('_authing_token'), '');
});

test('register: the original variables in caller order, unknown and undefined keys dropped, registerInClient forced', async () => {
  ctx.server.answer = data('register', sampleUser({ token: null }));
  const authing = ctx.newAuthing({ passwordEncryptPublicKey: key.publicPem });
  const options = { username: 'ivy', color: 'blue', photo: 'https://x/y.png', forceLogin: true, password: 'pw', registerInClient: 'other', lastIP: undefined, verifyCode: '1' };
  await authing.register(options);
  const vars = only().json.variables;
  assert.deepEqual(Object.keys(vars), ['username', 'photo', 'forceLogin', 'password', 'registerInClient']);
  assert.equal(vars.registerInClient, POOL);
  assert.equal(vars.forceLogin, true);
  assert.equal(decrypt(key, vars.password).message.toString(), 'pw');
});

test('register: an Authing error rejects with errors[0].message; without a public key it rejects (-4) and sends nothing', async () => {
  ctx.server.answer = () => authingError(2026, 'the username is already taken');
  const authing = ctx.newAuthing({ passwordEncryptPublicKey: key.publicPem });
  assert.deepEqual(await rejection(authing.register({ username: 'ivy', password: 'correct horse' })), {
    code: 2026,
    message: 'the username is already taken',
  });
  assert.equal(ctx.server.requests.length, 1);
  ctx.server.reset();
  const error = await rejection(ctx.newAuthing().register({ username: 'ivy', password: 'correct horse' }));
  assert.equal(error.code, -4);
  assert.equal((await rejection(ctx.newAuthing().register())).code, -5, 'no options');
  assert.equal(ctx.server.requests.length, 0);
});

// --- GraphQL rule ---------------------------------------------------------------------------------------------

test('the GraphQL rule: string messages, JSON-text messages, HTTP errors, missing fields', async () => {
  const authing = ctx.newAuthing();
  authing.setToken(fakeToken());
  ctx.server.answer = () => ({ body: { errors: [{ message: 'Unknown field "x"' }], data: null } });
  assert.deepEqual(await rejection(authing.metadata(USER_ID)), { code: -2, message: 'Unknown field "x"', statusCode: 200 });
  ctx.server.answer = () => ({ body: { errors: [{ message: '{"code":2020,"message":"未登录"}' }], data: null } });
  assert.deepEqual(await rejection(authing.metadata(USER_ID)), { code: 2020, message: '未登录' });
  ctx.server.answer = () => ({ status: 500, body: { data: { userMetadata: metadataList } } });
  assert.equal((await rejection(authing.metadata(USER_ID))).code, -2);
  ctx.server.answer = () => ({ status: 400, ...authingError(2001, 'bad') });
  assert.deepEqual(await rejection(authing.metadata(USER_ID)), { code: 2001, message: 'bad' });
  ctx.server.answer = () => ({ body: { data: {} } });
  assert.match((await rejection(authing.metadata(USER_ID))).message, /no userMetadata/);
  ctx.server.answer = () => ({ body: { errors: [{ message: { code: 200, message: 'fine' } }], data: { userMetadata: metadataList } } });
  assert.deepEqual(await authing.metadata(USER_ID), metadataList, 'an error whose code is 200 passes, as in the original');
});

// --- checkLoginStatus -----------------------------------------------------------------------------------------

test('checkLoginStatus logged out: {code: 2020, status: false, message: "未登录"} without a request', async () => {
  assert.deepEqual(await ctx.newAuthing().checkLoginStatus(), { code: 2020, status: false, message: '未登录' });
  assert.equal(ctx.server.requests.length, 0);
});

test('checkLoginStatus logged in: the bare document, no variables, the token as Bearer; resolves the status', async () => {
  const status = { status: true, code: 200, message: '已登录' };
  ctx.server.answer = data('checkLoginStatus', status);
  const token = fakeToken();
  ctx.wx.setStorageSync('_authing_token', token);
  assert.deepEqual(await ctx.newAuthing().checkLoginStatus(), status);
  const req = only();
  assert.equal(req.body, JSON.stringify({ query: DOCS.checkLoginStatus }));
  assert.equal(req.headers.authorization, `Bearer ${token}`);
  ctx.server.answer = data('checkLoginStatus', { status: false, code: 2206, message: '登录信息已过期' });
  assert.deepEqual(await ctx.newAuthing().checkLoginStatus(), { status: false, code: 2206, message: '登录信息已过期' });
});

// --- metadata -------------------------------------------------------------------------------------------------

test('metadata / setMetadata / removeMetadata: documents, variables, resolved lists', async () => {
  const authing = ctx.newAuthing();
  authing.setToken(fakeToken());
  ctx.server.answer = (req) => {
    const field = /(userMetadata|setUserMetadata|removeUserMetadata)\(/.exec(req.json.query)[1];
    return { body: { data: { [field]: field === 'removeUserMetadata' ? { totalCount: 0, list: [] } : metadataList } } };
  };
  assert.deepEqual(await authing.metadata(USER_ID), metadataList);
  assert.deepEqual(await authing.setMetadata({ _id: USER_ID, key: 'KEY', value: 'VALUE' }), metadataList);
  assert.deepEqual(await authing.removeMetadata({ _id: USER_ID, key: 'KEY' }), { totalCount: 0, list: [] });
  const [get, set, remove] = ctx.server.requests;
  assert.equal(get.body, JSON.stringify({ query: DOCS.metadata, variables: { _id: USER_ID } }));
  assert.equal(set.body, JSON.stringify({ query: DOCS.setMetadata, variables: { input: { _id: USER_ID, key: 'KEY', value: 'VALUE' } } }));
  assert.equal(remove.body, JSON.stringify({ query: DOCS.removeMetadata, variables: { input: { _id: USER_ID, key: 'KEY' } } }));
  for (const req of ctx.server.requests) assert.equal(req.headers.authorization, `Bearer ${authing.getToken()}`);
});

test('metadata methods default the user id to the logged-in user; without one they reject locally', async () => {
  const authing = ctx.newAuthing();
  assert.equal((await rejection(authing.metadata())).code, -5);
  assert.equal((await rejection(authing.setMetadata({ key: 'k', value: 'v' }))).code, -5);
  assert.equal((await rejection(authing.removeMetadata())).code, -5);
  assert.equal(ctx.server.requests.length, 0);
  authing.setToken(fakeToken('aaaaaaaaaaaaaaaaaaaaaaaa'));
  ctx.server.answer = data('userMetadata', metadataList);
  await authing.metadata();
  assert.deepEqual(only().json.variables, { _id: 'aaaaaaaaaaaaaaaaaaaaaaaa' });
});

test('metadata errors reject with {code, message}', async () => {
  const authing = ctx.newAuthing();
  authing.setToken(fakeToken());
  ctx.server.answer = () => authingError(2222, '无权限');
  assert.deepEqual(await rejection(authing.setMetadata({ _id: 'someone-else', key: 'k', value: 'v' })), { code: 2222, message: '无权限' });
});

// --- update / updateUser --------------------------------------------------------------------------------------

test('update({_id, photo}): the generated UpdateUser document of the spec, registerInClient appended', async () => {
  const user = sampleUser({ photo: 'https://id.example/p.png' });
  ctx.server.answer = data('updateUser', user);
  const authing = ctx.newAuthing();
  authing.setToken(fakeToken());
  assert.deepEqual(await authing.update({ _id: USER_ID, photo: 'https://id.example/p.png' }), user);
  const req = only();
  assert.equal(req.json.query, DOCS.updatePhoto);
  assert.equal(req.body, JSON.stringify({ query: DOCS.updatePhoto, variables: { _id: USER_ID, photo: 'https://id.example/p.png', registerInClient: POOL } }));
  assert.equal(req.headers.authorization, `Bearer ${authing.getToken()}`);
});

test('updateUser is update; keys in caller order, unknown and undefined keys dropped, _id defaults to the token user', async () => {
  ctx.server.answer = data('updateUser', sampleUser());
  const authing = ctx.newAuthing();
  authing.setToken(fakeToken());
  await authing.updateUser({ nickname: 'Ivy', blocked: undefined, favourite: 'tea', company: 'ACME' });
  const { query, variables } = only().json;
  assert.equal(
    query,
    `mutation UpdateUser($_id: String!, $nickname: String, $company: String, $registerInClient: String!){ updateUser(options: { _id: $_id, nickname: $nickname, company: $company, registerInClient: $registerInClient }) { ${FIELDS} } }`,
  );
  assert.deepEqual(variables, { _id: USER_ID, nickname: 'Ivy', company: 'ACME', registerInClient: POOL });
});

test('update with a new password needs oldPassword; both are encrypted', async () => {
  const authing = ctx.newAuthing({ passwordEncryptPublicKey: key.publicPem });
  authing.setToken(fakeToken());
  assert.equal((await rejection(authing.update({ _id: USER_ID, password: 'new' }))).code, -5);
  assert.equal(ctx.server.requests.length, 0);
  ctx.server.answer = data('updateUser', sampleUser());
  await authing.update({ _id: USER_ID, password: 'new', oldPassword: 'old' });
  const { variables, query } = only().json;
  assert.match(query, /^mutation UpdateUser\(\$_id: String!, \$password: String, \$oldPassword: String, \$registerInClient: String!\)/);
  assert.equal(decrypt(key, variables.password).message.toString(), 'new');
  assert.equal(decrypt(key, variables.oldPassword).message.toString(), 'old');
});

// --- logout and token switching -------------------------------------------------------------------------------

test('logout(userId): forgets the token at once, sends tokenExpiredAt "0" with the old token as Bearer; later calls carry no token', async () => {
  const token = fakeToken();
  let storedDuringRequest = null;
  ctx.server.answer = () => {
    storedDuringRequest = ctx.wx.getStorageSync('_authing_token');
    return { body: { data: { updateUser: sampleUser({ tokenExpiredAt: '0' }) } } };
  };
  const authing = ctx.newAuthing();
  authing.setToken(token);
  const result = await authing.logout(USER_ID);
  assert.equal(result.tokenExpiredAt, '0');
  const req = only();
  assert.equal(req.body, JSON.stringify({ query: DOCS.logout, variables: { _id: USER_ID, tokenExpiredAt: '0', registerInClient: POOL } }));
  assert.equal(req.headers.authorization, `Bearer ${token}`);
  assert.equal(storedDuringRequest, '', 'removed before the answer');
  assert.equal(authing.getToken(), null);
  assert.deepEqual(await authing.checkLoginStatus(), { code: 2020, status: false, message: '未登录' });
  ctx.server.answer = data('userMetadata', metadataList);
  await authing.metadata(USER_ID);
  assert.ok(!('authorization' in ctx.server.requests[1].headers));
});

test('logout when logged out rejects 2020 locally; a server error still leaves the token forgotten', async () => {
  const authing = ctx.newAuthing();
  assert.deepEqual(await rejection(authing.logout(USER_ID)), { code: 2020, message: '未登录' });
  assert.equal(ctx.server.requests.length, 0);
  authing.setToken(fakeToken());
  ctx.server.answer = () => authingError(2206, '登录信息已过期');
  assert.deepEqual(await rejection(authing.logout()), { code: 2206, message: '登录信息已过期' });
  assert.equal(only().json.variables._id, USER_ID, 'the id comes from the token');
  assert.equal(authing.getToken(), null);
});

test('the token header follows the login state: none, Bearer after loginWithWxapp, and another instance sees it', async () => {
  const user = sampleUser({ token: fakeToken(USER_ID, { iat: 1 }) });
  ctx.server.answer = (req) => {
    if (req.url.startsWith('/oauth/')) return { body: { code: 200, message: 'ok', data: user } };
    return { body: { data: { checkLoginStatus: { status: true, code: 200, message: '已登录' } } } };
  };
  const first = ctx.newAuthing();
  const second = ctx.newAuthing();
  await first.loginWithWxapp({ code: 'c' });
  await second.checkLoginStatus();
  assert.equal(ctx.server.requests[1].headers.authorization, `Bearer ${user.token}`);
  first.setToken(null);
  assert.deepEqual(await second.checkLoginStatus(), { code: 2020, status: false, message: '未登录' });
});
