// Random session words for the `random` query parameter of the QR endpoints.

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Length of the words `startWXAppScaning` uses: 24 characters of 62 ≈ 143 bits. */
export const RANDOM_LENGTH = 24;

/**
 * A random word of `length` characters from `[0-9A-Za-z]`, drawn from `crypto.getRandomValues`.
 * Bytes of 248 and above are thrown away so that every character is equally likely (248 = 4 × 62).
 *
 * @param {number} [length]
 * @returns {string}
 */
export function randomWord(length = RANDOM_LENGTH) {
  const crypto = globalThis.crypto;
  if (!crypto || typeof crypto.getRandomValues !== 'function') {
    throw new Error('crypto.getRandomValues is not available');
  }
  if (!Number.isInteger(length) || length < 1) throw new RangeError('length must be a positive integer');
  let word = '';
  const bytes = new Uint8Array(length + 8);
  while (word.length < length) {
    crypto.getRandomValues(bytes);
    for (let i = 0; i < bytes.length && word.length < length; i += 1) {
      if (bytes[i] < 248) word += ALPHABET[bytes[i] % 62];
    }
  }
  return word;
}
