// Starts `denglu dev` for one test file: a free port on 127.0.0.1, a temporary data folder, the binary from
// DENGLU_BIN (default ../../target/debug/denglu), ready once /healthz answers. stop() kills it and removes the folder.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const LOG_LIMIT = 200_000;

/** The denglu binary these tests run. */
export function dengluBinary() {
  return process.env.DENGLU_BIN ? resolve(process.env.DENGLU_BIN) : resolve(HERE, '../../../target/debug/denglu');
}

/** A TCP port that was free a moment ago (the OS picks it; denglu binds it right after). */
function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The child's environment: ours without any DENGLU_* setting, so a developer's settings cannot leak in. */
function childEnv() {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('DENGLU_') && name !== 'RUST_LOG') env[name] = value;
  }
  env.RUST_LOG = 'info';
  env.NO_COLOR = '1';
  return env;
}

async function startOnce(bin, port, dataDir) {
  const child = spawn(bin, ['dev', '--data-dir', dataDir, '--listen', `127.0.0.1:${port}`], {
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk) => {
    log += chunk.toString('utf8');
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  const exit = new Promise((r) => child.once('exit', (code, signal) => r((exited = { code, signal }))));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) return { child, base, log: () => log, exit, failed: `exited (${JSON.stringify(exited)})` };
    // Ours only once its banner says so (another process could hold the port and answer /healthz).
    if (log.includes('dev server is ready')) {
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
        if (res.ok) return { child, base, log: () => log, exit };
      } catch {
        // not answering yet
      }
    }
    await sleep(100);
  }
  child.kill('SIGKILL');
  await exit;
  return { child, base, log: () => log, exit, failed: `no /healthz within ${READY_TIMEOUT_MS} ms` };
}

/**
 * Starts a dev server. Returns {base, poolId, poolSecret, dataDir, log(), stop()}.
 * A port taken between the probe and the bind is retried with another port.
 */
export async function startDenglu() {
  const bin = dengluBinary();
  if (!existsSync(bin)) {
    throw new Error(`denglu binary not found at ${bin}: run \`cargo build -p denglu\` or set DENGLU_BIN`);
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'denglu-browser-'));
  let lastFailure = '';
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = await freePort();
    const started = await startOnce(bin, port, dataDir);
    if (started.failed) {
      lastFailure = `${started.failed}\n--- server output ---\n${started.log()}`;
      continue;
    }
    const pool = JSON.parse(await readFile(join(dataDir, 'demo-pool.json'), 'utf8'));
    let stopped = false;
    return {
      base: started.base,
      poolId: pool.id,
      poolSecret: pool.secret,
      dataDir,
      log: started.log,
      /** The last `lines` lines of the server's output, for failure reports. */
      tail(lines = 40) {
        return started.log().split('\n').slice(-lines).join('\n');
      },
      async stop() {
        if (stopped) return;
        stopped = true;
        if (started.child.exitCode === null && started.child.signalCode === null) {
          started.child.kill('SIGTERM');
          const timer = setTimeout(() => started.child.kill('SIGKILL'), 5000);
          await started.exit;
          clearTimeout(timer);
        }
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  }
  await rm(dataDir, { recursive: true, force: true });
  throw new Error(`denglu dev did not start: ${lastFailure}`);
}
