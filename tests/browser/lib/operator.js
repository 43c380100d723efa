// Operators for the console's tests: `denglu admin …` against a running dev server's data, the fields of its output,
// one-time codes computed here (independently of the server's library), and an operator set up through the admin API.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';

import { dengluBinary } from '../../../scripts/lib/denglu-dev.cjs';

/** `denglu admin …` on the dev server's data folder; its standard output. */
export function admin(server, args) {
  return execFileSync(dengluBinary(), ['admin', ...args], {
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DENGLU_'))),
      DENGLU_DATABASE__URL: `sqlite://${join(server.dataDir, 'denglu.db')}`,
      DENGLU_MASTER_KEY_FILE: join(server.dataDir, 'master.key'),
      DENGLU_PUBLIC_URL: server.base,
    },
    encoding: 'utf8',
  });
}

/** The value of the line `name …` of a command's output. */
export function field(text, name) {
  const line = text.split('\n').find((l) => l.startsWith(name));
  assert.ok(line, `no ${name} in ${text}`);
  return line.slice(name.length).trim();
}

/** RFC 4226/6238 with SHA-1 and six digits, written out here as a check independent of the server's library. */
export function totp(base32, at = Date.now()) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of base32.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * An operator made with `denglu admin create` (`pools`: the pool ids of a pool admin) and set up through the admin
 * API as the setup page does. Returns their authenticator secret (base32).
 */
export async function setUpOperator(server, name, password, pools = []) {
  const made = admin(server, ['create', '--name', name, ...pools.flatMap((pool) => ['--pool', pool])]);
  return completeSetup(server, field(made, 'setup token'), password);
}

/** Completes the setup of the link whose token is `setupToken`, as the setup page does; the authenticator secret. */
export async function completeSetup(server, setupToken, password) {
  const post = async (path, body) => {
    const response = await fetch(`${server.base}/api/v1/admin${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${path}: ${await response.clone().text()}`);
    return response.json();
  };
  const { secret } = await post('/setup/totp', { setupToken });
  await post('/setup', { setupToken, password, code: totp(secret) });
  return secret;
}
