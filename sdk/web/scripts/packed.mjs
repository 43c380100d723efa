// Run by scripts/check.sh in an empty project where the packed @denglu/web-sdk was installed: the ES module and the
// <script> bundle both load from the installed copy and make a working client.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';

import Authing, { VERSION, randomWord } from '@denglu/web-sdk';

const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(require.resolve('@denglu/web-sdk/package.json'), 'utf8'));
assert.equal(VERSION, manifest.version);

const client = new Authing({ userPoolId: 'pool', host: { oauth: 'https://login.example.com/' } });
assert.equal(client.userPoolId, 'pool');
assert.equal(client.oauthBase, 'https://login.example.com');
assert.equal(client.getToken(), null);
assert.throws(() => new Authing({}), /userPoolId is not provided/);
assert.match(randomWord(16), /^[0-9A-Za-z_-]{16}$/);

// The bundle for <script> tags defines the global Authing.
const page = {};
page.window = page;
vm.runInNewContext(readFileSync(new URL(import.meta.resolve('@denglu/web-sdk/dist/denglu.min.js')), 'utf8'), page);
assert.equal(typeof page.Authing, 'function');
assert.equal(new page.Authing({ userPoolId: 'pool', host: 'https://login.example.com' }).oauthBase, 'https://login.example.com');

console.log(`the packed @denglu/web-sdk ${manifest.version} installs and runs`);
