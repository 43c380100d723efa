// changeAvatar against a recording fake server: the image chooser, then wx.uploadFile (multipart, field `file`)
// to denglu's native endpoint with `Authorization: Bearer <token>`; the resolved user and the rejections.
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const { rmSync } = require('node:fs');
const { wireSetup } = require('./helpers/setup.js');
const { USER_ID, fakeToken, rejection, sampleUser } = require('./helpers/common.js');
const { png, tempFiles } = require('./helpers/png.js');

const ctx = wireSetup();
const image = png(8, 8);
const files = tempFiles({ 'avatar.png': image, 'other.png': png(4, 4) });
after(() => rmSync(files.dir, { recursive: true, force: true }));

const userAfter = sampleUser({ photo: 'https://id.example/avatars/r4nd0m.png' });

test('changeAvatar(userId): chooseMedia, then POST {oauthHost}/api/v1/users/{id}/avatar with the file as `file`; resolves the user', async () => {
  ctx.server.answer = () => ({ body: userAfter });
  const token = fakeToken();
  ctx.wx.setStorageSync('_authing_token', token);
  ctx.wx.queueChoice(files.path('avatar.png'));
  assert.deepEqual(await ctx.newAuthing().changeAvatar(USER_ID), userAfter);
  const [choose] = ctx.wx.callsOf('chooseMedia');
  assert.equal(choose.args.count, 1);
  assert.deepEqual(choose.args.mediaType, ['image']);
  assert.equal(ctx.server.requests.length, 1);
  const req = ctx.server.requests[0];
  assert.equal(req.method, 'POST');
  assert.equal(req.url, `/api/v1/users/${USER_ID}/avatar`);
  assert.equal(req.headers.authorization, `Bearer ${token}`);
  assert.match(req.headers['content-type'], /^multipart\/form-data; boundary=/);
  assert.deepEqual(Object.keys(req.form.files), ['file']);
  assert.equal(req.form.files.file.filename, 'avatar.png');
  assert.deepEqual(req.form.files.file.bytes, image);
});

test('changeAvatar: wx.chooseImage on base libraries without chooseMedia; the user id defaults to the token user', async () => {
  const { createWx } = require('./helpers/wx.js');
  const { installWx } = require('./helpers/setup.js');
  ctx.wx = installWx(createWx({ chooseMedia: false, image: files.path('other.png') }));
  ctx.server.answer = () => ({ body: userAfter });
  const authing = ctx.newAuthing();
  authing.setToken(fakeToken('bbbbbbbbbbbbbbbbbbbbbbbb'));
  await authing.changeAvatar();
  assert.equal(ctx.wx.callsOf('chooseImage').length, 1);
  assert.equal(ctx.server.requests[0].url, '/api/v1/users/bbbbbbbbbbbbbbbbbbbbbbbb/avatar');
  assert.equal(ctx.server.requests[0].form.files.file.filename, 'other.png');
});

test('changeAvatar(userId, {filePath}) uploads that file without opening the chooser', async () => {
  ctx.server.answer = () => ({ body: userAfter });
  const authing = ctx.newAuthing();
  authing.setToken(fakeToken());
  await authing.changeAvatar(USER_ID, { filePath: files.path('avatar.png') });
  assert.equal(ctx.wx.callsOf('chooseMedia').length, 0);
  assert.deepEqual(ctx.server.requests[0].form.files.file.bytes, image);
});

test('changeAvatar logged out rejects 2020 and opens nothing; a cancelled chooser rejects -3 and uploads nothing', async () => {
  const authing = ctx.newAuthing();
  assert.deepEqual(await rejection(authing.changeAvatar(USER_ID)), { code: 2020, message: '未登录' });
  assert.equal(ctx.wx.callsOf('chooseMedia').length, 0);
  authing.setToken(fakeToken());
  ctx.wx.queueChoice('cancel');
  const cancelled = await rejection(authing.changeAvatar(USER_ID));
  assert.equal(cancelled.code, -3);
  assert.equal(cancelled.errMsg, 'chooseMedia:fail cancel');
  assert.equal(ctx.server.requests.length, 0);
});

test('changeAvatar: refusals reject with the server {code, message}; replies that are not JSON reject -2', async () => {
  const authing = ctx.newAuthing();
  authing.setToken(fakeToken());
  ctx.server.answer = () => ({ status: 413, body: { code: 4601, message: 'the image is larger than 2 MiB' } });
  assert.deepEqual(await rejection(authing.changeAvatar(USER_ID, { filePath: files.path('avatar.png') })), {
    code: 4601,
    message: 'the image is larger than 2 MiB',
  });
  ctx.server.answer = () => ({ status: 415, body: { code: 4602, message: 'not an image' } });
  assert.equal((await rejection(authing.changeAvatar(USER_ID, { filePath: files.path('avatar.png') }))).code, 4602);
  ctx.server.answer = () => ({ status: 502, body: 'Bad Gateway', headers: { 'content-type': 'text/plain' } });
  const bad = await rejection(authing.changeAvatar(USER_ID, { filePath: files.path('avatar.png') }));
  assert.equal(bad.code, -2);
  assert.equal(bad.statusCode, 502);
  ctx.server.answer = () => ({ status: 200, body: 'ok' });
  assert.equal((await rejection(authing.changeAvatar(USER_ID, { filePath: files.path('avatar.png') }))).code, -2);
});

test('changeAvatar: no answer rejects -1 with the uploadFile errMsg', async () => {
  const Authing = require('../authing/authing.js');
  const authing = new Authing({ userPoolId: 'p', host: { user: 'http://127.0.0.1:9/graphql', oauth: 'http://127.0.0.1:9/graphql' } });
  authing.setToken(fakeToken());
  const error = await rejection(authing.changeAvatar(USER_ID, { filePath: files.path('avatar.png') }));
  assert.equal(error.code, -1);
  assert.match(error.errMsg, /^uploadFile:fail/);
});
