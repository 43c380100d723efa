// RSA encryption with PKCS#1 v1.5 padding (RFC 8017 §7.2.1), as the original SDK did with JSEncrypt, written over
// BigInt so that it needs no library and no `window`. Only the public-key operation is here: the server decrypts.
//
// Mini program notes: BigInt values are made with BigInt(n), never with `0n` literals, and there is no `**`: the
// devtools' ES5 transform turns `**` into Math.pow, which breaks on BigInt. The random padding bytes come from
// wx.getRandomValues (base library 2.20.2+) or, outside WeChat, from crypto.getRandomValues; there is no
// Math.random fallback. BigInt exists on iOS 14+ and every current Android WeChat; the module loads without it
// (nothing runs at load time) and only encryption then fails, with a clear message.

const { base64Decode, base64Encode, utf8Encode } = require('./encoding.js');

const MIN_BITS = 1024;

/** Whether this runtime has BigInt. */
function supported() {
  return typeof BigInt === 'function';
}

function need() {
  if (!supported()) throw new Error('this WeChat version has no BigInt (iOS 14 or newer is needed for passwords)');
}

// OID 1.2.840.113549.1.1.1 (rsaEncryption), DER-encoded content bytes.
const RSA_OID = [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/** One DER element at `offset`: {tag, start (of content), end}. */
function readElement(bytes, offset) {
  if (offset + 2 > bytes.length) throw new Error('truncated DER');
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || start + count > bytes.length) throw new Error('bad DER length');
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + bytes[start + i];
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new Error('truncated DER');
  return { tag, start, end };
}

function expect(element, tag, what) {
  if (element.tag !== tag) throw new Error(`expected ${what} in the public key`);
  return element;
}

function bytesToBigInt(bytes, start, end) {
  const eight = BigInt(8);
  let n = BigInt(0);
  for (let i = start; i < end; i += 1) n = (n << eight) | BigInt(bytes[i]);
  return n;
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } at `offset`. */
function readRsaPublicKey(der, offset) {
  const seq = expect(readElement(der, offset), 0x30, 'a SEQUENCE');
  const nEl = expect(readElement(der, seq.start), 0x02, 'the modulus');
  const eEl = expect(readElement(der, nEl.end), 0x02, 'the exponent');
  return { n: bytesToBigInt(der, nEl.start, nEl.end), e: bytesToBigInt(der, eEl.start, eEl.end) };
}

/** SubjectPublicKeyInfo: SEQUENCE { SEQUENCE { OID rsaEncryption, NULL }, BIT STRING { RSAPublicKey } }. */
function readSpki(der) {
  const outer = expect(readElement(der, 0), 0x30, 'a SEQUENCE');
  const algorithm = expect(readElement(der, outer.start), 0x30, 'an AlgorithmIdentifier');
  const oid = expect(readElement(der, algorithm.start), 0x06, 'an algorithm OID');
  const oidBytes = Array.prototype.slice.call(der, oid.start, oid.end);
  if (oidBytes.length !== RSA_OID.length || oidBytes.some((b, i) => b !== RSA_OID[i])) {
    throw new Error('not an RSA public key');
  }
  const bits = expect(readElement(der, algorithm.end), 0x03, 'a BIT STRING');
  if (der[bits.start] !== 0) throw new Error('bad BIT STRING');
  return readRsaPublicKey(der, bits.start + 1);
}

function bitLength(n) {
  return n.toString(2).length;
}

/**
 * Parses a PEM public key: `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo, what `openssl rsa -pubout` and
 * denglu print) or `-----BEGIN RSA PUBLIC KEY-----` (PKCS#1). A bare base64 SubjectPublicKeyInfo is accepted too.
 * Returns {n, e, size} (size = modulus length in bytes). Throws on anything else or a key under 1024 bits.
 */
