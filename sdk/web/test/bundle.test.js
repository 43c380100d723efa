// The built files: dist/denglu.min.js defines the global Authing in a page; dist/denglu.esm.js exports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { JSDOM } from 'jsdom';
import vm from 'node:vm';

const dist = new URL('../dist/', import.meta.url);

test('dist/denglu.min.js defines window.Authing in a page (script tag)', async () => {
  const code = await readFile(new URL('denglu.min.js', dist), 'utf8');
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    url: 'https://app.example/',
    runScripts: 'outside-only',
  });
  dom.window.eval(code);
  const Authing = dom.window.Authing;
  assert.equal(typeof Authing, 'function');
  assert.equal(typeof Authing.prototype.startWXAppScaning, 'function');
  for (const name of ['updateRetryTips', 'updateFailedTips', 'updateSuccessTips', 'updateSuccessRedirectTips', 'getToken']) {
    assert.equal(typeof Authing.prototype[name], 'function', name);
  }
  const authing = new Authing({ userPoolId: '5c344f102e450b000170190a', host: { oauth: 'https://id.example/graphql' } });
  assert.equal(authing.oauthBase, 'https://id.example');
  assert.throws(() => new Authing({}), /userPoolId is not provided/);
  assert.equal(Object.keys(dom.window).filter((k) => k.startsWith('__denglu')).length, 0, 'no stray globals');
  dom.window.close();
});

test('dist/denglu.min.js works as CommonJS and AMD too (UMD)', async () => {
  const code = await readFile(new URL('denglu.min.js', dist), 'utf8');
  const module = { exports: {} };
  vm.runInNewContext(code, { module, exports: module.exports });
  assert.equal(typeof module.exports, 'function');
  assert.equal(module.exports.name.length > 0, true);
  let defined = null;
  const define = (deps, factory) => {
    defined = factory();
  };
  define.amd = {};
  vm.runInNewContext(code, { define });
  assert.equal(typeof defined, 'function');
  assert.equal(typeof defined.prototype.startWXAppScaning, 'function');
});

test('dist/denglu.esm.js exports the same API as src', async () => {
  const built = await import(new URL('denglu.esm.js', dist).href);
  const src = await import('../src/index.js');
  assert.deepEqual(Object.keys(built).sort(), Object.keys(src).sort());
  assert.equal(typeof built.default, 'function');
  assert.equal(built.default, built.Authing);
  assert.equal(built.VERSION, src.VERSION);
  assert.match(built.randomWord(), /^[0-9A-Za-z]{24}$/);
});

test('package.json points at files that exist', async () => {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
  assert.equal(pkg.name, '@denglu/web-sdk');
  assert.equal(pkg.type, 'module');
  for (const path of [pkg.main, pkg.unpkg, pkg.types, pkg.exports['.'].import, pkg.exports['.'].types]) {
    await readFile(new URL(`../${path}`, import.meta.url));
  }
  const { VERSION } = await import('../src/index.js');
  assert.equal(VERSION, pkg.version, 'src/authing.js VERSION matches package.json');
});
