// Small real image files for the avatar tests, written to a temporary folder: PNGs (RGB, a colour gradient, or
// random pixels that do not compress, for a file over the server's size limit) and a tiny baseline JPEG.

const { randomBytes } = require('node:crypto');
const { deflateSync } = require('node:zlib');
const { mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A width×height RGB PNG: a gradient, or random pixels with `{noise: true}` (deflate cannot shrink them). */
function png(width = 16, height = 16, { noise = false } = {}) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const stride = 1 + width * 3;
  const raw = noise ? randomBytes(height * stride) : Buffer.alloc(height * stride);
  for (let y = 0; y < height; y += 1) {
    const row = y * stride;
    raw[row] = 0; // filter: none
    if (noise) continue;
    for (let x = 0; x < width; x += 1) {
      raw[row + 1 + x * 3] = (x * 255) / Math.max(1, width - 1);
      raw[row + 2 + x * 3] = (y * 255) / Math.max(1, height - 1);
      raw[row + 3 + x * 3] = 128;
    }
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** {width, height} of PNG bytes (from IHDR), or null when they are not a PNG. */
function pngSize(bytes) {
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('ascii', 12, 16) !== 'IHDR') {
    return null;
  }
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * A baseline JPEG of one 8×8 grey block (every coefficient zero): one quantisation table, one component, and two
 * one-symbol Huffman tables (DC category 0, AC end-of-block), each symbol coded as the bit `0`. The scan is those two
 * bits padded with ones (0x3f).
 */
function jpeg() {
  const segment = (marker, body) => {
    const length = Buffer.alloc(2);
    length.writeUInt16BE(body.length + 2);
    return Buffer.concat([Buffer.from([0xff, marker]), length, Buffer.from(body)]);
  };
  const oneCodeOfLengthOne = [1, ...Array(15).fill(0)];
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]), // SOI
    segment(0xdb, [0x00, ...Array(64).fill(1)]), // DQT: table 0, 8-bit, all ones
    segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]), // SOF0: 8-bit, 8×8, one component, 1×1, table 0
    segment(0xc4, [0x00, ...oneCodeOfLengthOne, 0x00]), // DHT: DC table 0, symbol 0 (category 0)
    segment(0xc4, [0x10, ...oneCodeOfLengthOne, 0x00]), // DHT: AC table 0, symbol 0x00 (end of block)
    segment(0xda, [1, 1, 0x00, 0, 63, 0]), // SOS: component 1 uses DC 0 / AC 0
    Buffer.from([0x3f]), // DC diff 0, EOB, padding
    Buffer.from([0xff, 0xd9]), // EOI
  ]);
}

/** Writes files into a new temporary folder (as WeChat's temp paths would be); returns {dir, path(name)}. */
function tempFiles(files) {
  const dir = mkdtempSync(join(tmpdir(), 'wxapp-sdk-'));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes);
  return { dir, path: (name) => join(dir, name) };
}

module.exports = { png, pngSize, jpeg, tempFiles, crc32 };
