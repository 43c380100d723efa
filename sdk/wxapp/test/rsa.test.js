// Password encryption: PEM parsing, PKCS#1 v1.5 padding and the RSA operation, checked by decrypting with the
// private key; the byte helpers it stands on.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { publicEncrypt, constants, randomBytes } = require('node:crypto');
const rsa = require('../authing/rsa.js');
const { base64Encode, base64Decode, utf8Encode, utf8Decode } = require('../authing/encoding.js');
const { makeKey, decrypt } = require('./helpers/keys.js');

const key1024 = makeKey(1024);
const key2048 = makeKey(2048);
const nodeRandom = (n) => Promise.resolve(new Uint8Array(randomBytes(n)));

test('base64 and UTF-8 helpers agree with Buffer', () => {
  for (let len = 0; len < 40; len += 1) {
    const bytes = randomBytes(len);
    assert.equal(base64Encode(bytes), bytes.toString('base64'));
    assert.deepEqual(Buffer.from(base64Decode(bytes.toString('base64'))), bytes);
    assert.deepEqual(Buffer.from(base64Decode(bytes.toString('base64url'))), bytes);
  }
  for (const text of ['', 'abc', 'pässwörd', '密码🔑', 'a\u0000b', '\ud800x']) {
    assert.deepEqual(Buffer.from(utf8Encode(text)), Buffer.from(text, 'utf8'), text);
    assert.equal(utf8Decode(Buffer.from(text, 'utf8')), Buffer.from(text, 'utf8').toString('utf8'));
  }
  assert.equal(utf8Decode(Buffer.from([0xc0, 0x80, 0x41])), Buffer.from([0xc0, 0x80, 0x41]).toString('utf8'));
  assert.throws(() => base64Decode('ab$d'), /invalid base64/);
});

test('the test decryption itself reads what Node encrypts', () => {
  const c = publicEncrypt({ key: key1024.publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('hello'));
  assert.equal(decrypt(key1024, c.toString('base64')).message.toString(), 'hello');
});

test('parses SubjectPublicKeyInfo and PKCS#1 PEMs, and a bare base64 key', () => {
  for (const key of [key1024, key2048]) {
    for (const pem of [key.publicPem, key.pkcs1Pem, key.publicPem.replace(/-----[^-]+-----/g, '')]) {
      const parsed = rsa.parsePublicKey(pem);
      assert.equal(parsed.n, key.n);
      assert.equal(parsed.e, key.e);
      assert.equal(parsed.size, key.size);
    }
  }
  const crlf = key1024.publicPem.replace(/\n/g, '\r\n');
  assert.equal(rsa.parsePublicKey(`  ${crlf}  `).n, key1024.n);
});

test('refuses keys that are not RSA public keys, or too small', () => {
  assert.throws(() => rsa.parsePublicKey(''), /empty/);
  assert.throws(() => rsa.parsePublicKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----'), /unsupported PEM/);
  assert.throws(() => rsa.parsePublicKey('-----BEGIN PUBLIC KEY-----\nMAMCAQA=\n-----END PUBLIC KEY-----'), /public key|DER/);
  const { generateKeyPairSync } = require('node:crypto');
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
  assert.throws(() => rsa.parsePublicKey(ec), /not an RSA public key/);
  const small = generateKeyPairSync('rsa', { modulusLength: 512 }).publicKey.export({ type: 'spki', format: 'pem' });
  assert.throws(() => rsa.parsePublicKey(small), /512 bits/);
});

test('encrypts with PKCS#1 v1.5 padding: 00 02 PS 00 M, random non-zero PS, full-length base64', async () => {
  for (const key of [key1024, key2048]) {
    const parsed = rsa.parsePublicKey(key.publicPem);
    for (const password of ['correct horse', '密码 pässwörd 🔑', '', 'x'.repeat(key.size - 11)]) {
      const b64 = await rsa.encrypt(parsed, password, nodeRandom);
      assert.equal(b64.length, key.size === 128 ? 172 : 344);
      const out = decrypt(key, b64);
      assert.equal(out.message.toString('utf8'), password);
      assert.equal(out.ps.length, key.size - 3 - Buffer.byteLength(password));
      assert.ok(!out.ps.includes(0));
    }
  }
  const parsed = rsa.parsePublicKey(key1024.publicPem);
  const a = await rsa.encrypt(parsed, 'same', nodeRandom);
  const b = await rsa.encrypt(parsed, 'same', nodeRandom);
  assert.notEqual(a, b, 'the padding is random');
});

test('zero bytes from the random source are skipped, not used as padding', async () => {
  const parsed = rsa.parsePublicKey(key1024.publicPem);
  let calls = 0;
  const zeroHeavy = (n) => {
    calls += 1;
    const bytes = new Uint8Array(randomBytes(n));
    for (let i = 0; i < n; i += 2) bytes[i] = 0;
    return Promise.resolve(bytes);
  };
  const out = decrypt(key1024, await rsa.encrypt(parsed, 'pw', zeroHeavy));
  assert.equal(out.message.toString(), 'pw');
  assert.ok(!out.ps.includes(0));
  assert.ok(calls >= 2);
});

test('a password longer than the key allows is refused', async () => {
  const parsed = rsa.parsePublicKey(key1024.publicPem);
  await assert.rejects(rsa.encrypt(parsed, 'x'.repeat(118), nodeRandom), /too long .*117 bytes/);
});

test('ciphertexts with leading zero bytes keep the full length', () => {
  assert.deepEqual(Array.from(rsa.bigIntToBytes(BigInt(0x0102), 4)), [0, 0, 1, 2]);
  assert.equal(rsa.modPow(BigInt(4), BigInt(13), BigInt(497)), BigInt(445));
});

test('random source: wx.getRandomValues first, crypto.getRandomValues without it', async () => {
  let asked = 0;
  const wxApi = {
    getRandomValues({ length, success }) {
      asked += length;
      setImmediate(() => success({ errMsg: 'getRandomValues:ok', randomValues: new Uint8Array(length).fill(7).buffer }));
    },
  };
  const fromWx = rsa.randomSource(wxApi);
  assert.deepEqual(Array.from(await fromWx(3)), [7, 7, 7]);
  assert.equal(asked, 3);
  const fromCrypto = rsa.randomSource({});
  assert.equal((await fromCrypto(16)).length, 16);
  const failing = rsa.randomSource({ getRandomValues: ({ fail }) => fail({ errMsg: 'getRandomValues:fail' }) });
  await assert.rejects(failing(4), /getRandomValues:fail/);
});
