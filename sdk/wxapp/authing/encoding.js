// Byte helpers that mini programs lack (no atob/btoa, no TextEncoder on every base library): base64 and UTF-8.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = (() => {
  const table = {};
  for (let i = 0; i < ALPHABET.length; i += 1) table[ALPHABET[i]] = i;
  table['-'] = 62; // base64url
  table._ = 63;
  return table;
})();

/** Bytes (Uint8Array or array of 0..255) → standard base64 with padding. */
function base64Encode(bytes) {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63] + ALPHABET[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    out += `${ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += `${ALPHABET[n >> 18] + ALPHABET[(n >> 12) & 63] + ALPHABET[(n >> 6) & 63]}=`;
  }
  return out;
}

/** Standard or URL-safe base64, padded or not, whitespace ignored → Uint8Array. Throws on other characters. */
function base64Decode(text) {
  const clean = String(text).replace(/[\s=]+/g, '');
  if (clean.length % 4 === 1) throw new Error('invalid base64 length');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i += 1) {
    const v = LOOKUP[clean[i]];
    if (v === undefined) throw new Error(`invalid base64 character ${JSON.stringify(clean[i])}`);
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o] = (value >> bits) & 0xff;
      o += 1;
    }
  }
  return out;
}

/** A string → its UTF-8 bytes (lone surrogates become U+FFFD, as TextEncoder does). */
function utf8Encode(text) {
  const out = [];
  const s = String(text);
  for (let i = 0; i < s.length; i += 1) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i += 1;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return new Uint8Array(out);
}

/** UTF-8 bytes → string (invalid sequences become U+FFFD). */
function utf8Decode(bytes) {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let need = 0;
    let c = 0;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i += 1;
      continue;
    } else if (b >= 0xc2 && b < 0xe0) {
      need = 1;
      c = b & 0x1f;
    } else if (b >= 0xe0 && b < 0xf0) {
      need = 2;
      c = b & 0x0f;
    } else if (b >= 0xf0 && b < 0xf5) {
      need = 3;
      c = b & 0x07;
    } else {
      out += '\ufffd';
      i += 1;
      continue;
    }
    let ok = i + need < bytes.length;
    for (let k = 1; ok && k <= need; k += 1) {
      const n = bytes[i + k];
      if (n === undefined || (n & 0xc0) !== 0x80) ok = false;
      else c = (c << 6) | (n & 0x3f);
    }
    const min = [0, 0x80, 0x800, 0x10000][need];
    if (!ok || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
      out += '\ufffd';
      i += 1;
      continue;
    }
    out += String.fromCodePoint(c);
    i += need + 1;
  }
  return out;
}

module.exports = { base64Encode, base64Decode, utf8Encode, utf8Decode };
