// RSA keys for the tests, made by Node, and the server's side of the password encryption (RSA decryption and the
// PKCS#1 v1.5 padding check, over BigInt: Node 20 no longer decrypts PKCS#1 v1.5 itself).

const { generateKeyPairSync } = require('node:crypto');

const fromB64url = (text) => BigInt(`0x${Buffer.from(text, 'base64url').toString('hex') || '0'}`);

function modPow(base, exponent, modulus) {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    e >>= 1n;
    b = (b * b) % modulus;
  }
  return result;
}

/** {publicPem (SubjectPublicKeyInfo), pkcs1Pem, n, e, d, size} */
function makeKey(bits = 1024) {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
  const jwk = privateKey.export({ format: 'jwk' });
  const n = fromB64url(jwk.n);
  return {
    publicKey,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }),
    pkcs1Pem: publicKey.export({ type: 'pkcs1', format: 'pem' }),
    n,
    e: fromB64url(jwk.e),
    d: fromB64url(jwk.d),
    size: Math.ceil(n.toString(2).length / 8),
  };
}

/**
 * Decrypts base64 ciphertext `b64` and checks the encryption block 00 02 PS 00 M (PS non-zero, ≥ 8 bytes).
 * Returns {message (Buffer), ps (Buffer), cipherBytes (Buffer)}; throws on a bad block.
 */
function decrypt(key, b64) {
  const cipherBytes = Buffer.from(b64, 'base64');
  if (cipherBytes.length !== key.size) throw new Error(`ciphertext is ${cipherBytes.length} bytes, not ${key.size}`);
  const c = BigInt(`0x${cipherBytes.toString('hex')}`);
  const m = modPow(c, key.d, key.n);
  const em = Buffer.from(m.toString(16).padStart(key.size * 2, '0'), 'hex');
  if (em[0] !== 0 || em[1] !== 2) throw new Error(`bad block type ${em[0]} ${em[1]}`);
  const sep = em.indexOf(0, 2);
  if (sep < 10) throw new Error(`padding string too short (${sep - 2})`);
  return { message: em.subarray(sep + 1), ps: em.subarray(2, sep), cipherBytes };
}

module.exports = { makeKey, decrypt, modPow };
