// lib/scene.js: the scene from a mini program code (query.scene) or a plain QR link (query.q).
const test = require('node:test');
const assert = require('node:assert/strict');
const { readScene, hasSceneQuery } = require('../lib/scene.js');

test('query.scene is URL-decoded once', () => {
  assert.deepEqual(readScene({ scene: 'UH9yScpCmXY44gRHGKleuQ' }), { scene: 'UH9yScpCmXY44gRHGKleuQ', source: 'scene' });
  assert.deepEqual(readScene({ scene: 't%3DAb3_x-9.Q' }), { scene: 't=Ab3_x-9.Q', source: 'scene' });
  // Decoded once only: an encoded percent stays a percent.
  assert.deepEqual(readScene({ scene: 'a%2525b' }), { scene: 'a%25b', source: 'scene' });
});

test('query.q: the last path segment of the scanned link', () => {
  const link = 'https://login.example.com/s/UH9yScpCmXY44gRHGKleuQ';
  assert.deepEqual(readScene({ q: encodeURIComponent(link), scancode_time: '1700000000' }), {
    scene: 'UH9yScpCmXY44gRHGKleuQ',
    source: 'link',
  });
  assert.equal(readScene({ q: encodeURIComponent(`${link}?from=x#frag`) }).scene, 'UH9yScpCmXY44gRHGKleuQ');
  assert.equal(readScene({ q: encodeURIComponent(`${link}/`) }).scene, 'UH9yScpCmXY44gRHGKleuQ');
  assert.equal(readScene({ q: encodeURIComponent('http://127.0.0.1:8080/deep/prefix/abc_DEF-123') }).scene, 'abc_DEF-123');
});

test('query.scene wins over query.q', () => {
  assert.equal(readScene({ scene: 'fromScene', q: encodeURIComponent('https://x/s/fromLink') }).scene, 'fromScene');
});

test('nothing usable gives null', () => {
  for (const query of [
    undefined,
    {},
    { scene: '' },
    { scene: '%E0%A4%A' }, // malformed escape
    { scene: encodeURIComponent('a/b') },
    { scene: encodeURIComponent('a b') },
    { scene: 'x'.repeat(129) },
    { q: encodeURIComponent('https://login.example.com/') },
    { q: encodeURIComponent('https://login.example.com') },
    { q: '%zz' },
  ]) {
    assert.equal(readScene(query), null, JSON.stringify(query));
  }
});

test('hasSceneQuery tells "opened without a code" from "opened with a broken one"', () => {
  assert.equal(hasSceneQuery({}), false);
  assert.equal(hasSceneQuery(undefined), false);
  assert.equal(hasSceneQuery({ scene: '%zz' }), true);
  assert.equal(hasSceneQuery({ q: 'x' }), true);
});
