// Per-test setup for the wire tests: a fake server, a wx stand-in installed as the global `wx` (as in a mini
// program), and an Authing instance pointed at the fake server.

const { after, before, beforeEach } = require('node:test');
const Authing = require('../../authing/authing.js');
const { startFakeServer } = require('./fake-server.js');
const { createWx } = require('./wx.js');
const { POOL } = require('./common.js');

/** Installs `wx` as the global the SDK reads. */
function installWx(wx) {
  globalThis.wx = wx;
  return wx;
}

/**
 * Registers hooks for a test file; returns `ctx` whose fields are set before each test: ctx.server (shared fake
 * server, reset per test), ctx.wx (fresh stand-in), ctx.newAuthing(extra) (an instance on the fake server).
 */
function wireSetup() {
  const ctx = {};
  before(async () => {
    ctx.server = await startFakeServer();
  });
  after(async () => {
    await ctx.server.close();
    delete globalThis.wx;
  });
  beforeEach(() => {
    ctx.server.reset();
    ctx.wx = installWx(createWx());
  });
  ctx.newAuthing = (extra = {}) =>
    new Authing(
      Object.assign({ userPoolId: POOL, host: { user: `${ctx.server.base}/graphql`, oauth: `${ctx.server.base}/graphql` } }, extra),
    );
  return ctx;
}

module.exports = { wireSetup, installWx };
