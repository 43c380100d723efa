// Run by scripts/check.sh in an empty project where the packed @denglu/wxapp-sdk was installed: it loads from the
// installed copy and makes a working client under a stand-in of the mini program's `wx`.
const assert = require('node:assert/strict');

const storage = new Map();
globalThis.wx = {
  getStorageSync: (key) => (storage.has(key) ? storage.get(key) : ''),
  setStorageSync: (key, value) => storage.set(key, value),
  removeStorageSync: (key) => storage.delete(key),
};

const Authing = require('@denglu/wxapp-sdk');
const manifest = require('@denglu/wxapp-sdk/package.json');

async function main() {
  const client = new Authing({ userPoolId: 'pool', host: { user: 'https://login.example.com' } });
  assert.equal(client.userPoolId, 'pool');
  assert.equal(client.graphqlUrl, 'https://login.example.com/graphql');
  assert.equal(client.getToken(), null);
  assert.deepEqual(await client.checkLoginStatus(), { code: 2020, status: false, message: '未登录' });
  client.setToken('a-token');
  assert.equal(client.getToken(), 'a-token');
  assert.equal(storage.get('_authing_token'), 'a-token');
  assert.throws(() => new Authing({}), /userPoolId is not provided/);
  console.log(`the packed @denglu/wxapp-sdk ${manifest.version} installs and runs`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