function parsePublicKey(pem) {
  need();
  const text = String(pem || '').trim();
  if (!text) throw new Error('the public key is empty');
  const match = /-----BEGIN ([A-Z ]+)-----([\s\S]*?)-----END \1-----/.exec(text);
  const label = match ? match[1] : 'PUBLIC KEY';
  const der = base64Decode(match ? match[2] : text);
  let key;
  if (label === 'PUBLIC KEY') key = readSpki(der);
  else if (label === 'RSA PUBLIC KEY') key = readRsaPublicKey(der, 0);
  else throw new Error(`unsupported PEM block "${label}" (expected PUBLIC KEY)`);
  const bits = bitLength(key.n);
  if (bits < MIN_BITS) throw new Error(`the RSA key has ${bits} bits; at least ${MIN_BITS} are needed`);
  if (key.e < BigInt(3) || (key.e & BigInt(1)) === BigInt(0)) throw new Error('bad RSA public exponent');
  return { n: key.n, e: key.e, size: Math.ceil(bits / 8) };
}

function modPow(base, exponent, modulus) {
  const zero = BigInt(0);
  const one = BigInt(1);
  let result = one;
  let b = base % modulus;
  let e = exponent;
  while (e > zero) {
    if ((e & one) === one) result = (result * b) % modulus;
    e >>= one;
    b = (b * b) % modulus;
  }
  return result;
}

function bigIntToBytes(n, length) {
  const eight = BigInt(8);
  const mask = BigInt(0xff);
  const out = new Uint8Array(length);
  let v = n;
  for (let i = length - 1; i >= 0; i -= 1) {
    out[i] = Number(v & mask);
    v >>= eight;
  }
  return out;
}

/**
 * `count` random non-zero bytes, through `random(n)` → Promise<Uint8Array of n random bytes>.
 */
function nonZeroRandom(random, count) {
  const out = [];
  const fill = () =>
    random(count - out.length + 16).then((bytes) => {
      for (let i = 0; i < bytes.length && out.length < count; i += 1) if (bytes[i] !== 0) out.push(bytes[i]);
      return out.length < count ? fill() : out;
    });
  return fill();
}

/**
 * Encrypts `message` (a string, encoded as UTF-8) for `key` (from parsePublicKey): EM = 00 02 PS 00 M, PS random
 * non-zero, then EM^e mod n, as `size` bytes (leading zeros kept), base64. Resolves the base64 text.
 */
function encrypt(key, message, random) {
  const m = utf8Encode(message);
  const k = key.size;
  if (m.length > k - 11) {
    return Promise.reject(new Error(`the password is too long for this key (at most ${k - 11} bytes)`));
  }
  return nonZeroRandom(random, k - 3 - m.length).then((ps) => {
    const em = new Uint8Array(k);
    em[1] = 0x02;
    em.set(ps, 2);
    em.set(m, k - m.length);
    const c = modPow(bytesToBigInt(em, 0, k), key.e, key.n);
    return base64Encode(bigIntToBytes(c, k));
  });
}

/**
 * A random source for the padding: wx.getRandomValues when the `wx` object has it, else crypto.getRandomValues.
 * Returns a function n → Promise<Uint8Array>, or null when neither exists.
 */
function randomSource(wxApi) {
  if (wxApi && typeof wxApi.getRandomValues === 'function') {
    return (n) =>
      new Promise((resolve, reject) => {
        wxApi.getRandomValues({
          length: n,
          success: (res) => resolve(new Uint8Array(res.randomValues)),
          fail: (res) => reject(new Error((res && res.errMsg) || 'getRandomValues:fail')),
        });
      });
  }
  const webCrypto = typeof crypto !== 'undefined' ? crypto : undefined;
  if (webCrypto && typeof webCrypto.getRandomValues === 'function') {
    return (n) => Promise.resolve(webCrypto.getRandomValues(new Uint8Array(n)));
  }
  return null;
}

module.exports = { supported, parsePublicKey, encrypt, randomSource, modPow, bytesToBigInt, bigIntToBytes };
